// Fans each alert out to the configured sinks: counts it, applies the
// per-rule rate limit, then hands it to every sink. Sinks are isolated: an
// error (or an exception) from one is counted and reported through the
// error callback, and the others still get the alert.
//
// Tick (called by the watch loop whenever it is idle or between events, at
// least about once a second) emits the storm summaries of the rate limiter;
// Close emits the remaining ones and closes every sink.
//
// Thread-compatible: the watch loop owns it. The metrics it updates are
// thread-safe and may be read from elsewhere (bulwark serve).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/event/alert.hpp"
#include "runtime/output/clock.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/output/rate_limiter.hpp"
#include "runtime/output/sink.hpp"

namespace bulwark::runtime::output {

class Dispatcher {
 public:
  using ErrorCallback = std::function<void(const AlertSink& sink, const core::Status& error)>;

  // `metrics` must outlive the dispatcher. No rate limit when `rate_limit`
  // is empty.
  Dispatcher(AlertMetrics& metrics, std::optional<RateLimitOptions> rate_limit,
             const Clock& clock = DefaultClock());

  void AddSink(std::unique_ptr<AlertSink> sink);
  void SetErrorCallback(ErrorCallback callback) { on_error_ = std::move(callback); }

  void Dispatch(const Alert& alert);
  void Tick();
  // Flushes summaries and closes every sink; returns the first error (every
  // sink is closed regardless).
  core::Status Close();

  size_t sink_count() const { return sinks_.size(); }

 private:
  void Deliver(const Alert& alert);
  void Report(const AlertSink& sink, const core::Status& status);

  AlertMetrics& metrics_;
  std::optional<RateLimiter> limiter_;
  std::vector<std::unique_ptr<AlertSink>> sinks_;
  ErrorCallback on_error_;
  bool closed_ = false;
};

}  // namespace bulwark::runtime::output
