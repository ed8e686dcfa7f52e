// The incident report from hand-made evidence: alerts of the lab attack,
// contain's evidence directory, a triage report and audit/fix results.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "report/incident.hpp"
#include "report/result_store.hpp"
#include "test_support.hpp"

namespace bulwark::report {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* kHostile = "<img src=x onerror=alert(1)>|`x`";

json AlertJson(const std::string& time, const std::string& rule, const std::string& priority,
               json fields, json tags) {
  fields["container.name"] = "bulwark-lab_web_1";
  fields["container.id"] = "964275263cf2";
  fields["container.image.repository"] = "bulwark-lab/vulnerable-app";
  fields["container.image.tag"] = "1.0";
  return {{"time", time},         {"rule", rule},     {"priority", priority}, {"output", rule + " (...)"},
          {"output_fields", fields}, {"tags", tags}, {"source", "syscall"},  {"hostname", "lab-host"}};
}

std::string AttackAlerts() {
  std::string lines;
  for (int i = 0; i < 3; ++i) {
    lines += AlertJson("2026-11-24T10:00:0" + std::to_string(i) + ".100000000Z",
                       "Shell spawned by application in container", "Warning",
                       {{"proc.name", "sh"}, {"proc.pname", "python3"}, {"user.name", "root"}},
                       {"T1059.004", "T1190", "container"})
                 .dump() +
             "\n";
  }
  lines += "this line is not JSON\n";
  lines += AlertJson("2026-11-24T10:00:05.000000001Z", "Drop and execute new binary in container", "Critical",
                     {{"proc.exepath", "/tmp/.ICE-unix/.kworker"}, {"proc.name", kHostile},
                      {"proc.cmdline", std::string("[kworker/0:1-events] ") + kHostile}},
                     {"T1105"})
               .dump() +
           "\n";
  lines += AlertJson("2026-11-24T10:00:06Z", "Read sensitive file", "Warning",
                     {{"fd.name", "/etc/shadow"}, {"user.name", "root"}, {"proc.exepath", "/tmp/.ICE-unix/.kworker"}},
                     {"T1003.008"})
               .dump() +
           "\n";
  lines += AlertJson("2026-11-24T10:00:07Z", "Write below etc", "Error",
                     {{"fd.name", "/etc/cron.d/kworker"}, {"user.name", "root"}}, {"T1543"})
               .dump() +
           "\n";
  return lines;
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

json AuditReport(bool with_injection, bool read_code = true) {
  json findings = json::array();
  findings.push_back({{"id", "BW-DF-001"}, {"title", "Runs as root"}, {"severity", "high"},
                      {"category", "dockerfile"}, {"location", {{"path", "lab/vulnerable-app/Dockerfile"}, {"line", 1}}}});
  if (with_injection) {
    findings.push_back({{"id", "BW-PY-SUBPROCESS-SHELL"},
                        {"title", "Command injection: subprocess with shell=True"},
                        {"severity", "critical"},
                        {"category", "code"},
                        {"location", {{"path", "lab/vulnerable-app/app.py"}, {"line", 42}}},
                        {"message", "user input reaches a shell"},
                        {"remediation", "Pass an argument list"},
                        {"references", {{"cwe", {"CWE-78"}}, {"attack", {"T1059"}}}}});
  } else {
    findings.push_back({{"id", "BW-PY-DEBUG"}, {"title", "Debug mode"}, {"severity", "low"}, {"category", "code"},
                        {"location", {{"path", "lab/hardened-app/app.py"}, {"line", 3}}}});
  }
  json kinds = {{"dockerfile", 1}};
  if (read_code) kinds["python"] = 1;
  return {{"tool", {{"name", "bulwark"}, {"version", "test"}}}, {"target", "lab"}, {"findings", findings},
          {"summary", {{"files_by_kind", kinds}}}};
}

struct Lab {
  fs::path root = bulwark::testing::MakeTempDir("incident");
  fs::path results = root / "results";
  fs::path evidence = results / "incident" / "bulwark-lab_web_1-20261124T100100Z";
  fs::path alerts = root / "alerts.jsonl";
  fs::path triage = root / "triage.json";

  Lab() {
    WriteFile(alerts, AttackAlerts());
    EXPECT_TRUE(SaveResult(results, {"audit", "lab/vulnerable-app", "2026-11-24T09:00:00Z", ""},
                           AuditReport(true).dump())
                    .ok());
    json contain = {{"container", {{"id", "964275263cf2aaaa"}, {"name", "bulwark-lab_web_1"},
                                   {"image", "bulwark-lab/vulnerable-app:1.0"}}},
                    {"started", "2026-11-24T10:01:00Z"},
                    {"remediation", {{{"kind", "rebuild"}, {"text", "Rebuild from"}, {"items", {"bulwark-lab/hardened-app:1.0"}}},
                                     {{"kind", "rotate-credentials"}, {"text", "Rotate"}, {"items", {"DB_PASSWORD", "API_KEY"}}}}},
                    {"actions", json::array()}};
    WriteFile(evidence / "contain.json", contain.dump());
    std::string log;
    log += json{{"time", "2026-11-24T10:01:00.5Z"}, {"action", "export"}, {"target", "bulwark-lab_web_1"},
                {"result", "ok"}, {"detail", "filesystem tarball"},
                {"evidence", {{{"path", "export.tar"}, {"sha256", "ab12"}, {"bytes", 1000}}}}}
               .dump() + "\n";
    log += json{{"time", "2026-11-24T10:01:02Z"}, {"action", "kill"}, {"target", "4242"}, {"result", "ok"},
                {"detail", "SIGKILL"}}
               .dump() + "\n";
    log += json{{"time", "2026-11-24T10:01:03Z"}, {"action", "quarantine"}, {"target", "/tmp/.ICE-unix/.kworker"},
                {"result", "ok"}, {"evidence", {{{"path", "quarantine/cafe"}, {"sha256", "cafe"}, {"bytes", 9}}}}}
               .dump() + "\n";
    log += json{{"time", "2026-11-24T10:01:04Z"}, {"action", "disconnect"}, {"target", "bulwark-lab_default"},
                {"result", "ok"}}
               .dump() + "\n";
    log += json{{"time", "2026-11-24T10:01:05Z"}, {"action", "pause"}, {"target", "bulwark-lab_web_1"},
                {"result", "ok"}}
               .dump() + "\n";
    WriteFile(evidence / "actions.jsonl", log);
    json triage_doc = {
        {"target", {{"kind", "file"}, {"path", "/tmp/.ICE-unix/.kworker"}}},
        {"hashes", {{"sha256", "cafe"}, {"sha1", "be"}, {"md5", "ef"}}},
        {"iocs", {{{"kind", "stratum_url"}, {"value", "stratum+tcp://127.0.0.1:3333"}},
                  {{"kind", "wallet"}, {"value", "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge"}}}},
        {"yara", {{"matches", {{{"rule", "bulwark_miner_stratum"}}}}}},
        {"assessment", {{"verdict", "malicious"}, {"score", 240}, {"confidence", "high"},
                        {"reasons", {{{"what", "stratum URL"}, {"where", "strings"}}}},
                        {"attack", {"T1496", "T1036.004"}}}}};
    WriteFile(triage, triage_doc.dump());
  }

  IncidentSources Sources() const {
    IncidentSources s;
    s.alert_files = {alerts.string()};
    s.triage_files = {triage.string()};
    s.results_dir = results.string();
    return s;
  }
};

TEST(Rfc3339, NanosecondsAndZones) {
  EXPECT_EQ(ParseRfc3339Ns("1970-01-01T00:00:01.5Z"), 1'500'000'000);
  EXPECT_EQ(ParseRfc3339Ns("1970-01-01T00:00:00.123456789123Z"), 123'456'789);
  EXPECT_EQ(ParseRfc3339Ns("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_FALSE(ParseRfc3339Ns("yesterday").has_value());
}

TEST(IncidentInputs, ReadsAlertsEvidenceTriageAndResults) {
  Lab lab;
  IncidentInputs in = LoadIncidentInputs(lab.Sources());
  ASSERT_EQ(in.alerts.size(), 6u);
  EXPECT_EQ(in.alerts.front().rule, "Shell spawned by application in container");
  EXPECT_EQ(in.alerts.back().rule, "Write below etc");
  ASSERT_EQ(in.containments.size(), 1u);  // found under results/incident/
  EXPECT_EQ(in.containments[0].actions.size(), 5u);  // the log wins over an empty contain.json list
  ASSERT_EQ(in.triages.size(), 1u);
  EXPECT_EQ(in.triages[0].verdict, "malicious");
  ASSERT_TRUE(in.results.has_value());
  // The line that is not an alert is reported, not fatal.
  bool warned = false;
  for (const auto& w : in.warnings) warned = warned || w.find(":4: not an alert") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(IncidentInputs, SameEvidenceNamedTwiceCountsOnceAndAlertsDeduplicate) {
  Lab lab;
  IncidentSources s = lab.Sources();
  s.evidence_dirs = {lab.evidence.string()};
  s.alert_files.push_back(lab.alerts.string());
  IncidentInputs in = LoadIncidentInputs(s);
  EXPECT_EQ(in.containments.size(), 1u);
  EXPECT_EQ(in.alerts.size(), 6u);
}

TEST(IncidentInputs, EvidenceFilesAreNotFollowedThroughLinks) {
  Lab lab;
  fs::path planted = lab.root / "planted";
  fs::create_directories(planted);
  fs::create_symlink(lab.evidence / "actions.jsonl", planted / "actions.jsonl");
  IncidentSources s;
  s.evidence_dirs = {planted.string()};
  IncidentInputs in = LoadIncidentInputs(s);
  EXPECT_TRUE(in.containments.empty());
  bool warned = false;
  for (const auto& w : in.warnings) warned = warned || w.find("actions.jsonl: cannot be read") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(IncidentInputs, ScopeKeepsOnlyTheNamedContainers) {
  Lab lab;
  IncidentSources s = lab.Sources();
  s.container_scope = {"bulwark-lab-hardened"};
  IncidentInputs in = LoadIncidentInputs(s);
  EXPECT_TRUE(in.alerts.empty());
  s.container_scope = {"other", "bulwark-lab_"};
  EXPECT_EQ(LoadIncidentInputs(s).alerts.size(), 6u);
}

TEST(BuildIncident, TimelinePhasesRootCauseAndIndicators) {
  Lab lab;
  Incident inc = BuildIncident(LoadIncidentInputs(lab.Sources()));
  EXPECT_EQ(inc.status, "compromised");
  EXPECT_EQ(inc.first_activity, "2026-11-24T10:00:00.100000000Z");
  EXPECT_EQ(inc.detected, "2026-11-24T10:00:00.100000000Z");
  EXPECT_EQ(inc.contained, "2026-11-24T10:01:04Z");  // the disconnect: the first containing action
  // Three identical shell alerts are one row with a count.
  ASSERT_GE(inc.timeline.size(), 9u);
  EXPECT_EQ(inc.timeline[0].phase, "detection");
  EXPECT_NE(inc.timeline[0].what.find("3 alerts until 2026-11-24T10:00:02.100000000Z"), std::string::npos);
  std::vector<std::string> phases;
  for (const auto& e : inc.timeline) phases.push_back(e.phase);
  EXPECT_NE(std::find(phases.begin(), phases.end(), "evidence"), phases.end());
  EXPECT_NE(std::find(phases.begin(), phases.end(), "eradication"), phases.end());
  EXPECT_NE(std::find(phases.begin(), phases.end(), "containment"), phases.end());
  for (size_t i = 1; i < inc.timeline.size(); ++i) EXPECT_LE(inc.timeline[i - 1].time_ns, inc.timeline[i].time_ns);

  ASSERT_EQ(inc.root_causes.size(), 1u);
  EXPECT_EQ(inc.root_causes[0].finding_id, "BW-PY-SUBPROCESS-SHELL");
  EXPECT_EQ(inc.root_causes[0].location, "lab/vulnerable-app/app.py:42");
  EXPECT_FALSE(inc.root_causes[0].fixed_since);

  auto has_ioc = [&](const std::string& kind, const std::string& value) {
    return std::any_of(inc.indicators.begin(), inc.indicators.end(),
                       [&](const Indicator& i) { return i.kind == kind && i.value == value; });
  };
  EXPECT_TRUE(has_ioc("sha256", "cafe"));
  EXPECT_TRUE(has_ioc("stratum_url", "stratum+tcp://127.0.0.1:3333"));
  EXPECT_TRUE(has_ioc("file", "/tmp/.ICE-unix/.kworker"));
  EXPECT_TRUE(has_ioc("file", "/etc/shadow"));
  EXPECT_TRUE(has_ioc("file", "/etc/cron.d/kworker"));
  EXPECT_EQ(std::count_if(inc.indicators.begin(), inc.indicators.end(),
                          [](const Indicator& i) { return i.value == "cafe"; }),
            1);  // quarantined file and triaged binary: one indicator

  EXPECT_NE(std::find(inc.techniques.begin(), inc.techniques.end(), "T1496"), inc.techniques.end());
  EXPECT_NE(std::find(inc.techniques.begin(), inc.techniques.end(), "T1190"), inc.techniques.end());
  EXPECT_EQ(std::find(inc.techniques.begin(), inc.techniques.end(), "container"), inc.techniques.end());

  ASSERT_FALSE(inc.assets.empty());
  EXPECT_EQ(inc.assets[0].kind, "container");
  EXPECT_EQ(inc.assets[0].name, "bulwark-lab_web_1");
  auto lesson = [&](const std::string& needle) {
    return std::any_of(inc.lessons.begin(), inc.lessons.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(lesson("known before the attack"));
  EXPECT_TRUE(lesson("read-only root filesystem"));
  EXPECT_TRUE(lesson("/etc/shadow"));
  EXPECT_TRUE(lesson("mining pool address"));  // triage saw stratum, no rule did
  auto remediation = [&](const std::string& needle) {
    return std::any_of(inc.remediation.begin(), inc.remediation.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(remediation("Rebuild from (bulwark-lab/hardened-app:1.0)"));  // contain's own guidance kept
  EXPECT_TRUE(remediation("Rotate (DB_PASSWORD, API_KEY)"));
  EXPECT_FALSE(remediation("Rotate every credential"));  // the general form only without contain's
  EXPECT_TRUE(remediation("/etc/cron.d/kworker"));
  EXPECT_TRUE(remediation("BW-PY-SUBPROCESS-SHELL"));
}

TEST(BuildIncident, LaterFixClosesTheRootCauseAndAddsRecovery) {
  Lab lab;
  json fix = {{"target", "lab/vulnerable-app"}, {"written", true}, {"before", AuditReport(true)},
              {"after", AuditReport(false)}, {"edits", json::array()}};
  ASSERT_TRUE(SaveResult(lab.results, {"fix", "lab/vulnerable-app", "2026-11-24T11:00:00Z", ""}, fix.dump()).ok());
  Incident inc = BuildIncident(LoadIncidentInputs(lab.Sources()));
  ASSERT_EQ(inc.root_causes.size(), 1u);
  EXPECT_TRUE(inc.root_causes[0].fixed_since);
  EXPECT_EQ(inc.timeline.back().phase, "recovery");
  EXPECT_NE(inc.timeline.back().what.find("no longer reported by fix"), std::string::npos);
}

TEST(BuildIncident, AnAuditThatReadNoCodeDoesNotCloseTheRootCause) {
  Lab lab;
  ASSERT_TRUE(SaveResult(lab.results, {"audit", "lab/deploy", "2026-11-24T11:00:00Z", ""},
                         AuditReport(false, /*read_code=*/false).dump())
                  .ok());
  Incident inc = BuildIncident(LoadIncidentInputs(lab.Sources()));
  ASSERT_EQ(inc.root_causes.size(), 1u);
  EXPECT_FALSE(inc.root_causes[0].fixed_since);
  EXPECT_NE(inc.timeline.back().phase, "recovery");
}

TEST(BuildIncident, HardenedRunWithoutAlertsSaysNoIncident) {
  fs::path results = bulwark::testing::MakeTempDir("incident-hardened");
  ASSERT_TRUE(SaveResult(results, {"audit", "lab", "2026-11-24T09:00:00Z", ""}, AuditReport(true).dump()).ok());
  ASSERT_TRUE(SaveResult(results, {"audit", "lab", "2026-11-24T09:30:00Z", ""}, AuditReport(false).dump()).ok());
  json watch = {{"tool", {{"name", "bulwark"}}}, {"target", "lab-host"}, {"stats", {{"events", 1000}}},
                {"alerts", json::array()}};
  ASSERT_TRUE(SaveResult(results, {"watch", "lab-host", "2026-11-24T10:05:00Z", ""}, watch.dump()).ok());
  IncidentSources s;
  s.results_dir = results.string();
  Incident inc = BuildIncident(LoadIncidentInputs(s));
  EXPECT_EQ(inc.status, "no incident");
  EXPECT_EQ(inc.title, "No sign of compromise");
  EXPECT_NE(inc.summary.find("No runtime alert"), std::string::npos);
  EXPECT_NE(inc.summary.find("(1 watch run(s))"), std::string::npos);
  EXPECT_NE(inc.summary.find("BW-PY-SUBPROCESS-SHELL is closed"), std::string::npos);
  EXPECT_TRUE(inc.remediation.empty());
  std::string md = RenderIncidentMarkdown(inc);
  EXPECT_NE(md.find("**no incident**"), std::string::npos);
}

TEST(RenderIncident, MarkdownHasEverySectionAndEscapesTheAttacker) {
  Lab lab;
  Incident inc = BuildIncident(LoadIncidentInputs(lab.Sources()));
  std::string md = RenderIncidentMarkdown(inc);
  for (const char* section : {"## 1. Summary", "## 2. Timeline", "## 3. Affected assets",
                              "## 4. Indicators of compromise", "## 5. Root cause", "## 6. Actions taken",
                              "## 7. Analysis of the unknown binary", "## 8. Remediation and recovery",
                              "## 9. Lessons learned"}) {
    EXPECT_NE(md.find(section), std::string::npos) << section;
  }
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find("`x`"), std::string::npos);
  EXPECT_NE(md.find("quarantine/cafe sha256 cafe"), std::string::npos);
  json doc = json::parse(RenderIncidentJson(inc));
  EXPECT_EQ(doc["status"], "compromised");
  EXPECT_EQ(doc["root_causes"][0]["finding_id"], "BW-PY-SUBPROCESS-SHELL");
  EXPECT_EQ(doc["actions"].size(), 5u);
}

TEST(IncidentParse, ContainerTriageGivesOneSummaryPerSuspiciousProcess) {
  json process = {{"target", {{"kind", "process"}, {"pid", 4242}, {"path", "/tmp/.ICE-unix/.kworker"}}},
                  {"hashes", {{"sha256", "cafe"}}},
                  {"iocs", {{{"kind", "stratum_url"}, {"value", "stratum+tcp://127.0.0.1:3333"}}}},
                  {"assessment", {{"verdict", "malicious"}, {"score", 490}}}};
  json container = {{"target", {{"kind", "container"}, {"name", "web"}}},
                    {"assessment", {{"verdict", "malicious"}, {"score", 490}}},
                    {"suspicious", {process}}};
  std::vector<std::string> warnings;
  auto list = ParseTriage(container.dump(), "c.json", warnings);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].target, "PID 4242 /tmp/.ICE-unix/.kworker in container web");
  EXPECT_EQ(list[0].sha256, "cafe");
  ASSERT_EQ(list[0].indicators.size(), 1u);
  container["suspicious"] = json::array();
  list = ParseTriage(container.dump(), "c.json", warnings);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].target, "web");
}

TEST(IncidentParse, HostileInputsNeverThrow) {
  std::vector<std::string> warnings;
  EXPECT_TRUE(ParseAlertLines(std::string(100000, '['), "deep", warnings).empty());
  EXPECT_TRUE(ParseAlertLines("{\"rule\": 5}\n{\"rule\":\"r\",\"output_fields\":[1,2]}\n", "odd", warnings).size() == 1);
  EXPECT_TRUE(ParseTriage("{\"assessment\": 3}", "t", warnings).empty());
  EXPECT_FALSE(ParseContainment("[]", "garbage\n{\"action\":7}\n", "d", warnings).has_value());
  auto c = ParseContainment("", "{\"action\":\"pause\",\"time\":\"bad\",\"evidence\":\"x\"}\n", "d", warnings);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->actions[0].time_ns, 0);
}

}  // namespace
}  // namespace bulwark::report
