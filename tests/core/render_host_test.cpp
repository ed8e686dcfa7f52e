// Host audit reports (`audit --host`) in every format: status, subject and
// evidence per finding, passes on request, skipped checks, the baseline, CIS
// section order, and names from the engine that try to break the output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/host_report.hpp"
#include "core/render.hpp"
#include "test_support.hpp"

namespace bulwark::core {
namespace {

using nlohmann::json;

// A container name can be almost anything the Engine API returns.
const std::string kHostileName =
    "we\"b\n\x1b[31m| <img src=x onerror=alert(1)> *b* [l](http://x) \xff";
const std::string kHostileEvidence = "HostConfig.CapAdd=[SYS_ADMIN] \x1b]0;pwned\x07 | `x`";

Finding HostFinding(const std::string& cis, Verdict verdict, Subject subject, std::string message,
                    Severity severity = Severity::kInfo) {
  Finding f;
  f.id = "BW-CIS-" + cis;
  f.title = "Ensure check " + cis;
  f.severity = verdict == Verdict::kWarn ? severity : Severity::kInfo;
  f.category = Category::kHost;
  f.message = std::move(message);
  f.remediation = "Fix " + cis;
  f.references.cis = {cis};
  f.verdict = verdict;
  f.subject = std::move(subject);
  if (f.subject.kind == "file") f.location.path = f.subject.name;
  f.evidence = "evidence " + cis;
  return f;
}

Report HostReport() {
  Report r;
  r.target = "host h1";
  Subject web{"container", kHostileName, "3f2a1b2c3d4e"};
  Subject host{"host", "h1", ""};
  Finding caps =
      HostFinding("5.4", Verdict::kWarn, web, "container adds SYS_ADMIN", Severity::kHigh);
  caps.evidence = kHostileEvidence;
  r.findings = {
      caps,
      HostFinding("1.1.10", Verdict::kWarn, host, "no audit rule for /etc/default/docker",
                  Severity::kLow),
      HostFinding("2.8", Verdict::kInfo, Subject{"daemon", "dockerd", "1234"}, "no default ulimit"),
      HostFinding("1.1.2", Verdict::kWarn, host, "docker group has untrusted members",
                  Severity::kHigh),
      HostFinding("4.2", Verdict::kNote, Subject{"image", "python:3.12", "ab12cd34ef56"},
                  "check base images"),
      HostFinding("3.17", Verdict::kWarn, Subject{"file", "/etc/docker/daemon.json", ""},
                  "owned by uid 1000", Severity::kMedium),
      HostFinding("5.4", Verdict::kWarn, Subject{"container", "db", "99aa88bb77cc"},
                  "container adds NET_ADMIN", Severity::kHigh),
  };
  r.passed = {
      HostFinding("5.5", Verdict::kPass, web, "container is not privileged"),
      HostFinding("2.2", Verdict::kPass, Subject{"daemon", "dockerd", "1234"}, "icc is false"),
  };
  r.skipped = {SkippedCheck{"BW-CIS-1.1.3", "1.1.3", "auditctl -l needs root; run as root"}};
  return r;
}

Report WithBaseline(Report r) {
  for (Finding& f : r.findings) f.change = f.id == "BW-CIS-1.1.2" ? "new" : "unchanged";
  r.has_baseline = true;
  r.baseline_path = "old|run.json";
  r.fixed = {HostFinding("5.10", Verdict::kWarn, Subject{"container", "cache", "0011"},
                         "shares the host network", Severity::kHigh)};
  return r;
}

const json* FindResult(const json& list, const std::string& id, const std::string& name) {
  for (const json& f : list) {
    if (f.value("id", "") == id && f["subject"].value("name", "") == name) return &f;
  }
  return nullptr;
}

// '|' that end Markdown table cells: not preceded by the escaping backslash.
int CellSeparators(const std::string& line) {
  int n = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\')
      ++i;
    else if (line[i] == '|')
      ++n;
  }
  return n;
}

}  // namespace

TEST(HostReport, CisOrderIsNumeric) {
  EXPECT_TRUE(CisLess("1.1.2", "1.1.10"));
  EXPECT_FALSE(CisLess("1.1.10", "1.1.2"));
  EXPECT_TRUE(CisLess("1.1.18", "1.2.1"));
  EXPECT_TRUE(CisLess("1.1", "1.1.2"));
  EXPECT_TRUE(CisLess("2.18", "3.1"));
  EXPECT_TRUE(CisLess("5.32", "7.1"));
  EXPECT_TRUE(CisLess("7.9", "C.5.3.1"));
  EXPECT_FALSE(CisLess("5.4", "5.4"));
  EXPECT_TRUE(CisLess("1", ""));  // findings without a CIS number go last
  EXPECT_TRUE(
      CisLess("99999999999.1", "99999999999.2"));  // too long for int: compared as text, no throw
}

