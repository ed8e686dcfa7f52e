// Sends alerts to Grafana Loki through its push API (POST
// /loki/api/v1/push, JSON), batched: an entry per alert whose line is the
// alert's Falco JSON and whose stream labels are rule, priority, container,
// host and source (loki_push.hpp). A batch is sent when it holds
// batch.max_entries alerts, when the next alert would take its body past
// batch.max_bytes, or batch_delay after its first alert arrived.
//
// Delivery is DeliveryQueue's (delivery_queue.hpp), one body per batch:
// in order, 2xx delivered, 4xx other than 408/429 rejected for good (the
// first rejection is logged through `log`, all are counted), 429, 5xx and
// connection errors retried with jittered exponential backoff while the
// batches wait in the spool, and replayed oldest first when Loki answers
// again (also by the next bulwark process). A batch leaves the queue as soon
// as Loki accepted it, so bulwark never sends it again after a 2xx; a batch
// re-sent after a crash (the spool is at-least-once) carries the same
// timestamps and lines in the same streams, which Loki stores once.
//
// The watch loop never waits for the network: Write formats and batches the
// alert; a timer thread owned by the sink takes a batch whose delay ran out.
// Alerts still in the batch or the memory queue are lost if the process
// dies without Close; Close hands the batch on and drains (see
// DeliveryQueue).
//
// Thread-safety: Write and Close from one thread (the watch loop); the
// timer thread shares the batch under mu_. Stats, Batched and WaitIdle are
// thread-safe. `log` is called from the delivery worker thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "runtime/output/delivery_queue.hpp"
#include "runtime/output/http_poster.hpp"
#include "runtime/output/loki_batch.hpp"
#include "runtime/output/loki_push.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/output/sink.hpp"
#include "runtime/output/spool.hpp"

namespace bulwark::runtime::output {

struct LokiOptions {
  std::string name = "loki";  // the sink's name in metrics
  HttpPosterOptions http;     // see MakeLokiHttpOptions (loki_endpoint.hpp)
  LokiLabels extra_labels;    // static labels added to every stream
  LokiBatchLimits batch;
  std::chrono::milliseconds batch_delay{1000};
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  double jitter = 0.2;
  size_t memory_queue = 32;   // batches held in memory before spilling or dropping
  std::optional<SpoolOptions> spool;
  std::chrono::milliseconds drain_timeout{3000};
  // One-line messages for the operator (never holding a secret); null: none.
  std::function<void(const std::string&)> log;
};

class LokiSink final : public AlertSink {
 public:
  // `poster` replaces the libcurl poster (tests); `metrics` may be null and
  // must outlive the sink.
  static core::Result<std::unique_ptr<LokiSink>> Create(
      LokiOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster = nullptr);
  ~LokiSink() override;

  const std::string& Name() const override { return options_.name; }
  core::Status Write(const Alert& alert) override;
  core::Status Close() override;
  bool CountsOwnDelivery() const override { return true; }

  DeliveryStats Stats() const { return queue_->Stats(); }
  // Alerts waiting in the current batch.
  size_t Batched() const;
  // Waits until the batch was taken and every batch was delivered or
  // rejected; false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  explicit LokiSink(LokiOptions options);
  void RunTimer();
  void TakeBatchLocked();
  void OnRejected(long status);

  const LokiOptions options_;
  std::unique_ptr<DeliveryQueue> queue_;  // set once by Create; Push under mu_

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;    // batch started or taken, stopping
  LokiBatch batch_;                       // guarded by mu_
  std::chrono::steady_clock::time_point batch_deadline_{};  // guarded by mu_
  bool stopping_ = false;                 // guarded by mu_
  std::atomic<bool> rejection_logged_{false};
  bool closed_ = false;                   // the watch loop's thread only
  std::thread timer_;
};

}  // namespace bulwark::runtime::output
