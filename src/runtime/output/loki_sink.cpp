#include "runtime/output/loki_sink.hpp"

#include <algorithm>

namespace bulwark::runtime::output {

core::Result<std::unique_ptr<LokiSink>> LokiSink::Create(LokiOptions options,
                                                         AlertMetrics* metrics,
                                                         std::unique_ptr<HttpPoster> poster) {
  if (poster == nullptr) {
    ASSIGN_OR_RETURN(poster, MakeCurlPoster(options.http));
  }
  if (options.spool) {
    // A whole batch must fit in one spool record.
    options.spool->max_record_bytes =
        std::max(options.spool->max_record_bytes, 2 * options.batch.max_bytes);
  }
  options.batch_delay = std::max(options.batch_delay, std::chrono::milliseconds(1));
  std::unique_ptr<LokiSink> sink(new LokiSink(options));
  DeliveryOptions delivery = DeliveryOptionsOf(options);
  delivery.weigh = [](std::string_view body) { return CountLokiEntries(body); };
  LokiSink* raw = sink.get();  // the queue is closed before the sink goes
  delivery.on_rejected = [raw](long status) { raw->OnRejected(status); };
  ASSIGN_OR_RETURN(sink->queue_,
                   DeliveryQueue::Create(std::move(delivery), metrics, std::move(poster)));
  sink->timer_ = std::thread(&LokiSink::RunTimer, sink.get());
  return sink;
}

LokiSink::LokiSink(LokiOptions options) : options_(std::move(options)), batch_(options_.batch) {}

LokiSink::~LokiSink() { (void)Close(); }

core::Status LokiSink::Write(const Alert& alert) {
  if (closed_) return core::Error(core::ErrorCode::kInvalidArgument, Name() + ": sink is closed");
  LokiEntry entry = MakeLokiEntry(alert, options_.extra_labels);
  std::lock_guard lock(mu_);
  if (batch_.WouldOverflow(entry)) TakeBatchLocked();
  if (batch_.empty()) {
    batch_deadline_ = std::chrono::steady_clock::now() + options_.batch_delay;
    cv_.notify_all();
  }
  batch_.Add(std::move(entry));
  if (batch_.Full()) TakeBatchLocked();
  return core::Status::Ok();
}

// Hands the batch to the delivery queue (which never blocks on the network).
void LokiSink::TakeBatchLocked() {
  if (batch_.empty()) return;
  uint64_t alerts = batch_.size();
  // Push fails only once the queue is closed, which happens after the last
  // batch was taken.
  (void)queue_->Push(batch_.Take(), alerts);
  cv_.notify_all();
}

void LokiSink::RunTimer() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (batch_.empty()) {
      cv_.wait(lock);
    } else if (std::chrono::steady_clock::now() >= batch_deadline_) {
      TakeBatchLocked();
    } else {
      cv_.wait_until(lock, batch_deadline_);
    }
  }
}

void LokiSink::OnRejected(long status) {
  if (!options_.log || rejection_logged_.exchange(true)) return;
  options_.log(Name() + ": Loki rejected a batch of alerts (HTTP " + std::to_string(status) +
               "); later rejections are only counted (bulwark_sink_rejected_total)");
}

core::Status LokiSink::Close() {
  if (closed_) return core::Status::Ok();
  closed_ = true;
  if (queue_ == nullptr) return core::Status::Ok();  // Create failed; no timer either
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    TakeBatchLocked();
  }
  cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  return queue_->Close();
}

size_t LokiSink::Batched() const {
  std::lock_guard lock(mu_);
  return batch_.size();
}

bool LokiSink::WaitIdle(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return batch_.empty(); })) return false;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return queue_->WaitIdle(std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace bulwark::runtime::output
