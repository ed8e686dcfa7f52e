// Time for the alert outputs, behind a small interface so that rate limits,
// storm summaries and metrics are tested with a fake clock. Two readings:
// monotonic (durations: token buckets, quiet periods) and wall (the "time" of
// an alert bulwark makes itself, such as a storm summary).
//
// SystemClock is stateless and thread-safe; fakes in tests decide their own.
#pragma once

#include <cstdint>

namespace bulwark::runtime::output {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds from an arbitrary origin; never goes backwards.
  virtual uint64_t MonotonicNs() const = 0;
  // Nanoseconds since the Unix epoch (CLOCK_REALTIME).
  virtual uint64_t WallNs() const = 0;
};

class SystemClock final : public Clock {
 public:
  uint64_t MonotonicNs() const override;
  uint64_t WallNs() const override;
};

// One process-wide SystemClock, for callers that have no clock of their own.
const Clock& DefaultClock();

}  // namespace bulwark::runtime::output
