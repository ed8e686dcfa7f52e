#include "report/results_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::ReadFile;
using bulwark::testing::SourceDir;
using bulwark::testing::WriteFile;

fs::path Fixtures() { return SourceDir() / "tests" / "report" / "fixtures"; }

LoadedResult Import(const std::string& name) {
  auto r = ImportResultJson(ReadFile(Fixtures() / name), name);
  EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString();
  return r.ok() ? std::move(r).value() : LoadedResult{};
}

const core::Finding* FindId(const std::vector<core::Finding>& findings, const std::string& id) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const core::Finding& f) { return f.id == id; });
  return it == findings.end() ? nullptr : &*it;
}

bool HasDiagnostic(const ResultSet& set, const std::string& file, const std::string& words) {
  return std::any_of(set.diagnostics.begin(), set.diagnostics.end(),
                     [&](const core::Diagnostic& d) {
                       return d.location.path.find(file) != std::string::npos &&
                              d.message.find(words) != std::string::npos;
                     });
}

TEST(ImportResultJson, TrivyImage) {
  LoadedResult r = Import("trivy_image.json");
  EXPECT_EQ(r.tool, "trivy");
  EXPECT_EQ(r.kind, ResultKind::kScan);
  EXPECT_EQ(r.run.command, "scan");
  EXPECT_EQ(r.run.target, "shop-web:1.0");
  EXPECT_EQ(r.run.time, "2026-11-20T08:15:00Z");  // +01:00 made UTC
  ASSERT_EQ(r.report.findings.size(), 3u);
  const core::Finding* f = FindId(r.report.findings, "CVE-2031-0001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->category, core::Category::kVulnerability);
  EXPECT_EQ(f->severity, core::Severity::kCritical);
  EXPECT_EQ(f->package.name, "libexample1");
  EXPECT_EQ(f->installed, "2.0-1");
  EXPECT_EQ(f->fixed, "2.0-2");
  EXPECT_EQ(f->package.purl, "pkg:deb/debian/libexample1@2.0-1");
  EXPECT_EQ(f->title, "libexample1: heap overflow in the frobnicator");
  EXPECT_EQ(FindId(r.report.findings, "CVE-2031-0002")->fixed, "");
  EXPECT_EQ(FindId(r.report.findings, "GHSA-aaaa-bbbb-cccc")->severity, core::Severity::kHigh);
}

TEST(ImportResultJson, TrivyConfigKeepsFailuresOnly) {
  LoadedResult r = Import("trivy_config.json");
  EXPECT_EQ(r.tool, "trivy");
  EXPECT_EQ(r.kind, ResultKind::kAudit);
  EXPECT_EQ(r.run.time, "");  // no CreatedAt: LoadResults uses the file's time
  ASSERT_EQ(r.report.findings.size(), 4u);
  EXPECT_EQ(FindId(r.report.findings, "DS001"), nullptr);  // PASS
  const core::Finding* ds002 = FindId(r.report.findings, "DS002");
  ASSERT_NE(ds002, nullptr);
  EXPECT_EQ(ds002->category, core::Category::kDockerfile);
  EXPECT_EQ(ds002->location.path, "Dockerfile");
  EXPECT_EQ(ds002->remediation, "Add 'USER <non root user name>' line to the Dockerfile");
  EXPECT_EQ(FindId(r.report.findings, "KSV012")->category, core::Category::kKubernetes);
  EXPECT_EQ(FindId(r.report.findings, "KSV012")->location.line, 14);
  EXPECT_EQ(FindId(r.report.findings, "generic-password")->category, core::Category::kSecret);
}

TEST(ImportResultJson, Grype) {
  LoadedResult r = Import("grype.json");
  EXPECT_EQ(r.tool, "grype");
  EXPECT_EQ(r.kind, ResultKind::kScan);
  EXPECT_EQ(r.run.target, "shop-web:1.0");
  EXPECT_EQ(r.run.time, "2026-11-20T09:20:00Z");
  ASSERT_EQ(r.report.findings.size(), 2u);
  const core::Finding& f = r.report.findings[0];
  EXPECT_EQ(f.id, "CVE-2031-0001");
  EXPECT_EQ(f.severity, core::Severity::kCritical);
  EXPECT_EQ(f.fixed, "2.0-2");
  EXPECT_EQ(f.package.type, "deb");
  EXPECT_EQ(f.location.path, "/var/lib/dpkg/status");
  EXPECT_EQ(f.aliases, std::vector<std::string>{"DSA-9999-1"});
  EXPECT_EQ(r.report.findings[1].severity, core::Severity::kInfo);  // Negligible
  EXPECT_EQ(r.report.findings[1].fixed, "");
}

TEST(ImportResultJson, PlainBulwarkReportsAreClassified) {
  LoadedResult audit = Import("bulwark_audit.json");
  EXPECT_EQ(audit.kind, ResultKind::kAudit);
  EXPECT_FALSE(audit.saved);
  EXPECT_EQ(audit.run.target, "shop");
  EXPECT_EQ(audit.run.baseline, "old-audit.json");
  EXPECT_TRUE(audit.report.has_baseline);
  ASSERT_EQ(audit.report.fixed.size(), 1u);
  EXPECT_EQ(audit.report.fixed[0].id, "BW-SEC-002");
  ASSERT_EQ(audit.report.suppressed_findings.size(), 1u);
  EXPECT_EQ(audit.report.suppressed_findings[0].reason,
            "base image is rebuilt nightly from a pinned digest");
  EXPECT_EQ(audit.report.suppressed_findings[0].source, "ignorefile .bulwarkignore:2");
  EXPECT_EQ(audit.report.findings[1].change, "new");
  EXPECT_EQ(audit.report.findings[0].references.cwe, std::vector<std::string>{"CWE-250"});

  LoadedResult scan = Import("bulwark_scan.json");
  EXPECT_EQ(scan.kind, ResultKind::kScan);
  EXPECT_EQ(scan.report.packages_examined, 120);
  EXPECT_EQ(scan.report.findings[0].aliases, std::vector<std::string>{"DSA-9999-1"});

  LoadedResult host = Import("bulwark_host.json");
  EXPECT_EQ(host.kind, ResultKind::kHostAudit);
  EXPECT_EQ(host.run.command, "audit-host");
  EXPECT_EQ(host.report.findings[1].verdict, core::Verdict::kWarn);
  EXPECT_EQ(host.report.findings[1].subject.name, "web");
  EXPECT_EQ(host.report.findings[2].verdict, core::Verdict::kInfo);
}

TEST(ImportResultJson, SavedResults) {
  LoadedResult audit = Import("saved_audit.json");
  EXPECT_TRUE(audit.saved);
  EXPECT_EQ(audit.kind, ResultKind::kAudit);
  EXPECT_EQ(audit.run.time, "2026-11-21T08:00:00Z");
  EXPECT_EQ(audit.report.findings.size(), 1u);

  LoadedResult fix = Import("saved_fix.json");
  EXPECT_EQ(fix.kind, ResultKind::kFix);
  EXPECT_TRUE(fix.fix.written);
  ASSERT_TRUE(fix.fix.before && fix.fix.after);
  EXPECT_EQ(fix.fix.before->findings.size(), 2u);
  EXPECT_EQ(fix.fix.after->findings.size(), 1u);
  ASSERT_EQ(fix.fix.edits.size(), 2u);
  EXPECT_EQ(fix.fix.edits[1].path, ".env");
  EXPECT_TRUE(fix.fix.edits[1].created);
  EXPECT_EQ(fix.fix.edits[0].checks, std::vector<std::string>{"BW-SEC-002"});

  LoadedResult watch = Import("saved_watch.json");
  EXPECT_EQ(watch.kind, ResultKind::kWatch);
  ASSERT_EQ(watch.alerts.size(), 2u);
  EXPECT_EQ(watch.alerts[0].container, "web");
  EXPECT_EQ(watch.alerts[0].severity, core::Severity::kLow);
  EXPECT_EQ(watch.alerts[1].severity, core::Severity::kCritical);
}

TEST(ImportResultJson, ThreatModel) {
  LoadedResult m = Import("threat_model.json");
  EXPECT_EQ(m.kind, ResultKind::kModel);
  EXPECT_EQ(m.run.target, "shop");
  ASSERT_EQ(m.model.elements.size(), 3u);
  const ModelElement& web = m.model.elements[1];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.runs_as_root, true);
  EXPECT_TRUE(web.docker_socket);
  EXPECT_TRUE(web.internet_facing);
  EXPECT_EQ(web.inline_credentials, 1);
  EXPECT_FALSE(m.model.elements[2].runs_as_root.has_value());  // null: unknown
  EXPECT_EQ(m.model.boundaries.size(), 4u);
  ASSERT_EQ(m.model.flows.size(), 2u);
  EXPECT_EQ(m.model.flows[0].crosses.size(), 2u);
  ASSERT_EQ(m.model.threats.size(), 2u);
  EXPECT_EQ(m.model.threats[0].status, "confirmed");
  EXPECT_EQ(m.model.threats[0].risk, core::Severity::kCritical);
}