TEST(HostReport, SubjectTextAndCounts) {
  EXPECT_EQ(SubjectText(Subject{"container", "web", "3f2a1b2c3d4e5f60"}),
            "container web (3f2a1b2c3d4e)");
  EXPECT_EQ(SubjectText(Subject{"file", "/etc/docker/daemon.json", ""}),
            "file /etc/docker/daemon.json");
  EXPECT_EQ(SubjectText(Subject{"daemon", "dockerd", "1234"}), "daemon dockerd (pid 1234)");
  EXPECT_EQ(SubjectText(Subject{}), "");
  CheckCounts c = CountChecks(HostReport());
  EXPECT_EQ(c.warn, 4);  // 5.4 counts once for its two containers
  EXPECT_EQ(c.info, 1);
  EXPECT_EQ(c.note, 1);
  EXPECT_EQ(c.pass, 2);
  EXPECT_EQ(c.skipped, 1);
}

TEST(RenderHost, JsonCarriesStatusSubjectEvidenceAndSkipped) {
  json doc = json::parse(RenderJson(HostReport()));
  ASSERT_EQ(doc["findings"].size(), 7u);
  const json* caps =
      FindResult(doc["findings"], "BW-CIS-5.4",
                 "we\"b\n\x1b[31m| <img src=x onerror=alert(1)> *b* [l](http://x) \xEF\xBF\xBD");
  ASSERT_NE(caps, nullptr) << "the hostile name survives as data (invalid UTF-8 replaced)";
  EXPECT_EQ((*caps)["status"], "warn");
  EXPECT_EQ((*caps)["severity"], "high");
  EXPECT_EQ((*caps)["subject"]["kind"], "container");
  EXPECT_EQ((*caps)["subject"]["id"], "3f2a1b2c3d4e");
  EXPECT_EQ((*caps)["evidence"], kHostileEvidence);
  EXPECT_EQ((*caps)["references"]["cis"], json::array({"5.4"}));
  EXPECT_FALSE(caps->contains("change"));
  const json* info = FindResult(doc["findings"], "BW-CIS-2.8", "dockerd");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ((*info)["status"], "info");
  EXPECT_EQ((*info)["severity"], "info");
  EXPECT_EQ(
      FindResult(doc["findings"], "BW-CIS-3.17", "/etc/docker/daemon.json")->at("location")["path"],
      "/etc/docker/daemon.json");

  EXPECT_FALSE(doc.contains("passed")) << "passes only with --include-pass";
  EXPECT_FALSE(doc.contains("baseline"));
  ASSERT_EQ(doc["skipped"].size(), 1u);
  EXPECT_EQ(doc["skipped"][0], (json{{"id", "BW-CIS-1.1.3"},
                                     {"cis", "1.1.3"},
                                     {"reason", "auditctl -l needs root; run as root"}}));
  EXPECT_EQ(doc["summary"]["checks"],
            (json{{"pass", 2}, {"warn", 4}, {"info", 1}, {"note", 1}, {"skipped", 1}}));
  EXPECT_EQ(doc["summary"]["high"], 3);
}

TEST(RenderHost, JsonPassesOnRequestAndBaseline) {
  Report report = WithBaseline(HostReport());
  report.include_passed = true;
  json doc = json::parse(RenderJson(report));
  ASSERT_EQ(doc["passed"].size(), 2u);
  EXPECT_EQ(doc["passed"][0]["status"], "pass");
  EXPECT_EQ(doc["summary"]["checks"]["pass"], 2);
  for (const json& f : doc["findings"]) EXPECT_TRUE(f.contains("change")) << f.dump();
  EXPECT_EQ(FindResult(doc["findings"], "BW-CIS-1.1.2", "h1")->at("change"), "new");
  EXPECT_EQ(doc["baseline"]["path"], "old|run.json");
  EXPECT_EQ(doc["baseline"]["new"], 1);
  EXPECT_EQ(doc["baseline"]["unchanged"], 6);
  EXPECT_EQ(doc["baseline"]["fixed"], 1);
  ASSERT_EQ(doc["baseline"]["fixed_findings"].size(), 1u);
  EXPECT_EQ(doc["baseline"]["fixed_findings"][0]["id"], "BW-CIS-5.10");
  EXPECT_EQ(doc["baseline"]["fixed_findings"][0]["change"], "fixed");
}

