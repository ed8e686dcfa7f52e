// A Clock the test moves by hand, for rate limits, storm summaries and the
// spool's fsync interval. Thread-compatible.
#pragma once

#include <cstdint>

#include "runtime/output/clock.hpp"

namespace bulwark::runtime::output {

class FakeClock final : public Clock {
 public:
  uint64_t MonotonicNs() const override { return mono_; }
  uint64_t WallNs() const override { return wall_; }
  void AdvanceMs(uint64_t ms) {
    mono_ += ms * 1000000ULL;
    wall_ += ms * 1000000ULL;
  }

 private:
  uint64_t mono_ = 1000000000ULL;
  uint64_t wall_ = 1795428000000000000ULL;  // 2026-11-23T10:00:00Z
};

}  // namespace bulwark::runtime::output