TEST(ImportResultJson, RefusesWhatItDoesNotKnow) {
  EXPECT_EQ(ImportResultJson("", "a.json").status().code(), core::ErrorCode::kParseError);
  EXPECT_EQ(ImportResultJson("[1,2]", "a.json").status().code(), core::ErrorCode::kParseError);
  EXPECT_EQ(ImportResultJson("{\"x\": 1}", "a.json").status().code(), core::ErrorCode::kParseError);
  EXPECT_EQ(
      ImportResultJson(std::string(100, '[') + std::string(100, ']'), "deep.json").status().code(),
      core::ErrorCode::kTooLarge);
  // Brackets inside strings are not nesting.
  std::string quoted = "{\"tool\": {\"name\": \"bulwark\"}, \"findings\": [], \"target\": \"" +
                       std::string(100, '[') + "\"}";
  EXPECT_TRUE(ImportResultJson(quoted, "q.json").ok());
}

TEST(ImportResultJson, WrongTypesAreSkippedNotFatal) {
  auto r = ImportResultJson(ReadFile(Fixtures() / "junk" / "wrong_types.json"), "wrong_types.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->report.findings.size(), 1u);
  EXPECT_EQ(r->report.findings[0].id, "OK-1");
  EXPECT_EQ(r->report.findings[0].severity, core::Severity::kInfo);
  // Saved results with a report of the wrong type.
  EXPECT_FALSE(
      ImportResultJson(R"({"bulwark_result": 1, "run": {"command": "audit"}, "report": 3})", "x")
          .ok());
  auto model =
      ImportResultJson(R"({"bulwark_result": 1, "run": {"command": "model"}, "report": []})", "m");
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE(model->model.elements.empty());
}

TEST(LoadResults, ReadsEveryShapeAndReportsJunk) {
  fs::path dir = MakeTempDir("bulwark-results");
  for (const auto& e : fs::directory_iterator(Fixtures())) {
    if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
  }
  for (const auto& e : fs::directory_iterator(Fixtures() / "junk"))
    fs::copy_file(e.path(), dir / e.path().filename());
  WriteFile(dir / "readme.txt", "not a result");
  WriteFile(dir / ".result-1-0.tmp.json", "{}");  // hidden: a temporary file
  fs::create_directories(dir / "sub.json");
  auto set = LoadResults(dir);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->results.size(), 11u);  // 10 fixtures + wrong_types.json
  for (const char* junk :
       {"not_json.json", "array.json", "unknown_command.json", "unrelated.json", "sub.json"}) {
    EXPECT_TRUE(HasDiagnostic(*set, junk, "skipped")) << junk;
  }
  EXPECT_EQ(set->diagnostics.size(), 5u);
  for (size_t i = 1; i < set->results.size(); ++i) {
    EXPECT_LE(set->results[i - 1].time_seconds, set->results[i].time_seconds);
  }
  for (const LoadedResult& r : set->results) EXPECT_FALSE(r.run.time.empty()) << r.file;
}