TEST(RenderHost, FileAuditWithBaselineMarksChanges) {
  Report report;
  report.target = "app";
  Finding f;
  f.id = "BW-DF-001";
  f.location = Location{"Dockerfile", 1, 1};
  f.message = "runs as root";
  f.change = "new";
  report.findings = {f};
  report.has_baseline = true;
  report.baseline_path = "base.json";
  Finding gone = f;
  gone.id = "BW-DF-002";
  gone.message = "ADD from a URL";
  report.fixed = {gone};
  json doc = json::parse(RenderJson(report));
  EXPECT_EQ(doc["findings"][0]["change"], "new");
  EXPECT_FALSE(doc["findings"][0].contains("status")) << "file findings have no verdict";
  EXPECT_FALSE(doc["summary"].contains("checks"));
  EXPECT_EQ(doc["baseline"]["fixed"], 1);
  std::string md = RenderMarkdown(report);
  EXPECT_NE(md.find("| line | severity | ID | finding | remediation | change |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("Since baseline base.json: 1 new, 0 unchanged, 1 fixed"), std::string::npos)
      << md;
  EXPECT_NE(md.find("- BW-DF-002 Dockerfile: ADD from a URL"), std::string::npos) << md;
  std::string table = RenderTable(report, TableOptions{});
  EXPECT_NE(table.find("[new] runs as root"), std::string::npos) << table;
  EXPECT_NE(table.find("fixed since the baseline:\n  BW-DF-002 Dockerfile: ADD from a URL"),
            std::string::npos)
      << table;
}

TEST(RenderHost, SarifKindsLevelsAndLocations) {
  Report report = WithBaseline(HostReport());
  CheckRegistry registry;  // host checks need not be registered: rules fall back to the finding
  json doc = json::parse(RenderSarif(report, registry));
  const json& run = doc["runs"][0];
  ASSERT_EQ(run["results"].size(), 7u) << "no passes without --include-pass";
  std::map<std::string, const json*> by_rule;
  for (const json& r : run["results"])
    by_rule.emplace(r["ruleId"].get<std::string>(), &r);  // first of each
  const json& caps = *by_rule["BW-CIS-5.4"];
  EXPECT_EQ(caps["kind"], "fail");
  EXPECT_EQ(caps["level"], "error");
  EXPECT_EQ(caps["locations"][0]["logicalLocations"][0]["kind"], "resource");
  EXPECT_EQ(
      caps["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].get<std::string>().rfind(
          "container/", 0),
      0u);
  EXPECT_EQ(caps["properties"]["status"], "warn");
  EXPECT_EQ(caps["properties"]["evidence"], kHostileEvidence);
  EXPECT_EQ(caps["baselineState"], "unchanged");
  const json& info = *by_rule["BW-CIS-2.8"];
  EXPECT_EQ(info["kind"], "informational");
  EXPECT_EQ(info["level"], "none");
  EXPECT_EQ((*by_rule["BW-CIS-4.2"])["kind"], "review");
  EXPECT_EQ((*by_rule["BW-CIS-4.2"])["level"], "none");
  EXPECT_EQ((*by_rule["BW-CIS-1.1.2"])["baselineState"], "new");
  const json& file = *by_rule["BW-CIS-3.17"];
  EXPECT_EQ(file["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///etc/docker/daemon.json");
  EXPECT_FALSE(file["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
  EXPECT_EQ(run["properties"]["baseline"]["fixed"], 1);
  const json& notes = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]["associatedRule"]["id"], "BW-CIS-1.1.3");

  report.include_passed = true;
  json with_pass = json::parse(RenderSarif(report, registry));
  ASSERT_EQ(with_pass["runs"][0]["results"].size(), 9u);
  bool saw_pass = false;
  for (const json& r : with_pass["runs"][0]["results"]) {
    if (r["kind"] == "pass") {
      saw_pass = true;
      EXPECT_EQ(r["level"], "none");
    }
  }
  EXPECT_TRUE(saw_pass);
}

TEST(RenderHost, SarifValidatesAgainstTheSchema) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  if (!std::filesystem::exists(testing::SourceDir() / "tools/npm/node_modules/ajv-draft-04") ||
      testing::RunCommand({"node", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "SKIPPED: Ajv not installed in tools/npm (run `make test-deps`)";
  }
  Report report = WithBaseline(HostReport());
  report.include_passed = true;
  CheckRegistry registry;
  auto dir = testing::MakeTempDir("bulwark-host-sarif");
  testing::WriteFile(dir / "host.sarif", RenderSarif(report, registry));
  auto r = testing::RunCommand(
      {"node", (testing::SourceDir() / "tools/validate-json-schema.cjs").string(),
       (data / "schemas/sarif-schema-2.1.0.json").string(), (dir / "host.sarif").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::filesystem::remove_all(dir);
}

TEST(RenderHost, MarkdownGroupsBySectionAndEscapes) {
  Report report = WithBaseline(HostReport());
  report.include_passed = true;
  std::string md = RenderMarkdown(report);
  size_t s1 = md.find("## 1 Host Configuration");
  size_t s2 = md.find("## 2 Docker daemon configuration");
  size_t s3 = md.find("## 3 Docker daemon configuration files");
  size_t s4 = md.find("## 4 Container Images and Build File");
  size_t s5 = md.find("## 5 Container Runtime");
  ASSERT_NE(s1, std::string::npos) << md;
  EXPECT_LT(s1, s2);
  EXPECT_LT(s2, s3);
  EXPECT_LT(s3, s4);
  EXPECT_LT(s4, s5);
  EXPECT_LT(md.find("| 1.1.2 |"), md.find("| 1.1.10 |")) << "CIS numbers sort numerically";
  EXPECT_NE(md.find("| WARN | high | 1.1.2 | host h1 | docker group has untrusted members | "
                    "evidence 1.1.2 | Fix 1.1.2 | new |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| INFO | - | 2.8 | daemon dockerd (pid 1234) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| PASS | - | 5.5 |"), std::string::npos) << "passes on request";
  EXPECT_NE(
      md.find("CIS Docker Benchmark: 8 checks (pass: 2, warn: 4, info: 1, note: 1), 1 skipped"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("Since baseline old\\|run.json: 1 new, 6 unchanged, 1 fixed"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("## Fixed since the baseline\n\n- CIS 5.10 container cache (0011): shares the "
                    "host network"),
            std::string::npos)
      << md;
  EXPECT_NE(
      md.find("## Skipped\n\n- CIS 1.1.3 (BW-CIS-1.1.3): auditctl -l needs root; run as root"),
      std::string::npos)
      << md;
  // Nothing from the engine escapes its cell: no raw markup, no escape sequence, no extra cell.
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find('\x07'), std::string::npos);
  size_t line_start = 0;
  while (line_start < md.size()) {
    size_t end = md.find('\n', line_start);
    std::string line = md.substr(line_start, end - line_start);
    if (line.rfind("| WARN |", 0) == 0 || line.rfind("| PASS |", 0) == 0) {
      EXPECT_EQ(CellSeparators(line), 9) << line;  // 8 columns with the baseline's "change"
    }
    line_start = end == std::string::npos ? md.size() : end + 1;
  }
}

TEST(RenderHost, TableShowsStatusSubjectEvidence) {
  Report report = HostReport();
  std::string plain = RenderTable(report, TableOptions{false, false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << "nothing from input reaches the terminal raw";
  EXPECT_EQ(plain.find('\x07'), std::string::npos);
  EXPECT_NE(plain.find("1 Host Configuration\n"), std::string::npos) << plain;
  EXPECT_LT(plain.find(" 1.1.2 "), plain.find(" 1.1.10 ")) << plain;
  EXPECT_NE(plain.find("  WARN  HIGH     1.1.2    host h1: docker group has untrusted members\n"),
            std::string::npos)
      << plain;
  EXPECT_NE(plain.find("evidence: HostConfig.CapAdd=[SYS_ADMIN] \\x1B]0;pwned\\x07 | `x`"),
            std::string::npos)
      << plain;
  EXPECT_NE(plain.find("container we\"b\\x0A\\x1B[31m| <img"), std::string::npos) << plain;
  EXPECT_NE(plain.find("skipped: CIS 1.1.3 (BW-CIS-1.1.3): auditctl -l needs root; run as root"),
            std::string::npos);
  EXPECT_EQ(plain.find("PASS"), std::string::npos) << "passes only on request";
  EXPECT_NE(plain.find("CIS Docker Benchmark: 8 checks"), std::string::npos);

  report.include_passed = true;
  std::string colour = RenderTable(WithBaseline(report), TableOptions{true, false});
  EXPECT_NE(colour.find("\033[32mPASS "), std::string::npos) << colour;
  EXPECT_NE(colour.find("[new] host h1"), std::string::npos);
  EXPECT_NE(colour.find("Since baseline old|run.json: 1 new, 6 unchanged, 1 fixed"),
            std::string::npos);
  EXPECT_EQ(colour.find("\x1b[31m|"), std::string::npos)
      << "the name's own escape sequence is neutralised";

  std::string quiet = RenderTable(report, TableOptions{false, true});
  EXPECT_EQ(quiet.find("CIS Docker Benchmark:"), std::string::npos);
}

}  // namespace bulwark::core
