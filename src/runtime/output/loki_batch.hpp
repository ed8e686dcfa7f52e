// Collects Loki entries into one push body (loki_push.hpp), bounded by a
// number of entries and by the body's size in bytes. The owner decides when
// to take the batch (full, or its oldest entry waited long enough).
//
// Order across batches: some Loki versions reject, per stream, an entry
// older than the last one they accepted. Take therefore raises an entry's
// timestamp to the newest one already taken for its stream (the alert's own
// "time" in the line is never changed). That memory is bounded: past
// kMaxTrackedStreams streams it starts afresh.
//
// Thread-compatible (LokiSink guards it with its mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/output/loki_push.hpp"

namespace bulwark::runtime::output {

struct LokiBatchLimits {
  size_t max_entries = 500;
  size_t max_bytes = 512 * 1024;  // of the push body
};

class LokiBatch {
 public:
  static constexpr size_t kMaxTrackedStreams = 4096;

  explicit LokiBatch(LokiBatchLimits limits);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  size_t bytes() const { return bytes_; }
  // True when adding `entry` would take a non-empty batch past max_bytes
  // (take the batch first). A single entry larger than the bound still forms
  // a batch of its own.
  bool WouldOverflow(const LokiEntry& entry) const;
  void Add(LokiEntry entry);
  bool Full() const;
  // The push body of the entries added since the last Take; empties the batch.
  std::string Take();

 private:
  size_t CostOf(const LokiEntry& entry) const;
  void RaiseToStreamFloor();

  const LokiBatchLimits limits_;
  std::vector<LokiEntry> entries_;
  std::set<LokiLabels> streams_;            // label sets in this batch
  size_t bytes_ = 0;
  std::map<LokiLabels, uint64_t> floor_;    // newest time taken, per stream
};

}  // namespace bulwark::runtime::output
