// Per-rule rate limiting, so that an alert storm (a loop that opens
// /etc/shadow a million times) cannot flood a sink or a receiver.
//
// Each rule has a token bucket: `burst` tokens, refilled at `rate` per
// second; an alert passes when it can take a token and is suppressed (and
// counted) otherwise. A rate of 0 or less means no limit for that rule.
//
// Storms and their summary: a rule's storm starts with its first suppressed
// alert. It ends once the rule has had no suppressed alert for `quiet_ns`;
// TakeSummaries then returns one summary alert saying how many alerts of the
// rule were suppressed, and between which times. A storm that lasts longer
// than `summary_interval_ns` gets an interim summary at that interval (the
// count since the previous summary), so a long storm is never silent.
// The summary alert is:
//   rule      "Bulwark internal: alerts suppressed"
//   priority  the suppressed rule's priority (it passes the same filters)
//   source    "internal", tags [bulwark, bulwark_internal, rate_limit]
//   output    "<N> alerts of rule '<rule>' suppressed by the rate limit
//              (first <time>, last <time>, storm ended|ongoing)"
//   output_fields bulwark.rule, bulwark.suppressed, bulwark.first_suppressed,
//              bulwark.last_suppressed, bulwark.storm
// Summaries are not themselves rate limited.
//
// Memory is bounded: past `max_rules` distinct rule names, further rules
// share one bucket whose summary names the rule "(other rules)" (rule names
// come from rule files, so this is a safety net).
//
// Thread-compatible: the Dispatcher calls it from the watch loop.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event/alert.hpp"
#include "runtime/output/clock.hpp"

namespace bulwark::runtime::output {

inline constexpr std::string_view kSuppressedRuleName = "Bulwark internal: alerts suppressed";

struct RateLimit {
  double rate = 10.0;   // tokens per second; <= 0: unlimited
  double burst = 100.0; // bucket size (at least 1)
};

struct RateLimitOptions {
  RateLimit default_limit;
  std::map<std::string, RateLimit, std::less<>> per_rule;  // overrides by rule name
  uint64_t quiet_ns = 10'000'000'000ULL;            // storm over after 10 s without suppression
  uint64_t summary_interval_ns = 60'000'000'000ULL; // interim summary of a long storm
  size_t max_rules = 4096;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options, const Clock& clock = DefaultClock());

  // True: deliver the alert. False: suppressed (counted for the summary).
  bool Admit(const Alert& alert);
  // Summaries of storms that ended or reached summary_interval_ns.
  std::vector<Alert> TakeSummaries();
  // Summaries of every open storm (at shutdown).
  std::vector<Alert> FlushSummaries();

  uint64_t suppressed_total() const { return suppressed_total_; }

 private:
  struct Bucket {
    RateLimit limit;
    double tokens = 0;
    uint64_t refilled_ns = 0;
    // The current storm: counts since the last summary.
    uint64_t suppressed = 0;
    uint64_t period_start_ns = 0;        // monotonic; first suppression of this period
    uint64_t last_suppressed_ns = 0;     // monotonic
    uint64_t first_wall_ns = 0, last_wall_ns = 0;
    std::string rule;
    Priority priority = Priority::kWarning;
    std::string hostname;
  };

  Bucket& BucketFor(std::string_view rule);
  Alert Summary(Bucket& bucket, bool ended);

  RateLimitOptions options_;
  const Clock& clock_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  Bucket overflow_;
  bool overflow_used_ = false;
  uint64_t suppressed_total_ = 0;
};

}  // namespace bulwark::runtime::output
