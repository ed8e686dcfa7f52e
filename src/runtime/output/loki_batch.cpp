#include "runtime/output/loki_batch.hpp"

#include <algorithm>

namespace bulwark::runtime::output {
namespace {

constexpr size_t kBodyOverhead = sizeof(R"({"streams":[]})");

}  // namespace

LokiBatch::LokiBatch(LokiBatchLimits limits) : limits_(limits) {}

size_t LokiBatch::CostOf(const LokiEntry& entry) const {
  size_t cost = LokiEntryBytes(entry);
  if (streams_.count(entry.labels) == 0) cost += LokiStreamBytes(entry.labels);
  return cost;
}

bool LokiBatch::WouldOverflow(const LokiEntry& entry) const {
  return !entries_.empty() && kBodyOverhead + bytes_ + CostOf(entry) > limits_.max_bytes;
}

void LokiBatch::Add(LokiEntry entry) {
  bytes_ += CostOf(entry);
  streams_.insert(entry.labels);
  entries_.push_back(std::move(entry));
}

bool LokiBatch::Full() const {
  return entries_.size() >= std::max<size_t>(limits_.max_entries, 1) ||
         kBodyOverhead + bytes_ >= limits_.max_bytes;
}

// Per stream, in time order: an entry older than what an earlier batch sent
// for its stream gets that batch's newest time.
void LokiBatch::RaiseToStreamFloor() {
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const LokiEntry& a, const LokiEntry& b) { return a.time_ns < b.time_ns; });
  if (floor_.size() + streams_.size() > kMaxTrackedStreams) floor_.clear();
  for (LokiEntry& entry : entries_) {
    uint64_t& floor = floor_[entry.labels];
    entry.time_ns = std::max(entry.time_ns, floor);
    floor = entry.time_ns;
  }
}

std::string LokiBatch::Take() {
  RaiseToStreamFloor();
  std::string body = BuildLokiPushBody(std::move(entries_));
  entries_.clear();
  streams_.clear();
  bytes_ = 0;
  return body;
}

}  // namespace bulwark::runtime::output
