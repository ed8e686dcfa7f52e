// Where alerts go: the interface every output (stdout, file, webhook) offers
// to the Dispatcher. A sink formats and delivers one alert per Write; a sink
// that talks to the network must not block the caller on it (WebhookSink
// hands the alert to its own worker thread).
//
// Write and Close are called from one thread (the watch loop's); a sink with
// a worker does its own locking. A failing Write returns an error value and
// leaves the sink usable for the next alert.
#pragma once

#include <string>

#include "core/status.hpp"
#include "runtime/event/alert.hpp"

namespace bulwark::runtime::output {

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  // A short stable name for metrics and messages ("stdout", "file", "webhook").
  virtual const std::string& Name() const = 0;
  virtual core::Status Write(const Alert& alert) = 0;
  // Delivers or persists what is pending and releases resources. Idempotent.
  virtual core::Status Close() = 0;
  // True for sinks that deliver later (a worker) and count delivered alerts
  // in the metrics themselves; the Dispatcher counts the others on Write.
  virtual bool CountsOwnDelivery() const { return false; }
};

}  // namespace bulwark::runtime::output
