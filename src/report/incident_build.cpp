// BuildIncident: from alerts, containment, triage and audit results to the
// report's sections. The timeline groups repeated alerts (one rule, one
// container) into one row with a count so a storm of identical alerts does
// not bury the story; phases follow NIST SP 800-61 (detection and analysis,
// containment, eradication, recovery).
#include <algorithm>
#include <set>

#include "report/incident.hpp"
#include "report/incident_internal.hpp"
#include "report/result_time.hpp"

namespace bulwark::report {
namespace {

using incident_internal::IsAttackId;

constexpr size_t kMaxIndicators = 200;

std::string ContainerOf(const IncidentAlert& a) {
  std::string name = a.Field("container.name");
  return name.empty() ? a.Field("container.id") : name;
}

std::string ImageOf(const IncidentAlert& a) {
  std::string repo = a.Field("container.image.repository");
  std::string tag = a.Field("container.image.tag");
  if (repo.empty()) return a.Field("container.image");
  return tag.empty() ? repo : repo + ":" + tag;
}

std::vector<std::string> AttackTags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    if (IsAttackId(t)) out.push_back(t);
  }
  return out;
}

// Falco's priorities, most severe first.
int PriorityRank(const std::string& priority) {
  static const char* kOrder[] = {"emergency", "alert", "critical", "error", "warning",
                                 "notice", "informational", "info", "debug"};
  std::string lower = priority;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (int i = 0; i < 9; ++i) {
    if (lower == kOrder[i]) return i;
  }
  return 9;
}

void AddTimelineFromAlerts(const IncidentInputs& in, Incident& out) {
  struct Group {
    size_t first;
    size_t count = 0;
    std::string last_time;
  };
  std::vector<std::pair<std::string, Group>> groups;  // in order of first appearance
  for (size_t i = 0; i < in.alerts.size(); ++i) {
    const IncidentAlert& a = in.alerts[i];
    std::string key = a.rule + '\0' + ContainerOf(a);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
    if (it == groups.end()) {
      if (groups.size() >= 500) continue;  // bounded: the table stays readable
      groups.push_back({key, Group{i}});
      it = groups.end() - 1;
    }
    it->second.count++;
    it->second.last_time = a.time;
  }
  bool detected = false;
  for (const auto& [key, g] : groups) {
    const IncidentAlert& a = in.alerts[g.first];
    TimelineEntry e;
    e.time = a.time;
    e.time_ns = a.time_ns;
    e.phase = !detected && PriorityRank(a.priority) <= 4 ? "detection" : "activity";
    detected = detected || e.phase == "detection";
    e.what = a.rule + " (" + a.priority + ")";
    std::string where = ContainerOf(a);
    if (!where.empty()) e.what += " in " + where;
    std::string proc = a.Field("proc.exepath");
    if (proc.empty()) proc = a.Field("proc.name");
    if (!proc.empty()) e.what += ": " + proc;
    if (std::string file = a.Field("fd.name"); !file.empty()) e.what += " -> " + file;
    if (g.count > 1) e.what += " (" + std::to_string(g.count) + " alerts until " + g.last_time + ")";
    e.source = "alert";
    e.attack = AttackTags(a.tags);
    out.timeline.push_back(std::move(e));
  }
}

std::string PhaseOfAction(const std::string& action) {
  if (action == "kill" || action == "quarantine") return "eradication";
  if (action == "inspect" || action == "top" || action == "export" || action == "commit" ||
      action == "save-process")
    return "evidence";
  return "containment";
}

void AddContainment(const IncidentInputs& in, Incident& out) {
  for (const Containment& c : in.containments) {
    for (const ContainAction& a : c.actions) {
      out.actions.push_back(a);
      TimelineEntry e;
      e.time = a.time;
      e.time_ns = a.time_ns;
      e.phase = PhaseOfAction(a.action);
      e.what = a.action + " " + a.target + ": " + a.result;
      if (!a.detail.empty()) e.what += " (" + a.detail + ")";
      e.source = "contain";
      if (a.result == "ok" && e.phase == "containment" && out.contained.empty()) out.contained = a.time;
      out.timeline.push_back(std::move(e));
      for (const EvidenceFile& f : a.evidence) {
        if (!f.sha256.empty() && out.indicators.size() < kMaxIndicators && a.action == "quarantine") {
          out.indicators.push_back({"sha256", f.sha256, "contain: quarantined " + a.target});
        }
      }
    }
    for (const auto& r : c.remediation) out.remediation.push_back(r);
  }
}

