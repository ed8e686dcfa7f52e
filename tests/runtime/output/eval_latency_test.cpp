#include <gtest/gtest.h>

#include "runtime/output/metrics.hpp"
#include "runtime/output/prometheus.hpp"

namespace bulwark::runtime::output {
namespace {

TEST(EvalLatency, NoSampleNoFamily) {
  AlertMetrics metrics;
  EXPECT_EQ(RenderPrometheus(metrics.Snapshot()).find("rule_eval_seconds"), std::string::npos);
}

TEST(EvalLatency, RendersACumulativeHistogram) {
  AlertMetrics metrics;
  metrics.ObserveEvalLatency(500);         // 0.5 us: first bucket
  metrics.ObserveEvalLatency(3'000);       // 3 us: le=5e-06
  metrics.ObserveEvalLatency(50'000'000);  // 50 ms: +Inf
  const LatencyHistogram h = metrics.Snapshot().eval_latency;
  EXPECT_EQ(h.count, 3u);
  EXPECT_EQ(h.buckets[0], 1u);
  EXPECT_EQ(h.buckets[2], 1u);
  EXPECT_EQ(h.buckets.back(), 1u);
  const std::string text = RenderPrometheus(metrics.Snapshot());
  EXPECT_NE(text.find("# TYPE bulwark_rule_eval_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_bucket{le=\"1e-06\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_bucket{le=\"5e-06\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_bucket{le=\"0.01\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_sum 0.0500035\n"), std::string::npos);
  EXPECT_NE(text.find("bulwark_rule_eval_seconds_count 3\n"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::runtime::output
