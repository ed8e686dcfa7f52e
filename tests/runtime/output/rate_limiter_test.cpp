// Per-rule token buckets and storm summaries, driven by a fake clock.
#include "runtime/output/rate_limiter.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_clock.hpp"
#include "runtime/output/alert_format.hpp"
#include "runtime/output/metrics.hpp"

namespace bulwark::runtime::output {
namespace {

Alert RuleAlert(const std::string& rule, Priority p = Priority::kWarning) {
  Alert a;
  a.rule = rule;
  a.priority = p;
  a.hostname = "node-1";
  return a;
}

RateLimitOptions Limit(double rate, double burst) {
  RateLimitOptions o;
  o.default_limit = {rate, burst};
  o.quiet_ns = 10'000'000'000ULL;
  o.summary_interval_ns = 60'000'000'000ULL;
  return o;
}

int AdmitN(RateLimiter& limiter, const Alert& a, int n) {
  int passed = 0;
  for (int i = 0; i < n; ++i) passed += limiter.Admit(a) ? 1 : 0;
  return passed;
}

TEST(RateLimiter, BurstThenRate) {
  FakeClock clock;
  RateLimiter limiter(Limit(1.0, 3), clock);
  Alert a = RuleAlert("Read sensitive file");
  EXPECT_EQ(AdmitN(limiter, a, 5), 3);
  clock.AdvanceMs(999);
  EXPECT_FALSE(limiter.Admit(a));
  clock.AdvanceMs(1);  // one token after a second
  EXPECT_TRUE(limiter.Admit(a));
  EXPECT_FALSE(limiter.Admit(a));
  clock.AdvanceMs(2500);
  EXPECT_EQ(AdmitN(limiter, a, 5), 2);  // 2.5 tokens: two whole ones
  EXPECT_EQ(limiter.suppressed_total(), 2u + 1u + 1u + 3u);
}

TEST(RateLimiter, RefillIsCappedAtBurst) {
  FakeClock clock;
  RateLimiter limiter(Limit(100.0, 5), clock);
  Alert a = RuleAlert("r");
  EXPECT_EQ(AdmitN(limiter, a, 5), 5);
  clock.AdvanceMs(3600 * 1000);
  EXPECT_EQ(AdmitN(limiter, a, 50), 5);
}

TEST(RateLimiter, RulesHaveTheirOwnBucketsAndOverrides) {
  FakeClock clock;
  RateLimitOptions options = Limit(1.0, 2);
  options.per_rule["Noisy"] = {1.0, 10};
  options.per_rule["Unlimited"] = {0, 0};
  RateLimiter limiter(options, clock);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("A"), 5), 2);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("B"), 5), 2);  // A's storm does not touch B
  EXPECT_EQ(AdmitN(limiter, RuleAlert("Noisy"), 20), 10);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("Unlimited"), 1000), 1000);
}