void AddAssets(const IncidentInputs& in, Incident& out) {
  std::set<std::string> seen;
  auto add = [&](Asset asset) {
    if (asset.name.empty() && asset.id.empty()) return;
    if (seen.insert(asset.kind + '\0' + asset.name + '\0' + asset.id).second && out.assets.size() < 100) {
      out.assets.push_back(std::move(asset));
    }
  };
  for (const IncidentAlert& a : in.alerts) {
    if (!ContainerOf(a).empty()) {
      add({"container", a.Field("container.name"), a.Field("container.id"), "image " + ImageOf(a)});
    }
    if (!ImageOf(a).empty()) add({"image", ImageOf(a), "", ""});
    if (!a.hostname.empty()) add({"host", a.hostname, "", ""});
  }
  for (const Containment& c : in.containments) {
    add({"container", c.container_name, c.container_id.substr(0, 12), "image " + c.image});
  }
}

void AddIndicator(Incident& out, std::set<std::string>& seen, Indicator ioc) {
  if (ioc.value.empty() || out.indicators.size() >= kMaxIndicators) return;
  if (seen.insert(ioc.kind + '\0' + ioc.value).second) out.indicators.push_back(std::move(ioc));
}

void AddIndicators(const IncidentInputs& in, Incident& out) {
  std::set<std::string> seen;
  for (const auto& ioc : out.indicators) seen.insert(ioc.kind + '\0' + ioc.value);
  for (const TriageSummary& t : in.triages) {
    AddIndicator(out, seen, {"sha256", t.sha256, "triage of " + t.target});
    for (const TriageIndicator& i : t.indicators) AddIndicator(out, seen, {i.kind, i.value, "triage"});
  }
  for (const IncidentAlert& a : in.alerts) {
    if (PriorityRank(a.priority) > 4) continue;  // notices are context, not indicators
    std::string exe = a.Field("proc.exepath");
    bool dropped = a.rule.find("binary") != std::string::npos || a.rule.find("temporary") != std::string::npos;
    if (dropped) AddIndicator(out, seen, {"file", exe, "alert: " + a.rule});
    std::string fd = a.Field("fd.name");
    if (!fd.empty()) {
      bool network = fd.find("->") != std::string::npos;
      AddIndicator(out, seen, {network ? "network" : "file", fd, "alert: " + a.rule});
    }
    if (dropped) AddIndicator(out, seen, {"process", a.Field("proc.cmdline"), "alert: " + a.rule});
  }
}

void CountAlerts(const IncidentInputs& in, Incident& out) {
  std::set<std::string> techniques;
  for (const IncidentAlert& a : in.alerts) {
    out.alerts_by_rule[a.rule]++;
    out.alerts_by_priority[a.priority]++;
    for (const auto& t : AttackTags(a.tags)) techniques.insert(t);
  }
  for (const TriageSummary& t : in.triages) {
    for (const auto& id : t.attack) {
      if (IsAttackId(id)) techniques.insert(id);
    }
  }
  out.techniques.assign(techniques.begin(), techniques.end());
  out.alert_count = in.alerts.size();
}

void SetStatusAndSummary(const IncidentInputs& in, Incident& out) {
  bool severe = false;
  for (const IncidentAlert& a : in.alerts) severe = severe || PriorityRank(a.priority) <= 3;
  bool malicious_triage = std::any_of(in.triages.begin(), in.triages.end(),
                                      [](const TriageSummary& t) { return t.verdict == "malicious"; });
  if (severe || malicious_triage) {
    out.status = "compromised";
  } else if (!in.alerts.empty()) {
    out.status = "attempted";
  } else {
    out.status = "no incident";
  }
  if (!in.alerts.empty()) {
    out.first_activity = in.alerts.front().time;
    out.last_activity = in.alerts.back().time;
    for (const TimelineEntry& e : out.timeline) {
      if (e.phase == "detection") {
        out.detected = e.time;
        break;
      }
    }
  }
  out.summary = incident_internal::SummaryText(in, out);
  out.title = incident_internal::TitleText(in, out);
}

}  // namespace

Incident BuildIncident(const IncidentInputs& inputs) {
  Incident out;
  AddTimelineFromAlerts(inputs, out);
  AddContainment(inputs, out);
  std::stable_sort(out.timeline.begin(), out.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.time_ns < b.time_ns; });
  AddAssets(inputs, out);
  AddIndicators(inputs, out);
  CountAlerts(inputs, out);
  out.root_causes = incident_internal::FindRootCauses(inputs);
  incident_internal::AddRecovery(inputs, out);
  out.triages = inputs.triages;
  SetStatusAndSummary(inputs, out);
  out.lessons = incident_internal::Lessons(inputs, out);
  incident_internal::AddStandardRemediation(inputs, out);
  out.sources = inputs.sources;
  out.warnings = inputs.warnings;
  return out;
}

}  // namespace bulwark::report
