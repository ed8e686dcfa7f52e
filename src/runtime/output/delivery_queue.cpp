#include "runtime/output/delivery_queue.hpp"

#include <algorithm>

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

core::Result<std::unique_ptr<DeliveryQueue>> DeliveryQueue::Create(
    DeliveryOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster) {
  if (poster == nullptr) {
    return core::Error(core::ErrorCode::kInternal, options.name + ": no HTTP poster");
  }
  options.memory_queue = std::max<size_t>(options.memory_queue, 1);
  options.initial_backoff = std::max(options.initial_backoff, std::chrono::milliseconds(1));
  options.max_backoff = std::max(options.max_backoff, options.initial_backoff);
  options.jitter = std::clamp(options.jitter, 0.0, 0.9);
  std::unique_ptr<Spool> spool;
  if (options.spool) {
    ASSIGN_OR_RETURN(spool, Spool::Open(*options.spool));
  }
  std::unique_ptr<DeliveryQueue> queue(
      new DeliveryQueue(std::move(options), metrics, std::move(poster), std::move(spool)));
  {
    std::lock_guard lock(queue->mu_);
    queue->PublishLocked();
  }
  queue->worker_ = std::thread(&DeliveryQueue::Run, queue.get());
  return queue;
}

DeliveryQueue::DeliveryQueue(DeliveryOptions options, AlertMetrics* metrics,
                             std::unique_ptr<HttpPoster> poster, std::unique_ptr<Spool> spool)
    : options_(std::move(options)),
      metrics_(metrics),
      poster_(std::move(poster)),
      spool_(std::move(spool)),
      jitter_rng_(std::random_device{}()) {}

DeliveryQueue::~DeliveryQueue() { (void)Close(); }

core::Status DeliveryQueue::Push(std::string body, uint64_t weight) {
  if (closed_) return core::Error(core::ErrorCode::kInvalidArgument, name() + ": sink is closed");
  {
    std::lock_guard lock(mu_);
    memory_.push_back(Item{std::move(body), weight});
    if (memory_.size() > options_.memory_queue) {
      // The receiver is slow or down: keep the caller going.
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

uint64_t DeliveryQueue::PendingLocked() const {
  return memory_.size() + (spool_ != nullptr ? spool_->Stats().records : 0);
}

void DeliveryQueue::PublishLocked() {
  if (spool_ != nullptr) stats_.spool = spool_->Stats();
  if (metrics_ != nullptr && spool_ != nullptr) metrics_->SetSpool(name(), stats_.spool);
}

void DeliveryQueue::CountDroppedLocked(uint64_t alerts) {
  stats_.dropped += alerts;
  if (metrics_ != nullptr) metrics_->CountSinkDropped(name(), alerts);
}

void DeliveryQueue::DropFromMemoryLocked() {
  auto victim = memory_.begin();
  if (inflight_ == Inflight::kMemory) ++victim;  // never the one being sent
  if (victim == memory_.end()) return;
  CountDroppedLocked(victim->weight);
  memory_.erase(victim);
}

// Moves the memory queue behind what is spooled, in order. The body being
// sent from memory, if any, is memory_.front() and the spool is empty (the
// worker sends from the spool first), so it becomes the spool's front.
void DeliveryQueue::SpillLocked() {
  if (spool_ == nullptr || memory_.empty()) return;
  bool first = true;
  for (const Item& item : memory_) {
    core::Status appended = spool_->Append(item.body);
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
    if (!appended.ok()) CountDroppedLocked(item.weight);
    first = false;
  }
  memory_.clear();
  PublishLocked();
}

// Doubles the wait (within the bounds) and shortens it by a random fraction
// so that many senders do not retry in step against a recovering receiver.
void DeliveryQueue::BackOffLocked() {
  backoff_ = std::min(std::max(backoff_ * 2, options_.initial_backoff), options_.max_backoff);
  std::uniform_real_distribution<double> cut(0.0, options_.jitter);
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      backoff_ * (1.0 - cut(jitter_rng_)));
  next_attempt_ = SteadyClock::now() + std::max(wait, std::chrono::milliseconds(1));
}

bool DeliveryQueue::WaitForWork(std::unique_lock<std::mutex>& lock) {
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

std::optional<DeliveryQueue::Item> DeliveryQueue::PickLocked() {
  if (spool_ != nullptr && !spool_->empty()) {
    SpillLocked();  // newer bodies queue behind the spooled ones
    auto front = spool_->Front();
    if (!front.ok()) {
      ++stats_.attempts_failed;
      if (metrics_ != nullptr) metrics_->CountSinkError(name());
      BackOffLocked();
      return std::nullopt;
    }
    if (front->has_value()) {
      inflight_ = Inflight::kSpool;
      inflight_position_ = spool_->FrontPosition();
      Item item{std::move(**front), 1};
      if (options_.weigh) item.weight = options_.weigh(item.body);
      return item;
    }
  }
  if (memory_.empty()) return std::nullopt;
  inflight_ = Inflight::kMemory;
  return memory_.front();
}

// Returns the HTTP status of a permanent rejection, for the callback.
std::optional<long> DeliveryQueue::FinishLocked(core::Result<long> result, uint64_t weight) {
  Outcome outcome = Classify(result);
  std::optional<long> rejected;
  if (outcome == Outcome::kTransient) {
    ++stats_.attempts_failed;
    if (metrics_ != nullptr) metrics_->CountSinkError(name());
    SpillLocked();  // while the receiver fails, everything waits on disk
    BackOffLocked();
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
      stats_.delivered += weight;
      if (metrics_ != nullptr) metrics_->CountDelivered(name(), weight);
    } else {
      stats_.rejected += weight;
      if (metrics_ != nullptr) {
        for (uint64_t i = 0; i < weight; ++i) metrics_->CountRejected(name());
      }
      rejected = *result;
    }
    backoff_ = std::chrono::milliseconds(0);
  }
  inflight_ = Inflight::kNone;
  PublishLocked();
  return rejected;
}

void DeliveryQueue::Run() {
  std::unique_lock lock(mu_);
  while (WaitForWork(lock)) {
    std::optional<Item> item = PickLocked();
    if (!item) continue;
    lock.unlock();
    core::Result<long> result = poster_->Post(item->body);
    lock.lock();
    std::optional<long> rejected = FinishLocked(std::move(result), item->weight);
    if (rejected && options_.on_rejected) {
      lock.unlock();
      options_.on_rejected(*rejected);
      lock.lock();
    }
    cv_.notify_all();
  }
  worker_done_ = true;
  cv_.notify_all();
}

core::Status DeliveryQueue::Close() {
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
  } else {
    for (const Item& item : memory_) CountDroppedLocked(item.weight);
    memory_.clear();
  }
  PublishLocked();
  return status;
}

DeliveryStats DeliveryQueue::Stats() const {
  std::lock_guard lock(mu_);
  DeliveryStats stats = stats_;
  stats.queued = memory_.size();
  if (spool_ != nullptr) stats.spool = spool_->Stats();
  return stats;
}

bool DeliveryQueue::WaitIdle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout,
                      [&] { return PendingLocked() == 0 && inflight_ == Inflight::kNone; });
}

}  // namespace bulwark::runtime::output
