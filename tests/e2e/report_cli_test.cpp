// `bulwark report` end to end: the runs of a hardening session (audit, fix
// --write, audit again with --baseline, model) leave their results in a
// results directory, and the summary report tells that story with the
// numbers those runs produced — counted here from their own JSON output,
// never typed into the test.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Session {
  fs::path work = MakeTempDir("bulwark-report-session");
  fs::path service = work / "service";
  fs::path results = work / "results";
  json before, after;

  CommandResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), BulwarkBinary().string());
    return RunCommand(args, work);
  }

  Session() {
    fs::copy(SourceDir() / "lab/vulnerable-app", service, fs::copy_options::recursive);
    // An accepted risk, with the reason the report must repeat.
    WriteFile(service / ".bulwarkignore", "BW-PY-010  # inside the container it must listen on every interface\n");
    CommandResult a = Run({"audit", service.string(), "--results", results.string(), "-f", "json", "-o",
                           (work / "audit.json").string()});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    before = json::parse(ReadFile(work / "audit.json"));
    CommandResult f = Run({"fix", service.string(), "--write", "--no-backup", "--no-digests", "-q", "--results",
                           results.string()});
    EXPECT_EQ(f.exit_code, 0) << f.err;
    CommandResult b = Run({"audit", service.string(), "--results", results.string(), "-f", "json", "-o",
                           (work / "audit-after.json").string(), "--baseline", (work / "audit.json").string()});
    EXPECT_EQ(b.exit_code, 0) << b.err;
    after = json::parse(ReadFile(work / "audit-after.json"));
    CommandResult m = Run({"model", service.string(), "--results", results.string(), "-q", "--reference-data",
                           (SourceDir() / "tests/model/fixtures/catalog").string()});
    EXPECT_EQ(m.exit_code, 0) << m.err;
  }
  ~Session() { fs::remove_all(work); }
};

}  // namespace

TEST(ReportCli, ResultsAreKeptForEveryRun) {
  Session s;
  int audits = 0, fixes = 0, models = 0;
  for (const auto& entry : fs::directory_iterator(s.results)) {
    json doc = json::parse(ReadFile(entry.path()));
    ASSERT_EQ(doc["bulwark_result"], 1) << entry.path();
    std::string command = doc["run"]["command"];
    audits += command == "audit";
    fixes += command == "fix";
    models += command == "model";
  }
  EXPECT_EQ(audits, 2);
  EXPECT_EQ(fixes, 1);
  EXPECT_EQ(models, 1);
}

TEST(ReportCli, SummaryTellsBeforeAndAfterWithTheRunsNumbers) {
  Session s;
  CommandResult r = s.Run({"report", "--results", s.results.string(), "--output-dir", (s.work / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string md = ReadFile(s.work / "out/summary_report.md");
  size_t n_before = s.before["findings"].size();
  size_t n_after = s.after["findings"].size();
  ASSERT_GT(n_before, n_after);
  EXPECT_NE(md.find(std::to_string(n_before)), std::string::npos) << md;
  EXPECT_NE(md.find(std::to_string(n_after)), std::string::npos) << md;
  // A check the fix removed is named as fixed.
  ASSERT_FALSE(s.after["baseline"]["fixed_findings"].empty());
  std::string fixed_id = s.after["baseline"]["fixed_findings"][0]["id"];
  EXPECT_NE(md.find(fixed_id), std::string::npos) << fixed_id;
  // The accepted risk, with its reason.
  EXPECT_NE(md.find("it must listen on every interface"), std::string::npos) << md;
}

TEST(ReportCli, HtmlIsOnePrintablePageWithoutScripts) {
  Session s;
  CommandResult r = s.Run({"report", "--results", s.results.string(), "-f", "html", "-o",
                           (s.work / "summary.html").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string html = ReadFile(s.work / "summary.html");
  EXPECT_NE(html.find("<html"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ReportCli, MissingResultsDirectorySaysWhatToDo) {
  CommandResult r = RunCommand({BulwarkBinary().string(), "report", "--results", "/nonexistent/bulwark-results"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bulwark audit"), std::string::npos) << r.err;
}

TEST(ReportCli, NoResultsFlagAndEnvironmentKeepNothing) {
  fs::path work = MakeTempDir("bulwark-report-noresults");
  CommandResult a = RunCommand({BulwarkBinary().string(), "audit", (SourceDir() / "lab/vulnerable-app").string(),
                                "-q", "-f", "json", "--no-results"},
                               work, {"BULWARK_RESULTS="});
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_FALSE(fs::exists(work / ".bulwark"));
  CommandResult b = RunCommand({BulwarkBinary().string(), "audit", (SourceDir() / "lab/vulnerable-app").string(),
                                "-q", "-f", "json"},
                               work, {"BULWARK_RESULTS="});
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_TRUE(fs::is_directory(work / ".bulwark")) << "the default results directory";
  fs::remove_all(work);
}

}  // namespace bulwark::testing
