// Where events come from: the eBPF sensor, a replay file, or a synthetic
// generator (tests, benchmarks). The watch loop reads one event at a time;
// a source is used from one thread.
#pragma once

#include <chrono>

#include "core/status.hpp"
#include "runtime/event/event.hpp"

namespace bulwark::runtime {

enum class ReadOutcome { kEvent, kTimeout, kEnd };

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Fills `out` with the next event, waiting at most `timeout`. kEnd: the
  // source is exhausted (a replay file) or was stopped. Errors are values.
  virtual core::Result<ReadOutcome> Next(Event& out, std::chrono::milliseconds timeout) = 0;
};

}  // namespace bulwark::runtime
