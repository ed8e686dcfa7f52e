#include "web/alert_store.hpp"

#include <gtest/gtest.h>

#include "web/alert_api.hpp"

namespace bulwark::web {
namespace {

using runtime::Alert;
using runtime::Priority;

Alert MakeAlert(std::string rule, std::string proc, std::string container,
                Priority priority = Priority::kWarning, uint64_t time_s = 1'800'000'000) {
  Alert a;
  a.time_ns = time_s * 1'000'000'000ull;
  a.rule = std::move(rule);
  a.priority = priority;
  a.output = "output of " + proc;
  a.output_fields = {{"proc.name", proc}, {"container.name", container}};
  return a;
}

TEST(AlertStore, GivesSequentialIdsAndKeepsTheLatestCapacity) {
  AlertStore store({.capacity = 3});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(store.Add(MakeAlert("r", "p", "c")), uint64_t(i + 1));
  EXPECT_EQ(store.LatestId(), 5u);
  EXPECT_EQ(store.OldestId(), 3u);
  EXPECT_EQ(store.Find(2), nullptr);
  ASSERT_NE(store.Find(4), nullptr);
  EXPECT_EQ(store.Find(4)->id, 4u);
  auto since = store.Since(3, 10);
  ASSERT_EQ(since.size(), 2u);
  EXPECT_EQ(since[0]->id, 4u);
  EXPECT_EQ(store.Since(0, 10).size(), 3u);  // older ids were evicted
  EXPECT_EQ(store.Counts().total, 5u);
  EXPECT_EQ(store.Counts().evicted, 2u);
}

TEST(AlertStore, MemoryStaysBoundedWhateverTheAlertsHold) {
  AlertStoreOptions options{.capacity = 100, .buckets = 10, .max_keys = 20};
  AlertStore store(options);
  const std::string huge(1 << 20, 'x');
  for (int i = 0; i < 20'000; ++i) {
    Alert a = MakeAlert("rule" + std::to_string(i), "proc" + std::to_string(i),
                        "c" + std::to_string(i), Priority::kWarning, 1'800'000'000 + i);
    if (i % 1000 == 0) {
      a.output = huge;
      for (int f = 0; f < 500; ++f) a.output_fields.emplace_back("f" + std::to_string(f), huge);
    }
    store.Add(a);
  }
  const AlertStoreStats stats = store.Stats();
  EXPECT_EQ(stats.alerts, 100u);
  EXPECT_LE(stats.buckets, 10u);
  // rule totals, rule x priority, containers, processes: 21 names each at
  // most; each bucket at most kMaxRulesPerBucket + 1 rules.
  EXPECT_LE(stats.count_keys, 4 * 21 + 10 * (kMaxRulesPerBucket + 1));
  // Every alert is cut to kMaxFields fields of kMaxFieldBytes each.
  EXPECT_LE(stats.json_bytes, 100 * (kMaxFields + 8) * (kMaxFieldBytes + 64));
  const AlertCounts counts = store.Counts();
  EXPECT_EQ(counts.total, 20'000u);
  EXPECT_EQ(counts.by_container.at(std::string(kOtherLabel)), 20'000u - 20);
}

TEST(AlertStore, CutsLongFieldsAtACharacterBoundary) {
  AlertStore store;
  Alert a = MakeAlert("r", std::string(kMaxFieldBytes - 1, 'a') + "\xC3\xA9" + "tail", "c");
  store.Add(a);
  const std::string& proc = *store.Find(1)->alert.output_fields[0].second;
  EXPECT_LE(proc.size(), kMaxFieldBytes + 3);
  EXPECT_EQ(proc.substr(proc.size() - 3), "...");
  EXPECT_EQ(proc[proc.size() - 4], 'a');  // the two-byte character was not split
}

TEST(AlertStore, CountsOverTimeBucketsByPriorityAndRule) {
  AlertStore store({.bucket_width = std::chrono::seconds(10), .buckets = 3});
  store.Add(MakeAlert("a", "p", "c", Priority::kCritical, 1000));
  store.Add(MakeAlert("b", "p", "c", Priority::kWarning, 1005));
  store.Add(MakeAlert("a", "p", "c", Priority::kCritical, 1012));
  store.Add(MakeAlert("a", "p", "c", Priority::kCritical, 990));   // earlier bucket, inserted
  store.Add(MakeAlert("a", "p", "c", Priority::kCritical, 1040));  // pushes the oldest out
  const AlertCounts counts = store.Counts();
  ASSERT_EQ(counts.series.size(), 3u);
  EXPECT_EQ(counts.series[0].start_s, 1000);
  EXPECT_EQ(counts.series[0].by_rule.at("a"), 1u);
  EXPECT_EQ(counts.series[0].by_rule.at("b"), 1u);
  EXPECT_EQ(counts.series[0].by_priority[static_cast<size_t>(Priority::kCritical)], 1u);
  EXPECT_EQ(counts.series[1].start_s, 1010);
  EXPECT_EQ(counts.series[2].start_s, 1040);
  EXPECT_EQ(counts.by_priority[static_cast<size_t>(Priority::kCritical)], 4u);
}

TEST(AlertStore, WaitForNewerWakesOnAddAndTimesOut) {
  AlertStore store;
  EXPECT_FALSE(store.WaitForNewer(0, std::chrono::milliseconds(10)));
  std::thread adder([&] { store.Add(MakeAlert("r", "p", "c")); });
  EXPECT_TRUE(store.WaitForNewer(0, std::chrono::milliseconds(5000)));
  adder.join();
}

TEST(AlertStore, JsonOfAHostileProcessNameHoldsNoMarkup) {
  AlertStore store;
  store.Add(MakeAlert("r", "<img src=x onerror=alert(1)>", "c\"&"));
  const std::string& json = store.Find(1)->json;
  EXPECT_EQ(json.find('<'), std::string::npos);
  EXPECT_EQ(json.find('>'), std::string::npos);
  EXPECT_EQ(json.find('&'), std::string::npos);
  const auto doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["output_fields"]["proc.name"], "<img src=x onerror=alert(1)>");
  EXPECT_EQ(doc["output_fields"]["container.name"], "c\"&");
}

TEST(AlertApi, FiltersByRulePriorityContainerTextAndSince) {
  AlertStore store;
  store.Add(MakeAlert("Shell in container", "bash", "web", Priority::kWarning));
  store.Add(MakeAlert("Read shadow", "cat", "web", Priority::kCritical));
  store.Add(MakeAlert("Shell in container", "sh", "db", Priority::kWarning));
  auto list = [&](std::multimap<std::string, std::string> params) {
    auto filter = ParseAlertFilter(params);
    EXPECT_TRUE(filter.ok());
    std::vector<uint64_t> ids;
    const auto doc = nlohmann::json::parse(RenderAlertList(store, *filter));
    for (const auto& item : doc["alerts"]) {
      ids.push_back(item["id"]);
    }
    return ids;
  };
  EXPECT_EQ(list({}), (std::vector<uint64_t>{3, 2, 1}));
  EXPECT_EQ(list({{"rule", "Shell in container"}}), (std::vector<uint64_t>{3, 1}));
  EXPECT_EQ(list({{"priority", "critical"}}), (std::vector<uint64_t>{2}));
  EXPECT_EQ(list({{"container", "web"}}), (std::vector<uint64_t>{2, 1}));
  EXPECT_EQ(list({{"q", "BASH"}}), (std::vector<uint64_t>{1}));
  EXPECT_EQ(list({{"since", "1"}, {"limit", "1"}}), (std::vector<uint64_t>{3}));
  EXPECT_FALSE(ParseAlertFilter({{"priority", "loud"}}).ok());
  EXPECT_FALSE(ParseAlertFilter({{"since", "-1"}}).ok());
}

TEST(AlertApi, SummaryListsTopNamesAndTheSeries) {
  AlertStore store;
  store.Add(MakeAlert("a", "bash", "web"));
  store.Add(MakeAlert("a", "bash", "web"));
  store.Add(MakeAlert("b", "sh", "db"));
  const auto doc = nlohmann::json::parse(RenderAlertSummary(store));
  EXPECT_EQ(doc["total"], 3);
  EXPECT_EQ(doc["top_rules"][0]["name"], "a");
  EXPECT_EQ(doc["top_rules"][0]["count"], 2);
  EXPECT_EQ(doc["top_containers"][0]["name"], "web");
  EXPECT_EQ(doc["top_processes"][1]["name"], "sh");
  EXPECT_EQ(doc["by_priority"]["Warning"], 3);
  EXPECT_EQ(doc["series"]["buckets"].size(), 1u);
}

}  // namespace
}  // namespace bulwark::web
