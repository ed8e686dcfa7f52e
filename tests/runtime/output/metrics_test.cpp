// Counters (thread-safe, bounded labels) and their Prometheus text
// rendering, checked line by line against the exposition format.
#include "runtime/output/metrics.hpp"

#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "runtime/output/prometheus.hpp"

namespace bulwark::runtime::output {
namespace {

Alert RuleAlert(const std::string& rule, Priority p) {
  Alert a;
  a.rule = rule;
  a.priority = p;
  return a;
}

struct Series {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped
  uint64_t value = 0;
};

std::string Unescape(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char n = v[++i];
      out.push_back(n == 'n' ? '\n' : n);
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

// Validates the text format (0.0.4) line by line and returns the samples.
// Any violation is a test failure naming the line.
std::vector<Series> ParseExposition(const std::string& text) {
  static const std::regex kHelp(R"(# HELP (bulwark_[a-zA-Z0-9_:]*) [^\n]+)");
  static const std::regex kType(R"(# TYPE (bulwark_[a-zA-Z0-9_:]*) (counter|gauge))");
  static const std::string kPair = R"([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")";
  static const std::regex kSample("(bulwark_[a-zA-Z0-9_:]*)(\\{" + kPair + "(," + kPair +
                                  ")*\\})? ([0-9]+)");
  static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re");
  std::vector<Series> out;
  std::set<std::string> typed, helped, seen_series;
  std::string family, help_family;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      EXPECT_TRUE(helped.insert(m[1]).second) << "second HELP, line " << n << ": " << line;
      help_family = m[1];
    } else if (std::regex_match(line, m, kType)) {
      EXPECT_EQ(m[1], help_family) << "TYPE without HELP, line " << n;
      EXPECT_TRUE(typed.insert(m[1]).second) << "second TYPE, line " << n << ": " << line;
      family = m[1];
    } else if (std::regex_match(line, m, kSample)) {
      EXPECT_EQ(m[1], family) << "sample outside its family, line " << n << ": " << line;
      Series s{m[1], {}, std::stoull(m[m.size() - 1])};
      std::string labels = m[2];
      for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
        s.labels.emplace_back((*it)[1], Unescape((*it)[2]));
      }
      EXPECT_TRUE(seen_series.insert(s.name + labels).second) << "duplicate series: " << line;
      out.push_back(std::move(s));
    } else {
      ADD_FAILURE() << "not exposition format, line " << n << ": " << line;
    }
  }
  return out;
}

const Series* Find(const std::vector<Series>& all, const std::string& name,
                   const std::vector<std::pair<std::string, std::string>>& labels = {}) {
  for (const Series& s : all) {
    if (s.name == name && s.labels == labels) return &s;
  }
  return nullptr;
}

TEST(AlertMetrics, CountsEverything) {
  AlertMetrics m;
  m.SetEventsSeen(1000);
  m.SetEventsDropped(7);
  m.AddEvents(10, 1);
  m.CountAlert(RuleAlert("A", Priority::kWarning));
  m.CountAlert(RuleAlert("A", Priority::kWarning));
  m.CountAlert(RuleAlert("B", Priority::kCritical));
  m.CountSuppressed("A");
  m.CountSummary();
  m.CountDelivered("stdout", 3);
  m.CountSinkError("webhook");
  m.CountRejected("webhook");
  m.CountSinkDropped("webhook", 2);
  SpoolStats spool{5, 4096, 2, 1, 0};
  m.SetSpool("webhook", spool);
  MetricsSnapshot s = m.Snapshot();
  EXPECT_EQ(s.events_seen, 1010u);
  EXPECT_EQ(s.events_dropped, 8u);
  EXPECT_EQ((s.alerts[{"A", Priority::kWarning}]), 2u);
  EXPECT_EQ((s.alerts[{"B", Priority::kCritical}]), 1u);
  EXPECT_EQ(s.alerts_by_priority[static_cast<size_t>(Priority::kWarning)], 2u);
  EXPECT_EQ(s.alerts_by_priority[static_cast<size_t>(Priority::kCritical)], 1u);
  EXPECT_EQ(s.suppressed["A"], 1u);
  EXPECT_EQ(s.suppressed_total, 1u);
  EXPECT_EQ(s.summaries, 1u);
  EXPECT_EQ(s.sinks["stdout"].delivered, 3u);
  EXPECT_EQ(s.sinks["webhook"].errors, 1u);
  EXPECT_EQ(s.sinks["webhook"].rejected, 1u);
  EXPECT_EQ(s.sinks["webhook"].dropped, 2u);
  EXPECT_TRUE(s.sinks["webhook"].has_spool);
  EXPECT_EQ(s.sinks["webhook"].spool.records, 5u);
}

TEST(AlertMetrics, ThreadSafeUnderConcurrentUpdates) {
  AlertMetrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i) {
        m.CountAlert(RuleAlert("rule" + std::to_string(i % 3), Priority::kNotice));
        m.CountDelivered("sink" + std::to_string(t));
        if (i % 100 == 0) (void)m.Snapshot();
      }
    });
  }
  for (auto& th : threads) th.join();
  MetricsSnapshot s = m.Snapshot();
  uint64_t total = 0;
  for (const auto& [key, n] : s.alerts) total += n;
  EXPECT_EQ(total, 20000u);
  EXPECT_EQ(s.alerts_by_priority[static_cast<size_t>(Priority::kNotice)], 20000u);
  for (int t = 0; t < 4; ++t) EXPECT_EQ(s.sinks["sink" + std::to_string(t)].delivered, 5000u);
}

