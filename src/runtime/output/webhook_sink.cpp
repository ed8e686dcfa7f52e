#include "runtime/output/webhook_sink.hpp"

#include <algorithm>

#include "runtime/output/alert_format.hpp"

namespace bulwark::runtime::output {
namespace {

using SteadyClock = std::chrono::steady_clock;

enum class Outcome { kDelivered, kRejected, kTransient };

Outcome Classify(const core::Result<long>& result) {
  if (!result.ok()) return Outcome::kTransient;
  long status = *result;
  if (status >= 200 && status < 300) return Outcome::kDelivered;
  // 408 Request Timeout and 429 Too Many Requests say "later", not "never".
  if (status >= 400 && status < 500 && status != 408 && status != 429) return Outcome::kRejected;
  return Outcome::kTransient;
}

bool SamePosition(const SpoolCursor& a, const SpoolCursor& b) {
  return a.segment == b.segment && a.offset == b.offset;
}

}  // namespace

core::Result<std::unique_ptr<WebhookSink>> WebhookSink::Create(
    WebhookOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster) {
  if (poster == nullptr) {
    ASSIGN_OR_RETURN(poster, MakeCurlPoster(options.http));
  }
  options.memory_queue = std::max<size_t>(options.memory_queue, 1);
  options.initial_backoff = std::max(options.initial_backoff, std::chrono::milliseconds(1));
  options.max_backoff = std::max(options.max_backoff, options.initial_backoff);
  std::unique_ptr<Spool> spool;
  if (options.spool) {
    ASSIGN_OR_RETURN(spool, Spool::Open(*options.spool));
  }
  std::unique_ptr<WebhookSink> sink(
      new WebhookSink(std::move(options), metrics, std::move(poster), std::move(spool)));
  {
    std::lock_guard lock(sink->mu_);
    sink->PublishLocked();
  }
  sink->worker_ = std::thread(&WebhookSink::Run, sink.get());
  return sink;
}

WebhookSink::WebhookSink(WebhookOptions options, AlertMetrics* metrics,
                         std::unique_ptr<HttpPoster> poster, std::unique_ptr<Spool> spool)
    : options_(std::move(options)),
      metrics_(metrics),
      poster_(std::move(poster)),
      spool_(std::move(spool)) {}

WebhookSink::~WebhookSink() { (void)Close(); }

core::Status WebhookSink::Write(const Alert& alert) { return WriteBody(FormatAlertJson(alert)); }

core::Status WebhookSink::WriteBody(std::string body) {
  if (closed_) return core::Error(core::ErrorCode::kInvalidArgument, Name() + ": sink is closed");
  {
    std::lock_guard lock(mu_);
    memory_.push_back(std::move(body));
    if (memory_.size() > options_.memory_queue) {
      // The receiver is slow or down: keep the watch loop going.
      if (spool_ != nullptr) {
        SpillLocked();
      } else {
        DropFromMemoryLocked();
      }
    }
  }
  cv_.notify_all();
  return core::Status::Ok();
}

uint64_t WebhookSink::PendingLocked() const {
  return memory_.size() + (spool_ != nullptr ? spool_->Stats().records : 0);
}

void WebhookSink::PublishLocked() {
  if (spool_ != nullptr) stats_.spool = spool_->Stats();
  if (metrics_ != nullptr && spool_ != nullptr) metrics_->SetSpool(Name(), stats_.spool);
}

void WebhookSink::DropFromMemoryLocked() {
  auto victim = memory_.begin();
  if (inflight_ == Inflight::kMemory) ++victim;  // never the one being sent
  if (victim == memory_.end()) return;
  memory_.erase(victim);
  ++stats_.dropped;
  if (metrics_ != nullptr) metrics_->CountSinkDropped(Name(), 1);
}

// Moves the memory queue behind what is spooled, in order. The alert being
// sent from memory, if any, is memory_.front() and the spool is empty (the
// worker sends from the spool first), so it becomes the spool's front.
void WebhookSink::SpillLocked() {
  if (spool_ == nullptr || memory_.empty()) return;
  bool first = true;
  for (const std::string& body : memory_) {
    core::Status appended = spool_->Append(body);
    if (first && inflight_ == Inflight::kMemory) {
      inflight_ = Inflight::kGone;
      if (appended.ok()) {
        auto front = spool_->Front();
        if (front.ok() && front->has_value()) {
          inflight_ = Inflight::kSpool;
          inflight_position_ = spool_->FrontPosition();
        }
      }
    }
    if (!appended.ok()) {
      ++stats_.dropped;
      if (metrics_ != nullptr) metrics_->CountSinkDropped(Name(), 1);
    }
    first = false;
  }
  memory_.clear();
  PublishLocked();
}

bool WebhookSink::WaitForWork(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    auto now = SteadyClock::now();
    uint64_t pending = PendingLocked();
    if (closing_ && (pending == 0 || now >= drain_deadline_)) return false;
    if (pending == 0) {
      cv_.wait(lock);
      continue;
    }
    if (now < next_attempt_) {
      // Backing off: what arrives meanwhile is made durable.
      if (spool_ != nullptr && !memory_.empty()) SpillLocked();
      auto until = closing_ ? std::min(next_attempt_, drain_deadline_) : next_attempt_;
      cv_.wait_until(lock, until);
      continue;
    }
    return true;
  }
}

