// incident_report.md (NIST SP 800-61 / SANS structure) and its JSON twin.
// Every string that came from an alert, a triage or the evidence may be
// the attacker's: Markdown escapes it (core::EscapeMarkdown), JSON replaces
// invalid UTF-8.
#include <nlohmann/json.hpp>

#include "core/escape.hpp"
#include "core/version.hpp"
#include "report/incident.hpp"
#include "report/result_time.hpp"

namespace bulwark::report {
namespace {

std::string E(const std::string& text) { return core::EscapeMarkdown(text); }

std::string Or(const std::string& text, const char* fallback) { return text.empty() ? fallback : text; }

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void Summary(const Incident& in, std::string& md) {
  md += "# Incident report: " + E(in.title) + "\n\n";
  md += "| | |\n|---|---|\n";
  md += "| Status | **" + E(in.status) + "** |\n";
  md += "| First activity | " + E(Or(in.first_activity, "none seen")) + " |\n";
  md += "| Detected | " + E(Or(in.detected, "not detected")) + " |\n";
  md += "| Contained | " + E(Or(in.contained, "not contained")) + " |\n";
  md += "| Alerts | " + std::to_string(in.alert_count) + " |\n";
  md += "| Report written | " + FormatIsoTime(NowUtcSeconds()) + " by bulwark " + core::kVersion + " |\n\n";
  md += "## 1. Summary\n\n" + E(in.summary) + "\n\n";
}

void Timeline(const Incident& in, std::string& md) {
  md += "## 2. Timeline\n\nTimes are UTC. Phases follow NIST SP 800-61: detection and analysis, "
        "containment (with evidence first), eradication, recovery.\n\n";
  if (in.timeline.empty()) {
    md += "Nothing to put on a timeline: no alert, no containment action, no fix.\n\n";
    return;
  }
  md += "| Time | Phase | Event | Source | ATT&CK |\n|---|---|---|---|---|\n";
  for (const TimelineEntry& e : in.timeline) {
    md += "| " + E(e.time) + " | " + E(e.phase) + " | " + E(e.what) + " | " + E(e.source) + " | " +
          E(Join(e.attack, ", ")) + " |\n";
  }
  md += "\n";
}

void Assets(const Incident& in, std::string& md) {
  md += "## 3. Affected assets\n\n";
  if (in.assets.empty()) {
    md += "None identified.\n\n";
    return;
  }
  md += "| Kind | Name | ID | Detail |\n|---|---|---|---|\n";
  for (const Asset& a : in.assets) {
    md += "| " + E(a.kind) + " | " + E(a.name) + " | " + E(a.id) + " | " + E(a.detail) + " |\n";
  }
  md += "\n";
}

void Indicators(const Incident& in, std::string& md) {
  md += "## 4. Indicators of compromise\n\n";
  if (in.indicators.empty()) {
    md += "None.\n\n";
    return;
  }
  md += "| Kind | Value | Seen in |\n|---|---|---|\n";
  for (const Indicator& i : in.indicators) {
    md += "| " + E(i.kind) + " | " + E(i.value) + " | " + E(i.seen_in) + " |\n";
  }
  md += "\n";
}

void RootCauses(const Incident& in, std::string& md) {
  md += "## 5. Root cause\n\n";
  if (in.root_causes.empty()) {
    md += "No audit result in the results directory names a code-execution flaw (CWE-77/78/94/95). "
          "Run `bulwark audit` on the service's sources to find the entry point.\n\n";
    return;
  }
  for (const RootCause& c : in.root_causes) {
    md += "- **" + E(c.finding_id) + "** (" + E(c.severity) + ", " + E(Join(c.cwe, ", ")) + ") " + E(c.title) +
          " at " + E(c.location) + ": " + E(c.message) + (c.fixed_since ? " **Fixed since.**" : " **Still open.**") +
          "\n";
  }
  md += "\n";
}

std::string EvidenceCell(const ContainAction& a) {
  std::string out;
  for (const EvidenceFile& f : a.evidence) {
    out += (out.empty() ? "" : "<br>") + E(f.path) + " sha256 " + E(f.sha256);
  }
  return out;
}

void Actions(const Incident& in, std::string& md) {
  md += "## 6. Actions taken\n\n";
  if (in.actions.empty()) {
    md += "No containment action was recorded (`bulwark contain CONTAINER` records them).\n\n";
    return;
  }
  md += "| Time | Action | Target | Result | Detail | Evidence |\n|---|---|---|---|---|---|\n";
  for (const ContainAction& a : in.actions) {
    md += "| " + E(a.time) + " | " + E(a.action) + " | " + E(a.target) + " | " + E(a.result) + " | " + E(a.detail) +
          " | " + EvidenceCell(a) + " |\n";
  }
  md += "\n";
}

void Triage(const Incident& in, std::string& md) {
  md += "## 7. Analysis of the unknown binary\n\n";
  if (in.triages.empty()) {
    md += "No triage report was given (`bulwark triage TARGET --format json`).\n\n";
    return;
  }
  for (const TriageSummary& t : in.triages) {
    md += "### " + E(t.target) + "\n\n";
    md += "- Verdict: **" + E(t.verdict) + "** (score " + std::to_string(t.score) + ", confidence " +
          E(t.confidence) + ")\n";
    if (!t.sha256.empty()) md += "- SHA-256 " + E(t.sha256) + ", SHA-1 " + E(t.sha1) + ", MD5 " + E(t.md5) + "\n";
    if (!t.yara.empty()) md += "- YARA: " + E(Join(t.yara, ", ")) + "\n";
    if (!t.attack.empty()) md += "- ATT&CK: " + E(Join(t.attack, ", ")) + "\n";
    for (const auto& r : t.reasons) md += "- " + E(r) + "\n";
    md += "\n";
  }
}

void Closing(const Incident& in, std::string& md) {
  md += "## 8. Remediation and recovery\n\n";
  if (in.remediation.empty()) md += "Nothing to remediate.\n";
  for (const auto& r : in.remediation) md += "- " + E(r) + "\n";
  md += "\n## 9. Lessons learned\n\n";
  if (in.lessons.empty()) md += "None drawn from the evidence.\n";
  for (const auto& l : in.lessons) md += "- " + E(l) + "\n";
  md += "\n## Appendix\n\n### ATT&CK techniques seen\n\n";
  md += in.techniques.empty() ? "None.\n" : E(Join(in.techniques, ", ")) + "\n";
  md += "\n### Alerts by rule\n\n";
  if (in.alerts_by_rule.empty()) md += "None.\n";
  for (const auto& [rule, n] : in.alerts_by_rule) md += "- " + E(rule) + ": " + std::to_string(n) + "\n";
  md += "\n### Inputs read\n\n";
  if (in.sources.empty()) md += "None.\n";
  for (const auto& s : in.sources) md += "- " + E(s) + "\n";
  if (!in.warnings.empty()) {
    md += "\n### Warnings\n\n";
    for (const auto& w : in.warnings) md += "- " + E(w) + "\n";
  }
}

nlohmann::json S(const std::string& text) { return core::SanitizeUtf8(text); }

nlohmann::json Strings(const std::vector<std::string>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : items) out.push_back(S(s));
  return out;
}

}  // namespace

