// --baseline: new / unchanged / fixed against bulwark's own JSON report and
// docker-bench-security's JSON log; hostile and oversized baselines.
#include "core/baseline.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/render.hpp"

namespace bulwark::core {
namespace {

Finding Host(const std::string& cis, Verdict verdict, const std::string& kind,
             const std::string& name, const std::string& id = "") {
  Finding f;
  f.id = "BW-CIS-" + cis;
  f.title = "check " + cis;
  f.category = Category::kHost;
  f.severity = verdict == Verdict::kWarn ? Severity::kHigh : Severity::kInfo;
  f.references.cis = {cis};
  f.verdict = verdict;
  f.subject = Subject{kind, name, id};
  f.message = kind + " " + name + " " + std::string(VerdictName(verdict)) + "s " + cis;
  return f;
}

Finding File(const std::string& id, const std::string& path, int line, const std::string& message) {
  Finding f;
  f.id = id;
  f.location = Location{path, line, 1};
  f.message = message;
  f.severity = Severity::kMedium;
  return f;
}

std::string ChangeOf(const Report& r, const std::string& id, const std::string& name) {
  for (const Finding& f : r.findings) {
    if (f.id == id && f.subject.name == name) return f.change;
  }
  return "(absent)";
}

std::vector<std::string> FixedKeys(const Report& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.fixed) out.push_back(f.id + " " + f.subject.name + f.location.path);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Baseline, BulwarkHostReportNewUnchangedFixed) {
  Report before;
  before.findings = {
      Host("5.4", Verdict::kWarn, "container", "web", "aaa"),
      Host("5.4", Verdict::kWarn, "container", "db", "bbb"),
      Host("2.14", Verdict::kWarn, "daemon", "dockerd", "100"),
      Host("5.10", Verdict::kWarn, "container", "cache", "ccc"),
      Host("4.6", Verdict::kWarn, "image", "old:1", "ddd"),  // image removed since: not a fix
      Host("1.1.3", Verdict::kWarn, "host", "h1"),           // skipped now: unknown, not a fix
      Host("2.13", Verdict::kWarn, "daemon", "dockerd",
           "100"),  // warn -> info: fixed warn, new info
      Host("2.8", Verdict::kInfo, "daemon", "dockerd", "100"),  // info that is gone: never a fix
  };
  Report now;
  now.findings = {
      Host("5.4", Verdict::kWarn, "container", "web", "aaa"),
      Host("2.14", Verdict::kWarn, "daemon", "dockerd",
           "200"),  // dockerd restarted: new PID, same subject
      Host("1.1.2", Verdict::kWarn, "host", "h1"),
      Host("2.13", Verdict::kInfo, "daemon", "dockerd", "200"),
  };
  now.passed = {
      Host("5.4", Verdict::kPass, "container", "db", "bbb"),
      Host("5.10", Verdict::kPass, "container", "cache", "ccc"),
      Host("4.6", Verdict::kPass, "image", "new:2", "eee"),
  };
  now.skipped = {SkippedCheck{"BW-CIS-1.1.3", "1.1.3", "needs root"}};

  ASSERT_TRUE(ApplyBaseline(RenderJson(before), "before.json", now).ok());
  EXPECT_TRUE(now.has_baseline);
  EXPECT_EQ(now.baseline_path, "before.json");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-5.4", "web"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-2.14", "dockerd"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-1.1.2", "h1"), "new");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-2.13", "dockerd"), "new");
  EXPECT_EQ(FixedKeys(now), (std::vector<std::string>{"BW-CIS-2.13 dockerd", "BW-CIS-5.10 cache",
                                                      "BW-CIS-5.4 db"}));
  for (const Finding& f : now.fixed) EXPECT_EQ(f.verdict, Verdict::kWarn);
  EXPECT_EQ(now.fixed[0].severity, Severity::kHigh) << "the earlier finding is kept as it was";
}

TEST(Baseline, DuplicatesPairUpOneToOne) {
  Report before;
  before.findings = {Host("3.7", Verdict::kWarn, "file", "/etc/docker/certs.d/a.crt"),
                     Host("3.7", Verdict::kWarn, "file", "/etc/docker/certs.d/a.crt")};
  Report now;
  now.findings = {Host("3.7", Verdict::kWarn, "file", "/etc/docker/certs.d/a.crt"),
                  Host("3.7", Verdict::kWarn, "file", "/etc/docker/certs.d/a.crt"),
                  Host("3.7", Verdict::kWarn, "file", "/etc/docker/certs.d/a.crt")};
  ASSERT_TRUE(ApplyBaseline(RenderJson(before), "b.json", now).ok());
  int unchanged = 0;
  for (const Finding& f : now.findings) unchanged += f.change == "unchanged";
  EXPECT_EQ(unchanged, 2);
  EXPECT_TRUE(now.fixed.empty());
}

