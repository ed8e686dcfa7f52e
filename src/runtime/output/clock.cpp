#include "runtime/output/clock.hpp"

#include <chrono>

namespace bulwark::runtime::output {

uint64_t SystemClock::MonotonicNs() const {
  auto d = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

uint64_t SystemClock::WallNs() const {
  auto d = std::chrono::system_clock::now().time_since_epoch();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return ns < 0 ? 0 : static_cast<uint64_t>(ns);
}

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace bulwark::runtime::output
