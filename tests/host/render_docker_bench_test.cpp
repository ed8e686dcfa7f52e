// docker-bench-security's JSON log layout from a host report: sections,
// per-check aggregation over subjects, score, escaping, and the round trip
// through --baseline.
#include "host/render_docker_bench.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/baseline.hpp"

namespace bulwark::host {
namespace {

using nlohmann::json;

HostCheck Check(const std::string& cis, bool scored) {
  HostCheck c;
  c.cis = cis;
  c.title = "Ensure " + cis + " \"quoted\" \\ title";
  c.scored = scored;
  c.remediation = "Remediate " + cis;
  return c;
}

core::Finding Result(const std::string& cis, core::Verdict verdict, const std::string& kind,
                     const std::string& name, const std::string& evidence = "") {
  core::Finding f;
  f.id = HostCheckId(cis);
  f.category = core::Category::kHost;
  f.references.cis = {cis};
  f.verdict = verdict;
  f.severity = verdict == core::Verdict::kWarn ? core::Severity::kHigh : core::Severity::kInfo;
  f.subject = core::Subject{kind, name, ""};
  f.evidence = evidence;
  f.message = kind + " " + name;
  return f;
}

const std::string kHostileName = "we\"b\n\x1b[2J\\\"}],\"score\": 99";

std::vector<HostCheck> Checks() {
  return {Check("1.1.1", true), Check("1.1.2", true), Check("1.1.3", true), Check("2.2", true),
          Check("2.8", false),  Check("4.2", false),  Check("5.4", true),   Check("5.5", true),
          Check("5.19", false), Check("6.1", false),  Check("7.1", true)};
}

core::Report Sample() {
  core::Report r;
  r.findings = {
      Result("1.1.2", core::Verdict::kWarn, "host", "h1", "docker group: alice, bob"),
      Result("2.8", core::Verdict::kInfo, "daemon", "dockerd", "default-ulimits unset"),
      Result("4.2", core::Verdict::kNote, "host", "h1"),
      Result("5.4", core::Verdict::kWarn, "container", kHostileName,
             "HostConfig.CapAdd=[SYS_ADMIN]"),
      Result("5.4", core::Verdict::kWarn, "container", "db", "HostConfig.CapAdd=[NET_ADMIN]"),
      Result("5.19", core::Verdict::kInfo, "container", "db", "HostConfig.Ulimits=[]"),
  };
  r.passed = {
      Result("1.1.1", core::Verdict::kPass, "host", "h1", "/var/lib/docker is a mount point"),
      Result("2.2", core::Verdict::kPass, "daemon", "dockerd", "daemon.json \"icc\": false"),
      Result("5.4", core::Verdict::kPass, "container", "api"),
      Result("5.5", core::Verdict::kPass, "container", "db"),
      Result("5.5", core::Verdict::kPass, "container", "api"),
      Result("5.19", core::Verdict::kPass, "container", "api"),
  };
  r.skipped = {core::SkippedCheck{HostCheckId("1.1.3"), "1.1.3", "auditctl -l needs root"}};
  return r;  // 6.1 and 7.1 gave nothing: left out
}

const json* FindCheck(const json& doc, const std::string& cis) {
  for (const json& section : doc["tests"]) {
    for (const json& r : section["results"]) {
      if (r["id"] == cis) return &r;
    }
  }
  return nullptr;
}

}  // namespace

TEST(DockerBenchJson, Layout) {
  std::string text = RenderDockerBenchJson(Sample(), Checks(), 1700000000, 1700000042);
  json doc = json::parse(text);  // parses: every string escaped, unlike docker-bench's printf
  EXPECT_EQ(doc["dockerbenchsecurity"], "1.6.0");
  EXPECT_EQ(doc["start"], 1700000000);
  EXPECT_EQ(doc["end"], 1700000042);
  // docker-bench's key order, for people who diff the two logs.
  EXPECT_LT(text.find("\"dockerbenchsecurity\""), text.find("\"start\""));
  EXPECT_LT(text.find("\"start\""), text.find("\"tests\""));
  EXPECT_LT(text.find("\"score\""), text.find("\"end\""));
  ASSERT_EQ(doc["tests"].size(), 7u);
  const char* titles[] = {"Host Configuration",
                          "Docker daemon configuration",
                          "Docker daemon configuration files",
                          "Container Images and Build File",
                          "Container Runtime",
                          "Docker Security Operations",
                          "Docker Swarm Configuration"};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(doc["tests"][i]["id"], std::to_string(i + 1));
    EXPECT_EQ(doc["tests"][i]["desc"], titles[i]);
    EXPECT_TRUE(doc["tests"][i]["results"].is_array());
  }
  EXPECT_EQ(doc["tests"][0]["results"].size(), 3u);  // 1.1.1, 1.1.2, 1.1.3 in benchmark order
  EXPECT_EQ(doc["tests"][0]["results"][1]["id"], "1.1.2");
  EXPECT_TRUE(doc["tests"][5]["results"].empty()) << "6.1 had nothing to judge";
  EXPECT_EQ(doc["checks"], 9);
}

