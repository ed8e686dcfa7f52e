// The dispatcher: fan-out with isolation between sinks, counting, the rate
// limit with its storm summaries on Tick and Close.
#include "runtime/output/dispatcher.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "fake_clock.hpp"

namespace bulwark::runtime::output {
namespace {

struct Record {
  std::vector<Alert> alerts;
  int closes = 0;
};

class RecordingSink final : public AlertSink {
 public:
  enum class Mode { kOk, kFail, kThrow };
  RecordingSink(std::string name, Record& record, Mode mode = Mode::kOk)
      : name_(std::move(name)), record_(record), mode_(mode) {}
  const std::string& Name() const override { return name_; }
  core::Status Write(const Alert& alert) override {
    if (mode_ == Mode::kThrow) throw std::runtime_error("boom");
    if (mode_ == Mode::kFail) return core::Error(core::ErrorCode::kIoError, "disk full");
    record_.alerts.push_back(alert);
    return core::Status::Ok();
  }
  core::Status Close() override {
    ++record_.closes;
    if (mode_ == Mode::kThrow) throw std::runtime_error("boom on close");
    return mode_ == Mode::kFail ? core::Error(core::ErrorCode::kIoError, "close failed")
                                : core::Status::Ok();
  }

 private:
  std::string name_;
  Record& record_;
  Mode mode_;
};

Alert RuleAlert(const std::string& rule) {
  Alert a;
  a.rule = rule;
  a.priority = Priority::kCritical;
  return a;
}

TEST(Dispatcher, FansOutAndIsolatesFailingSinks) {
  AlertMetrics metrics;
  Dispatcher d(metrics, std::nullopt);
  Record first, failing, throwing, last;
  d.AddSink(std::make_unique<RecordingSink>("first", first));
  d.AddSink(std::make_unique<RecordingSink>("failing", failing, RecordingSink::Mode::kFail));
  d.AddSink(std::make_unique<RecordingSink>("throwing", throwing, RecordingSink::Mode::kThrow));
  d.AddSink(std::make_unique<RecordingSink>("last", last));
  std::vector<std::string> errors;
  d.SetErrorCallback([&](const AlertSink& sink, const core::Status& status) {
    errors.push_back(sink.Name() + ": " + status.message());
  });
  for (int i = 0; i < 3; ++i) d.Dispatch(RuleAlert("r" + std::to_string(i)));
  EXPECT_EQ(first.alerts.size(), 3u);
  EXPECT_EQ(last.alerts.size(), 3u);
  EXPECT_EQ(last.alerts[2].rule, "r2");
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0], "failing: disk full");
  EXPECT_EQ(errors[1], "throwing: throwing: boom");
  MetricsSnapshot s = metrics.Snapshot();
  EXPECT_EQ(s.sinks["first"].delivered, 3u);
  EXPECT_EQ(s.sinks["failing"].errors, 3u);
  EXPECT_EQ(s.sinks["throwing"].errors, 3u);
  EXPECT_EQ(s.sinks["last"].errors, 0u);
  EXPECT_EQ(s.alerts_by_priority[static_cast<size_t>(Priority::kCritical)], 3u);

  core::Status closed = d.Close();
  EXPECT_FALSE(closed.ok());
  EXPECT_EQ(closed.message(), "close failed");
  // Every sink was closed although two failed to.
  EXPECT_EQ(first.closes + failing.closes + throwing.closes + last.closes, 4);
  d.Dispatch(RuleAlert("after close"));
  EXPECT_EQ(first.alerts.size(), 3u);
  EXPECT_TRUE(d.Close().ok());  // idempotent
  EXPECT_EQ(first.closes, 1);
}

TEST(Dispatcher, RateLimitsAndSummarisesStorms) {
  FakeClock clock;
  AlertMetrics metrics;
  RateLimitOptions limit;
  limit.default_limit = {1.0, 2};
  limit.quiet_ns = 5'000'000'000ULL;
  Dispatcher d(metrics, limit, clock);
  Record out;
  d.AddSink(std::make_unique<RecordingSink>("out", out));
  for (int i = 0; i < 10; ++i) d.Dispatch(RuleAlert("Storm"));
  d.Dispatch(RuleAlert("Calm"));
  EXPECT_EQ(out.alerts.size(), 3u);  // two of the storm, the calm one
  MetricsSnapshot s = metrics.Snapshot();
  EXPECT_EQ((s.alerts[{"Storm", Priority::kCritical}]), 10u);  // all produced alerts count
  EXPECT_EQ(s.suppressed["Storm"], 8u);
  EXPECT_EQ(s.suppressed_total, 8u);

  d.Tick();
  EXPECT_EQ(out.alerts.size(), 3u);
  clock.AdvanceMs(5000);
  d.Tick();
  ASSERT_EQ(out.alerts.size(), 4u);
  EXPECT_EQ(out.alerts[3].rule, kSuppressedRuleName);
  EXPECT_EQ(out.alerts[3].output_fields[1].second, "8");
  EXPECT_EQ(metrics.Snapshot().summaries, 1u);
  d.Tick();
  EXPECT_EQ(out.alerts.size(), 4u);

  // A storm still open at shutdown is summarised by Close.
  for (int i = 0; i < 5; ++i) d.Dispatch(RuleAlert("Late"));
  ASSERT_TRUE(d.Close().ok());
  ASSERT_EQ(out.alerts.size(), 7u);
  EXPECT_EQ(out.alerts[6].rule, kSuppressedRuleName);
  EXPECT_EQ(out.alerts[6].output_fields[0].second, "Late");
  EXPECT_EQ(out.alerts[6].output_fields[1].second, "3");
  EXPECT_EQ(out.closes, 1);
}

TEST(Dispatcher, NoSinksIsFine) {
  AlertMetrics metrics;
  Dispatcher d(metrics, RateLimitOptions{});
  d.Dispatch(RuleAlert("r"));
  d.Tick();
  EXPECT_TRUE(d.Close().ok());
  EXPECT_EQ(d.sink_count(), 0u);
}

}  // namespace
}  // namespace bulwark::runtime::output
