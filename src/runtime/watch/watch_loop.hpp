// The `bulwark watch` pipeline: events from a source (the eBPF sensor, or a
// synthetic source in tests) -> state tables -> rule engine -> dispatcher
// (sinks, rate limits, metrics). Once about every second, and whenever the
// source is idle, it emits the rate limiter's storm summaries, purges dead
// processes, refreshes containers the engine says started, were renamed or
// destroyed, and publishes the sensor's counters.
//
// Not thread-safe: one thread runs the loop; Stop() may be called from any
// thread (it only sets a flag the loop reads between events).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/alert.hpp"
#include "runtime/event/event_source.hpp"
#include "runtime/output/dispatcher.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/rules/engine.hpp"
#include "runtime/sensor/bpf_sensor.hpp"
#include "runtime/sensor/state_tables.hpp"

namespace bulwark::runtime::watch {

struct WatchOptions {
  std::chrono::milliseconds poll{250};          // longest wait for an event
  std::chrono::milliseconds housekeeping{1000};  // Tick, Purge, counters
  std::chrono::milliseconds duration{0};        // 0: until stopped or the source ends
  size_t keep_alerts = 10'000;                  // kept for the run's result file
  size_t drain_max = 1'000'000;                 // events evaluated after a stop
};

struct WatchSummary {
  uint64_t events = 0;
  uint64_t alerts = 0;
  std::vector<Alert> kept;      // the first keep_alerts alerts
  uint64_t alerts_not_kept = 0;
  sensor::SensorStats sensor;   // zero unless the source is a BpfSensor
};

class WatchLoop {
 public:
  // Every reference must outlive the loop. `bpf` (may be null) is the same
  // object as `source` when events come from the kernel: its per-event
  // kernel facts feed the state tables and its counters the metrics.
  WatchLoop(EventSource& source, const sensor::BpfSensor* bpf, sensor::StateTables& state,
            rules::Engine& engine, output::Dispatcher& dispatcher, output::AlertMetrics& metrics,
            WatchOptions options);

  // Runs until Stop(), the duration, or the end of the source. A source error
  // ends the run with that error; what was seen until then is in summary().
  core::Status Run();
  void Stop() { stop_.store(true); }
  const WatchSummary& summary() const { return summary_; }

 private:
  void Handle(Event& event);
  void Drain(Event& event);
  void Housekeeping();

  EventSource& source_;
  const sensor::BpfSensor* bpf_;
  sensor::StateTables& state_;
  rules::Engine& engine_;
  output::Dispatcher& dispatcher_;
  output::AlertMetrics& metrics_;
  WatchOptions options_;
  std::atomic<bool> stop_{false};
  WatchSummary summary_;
  std::vector<Alert> scratch_;
};

}  // namespace bulwark::runtime::watch