TEST(Baseline, FileAuditMatchesByIdAndPathThenMessage) {
  Report before;
  before.findings = {
      File("BW-DF-001", "Dockerfile", 1, "A"), File("BW-DF-001", "Dockerfile", 9, "B"),
      File("BW-DF-002", "Dockerfile", 3, "ADD"), File("BW-DF-001", "old/Dockerfile", 1, "A")};
  Report now;
  // Lines moved; B is still there; A's message changed (paired as the leftover); a third is new.
  now.findings = {File("BW-DF-001", "Dockerfile", 12, "B"), File("BW-DF-001", "Dockerfile", 2, "C"),
                  File("BW-DF-001", "Dockerfile", 30, "C"),
                  File("BW-DF-003", "Dockerfile", 5, "new")};
  ASSERT_TRUE(ApplyBaseline(RenderJson(before), "b.json", now).ok());
  EXPECT_EQ(now.findings[0].change, "unchanged");
  EXPECT_EQ(now.findings[1].change, "unchanged");
  EXPECT_EQ(now.findings[2].change, "new");
  EXPECT_EQ(now.findings[3].change, "new");
  EXPECT_EQ(FixedKeys(now),
            (std::vector<std::string>{"BW-DF-001 old/Dockerfile", "BW-DF-002 Dockerfile"}));
}

TEST(Baseline, ReadsAResultSavedInTheResultsDirectory) {
  Report before;
  before.findings = {File("BW-DF-001", "Dockerfile", 1, "A"),
                     File("BW-DF-002", "Dockerfile", 3, "ADD")};
  const std::string saved = "{\"bulwark_result\": 1, \"run\": {\"command\": \"audit\"}, "
                            "\"report\": " + RenderJson(before) + "}";
  Report now;
  now.findings = {File("BW-DF-001", "Dockerfile", 4, "A")};
  ASSERT_TRUE(ApplyBaseline(saved, ".bulwark/audit-x.json", now).ok());
  EXPECT_EQ(now.findings[0].change, "unchanged");
  EXPECT_EQ(FixedKeys(now), (std::vector<std::string>{"BW-DF-002 Dockerfile"}));

  // A wrapper whose report is not an object is not a report.
  Report other;
  EXPECT_FALSE(ApplyBaseline(R"({"bulwark_result": 1, "report": [1]})", "w.json", other).ok());
}

TEST(Baseline, DockerBenchLog) {
  const std::string log = R"log({
    "dockerbenchsecurity": "1.6.0", "start": 1700000000,
    "tests": [
      {"id": "1", "desc": "Host Configuration", "results": [
        {"id": "1.1.2", "desc": "Ensure only trusted users are allowed to control Docker daemon",
         "result": "WARN", "details": "doubtful users: alice", "items": ["alice"]}]},
      {"id": "2", "desc": "Docker daemon configuration", "results": [
        {"id": "2.8", "desc": "Ensure the default ulimit is configured appropriately", "result": "INFO"},
        {"id": "2.13", "desc": "Ensure centralized and remote logging is configured", "result": "WARN"},
        {"id": "2.14", "desc": "Ensure containers are restricted from acquiring new privileges", "result": "WARN"}]},
      {"id": "5", "desc": "Container Runtime", "results": [
        {"id": "5.4", "desc": "Ensure that Linux kernel capabilities are restricted within containers",
         "result": "WARN", "details": "Capabilities added:  web /db", "items": [" web", "/db", "(truncated)"]},
        {"id": "5.5", "desc": "Ensure that privileged containers are not used", "result": "PASS"},
        {"id": "5.10", "desc": "Ensure that the host's network namespace is not shared", "result": "WARN",
         "items": ["gone"]}]},
      {"id": "7", "desc": "Docker Swarm Configuration", "results": []}
    ],
    "checks": 6, "score": -3, "end": 1700000040})log";
  Report now;
  now.findings = {
      Host("5.4", Verdict::kWarn, "container", "web", "aaa"),
      Host("5.4", Verdict::kWarn, "container", "api", "fff"),
      Host("2.14", Verdict::kWarn, "daemon", "dockerd", "1"),
      Host("1.1.2", Verdict::kWarn, "host",
           "h1"),  // items are users, not subjects: the check warned before
      Host("2.8", Verdict::kInfo, "daemon", "dockerd", "1"),
      Host("5.10", Verdict::kWarn, "container", "web", "aaa"),
  };
  now.passed = {Host("5.4", Verdict::kPass, "container", "db", "bbb"),
                Host("2.13", Verdict::kPass, "daemon", "dockerd", "1")};
  ASSERT_TRUE(ApplyBaseline(log, "docker-bench.log.json", now).ok());
  EXPECT_EQ(ChangeOf(now, "BW-CIS-5.4", "web"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-5.4", "api"), "new");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-2.14", "dockerd"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-1.1.2", "h1"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-2.8", "dockerd"), "unchanged");
  EXPECT_EQ(ChangeOf(now, "BW-CIS-5.10", "web"), "new");
  // db passes 5.4 now; 2.13 passes; "gone" is not examined and 5.10 still warns: no claim.
  EXPECT_EQ(FixedKeys(now), (std::vector<std::string>{"BW-CIS-2.13 ", "BW-CIS-5.4 db"}));
  for (const Finding& f : now.fixed) {
    EXPECT_EQ(f.category, Category::kHost);
    EXPECT_FALSE(f.references.cis.empty());
  }
}

