#include "report/result_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <set>

#include "report/result_time.hpp"
#include "test_support.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::ReadFile;

constexpr const char* kReport = R"({"tool": {"name": "bulwark"}, "findings": [], "summary": {}})";

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

RunInfo MakeRun(const std::string& command, const std::string& target, const std::string& time) {
  return RunInfo{command, target, time, ""};
}

TEST(TargetSlug, KeepsSafeCharactersAndCollapsesTheRest) {
  EXPECT_EQ(TargetSlug("lab/vulnerable-app"), "lab-vulnerable-app");
  EXPECT_EQ(TargetSlug("nginx:1.25"), "nginx-1.25");
  EXPECT_EQ(TargetSlug("docker-archive:/tmp/x y.tar"), "docker-archive-tmp-x-y.tar");
  EXPECT_EQ(TargetSlug("a//b"), "a-b");
}

TEST(TargetSlug, HostileTargetsStayOneSafeComponent) {
  for (std::string target :
       {"../../etc", "..", ".", "/", "./..", "../", "-", "...", "\n\r\t", "a\0b"}) {
    std::string slug = TargetSlug(target);
    EXPECT_FALSE(slug.empty()) << target;
    EXPECT_NE(slug, ".");
    EXPECT_NE(slug, "..");
    EXPECT_EQ(slug.find('/'), std::string::npos);
    EXPECT_NE(slug.front(), '.') << slug;
    EXPECT_NE(slug.front(), '-') << slug;
  }
  EXPECT_EQ(TargetSlug("../../etc"), "etc");
  EXPECT_EQ(TargetSlug(""), "target");
}

TEST(TargetSlug, UnicodeAndLongTargets) {
  EXPECT_EQ(TargetSlug("caf\xC3\xA9/app"), "caf-app");
  std::string only_unicode = TargetSlug("\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_EQ(only_unicode.rfind("target-", 0), 0u);
  EXPECT_NE(only_unicode,
            TargetSlug("\xE4\xB8\xAD\xE6\x96\x87"));  // distinct names keep distinct slugs
  std::string slug = TargetSlug(std::string(500, 'a') + "/b");
  EXPECT_LE(slug.size(), 80u);
  EXPECT_EQ(TargetSlug(std::string(79, 'a') + "-b"), std::string(79, 'a'));  // no trailing '-'
}

TEST(SaveResult, WritesTheWrapperWithTheReportUnchanged) {
  fs::path dir = MakeTempDir("bulwark-store") / "results";
  auto saved = SaveResult(
      dir, RunInfo{"audit", "lab/vulnerable-app", "2026-11-23T10:00:00Z", "old.json"}, kReport);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->filename(), "audit-lab-vulnerable-app-20261123T100000Z.json");
  EXPECT_EQ(saved->parent_path(), dir);
  std::string text = ReadFile(*saved);
  EXPECT_NE(text.find(kReport), std::string::npos);  // spliced as written
  auto doc = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["bulwark_result"], 1);
  EXPECT_EQ(doc["run"]["command"], "audit");
  EXPECT_EQ(doc["run"]["target"], "lab/vulnerable-app");
  EXPECT_EQ(doc["run"]["time"], "2026-11-23T10:00:00Z");
  EXPECT_EQ(doc["run"]["baseline"], "old.json");
  EXPECT_TRUE(doc["run"]["tool_version"].is_string());
  EXPECT_EQ(doc["report"]["tool"]["name"], "bulwark");
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(Names(dir).size(), 1u);  // no temporary file left behind
}

TEST(SaveResult, EmptyTimeMeansNow) {
  fs::path dir = MakeTempDir("bulwark-store");
  int64_t before = NowUtcSeconds();
  auto saved = SaveResult(dir, MakeRun("scan", "nginx:1.25", ""), kReport);
  ASSERT_TRUE(saved.ok());
  auto doc = nlohmann::json::parse(ReadFile(*saved));
  auto when = ParseIsoTime(doc["run"]["time"].get<std::string>());
  ASSERT_TRUE(when.has_value());
  EXPECT_GE(*when, before);
  EXPECT_LE(*when, NowUtcSeconds());
}

TEST(SaveResult, NeverOverwritesResultsOfTheSameSecond) {
  fs::path dir = MakeTempDir("bulwark-store");
  RunInfo run = MakeRun("audit", "app", "2026-11-23T10:00:00Z");
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    auto saved = SaveResult(dir, run, kReport);
    ASSERT_TRUE(saved.ok());
    names.push_back(saved->filename().string());
  }
  EXPECT_EQ(names[0], "audit-app-20261123T100000Z.json");
  EXPECT_EQ(names[1], "audit-app-20261123T100000Z-2.json");
  EXPECT_EQ(names[2], "audit-app-20261123T100000Z-3.json");
}