std::string RenderIncidentMarkdown(const Incident& incident) {
  std::string md;
  Summary(incident, md);
  Timeline(incident, md);
  Assets(incident, md);
  Indicators(incident, md);
  RootCauses(incident, md);
  Actions(incident, md);
  Triage(incident, md);
  Closing(incident, md);
  return md;
}

std::string RenderIncidentJson(const Incident& in) {
  using nlohmann::json;
  json timeline = json::array(), indicators = json::array(), assets = json::array(), causes = json::array(),
       actions = json::array();
  for (const auto& e : in.timeline) {
    timeline.push_back({{"time", S(e.time)}, {"phase", e.phase}, {"what", S(e.what)}, {"source", S(e.source)},
                        {"attack", Strings(e.attack)}});
  }
  for (const auto& i : in.indicators) {
    indicators.push_back({{"kind", S(i.kind)}, {"value", S(i.value)}, {"seen_in", S(i.seen_in)}});
  }
  for (const auto& a : in.assets) {
    assets.push_back({{"kind", a.kind}, {"name", S(a.name)}, {"id", S(a.id)}, {"detail", S(a.detail)}});
  }
  for (const auto& c : in.root_causes) {
    causes.push_back({{"finding_id", S(c.finding_id)}, {"title", S(c.title)}, {"location", S(c.location)},
                      {"severity", c.severity}, {"cwe", Strings(c.cwe)}, {"fixed_since", c.fixed_since}});
  }
  for (const auto& a : in.actions) {
    json evidence = json::array();
    for (const auto& f : a.evidence) evidence.push_back({{"path", S(f.path)}, {"sha256", S(f.sha256)}, {"bytes", f.bytes}});
    actions.push_back({{"time", S(a.time)}, {"action", S(a.action)}, {"target", S(a.target)},
                       {"result", S(a.result)}, {"detail", S(a.detail)}, {"evidence", evidence}});
  }
  json triages = json::array();
  for (const auto& t : in.triages) {
    triages.push_back({{"target", S(t.target)}, {"verdict", S(t.verdict)}, {"score", t.score},
                       {"sha256", S(t.sha256)}, {"yara", Strings(t.yara)}, {"attack", Strings(t.attack)}});
  }
  json doc = {{"tool", {{"name", "bulwark"}, {"version", core::kVersion}}},
              {"status", in.status},
              {"title", S(in.title)},
              {"summary", S(in.summary)},
              {"first_activity", S(in.first_activity)},
              {"detected", S(in.detected)},
              {"contained", S(in.contained)},
              {"alerts", in.alert_count},
              {"timeline", timeline},
              {"assets", assets},
              {"indicators", indicators},
              {"root_causes", causes},
              {"actions", actions},
              {"triage", triages},
              {"techniques", Strings(in.techniques)},
              {"remediation", Strings(in.remediation)},
              {"lessons", Strings(in.lessons)},
              {"warnings", Strings(in.warnings)}};
  return doc.dump(2) + "\n";
}

}  // namespace bulwark::report