TEST(LoadResults, BoundsSizeAndLinks) {
  fs::path outside = MakeTempDir("bulwark-outside");
  WriteFile(outside / "secret.json", ReadFile(Fixtures() / "saved_audit.json"));
  fs::path dir = MakeTempDir("bulwark-results");
  fs::create_symlink(outside / "secret.json", dir / "escape.json");
  WriteFile(dir / "real.json", ReadFile(Fixtures() / "saved_audit.json"));
  fs::create_symlink(dir / "real.json", dir / "inside.json");
  fs::create_symlink(dir / "missing", dir / "broken.json");
  {
    std::string huge = R"({"tool": {"name": "bulwark"}, "findings": [], "pad": ")";
    huge.append(kMaxResultFileBytes, 'x');
    WriteFile(dir / "huge.json", huge + "\"}");
  }
  auto set = LoadResults(dir);
  ASSERT_TRUE(set.ok());
  std::vector<std::string> files;
  for (const LoadedResult& r : set->results) files.push_back(r.file);
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"inside.json", "real.json"}));
  EXPECT_TRUE(HasDiagnostic(*set, "escape.json", "not followed"));
  EXPECT_TRUE(HasDiagnostic(*set, "broken.json", "broken"));
  EXPECT_TRUE(HasDiagnostic(*set, "huge.json", "larger than"));
  fs::remove_all(dir);
  fs::remove_all(outside);
}

TEST(LoadResults, CountLimit) {
  fs::path dir = MakeTempDir("bulwark-results");
  for (size_t i = 0; i < kMaxResultFiles + 3; ++i)
    WriteFile(dir / ("r" + std::to_string(i) + ".json"), "{}");
  auto set = LoadResults(dir);
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(HasDiagnostic(*set, dir.string(), "only the first"));
  EXPECT_EQ(set->diagnostics.size(), kMaxResultFiles + 1);  // each file read is unknown JSON
  fs::remove_all(dir);
}

TEST(LoadResults, MissingDirectoryIsAnError) {
  EXPECT_FALSE(LoadResults(MakeTempDir("bulwark-results") / "absent").ok());
  fs::path file = MakeTempDir("bulwark-results") / "file";
  WriteFile(file, "{}");
  EXPECT_FALSE(LoadResults(file).ok());
}

TEST(LoadResults, ReadsWhatSaveResultWrote) {
  fs::path dir = MakeTempDir("bulwark-results") / ".bulwark";
  std::string report = ReadFile(Fixtures() / "bulwark_host.json");
  ASSERT_TRUE(
      SaveResult(dir, RunInfo{"audit-host", "my host", "2026-11-23T10:00:00Z", ""}, report).ok());
  auto set = LoadResults(dir);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->results.size(), 1u);
  EXPECT_TRUE(set->results[0].saved);
  EXPECT_EQ(set->results[0].kind, ResultKind::kHostAudit);
  EXPECT_EQ(set->results[0].run.target, "my host");
  EXPECT_EQ(set->results[0].report.findings.size(), 3u);
  EXPECT_TRUE(set->diagnostics.empty());
}

}  // namespace
}  // namespace bulwark::report
