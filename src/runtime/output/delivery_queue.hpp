// Ordered, retried, spooled delivery of HTTP bodies: the engine shared by the
// network sinks. WebhookSink queues one body per alert; LokiSink one body per
// batch of alerts. Bodies are sent one at a time, oldest first, by a worker
// thread owned by the queue. Outcomes of one POST:
//   2xx                     delivered; the next body goes.
//   4xx other than 408/429  rejected for good (a receiver that refuses this
//                           body will refuse it again); counted, skipped.
//   anything else, or no    transient: the body stays first in line, the
//   response (refused,      worker waits (exponential backoff from
//   timeout, TLS)           initial_backoff up to max_backoff, minus a
//                           random `jitter` fraction) and retries.
// A body is removed from the queue (memory or spool) as soon as its POST got
// a final answer, so it is never sent again after a 2xx while the process
// lives; after a crash the spool's at-least-once rule applies (spool.hpp).
// With a spool configured, everything waiting while the receiver is
// failing, plus whatever overflows the memory queue while it is slow, goes
// to disk in order and is re-sent from there, oldest first; a restarted
// bulwark resumes from the spool. Without a spool the memory queue is the
// only buffer and its oldest bodies are dropped (counted) when it overflows.
//
// Counts are in alerts: each body carries a weight (the number of alerts in
// it), given on Push and recomputed by `weigh` for bodies read back from the
// spool.
//
// Close stops taking bodies, keeps delivering for up to drain_timeout, then
// cancels the request in flight and spools what is left (or counts it lost).
//
// Thread-safety: Push and Close are never called at the same time (the
// owner calls them from one thread or serialises them); the worker
// shares the queue and spool under mu_. Stats and WaitIdle are thread-safe.
// Callbacks run on the worker thread without mu_ held.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "runtime/output/http_poster.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/output/spool.hpp"

namespace bulwark::runtime::output {

struct DeliveryOptions {
  std::string name;  // the sink's name in metrics
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  double jitter = 0.2;       // each wait is shortened by up to this fraction
  size_t memory_queue = 1024;  // bodies held in memory before spilling or dropping
  std::optional<SpoolOptions> spool;
  std::chrono::milliseconds drain_timeout{3000};
  // Alerts in a body read back from the spool; null: 1.
  std::function<uint64_t(std::string_view body)> weigh;
  // Called with the HTTP status of every permanent rejection.
  std::function<void(long status)> on_rejected;
};

// The delivery settings a sink's options share with DeliveryOptions
// (WebhookOptions, LokiOptions: same member names), copied in one place.
template <typename SinkOptions>
DeliveryOptions DeliveryOptionsOf(const SinkOptions& options) {
  DeliveryOptions delivery;
  delivery.name = options.name;
  delivery.initial_backoff = options.initial_backoff;
  delivery.max_backoff = options.max_backoff;
  delivery.jitter = options.jitter;
  delivery.memory_queue = options.memory_queue;
  delivery.spool = options.spool;
  delivery.drain_timeout = options.drain_timeout;
  return delivery;
}

struct DeliveryStats {
  uint64_t delivered = 0;        // alerts
  uint64_t attempts_failed = 0;  // POSTs
  uint64_t rejected = 0;         // alerts
  uint64_t dropped = 0;          // alerts
  uint64_t queued = 0;           // bodies in memory
  SpoolStats spool;              // records are bodies
};

class DeliveryQueue {
 public:
  // `metrics` may be null and must outlive the queue.
  static core::Result<std::unique_ptr<DeliveryQueue>> Create(DeliveryOptions options,
                                                             AlertMetrics* metrics,
                                                             std::unique_ptr<HttpPoster> poster);
  ~DeliveryQueue();
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  const std::string& name() const { return options_.name; }
  // Queues one body (a single line: no '\n') carrying `weight` alerts.
  core::Status Push(std::string body, uint64_t weight);
  core::Status Close();
  DeliveryStats Stats() const;
  // Waits until nothing is queued, spooled or in flight; false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  enum class Inflight { kNone, kMemory, kSpool, kGone };
  struct Item {
    std::string body;
    uint64_t weight = 1;
  };

  DeliveryQueue(DeliveryOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster,
                std::unique_ptr<Spool> spool);
  void Run();
  bool WaitForWork(std::unique_lock<std::mutex>& lock);
  std::optional<Item> PickLocked();
  std::optional<long> FinishLocked(core::Result<long> outcome, uint64_t weight);
  void BackOffLocked();
  void SpillLocked();
  void DropFromMemoryLocked();
  void CountDroppedLocked(uint64_t alerts);
  uint64_t PendingLocked() const;
  void PublishLocked();

  const DeliveryOptions options_;
  AlertMetrics* const metrics_;
  const std::unique_ptr<HttpPoster> poster_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;        // work arrived, state changed
  std::deque<Item> memory_;                   // guarded by mu_; newer than the spool
  std::unique_ptr<Spool> spool_;              // guarded by mu_; may be null
  Inflight inflight_ = Inflight::kNone;       // guarded by mu_
  SpoolCursor inflight_position_;             // guarded by mu_ (kSpool)
  std::chrono::steady_clock::time_point next_attempt_{};  // guarded by mu_
  std::chrono::milliseconds backoff_{0};      // guarded by mu_
  std::minstd_rand jitter_rng_;               // guarded by mu_
  bool closing_ = false;                      // guarded by mu_
  std::chrono::steady_clock::time_point drain_deadline_{};  // guarded by mu_
  DeliveryStats stats_;                       // guarded by mu_
  bool worker_done_ = false;                  // guarded by mu_
  bool closed_ = false;                       // the owner's thread only
  std::thread worker_;
};

}  // namespace bulwark::runtime::output
