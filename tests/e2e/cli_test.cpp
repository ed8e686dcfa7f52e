// End-to-end tests of the bulwark program's interface (CLI.md): version,
// help, checks, exit codes, report formats, gating and suppressions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

CommandResult Bulwark(std::vector<std::string> args, const std::filesystem::path& cwd = {}) {
  args.insert(args.begin(), BulwarkBinary().string());
  return RunCommand(args, cwd);
}

// A small service with one certain finding of each major kind.
std::filesystem::path MakeService() {
  auto dir = MakeTempDir("bulwark-e2e");
  WriteFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python3\", \"/app/app.py\"]\n");
  WriteFile(dir / "app.py",
            "import os\n"
            "def handler(ip):\n"
            "    os.system(\"ping -c 1 \" + ip)\n");
  return dir;
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  auto r = Bulwark({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("bulwark "), std::string::npos);
  r = Bulwark({"help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("audit"), std::string::npos);
  r = Bulwark({"help", "audit"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--fail-on"), std::string::npos);
}

TEST(Cli, UsageErrorsExit2) {
  EXPECT_EQ(Bulwark({"audit", ".", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(Bulwark({"audit", ".", "--severity", "urgent"}).exit_code, 2);
  EXPECT_EQ(Bulwark({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(Bulwark({"checks", "--format", "xml"}).exit_code, 2);
}

TEST(Cli, UnreadableTargetExits3) {
  auto r = Bulwark({"audit", "/nonexistent/bulwark/target"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent/bulwark/target"), std::string::npos);  // names the input
}

TEST(Cli, ChecksListsRegistryInEveryFormat) {
  auto table = Bulwark({"checks"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("BW-DF-"), std::string::npos);
  auto json = Bulwark({"checks", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0);
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_GT(doc["checks"].size(), 50u);
  for (const auto& c : doc["checks"]) {
    EXPECT_FALSE(c["title"].get<std::string>().empty()) << c["id"];
    EXPECT_FALSE(c["remediation"].get<std::string>().empty()) << c["id"];
    const auto& refs = c["references"];
    bool referenced = !refs["cis"].empty() || !refs["attack"].empty() || !refs["nist"].empty() ||
                      !refs["cwe"].empty();
    EXPECT_TRUE(referenced) << c["id"] << " has no CIS/ATT&CK/NIST/CWE reference";
  }
}

TEST(Cli, DocsChecksMdIsCurrent) {
  auto r = Bulwark({"checks", "--format", "markdown"});
  ASSERT_EQ(r.exit_code, 0);
  // Compared as a boolean: on failure the message matters, not a 100 kB diff.
  bool current = r.out == ReadFile(SourceDir() / "docs/checks.md");
  EXPECT_TRUE(current) << "docs/checks.md is stale: run `make docs` and commit it";
}

TEST(Cli, JsonReportShapeAndGate) {
  auto dir = MakeService();
  auto r = Bulwark({"audit", dir.string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["tool"]["name"], "bulwark");
  ASSERT_FALSE(doc["findings"].empty());
  EXPECT_GT(doc["summary"]["high"].get<int>() + doc["summary"]["critical"].get<int>(), 0);
  // Gate: a high finding trips --fail-on high with the chosen code, not --fail-on critical
  // unless a critical exists.
  EXPECT_EQ(Bulwark({"audit", dir.string(), "--exit-code", "7", "--fail-on", "high", "-q"}).exit_code, 7);
  EXPECT_EQ(Bulwark({"audit", dir.string(), "--exit-code", "5", "-q"}).exit_code, 5);
  EXPECT_EQ(Bulwark({"audit", dir.string(), "--fail-on", "low", "-q"}).exit_code, 1);
  std::filesystem::remove_all(dir);
}

TEST(Cli, SeverityFilterAndOutputFile) {
  auto dir = MakeService();
  auto out = dir / "report.json";
  auto r = Bulwark({"audit", dir.string(), "--format", "json", "--severity", "critical,high", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto doc = nlohmann::json::parse(ReadFile(out));
  for (const auto& f : doc["findings"]) {
    std::string sev = f["severity"];
    EXPECT_TRUE(sev == "critical" || sev == "high") << sev;
  }
  std::filesystem::remove_all(dir);
}

TEST(Cli, IgnoreFileAndInlineIgnores) {
  auto dir = MakeService();
  auto before = nlohmann::json::parse(Bulwark({"audit", dir.string(), "--format", "json"}).out);
  ASSERT_FALSE(before["findings"].empty());
  std::string first_id = before["findings"][0]["id"];
  std::string first_path = before["findings"][0]["location"]["path"];
  WriteFile(dir / ".bulwarkignore", first_path + ":" + first_id + "  # accepted for the test\n");
  auto after = nlohmann::json::parse(Bulwark({"audit", dir.string(), "--format", "json"}).out);
  EXPECT_GE(after["summary"]["suppressed"].get<int>(), 1);
  for (const auto& f : after["findings"]) {
    EXPECT_FALSE(f["id"] == first_id && f["location"]["path"] == first_path);
  }
  // Inline: the os.system line is suppressed by a comment on the line above.
  WriteFile(dir / "app.py",
            "import os\n"
            "def handler(ip):\n"
            "    # bulwark:ignore * reviewed: ip is validated by the caller\n"
            "    os.system(\"ping -c 1 \" + ip)\n");
  auto inline_doc = nlohmann::json::parse(Bulwark({"audit", dir.string(), "--format", "json"}).out);
  for (const auto& f : inline_doc["findings"]) {
    EXPECT_FALSE(f["location"]["path"] == "app.py" && f["location"]["line"] == 4) << f.dump();
  }
  // --no-inline-ignores brings it back.
  auto audit_doc = nlohmann::json::parse(
      Bulwark({"audit", dir.string(), "--format", "json", "--no-inline-ignores"}).out);
  bool found = false;
  for (const auto& f : audit_doc["findings"]) found |= f["location"]["path"] == "app.py" && f["location"]["line"] == 4;
  EXPECT_TRUE(found);
  std::filesystem::remove_all(dir);
}

TEST(Cli, SkipDirsAndSkipFilesUseGitignoreGlobs) {
  auto dir = MakeService();
  WriteFile(dir / "vendor/lib/Dockerfile", "FROM debian:latest\n");
  WriteFile(dir / "tests/fixtures/app_test.py", "import os\nos.system('x' + input())\n");
  auto paths = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"audit", dir.string(), "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::set<std::string> seen;
    nlohmann::json doc = nlohmann::json::parse(Bulwark(args).out);  // must outlive the loop
    for (const auto& f : doc["findings"]) seen.insert(f["location"]["path"]);
    return seen;
  };
  auto all = paths({});
  EXPECT_TRUE(all.count("vendor/lib/Dockerfile"));
  EXPECT_TRUE(all.count("tests/fixtures/app_test.py"));
  auto skipped = paths({"--skip-dirs", "vendor,tests/fixtures", "--skip-files", "*.py"});
  EXPECT_FALSE(skipped.count("vendor/lib/Dockerfile"));
  EXPECT_FALSE(skipped.count("tests/fixtures/app_test.py"));
  EXPECT_FALSE(skipped.count("app.py"));
  EXPECT_TRUE(skipped.count("Dockerfile"));
  std::filesystem::remove_all(dir);
}

TEST(Cli, TableHonoursNoColorAndMarkdownWorks) {
  auto dir = MakeService();
  auto r = RunCommand({BulwarkBinary().string(), "audit", dir.string()}, {}, {"NO_COLOR=1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("findings"), std::string::npos);
  auto md = Bulwark({"audit", dir.string(), "--format", "markdown"});
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_NE(md.out.find("| line | severity |"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace bulwark::testing