TEST(RateLimiter, OneSummaryWhenTheStormEnds) {
  FakeClock clock;
  RateLimiter limiter(Limit(1.0, 1), clock);
  Alert a = RuleAlert("Write below etc", Priority::kError);
  ASSERT_TRUE(limiter.Admit(a));
  const uint64_t first_wall = clock.WallNs();
  for (int i = 0; i < 10; ++i) {
    clock.AdvanceMs(10);
    ASSERT_FALSE(limiter.Admit(a));
  }
  const uint64_t last_wall = clock.WallNs();
  EXPECT_TRUE(limiter.TakeSummaries().empty());  // still storming
  clock.AdvanceMs(9999);
  EXPECT_TRUE(limiter.TakeSummaries().empty());
  clock.AdvanceMs(1);
  std::vector<Alert> summaries = limiter.TakeSummaries();
  ASSERT_EQ(summaries.size(), 1u);
  const Alert& s = summaries[0];
  EXPECT_EQ(s.rule, kSuppressedRuleName);
  EXPECT_EQ(s.priority, Priority::kError);
  EXPECT_EQ(s.source, "internal");
  EXPECT_EQ(s.hostname, "node-1");
  EXPECT_EQ(s.time_ns, clock.WallNs());
  EXPECT_EQ(s.output, "10 alerts of rule 'Write below etc' suppressed by the rate limit (first " +
                          FormatAlertTime(first_wall + 10'000'000ULL) + ", last " +
                          FormatAlertTime(last_wall) + ", storm ended)");
  auto json = nlohmann::json::parse(FormatAlertJson(s));
  EXPECT_EQ(json["output_fields"]["bulwark.rule"], "Write below etc");
  EXPECT_EQ(json["output_fields"]["bulwark.suppressed"], "10");
  EXPECT_EQ(json["output_fields"]["bulwark.storm"], "ended");
  EXPECT_EQ(json["tags"], nlohmann::json({"bulwark", "bulwark_internal", "rate_limit"}));
  EXPECT_TRUE(limiter.TakeSummaries().empty());  // said once
  clock.AdvanceMs(60000);
  EXPECT_TRUE(limiter.TakeSummaries().empty());
}

TEST(RateLimiter, LongStormGetsInterimSummaries) {
  FakeClock clock;
  RateLimiter limiter(Limit(1.0, 1), clock);
  Alert a = RuleAlert("Storm");
  std::vector<Alert> summaries;
  uint64_t suppressed = 0;
  // 150 s of 10 alerts a second: one passes per second, nine are suppressed.
  for (int tick = 0; tick < 1500; ++tick) {
    if (!limiter.Admit(a)) ++suppressed;
    clock.AdvanceMs(100);
    for (Alert& s : limiter.TakeSummaries()) summaries.push_back(std::move(s));
  }
  clock.AdvanceMs(10000);
  for (Alert& s : limiter.TakeSummaries()) summaries.push_back(std::move(s));
  ASSERT_EQ(summaries.size(), 3u);  // at ~60 s, ~120 s, and the end
  EXPECT_EQ(summaries[0].output_fields[4].second, "ongoing");
  EXPECT_EQ(summaries[1].output_fields[4].second, "ongoing");
  EXPECT_EQ(summaries[2].output_fields[4].second, "ended");
  uint64_t reported = 0;
  for (const Alert& s : summaries) reported += std::stoull(*s.output_fields[1].second);
  EXPECT_EQ(reported, suppressed);  // every suppressed alert is accounted for
  EXPECT_EQ(limiter.suppressed_total(), suppressed);
}

TEST(RateLimiter, FlushReportsOpenStorms) {
  FakeClock clock;
  RateLimiter limiter(Limit(1.0, 1), clock);
  AdmitN(limiter, RuleAlert("A"), 4);
  AdmitN(limiter, RuleAlert("B"), 2);
  AdmitN(limiter, RuleAlert("C"), 1);  // no storm
  std::vector<Alert> summaries = limiter.FlushSummaries();
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].output_fields[0].second, "A");
  EXPECT_EQ(summaries[0].output_fields[1].second, "3");
  EXPECT_EQ(summaries[1].output_fields[0].second, "B");
  EXPECT_EQ(summaries[1].output_fields[1].second, "1");
  EXPECT_TRUE(limiter.FlushSummaries().empty());
}

TEST(RateLimiter, RulesBeyondTheCapShareOneBucket) {
  FakeClock clock;
  RateLimitOptions options = Limit(1.0, 2);
  options.max_rules = 2;
  RateLimiter limiter(options, clock);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("r1"), 2), 2);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("r2"), 2), 2);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("r3"), 2), 2);
  EXPECT_EQ(AdmitN(limiter, RuleAlert("r4"), 2), 0);  // same bucket as r3
  std::vector<Alert> summaries = limiter.FlushSummaries();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].output_fields[0].second, std::string(kOtherRules));
}

}  // namespace
}  // namespace bulwark::runtime::output