TEST(SaveResult, HostileTargetsStayInTheDirectory) {
  fs::path root = MakeTempDir("bulwark-store");
  fs::path dir = root / "results";
  for (std::string target :
       {"../../etc", "/etc/passwd", "..", "", "a/../../b", "\xF0\x9F\x90\xB3 whale"}) {
    auto saved = SaveResult(dir, MakeRun("audit", target, "2026-11-23T10:00:00Z"), kReport);
    ASSERT_TRUE(saved.ok()) << target;
    EXPECT_EQ(saved->parent_path(), dir) << target;
  }
  EXPECT_EQ(Names(root), std::set<std::string>{"results"});
  // A hostile command name is slugged too.
  auto saved = SaveResult(dir, MakeRun("../x", "t", "2026-11-23T10:00:00Z"), kReport);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->parent_path(), dir);
}

TEST(SaveResult, RefusesBadInput) {
  fs::path dir = MakeTempDir("bulwark-store");
  EXPECT_EQ(SaveResult(dir, MakeRun("audit", "a", ""), "{not json").status().code(),
            core::ErrorCode::kParseError);
  EXPECT_EQ(SaveResult(dir, MakeRun("", "a", ""), kReport).status().code(),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(SaveResult(dir, MakeRun("audit", "a", "yesterday"), kReport).status().code(),
            core::ErrorCode::kInvalidArgument);
  fs::path file = dir / "plain-file";
  bulwark::testing::WriteFile(file, "x");
  EXPECT_FALSE(SaveResult(file, MakeRun("audit", "a", ""), kReport).ok());
  EXPECT_TRUE(Names(dir) == std::set<std::string>{"plain-file"});
}

TEST(SaveResult, PrunesToKeepTheOldestAndTheNewest) {
  fs::path dir = MakeTempDir("bulwark-store");
  for (int minute = 0; minute < 8; ++minute) {
    std::string time = "2026-11-23T10:0" + std::to_string(minute) + ":00Z";
    ASSERT_TRUE(SaveResult(dir, MakeRun("audit", "app", time), kReport, 4).ok());
  }
  // Other commands and targets (including one whose slug starts alike) are untouched.
  ASSERT_TRUE(SaveResult(dir, MakeRun("audit", "app-2", "2026-11-23T09:00:00Z"), kReport, 4).ok());
  ASSERT_TRUE(
      SaveResult(dir, MakeRun("audit-host", "app", "2026-11-23T09:00:00Z"), kReport, 4).ok());
  bulwark::testing::WriteFile(dir / "notes.json", "{}");
  EXPECT_EQ(Names(dir), (std::set<std::string>{
                            "audit-app-20261123T100000Z.json",  // the before
                            "audit-app-20261123T100500Z.json",
                            "audit-app-20261123T100600Z.json",
                            "audit-app-20261123T100700Z.json",
                            "audit-app-2-20261123T090000Z.json",
                            "audit-host-app-20261123T090000Z.json",
                            "notes.json",
                        }));
}

TEST(SaveResult, KeepBelowTwoStillKeepsBeforeAndAfter) {
  fs::path dir = MakeTempDir("bulwark-store");
  for (int minute = 0; minute < 4; ++minute) {
    std::string time = "2026-11-23T10:0" + std::to_string(minute) + ":00Z";
    ASSERT_TRUE(SaveResult(dir, MakeRun("scan", "img", time), kReport, 0).ok());
  }
  EXPECT_EQ(Names(dir), (std::set<std::string>{"scan-img-20261123T100000Z.json",
                                               "scan-img-20261123T100300Z.json"}));
}

TEST(ResultTime, ParsesZonesAndFractions) {
  EXPECT_EQ(ParseIsoTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoTime("2026-11-23T10:00:00Z"), ParseIsoTime("2026-11-23T11:00:00+01:00"));
  EXPECT_EQ(ParseIsoTime("2026-11-23T10:00:00.123456789Z"), ParseIsoTime("2026-11-23 10:00:00"));
  EXPECT_EQ(FormatIsoTime(*ParseIsoTime("2024-02-29T23:59:59-00:30")), "2024-03-01T00:29:59Z");
  EXPECT_EQ(FileStamp(*ParseIsoTime("2026-01-02T03:04:05Z")), "20260102T030405Z");
  for (const char* bad : {"", "2026-11-23", "2026-13-01T00:00:00Z", "2026-11-23T10:00:00+5",
                          "x026-11-23T10:00:00Z", "2026-11-23T10:00:00Zjunk"}) {
    EXPECT_FALSE(ParseIsoTime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace bulwark::report