TEST(DockerBenchJson, AggregatesSubjectsPerCheck) {
  json doc = json::parse(RenderDockerBenchJson(Sample(), Checks(), 0, 0));
  const json& caps = *FindCheck(doc, "5.4");
  EXPECT_EQ(caps["result"], "WARN");
  EXPECT_EQ(caps["desc"], "Ensure 5.4 \"quoted\" \\ title");
  EXPECT_EQ(caps["items"], json::array({kHostileName, "db"})) << "only the warning subjects";
  EXPECT_EQ(caps["details"], "containers: " + kHostileName + " db");
  EXPECT_EQ(caps["remediation"], "Remediate 5.4");

  const json& single = *FindCheck(doc, "1.1.2");
  EXPECT_EQ(single["result"], "WARN");
  EXPECT_EQ(single["details"], "docker group: alice, bob");
  EXPECT_FALSE(single.contains("items")) << "one host subject: no items";

  const json& privileged = *FindCheck(doc, "5.5");
  EXPECT_EQ(privileged["result"], "PASS");
  EXPECT_FALSE(privileged.contains("items"));
  EXPECT_FALSE(privileged.contains("remediation")) << "as docker-bench: no remediation for a PASS";

  EXPECT_EQ((*FindCheck(doc, "2.2"))["details"], "daemon.json \"icc\": false");
  EXPECT_EQ((*FindCheck(doc, "2.8"))["result"], "INFO");
  EXPECT_EQ((*FindCheck(doc, "4.2"))["result"], "NOTE");
  const json& ulimit = *FindCheck(doc, "5.19");
  EXPECT_EQ(ulimit["result"], "INFO") << "info outranks pass";
  EXPECT_EQ(ulimit["items"], json::array({"db"}));

  const json& skipped = *FindCheck(doc, "1.1.3");
  EXPECT_EQ(skipped["result"], "INFO");
  EXPECT_EQ(skipped["details"], "not checked: auditctl -l needs root");
  EXPECT_EQ(FindCheck(doc, "7.1"), nullptr);
}

TEST(DockerBenchJson, ScoreAsDockerBench) {
  json doc = json::parse(RenderDockerBenchJson(Sample(), Checks(), 0, 0));
  // Scored: 1.1.1 PASS +1, 1.1.2 WARN -1, 1.1.3 skipped 0, 2.2 PASS +1, 5.4 WARN -1, 5.5 PASS +1.
  // Unscored 2.8, 4.2, 5.19: 0.
  EXPECT_EQ(doc["score"], 1);
  core::Report empty;
  json none = json::parse(RenderDockerBenchJson(empty, Checks(), 0, 0));
  EXPECT_EQ(none["score"], 0);
  EXPECT_EQ(none["checks"], 0);
  EXPECT_EQ(none["tests"].size(), 7u);
}

TEST(DockerBenchJson, InvalidUtf8IsReplacedNotThrown) {
  core::Report r;
  r.findings = {Result("5.4", core::Verdict::kWarn, "container", "bad\xff\xfename", "x\xc0")};
  std::string text;
  EXPECT_NO_THROW(text = RenderDockerBenchJson(r, Checks(), 0, 0));
  json doc = json::parse(text);
  EXPECT_EQ((*FindCheck(doc, "5.4"))["items"][0], "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
}

TEST(DockerBenchJson, RoundTripsAsBaseline) {
  std::string log = RenderDockerBenchJson(Sample(), Checks(), 0, 0);
  core::Report now = Sample();
  // Since then: db dropped its capability, a new container warns, the hostile one still does.
  now.findings.erase(now.findings.begin() + 4);
  now.passed.push_back(Result("5.4", core::Verdict::kPass, "container", "db"));
  now.findings.push_back(Result("5.4", core::Verdict::kWarn, "container", "cache"));
  ASSERT_TRUE(core::ApplyBaseline(log, "bench.json", now).ok());
  for (const core::Finding& f : now.findings) {
    bool is_new = f.subject.name == "cache";
    EXPECT_EQ(f.change, is_new ? "new" : "unchanged") << f.id << " " << f.subject.name;
  }
  ASSERT_EQ(now.fixed.size(), 1u);
  EXPECT_EQ(now.fixed[0].id, "BW-CIS-5.4");
  EXPECT_EQ(now.fixed[0].subject.name, "db");
}

}  // namespace bulwark::host
