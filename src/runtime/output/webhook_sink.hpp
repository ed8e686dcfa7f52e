// Sends each alert to an HTTP receiver, falcosidekick-compatible: one POST
// per alert, the body being the alert's JSON line (alert_format.hpp) with
// Content-Type: application/json, plus optional custom headers.
//
// The watch loop never waits for the network: Write formats the alert and
// queues it in memory; a worker thread owned by the sink delivers in order.
// Outcomes of one POST:
//   2xx                     delivered; the next alert goes.
//   4xx other than 408/429  rejected for good (a receiver that refuses this
//                           body will refuse it again); counted, skipped.
//   anything else, or no    transient: the alert stays first in line, the
//   response (refused,      worker waits (exponential backoff from
//   timeout, TLS)           initial_backoff up to max_backoff) and retries.
// With a spool (spool.hpp) configured, everything waiting while the
// receiver is failing, plus whatever overflows the memory queue while it is
// slow, goes to disk in order and is re-sent from there, oldest first, when
// the receiver answers again; a restarted bulwark resumes from the spool.
// Without a spool the memory queue is the only buffer and its oldest
// alerts are dropped (counted) when it overflows.
//
// Close stops taking alerts, keeps delivering for up to drain_timeout, then
// cancels the request in flight and spools what is left (or counts it lost).
// Alerts queued in memory, not yet spooled, are lost if the process dies
// without Close (a kill -9); spooled ones are not.
//
// Thread-safety: Write and Close from one thread (the watch loop); the
// worker shares the queue and spool under mu_. Stats is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "runtime/output/http_poster.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/output/sink.hpp"
#include "runtime/output/spool.hpp"

namespace bulwark::runtime::output {

struct WebhookOptions {
  std::string name = "webhook";  // the sink's name in metrics
  HttpPosterOptions http;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  size_t memory_queue = 1024;   // alerts held in memory before spilling or dropping
  std::optional<SpoolOptions> spool;
  std::chrono::milliseconds drain_timeout{3000};
};

struct WebhookStats {
  uint64_t delivered = 0;
  uint64_t attempts_failed = 0;
  uint64_t rejected = 0;
  uint64_t dropped = 0;
  uint64_t queued = 0;  // in memory
  SpoolStats spool;
};

class WebhookSink final : public AlertSink {
 public:
  // `poster` replaces the libcurl poster (tests); `metrics` may be null and
  // must outlive the sink.
  static core::Result<std::unique_ptr<WebhookSink>> Create(
      WebhookOptions options, AlertMetrics* metrics,
      std::unique_ptr<HttpPoster> poster = nullptr);
  ~WebhookSink() override;

  const std::string& Name() const override { return options_.name; }
  core::Status Write(const Alert& alert) override;
  // Queues an already formatted JSON body (no trailing newline).
  core::Status WriteBody(std::string body);
  core::Status Close() override;
  bool CountsOwnDelivery() const override { return true; }

  WebhookStats Stats() const;
  // Waits until nothing is queued or spooled; false on timeout. For tests
  // and for a graceful stop.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  enum class Inflight { kNone, kMemory, kSpool, kGone };

  WebhookSink(WebhookOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster,
              std::unique_ptr<Spool> spool);
  void Run();
  bool WaitForWork(std::unique_lock<std::mutex>& lock);
  std::optional<std::string> PickLocked();
  void FinishLocked(core::Result<long> outcome);
  void SpillLocked();
  void DropFromMemoryLocked();
  uint64_t PendingLocked() const;
  void PublishLocked();

  const WebhookOptions options_;
  AlertMetrics* const metrics_;
  const std::unique_ptr<HttpPoster> poster_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;        // work arrived, state changed
  std::deque<std::string> memory_;            // guarded by mu_; newer than the spool
  std::unique_ptr<Spool> spool_;              // guarded by mu_; may be null
  Inflight inflight_ = Inflight::kNone;       // guarded by mu_
  SpoolCursor inflight_position_;             // guarded by mu_ (kSpool)
  std::chrono::steady_clock::time_point next_attempt_{};  // guarded by mu_
  std::chrono::milliseconds backoff_{0};      // guarded by mu_
  bool closing_ = false;                      // guarded by mu_
  std::chrono::steady_clock::time_point drain_deadline_{};  // guarded by mu_
  WebhookStats stats_;                        // guarded by mu_
  bool worker_done_ = false;                  // guarded by mu_
  bool closed_ = false;                       // the watch loop's thread only
  std::thread worker_;
};

}  // namespace bulwark::runtime::output