TEST(Baseline, ErrorsNameTheFileAndLeaveTheReportAlone) {
  Report now;
  now.findings = {Host("5.4", Verdict::kWarn, "container", "web")};
  const std::pair<std::string, ErrorCode> cases[] = {
      {"", ErrorCode::kParseError},
      {"not json at all", ErrorCode::kParseError},
      {"[1, 2, 3]", ErrorCode::kParseError},
      {R"({"foo": 1})", ErrorCode::kParseError},
      {R"({"findings": {"id": "x"}})", ErrorCode::kParseError},
      {R"({"findings": [1]})", ErrorCode::kParseError},
      {R"({"findings": [{"id": 5}]})", ErrorCode::kParseError},
      {R"({"dockerbenchsecurity": "1.6.0", "tests": 7})", ErrorCode::kParseError},
      {R"({"dockerbenchsecurity": "1.6.0", "tests": [{"results": "x"}]})", ErrorCode::kParseError},
      {R"({"dockerbenchsecurity": "1.6.0", "tests": [{"results": [{"id": "5.4"}]}]})",
       ErrorCode::kParseError},
      // docker-bench's printf JSON breaks on a quote in a value: a clear error, not a crash.
      {R"({"dockerbenchsecurity": "1.6.0", "tests": [{"results": [{"id": "5.4", "details": "a "b" c"}]}]})",
       ErrorCode::kParseError},
      {std::string(100000, '[') + std::string(100000, ']'), ErrorCode::kParseError},
      {"{\"findings\": [{\"id\": \"\xff\xfe\"}]}", ErrorCode::kParseError},
  };
  for (const auto& [text, code] : cases) {
    Report copy = now;
    Status st = ApplyBaseline(text, "/tmp/base line.json", copy);
    EXPECT_FALSE(st.ok()) << text.substr(0, 80);
    EXPECT_EQ(st.code(), code) << text.substr(0, 80);
    EXPECT_NE(st.message().find("/tmp/base line.json"), std::string::npos) << st.message();
    EXPECT_FALSE(copy.has_baseline);
    EXPECT_TRUE(copy.findings[0].change.empty());
  }
}

TEST(Baseline, RefusesHugeInput) {
  std::string huge = R"({"findings": [)" + std::string(kMaxBaselineBytes, ' ') + "]}";
  Report now;
  Status st = ApplyBaseline(huge, "big.json", now);
  EXPECT_EQ(st.code(), ErrorCode::kTooLarge);
  EXPECT_NE(st.message().find("big.json"), std::string::npos);
  EXPECT_FALSE(now.has_baseline);
}

TEST(Baseline, RefusesMoreItemsThanAnyHostHas) {
  // 4 bytes per item would become a Finding each: refused, not gigabytes.
  std::string items;
  for (int i = 0; i < 1'100'000; ++i) items += i ? ",\"x\"" : "\"x\"";
  std::string log = R"({"dockerbenchsecurity": "1.6.0", "tests": [{"results": [)"
                    R"({"id": "5.4", "result": "WARN", "items": [)" +
                    items + "]}]}]}";
  Report now;
  Status st = ApplyBaseline(log, "many.json", now);
  EXPECT_EQ(st.code(), ErrorCode::kTooLarge) << st.message();
  EXPECT_NE(st.message().find("many.json"), std::string::npos);
}

TEST(Baseline, WrongTypesInsideFindingsAreTolerated) {
  const std::string text = R"({"findings": [
      {"id": "BW-CIS-5.4", "status": 3, "subject": 5, "location": "x", "references": {"cis": [1, "5.4"]},
       "severity": ["high"], "message": null},
      {"id": "BW-CIS-5.5", "status": "WARN", "subject": {"kind": "container", "name": ["web"]}}],
      "passed": "not a list"})";
  Report now;
  now.findings = {Host("5.4", Verdict::kWarn, "container", "web")};
  ASSERT_TRUE(ApplyBaseline(text, "odd.json", now).ok());
  EXPECT_EQ(now.findings[0].change, "new");
}

TEST(Baseline, MutatedInputNeverThrows) {
  Report before;
  before.findings = {Host("5.4", Verdict::kWarn, "container", "web"),
                     File("BW-DF-001", "Dockerfile", 1, "A")};
  const std::string base = RenderJson(before);
  std::mt19937 rng(4);
  for (int round = 0; round < 500; ++round) {
    std::string text = base;
    for (int k = 0; k < 4; ++k) text[rng() % text.size()] = static_cast<char>(rng() % 256);
    Report now;
    now.findings = {Host("5.4", Verdict::kWarn, "container", "web")};
    EXPECT_NO_THROW({ (void)ApplyBaseline(text, "m.json", now); });
  }
}

}  // namespace bulwark::core