std::optional<std::string> WebhookSink::PickLocked() {
  if (spool_ != nullptr && !spool_->empty()) {
    SpillLocked();  // newer alerts queue behind the spooled ones
    auto front = spool_->Front();
    if (!front.ok()) {
      ++stats_.attempts_failed;
      if (metrics_ != nullptr) metrics_->CountSinkError(Name());
      backoff_ = std::min(std::max(backoff_ * 2, options_.initial_backoff), options_.max_backoff);
      next_attempt_ = SteadyClock::now() + backoff_;
      return std::nullopt;
    }
    if (front->has_value()) {
      inflight_ = Inflight::kSpool;
      inflight_position_ = spool_->FrontPosition();
      return std::move(**front);
    }
  }
  if (memory_.empty()) return std::nullopt;
  inflight_ = Inflight::kMemory;
  return memory_.front();
}

void WebhookSink::FinishLocked(core::Result<long> result) {
  Outcome outcome = Classify(result);
  if (outcome == Outcome::kTransient) {
    ++stats_.attempts_failed;
    if (metrics_ != nullptr) metrics_->CountSinkError(Name());
    SpillLocked();  // while the receiver fails, everything waits on disk
    backoff_ = std::min(std::max(backoff_ * 2, options_.initial_backoff), options_.max_backoff);
    next_attempt_ = SteadyClock::now() + backoff_;
  } else {
    if (inflight_ == Inflight::kMemory) {
      memory_.pop_front();
    } else if (inflight_ == Inflight::kSpool) {
      // Unless the spool's bound deleted it while it was being sent.
      auto front = spool_->Front();
      if (front.ok() && front->has_value() &&
          SamePosition(spool_->FrontPosition(), inflight_position_)) {
        (void)spool_->PopFront();
      }
    }
    if (outcome == Outcome::kDelivered) {
      ++stats_.delivered;
      if (metrics_ != nullptr) metrics_->CountDelivered(Name());
    } else {
      ++stats_.rejected;
      if (metrics_ != nullptr) metrics_->CountRejected(Name());
    }
    backoff_ = std::chrono::milliseconds(0);
  }
  inflight_ = Inflight::kNone;
  PublishLocked();
}

void WebhookSink::Run() {
  std::unique_lock lock(mu_);
  while (WaitForWork(lock)) {
    std::optional<std::string> body = PickLocked();
    if (!body) continue;
    lock.unlock();
    core::Result<long> result = poster_->Post(*body);
    lock.lock();
    FinishLocked(std::move(result));
    cv_.notify_all();
  }
  worker_done_ = true;
  cv_.notify_all();
}

core::Status WebhookSink::Close() {
  if (closed_) return core::Status::Ok();
  closed_ = true;
  std::unique_lock lock(mu_);
  closing_ = true;
  drain_deadline_ = SteadyClock::now() + options_.drain_timeout;
  cv_.notify_all();
  if (!cv_.wait_until(lock, drain_deadline_, [&] { return worker_done_; })) {
    poster_->Cancel();  // a request still in flight ends now
  }
  lock.unlock();
  if (worker_.joinable()) worker_.join();
  lock.lock();
  core::Status status = core::Status::Ok();
  if (spool_ != nullptr) {
    SpillLocked();
    status = spool_->Sync();
  } else if (!memory_.empty()) {
    stats_.dropped += memory_.size();
    if (metrics_ != nullptr) metrics_->CountSinkDropped(Name(), memory_.size());
    memory_.clear();
  }
  PublishLocked();
  return status;
}

WebhookStats WebhookSink::Stats() const {
  std::lock_guard lock(mu_);
  WebhookStats stats = stats_;
  stats.queued = memory_.size();
  if (spool_ != nullptr) stats.spool = spool_->Stats();
  return stats;
}

bool WebhookSink::WaitIdle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout,
                      [&] { return PendingLocked() == 0 && inflight_ == Inflight::kNone; });
}

}  // namespace bulwark::runtime::output
