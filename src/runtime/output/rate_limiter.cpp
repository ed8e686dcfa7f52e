#include "runtime/output/rate_limiter.hpp"

#include <algorithm>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/metrics.hpp"

namespace bulwark::runtime::output {
namespace {

constexpr double kNsPerSec = 1e9;

void Refill(RateLimit limit, double& tokens, uint64_t& refilled_ns, uint64_t now) {
  if (now > refilled_ns) {
    tokens = std::min(limit.burst, tokens + static_cast<double>(now - refilled_ns) *
                                                limit.rate / kNsPerSec);
  }
  refilled_ns = now;
}

}  // namespace

RateLimiter::RateLimiter(RateLimitOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  overflow_.rule = std::string(kOtherRules);
  overflow_.limit = options_.default_limit;
}

RateLimiter::Bucket& RateLimiter::BucketFor(std::string_view rule) {
  auto it = buckets_.find(rule);
  if (it != buckets_.end()) return it->second;
  Bucket* bucket = nullptr;
  if (buckets_.size() < options_.max_rules) {
    bucket = &buckets_.emplace(std::string(rule), Bucket{}).first->second;
    bucket->rule = std::string(rule);
    auto limit = options_.per_rule.find(rule);
    bucket->limit = limit != options_.per_rule.end() ? limit->second : options_.default_limit;
  } else if (overflow_used_) {
    return overflow_;
  } else {
    overflow_used_ = true;
    bucket = &overflow_;
  }
  bucket->limit.burst = std::max(1.0, bucket->limit.burst);
  bucket->tokens = bucket->limit.burst;  // a new rule starts with a full bucket
  bucket->refilled_ns = clock_.MonotonicNs();
  return *bucket;
}

bool RateLimiter::Admit(const Alert& alert) {
  Bucket& b = BucketFor(alert.rule);
  if (b.limit.rate <= 0) return true;
  uint64_t now = clock_.MonotonicNs();
  Refill(b.limit, b.tokens, b.refilled_ns, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  uint64_t wall = clock_.WallNs();
  if (b.suppressed == 0) {
    b.period_start_ns = now;
    b.first_wall_ns = wall;
  }
  ++b.suppressed;
  ++suppressed_total_;
  b.last_suppressed_ns = now;
  b.last_wall_ns = wall;
  b.priority = alert.priority;
  b.hostname = alert.hostname;
  return false;
}

Alert RateLimiter::Summary(Bucket& b, bool ended) {
  Alert summary;
  summary.time_ns = clock_.WallNs();
  summary.rule = std::string(kSuppressedRuleName);
  summary.priority = b.priority;
  summary.source = "internal";
  summary.hostname = b.hostname;
  summary.tags = {"bulwark", "bulwark_internal", "rate_limit"};
  const std::string first = FormatAlertTime(b.first_wall_ns);
  const std::string last = FormatAlertTime(b.last_wall_ns);
  const std::string count = std::to_string(b.suppressed);
  const char* storm = ended ? "ended" : "ongoing";
  summary.output = count + " alerts of rule '" + b.rule + "' suppressed by the rate limit (first " +
                   first + ", last " + last + ", storm " + storm + ")";
  summary.output_fields = {
      {"bulwark.rule", b.rule},
      {"bulwark.suppressed", count},
      {"bulwark.first_suppressed", first},
      {"bulwark.last_suppressed", last},
      {"bulwark.storm", std::string(storm)},
  };
  b.suppressed = 0;
  return summary;
}

std::vector<Alert> RateLimiter::TakeSummaries() {
  std::vector<Alert> out;
  const uint64_t now = clock_.MonotonicNs();
  auto check = [&](Bucket& b) {
    if (b.suppressed == 0) return;
    if (now - b.last_suppressed_ns >= options_.quiet_ns) {
      out.push_back(Summary(b, /*ended=*/true));
    } else if (now - b.period_start_ns >= options_.summary_interval_ns) {
      out.push_back(Summary(b, /*ended=*/false));
    }
  };
  for (auto& [rule, bucket] : buckets_) check(bucket);
  check(overflow_);
  return out;
}

std::vector<Alert> RateLimiter::FlushSummaries() {
  std::vector<Alert> out;
  for (auto& [rule, bucket] : buckets_) {
    if (bucket.suppressed > 0) out.push_back(Summary(bucket, /*ended=*/true));
  }
  if (overflow_.suppressed > 0) out.push_back(Summary(overflow_, /*ended=*/true));
  return out;
}

}  // namespace bulwark::runtime::output
