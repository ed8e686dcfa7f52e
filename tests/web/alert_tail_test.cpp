#include "web/alert_tail.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "web/alert_parse.hpp"

namespace bulwark::web {
namespace {

namespace fs = std::filesystem;

std::string Line(const std::string& rule) {
  return R"({"rule":")" + rule +
         R"(","priority":"Critical","output":"o","output_fields":{"proc.name":"sh","proc.pid":42,"fd.name":null},"time":"2026-11-23T10:00:00.5Z"})" +
         "\n";
}

void Append(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

class AlertTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bulwark_tail_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = dir_ / "alerts.json";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  fs::path path_;
};

TEST(AlertParse, ReadsFalcosShape) {
  auto alert = ParseAlertLine(Line("r1"));
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->rule, "r1");
  EXPECT_EQ(alert->priority, runtime::Priority::kCritical);
  EXPECT_EQ(alert->time_ns, 1'795'428'000'500'000'000ull);
  ASSERT_EQ(alert->output_fields.size(), 3u);
  EXPECT_EQ(alert->output_fields[0].first, "fd.name");
  EXPECT_FALSE(alert->output_fields[0].second.has_value());
  EXPECT_EQ(*alert->output_fields[1].second, "sh");
  EXPECT_EQ(*alert->output_fields[2].second, "42");
}

TEST(AlertParse, RefusesGarbageWithoutCrashing) {
  for (std::string_view bad : {"", "{", "[]", "{\"rule\":5}", "{\"priority\":\"x\"}", "\xff\xfe",
                               "{\"rule\":\"\xc3\"}", "nul\0l"}) {
    EXPECT_FALSE(ParseAlertLine(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseAlertTime("2026-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(ParseAlertTime("2026-01-01T00:00:00").has_value());
  EXPECT_EQ(ParseAlertTime("1970-01-01T00:00:01Z"), 1'000'000'000ull);
}

TEST_F(AlertTailTest, ReadsAppendedLinesAndKeepsAPartialOne) {
  AlertStore store;
  AlertTail tail(path_, store);
  EXPECT_EQ(tail.Poll(), 0u);  // no file yet
  Append(path_, Line("a") + "not json\n" + Line("b"));
  EXPECT_EQ(tail.Poll(), 2u);
  EXPECT_EQ(tail.lines_skipped(), 1u);
  std::string partial = Line("c");
  Append(path_, partial.substr(0, 10));
  EXPECT_EQ(tail.Poll(), 0u);
  Append(path_, partial.substr(10));
  EXPECT_EQ(tail.Poll(), 1u);
  EXPECT_EQ(store.Find(3)->alert.rule, "c");
}

TEST_F(AlertTailTest, FollowsRotationAndTruncation) {
  AlertStore store;
  AlertTail tail(path_, store);
  Append(path_, Line("a"));
  EXPECT_EQ(tail.Poll(), 1u);
  // Rotation: the old file gets a last line, then a new file takes its name.
  Append(path_, Line("b"));
  fs::rename(path_, dir_ / "alerts.json.1");
  Append(path_, Line("c"));
  EXPECT_EQ(tail.Poll(), 2u);
  EXPECT_EQ(store.Find(2)->alert.rule, "b");
  EXPECT_EQ(store.Find(3)->alert.rule, "c");
  // Truncation in place (seen by a pass), then a new line.
  std::ofstream(path_, std::ios::trunc).close();
  EXPECT_EQ(tail.Poll(), 0u);
  Append(path_, Line("d"));
  EXPECT_EQ(tail.Poll(), 1u);
  EXPECT_EQ(store.Find(4)->alert.rule, "d");
}

TEST_F(AlertTailTest, SkipsALineOverTheBoundWhole) {
  AlertStore store;
  AlertTail tail(path_, store);
  Append(path_, std::string(kMaxAlertLineBytes + 100, 'x'));
  tail.Poll();
  std::string rest(50, 'x');
  rest += '\n';
  rest += Line("after");
  Append(path_, rest);
  EXPECT_EQ(tail.Poll(), 1u);
  EXPECT_EQ(store.Find(1)->alert.rule, "after");
  EXPECT_EQ(tail.lines_skipped(), 1u);
}

TEST_F(AlertTailTest, ThreadPicksUpLinesUntilStopped) {
  AlertStore store;
  AlertTail tail(path_, store, std::chrono::milliseconds(10));
  tail.Start();
  Append(path_, Line("a"));
  EXPECT_TRUE(store.WaitForNewer(0, std::chrono::milliseconds(5000)));
  tail.Stop();
}

}  // namespace
}  // namespace bulwark::web