TEST(AlertMetrics, RuleLabelsAreBounded) {
  AlertMetrics m;
  for (size_t i = 0; i < kMaxRuleLabels + 10; ++i) {
    m.CountAlert(RuleAlert("rule " + std::to_string(i), Priority::kInformational));
  }
  MetricsSnapshot s = m.Snapshot();
  EXPECT_EQ(s.alerts.size(), kMaxRuleLabels + 1);
  EXPECT_EQ((s.alerts[{std::string(kOtherRules), Priority::kInformational}]), 10u);
}

TEST(Prometheus, GoldenForAFreshSnapshot) {
  AlertMetrics m;
  m.SetEventsSeen(42);
  EXPECT_EQ(RenderPrometheus(m.Snapshot()),
            "# HELP bulwark_events_seen_total Events the sensor read.\n"
            "# TYPE bulwark_events_seen_total counter\n"
            "bulwark_events_seen_total 42\n"
            "# HELP bulwark_events_dropped_total Events the sensor lost (ring buffer full).\n"
            "# TYPE bulwark_events_dropped_total counter\n"
            "bulwark_events_dropped_total 0\n"
            "# HELP bulwark_alerts_by_priority_total Alerts the rules produced, by priority.\n"
            "# TYPE bulwark_alerts_by_priority_total counter\n"
            "bulwark_alerts_by_priority_total{priority=\"Emergency\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Alert\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Critical\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Error\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Warning\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Notice\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Informational\"} 0\n"
            "bulwark_alerts_by_priority_total{priority=\"Debug\"} 0\n"
            "# HELP bulwark_alerts_suppressed_total Alerts the per-rule rate limit suppressed.\n"
            "# TYPE bulwark_alerts_suppressed_total counter\n"
            "bulwark_alerts_suppressed_total 0\n"
            "# HELP bulwark_alert_summaries_total Storm summary alerts emitted.\n"
            "# TYPE bulwark_alert_summaries_total counter\n"
            "bulwark_alert_summaries_total 0\n");
}

TEST(Prometheus, EveryLineIsValidAndLabelsRoundTrip) {
  AlertMetrics m;
  const std::string nasty = "quote\" back\\slash\nnewline \xff end";
  m.SetEventsSeen(5);
  m.SetEventsDropped(2);
  m.CountAlert(RuleAlert("Terminal shell in container", Priority::kNotice));
  m.CountAlert(RuleAlert(nasty, Priority::kCritical));
  m.CountSuppressed(nasty);
  m.CountDelivered("stdout");
  m.CountSinkError("webhook");
  m.SetSpool("webhook", SpoolStats{3, 1234, 1, 9, 1});
  std::vector<Series> all = ParseExposition(RenderPrometheus(m.Snapshot()));

  const std::string clean = "quote\" back\\slash\nnewline \xef\xbf\xbd end";  // U+FFFD
  const Series* s = Find(all, "bulwark_alerts_total", {{"rule", clean}, {"priority", "Critical"}});
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 1u);
  s = Find(all, "bulwark_alerts_total",
           {{"rule", "Terminal shell in container"}, {"priority", "Notice"}});
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 1u);
  ASSERT_NE(Find(all, "bulwark_alerts_suppressed_by_rule_total", {{"rule", clean}}), nullptr);
  EXPECT_EQ(Find(all, "bulwark_alerts_suppressed_total")->value, 1u);
  EXPECT_EQ(Find(all, "bulwark_events_seen_total")->value, 5u);
  EXPECT_EQ(Find(all, "bulwark_events_dropped_total")->value, 2u);
  EXPECT_EQ(Find(all, "bulwark_sink_delivered_total", {{"sink", "stdout"}})->value, 1u);
  EXPECT_EQ(Find(all, "bulwark_sink_errors_total", {{"sink", "webhook"}})->value, 1u);
  EXPECT_EQ(Find(all, "bulwark_spool_records", {{"sink", "webhook"}})->value, 3u);
  EXPECT_EQ(Find(all, "bulwark_spool_bytes", {{"sink", "webhook"}})->value, 1234u);
  EXPECT_EQ(Find(all, "bulwark_spool_dropped_total", {{"sink", "webhook"}})->value, 9u);
  EXPECT_EQ(Find(all, "bulwark_spool_corrupt_total", {{"sink", "webhook"}})->value, 1u);
  // Only sinks with a spool report spool series.
  EXPECT_EQ(Find(all, "bulwark_spool_records", {{"sink", "stdout"}}), nullptr);
}

TEST(Prometheus, TheValidatorRejectsMalformedLines) {
  EXPECT_NONFATAL_FAILURE(ParseExposition("# HELP bulwark_x h\n# TYPE bulwark_x counter\n"
                                          "bulwark_x{rule=\"a\"b\"} 1\n"),
                          "not exposition format");
  EXPECT_NONFATAL_FAILURE(ParseExposition("# HELP bulwark_x h\n# TYPE bulwark_x counter\n"
                                          "bulwark_y 1\n"),
                          "sample outside its family");
  EXPECT_NONFATAL_FAILURE(ParseExposition("# HELP bulwark_x h\n# TYPE bulwark_x counter\n"
                                          "bulwark_x 1\nbulwark_x 2\n"),
                          "duplicate series");
}

TEST(Prometheus, LabelEscaping) {
  EXPECT_EQ(EscapePrometheusLabel("plain"), "plain");
  EXPECT_EQ(EscapePrometheusLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(EscapePrometheusLabel("\xc3"), "\xef\xbf\xbd");
  EXPECT_EQ(EscapePrometheusLabel("tab\tok"), "tab\tok");
}

}  // namespace
}  // namespace bulwark::runtime::output
