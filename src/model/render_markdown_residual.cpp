// threat_model.md, the closing sections: what risk remains, what the model
// assumes, and (with --before/--after) what hardening changed.
#include <algorithm>
#include <map>
#include <set>

#include "model/render_markdown_parts.hpp"
#include "model/render_util.hpp"

namespace bulwark::model::render {
namespace {

constexpr size_t kMaxRows = 30;
constexpr size_t kMaxChanges = 15;
constexpr std::string_view kArrow = "\xE2\x86\x92";

std::string RiskBreakdown(const std::vector<Threat>& threats, ThreatStatus status) {
  std::vector<std::string> parts;
  for (core::Severity risk : core::kAllSeverities) {
    long count = std::count_if(threats.begin(), threats.end(),
                               [&](const Threat& t) { return t.status == status && t.risk == risk; });
    if (count > 0) parts.push_back(std::to_string(count) + " " + std::string(core::SeverityName(risk)));
  }
  return parts.empty() ? std::string() : " (" + JoinLimited(parts, ", ", 5) + ")";
}

void PotentialTable(const MarkdownContext& md) {
  const ThreatModel& model = md.model;
  md.out += "| Potential threat | On | Risk | Why it is possible | Mitigation |\n|---|---|---|---|---|\n";
  size_t rows = 0;
  size_t total = 0;
  for (const Threat& threat : model.threats) {
    if (threat.status != ThreatStatus::kPotential) continue;
    if (++total > kMaxRows) continue;
    ++rows;
    md.out += "| " + Md(threat.title, 100) + " | " + Md(TargetName(model.system, threat.target), 80) + " | " +
              std::string(core::SeverityName(threat.risk)) + " | " + Md(threat.rationale, 200) + " | " +
              Md(threat.mitigation, 200) + " |\n";
  }
  if (total > rows) md.out += "\n" + std::to_string(total - rows) + " more in threat_model.json.\n";
  md.out += "\n";
}

void UnattachedTable(const MarkdownContext& md) {
  const ThreatModel& model = md.model;
  md.out += "### Findings no threat claims\n\n";
  if (model.unattached.empty()) {
    md.out += "Every audit and scan finding is attached to a threat above.\n\n";
    return;
  }
  md.out += "Listed so none is lost; they still need fixing on their own merits.\n\n"
            "| Finding | Title | Severity | Category | Location |\n|---|---|---|---|---|\n";
  size_t rows = 0;
  for (const core::Finding& finding : model.unattached) {
    if (++rows > kMaxRows) break;
    std::string location = finding.location.path;
    if (finding.location.line > 0) location += ":" + std::to_string(finding.location.line);
    md.out += "| " + Md(finding.id, 40) + " | " + Md(finding.title, 100) + " | " +
              std::string(core::SeverityName(finding.severity)) + " | " +
              std::string(core::CategoryName(finding.category)) + " | " + Md(location, 80) + " |\n";
  }
  if (model.unattached.size() > kMaxRows) {
    md.out += "\n" + std::to_string(model.unattached.size() - kMaxRows) + " more in threat_model.json.\n";
  }
  md.out += "\n";
}

std::string Delta(long before, long after) {
  long change = after - before;
  return change > 0 ? "+" + std::to_string(change) : std::to_string(change);
}

void CountRow(std::string& out, std::string_view label, long before, long after) {
  out += "| " + std::string(label) + " | " + std::to_string(before) + " | " + std::to_string(after) + " | " +
         Delta(before, after) + " |\n";
}

long OpenAt(const ThreatModel& model, core::Severity risk) {
  return std::count_if(model.threats.begin(), model.threats.end(),
                       [&](const Threat& t) { return t.risk == risk && t.status != ThreatStatus::kMitigated; });
}

long Crossing(const SystemModel& system) {
  return std::count_if(system.flows.begin(), system.flows.end(), [](const Flow& f) { return !f.crosses.empty(); });
}

// "web: no longer runs as root, no resource limits; now non-root (10001)".
std::vector<std::string> ElementChanges(const SystemModel& before, const SystemModel& after) {
  std::vector<std::string> changes;
  for (const Element& element : after.elements) {
    const Element* old = before.FindElement(element.id);
    if (old == nullptr) {
      changes.push_back("**" + Md(element.name, 60) + "**: added");
      continue;
    }
    std::vector<std::string> was = PostureFacts(*old);
    std::vector<std::string> now = PostureFacts(element);
    std::vector<std::string> gone;
    std::vector<std::string> added;
    for (const std::string& fact : was) {
      if (std::find(now.begin(), now.end(), fact) == now.end()) gone.push_back(Md(fact, 60));
    }
    for (const std::string& fact : now) {
      if (std::find(was.begin(), was.end(), fact) == was.end()) added.push_back(Md(fact, 60));
    }
    if (gone.empty() && added.empty()) continue;
    std::string line = "**" + Md(element.name, 60) + "**:";
    if (!gone.empty()) line += " no longer " + JoinLimited(gone, ", ", 8) + (added.empty() ? "" : ";");
    if (!added.empty()) line += " now " + JoinLimited(added, ", ", 8);
    changes.push_back(line);
  }
  for (const Element& element : before.elements) {
    if (after.FindElement(element.id) == nullptr) changes.push_back("**" + Md(element.name, 60) + "**: removed");
  }
  return changes;
}

std::string FlowText(const SystemModel& system, const Flow& flow) {
  return MdStart(NameOf(system, flow.from), 40) + " " + std::string(kArrow) + " " + Md(NameOf(system, flow.to), 40) +
         " (" + Md(FlowLabel(flow), 40) + ")";
}

std::vector<std::string> FlowChanges(const SystemModel& before, const SystemModel& after) {
  std::vector<std::string> changes;
  for (const Flow& flow : after.flows) {
    const Flow* old = before.FindFlow(flow.id);
    if (old == nullptr) {
      changes.push_back("added: " + FlowText(after, flow));
    } else if (old->crosses.size() != flow.crosses.size()) {
      changes.push_back(FlowText(after, flow) + ": crosses " + std::to_string(old->crosses.size()) + " " +
                        std::string(kArrow) + " " + std::to_string(flow.crosses.size()) + " boundaries");
    }
  }
  for (const Flow& flow : before.flows) {
    if (after.FindFlow(flow.id) == nullptr) changes.push_back("removed: " + FlowText(before, flow));
  }
  return changes;
}

// Open threats of `from` that are not open in `to`; `mitigated_note` is
// added when `to` lists the threat as mitigated.
std::vector<std::string> OpenOnlyIn(const ThreatModel& from, const ThreatModel& to, std::string_view mitigated_note) {
  std::map<std::string, ThreatStatus, std::less<>> status;
  for (const Threat& threat : to.threats) status.emplace(threat.id, threat.status);
  std::vector<std::string> out;
  for (const Threat& threat : from.threats) {
    if (threat.status == ThreatStatus::kMitigated) continue;
    auto it = status.find(threat.id);
    if (it != status.end() && it->second != ThreatStatus::kMitigated) continue;
    out.push_back(MdStart(threat.title, 100) + " on " + Md(TargetName(from.system, threat.target), 80) + " (" +
                  std::string(core::SeverityName(threat.risk)) + ", " + std::string(ThreatStatusName(threat.status)) +
                  (it == status.end() ? std::string() : "; " + std::string(mitigated_note)) + ")");
  }
  return out;
}

void ChangeList(std::string& out, std::string_view title, const std::vector<std::string>& items) {
  out += "**" + std::string(title) + "**\n\n";
  if (items.empty()) out += "- none\n";
  for (size_t i = 0; i < items.size() && i < kMaxChanges; ++i) out += "- " + items[i] + "\n";
  if (items.size() > kMaxChanges) out += "- and " + std::to_string(items.size() - kMaxChanges) + " more\n";
  out += "\n";
}

}  // namespace

void ResidualRiskSection(const MarkdownContext& md) {
  const ThreatModel& model = md.model;
  ThreatCounts counts = CountThreats(model.threats);
  int confirmed = StatusCount(counts, ThreatStatus::kConfirmed);
  int potential = StatusCount(counts, ThreatStatus::kPotential);
  int mitigated = StatusCount(counts, ThreatStatus::kMitigated);
  md.out += "## 9. Residual risk\n\n";
  md.out += confirmed == 0 ? std::string("No confirmed threat is open. ")
                           : std::to_string(confirmed) + " confirmed threat(s) are open" +
                                 RiskBreakdown(model.threats, ThreatStatus::kConfirmed) +
                                 "; fix them first (sections 5, 6 and 8). ";
  md.out += std::to_string(potential) + " potential threat(s)" + RiskBreakdown(model.threats, ThreatStatus::kPotential) +
            " follow from the architecture with no finding behind them: `bulwark audit` and `bulwark scan` "
            "findings would confirm them, and their mitigation removes them. " +
            std::to_string(mitigated) + " threat(s) are mitigated.\n\n";
  if (potential > 0) PotentialTable(md);
  UnattachedTable(md);
}

void AssumptionsSection(const MarkdownContext& md) {
  const SystemModel& system = md.model.system;
  md.out += "## 10. Assumptions\n\n";
  if (system.assumptions.empty()) md.out += "None recorded.\n";
  for (const Assumption& assumption : system.assumptions) {
    md.out += "- " + MdStart(assumption.text, 400) + (assumption.user_defined ? " (bulwark-model.yaml)" : "") + "\n";
  }
  md.out += "\n";
  if (system.diagnostics.empty()) return;
  md.out += "Input bulwark could not use, so the model may miss what it says:\n\n";
  size_t rows = 0;
  for (const core::Diagnostic& diagnostic : system.diagnostics) {
    if (++rows > kMaxRows) break;
    std::string where = diagnostic.location.path;
    if (diagnostic.location.line > 0) where += ":" + std::to_string(diagnostic.location.line);
    md.out += "- " + MdStart(where, 100) + ": " + Md(diagnostic.message, 200) + "\n";
  }
  if (system.diagnostics.size() > kMaxRows) {
    md.out += "- and " + std::to_string(system.diagnostics.size() - kMaxRows) + " more\n";
  }
  md.out += "\n";
}

void BeforeAfterSection(const MarkdownContext& md) {
  const ThreatModel& before = *md.options.before;
  const ThreatModel& after = md.model;
  ThreatCounts was = CountThreats(before.threats);
  ThreatCounts now = CountThreats(after.threats);
  md.out += "## 11. Before and after\n\n"
            "The original system (before) and the hardened one this document describes (after); the "
            "diagram draws them side by side.\n\n"
            "| | Before | After | Change |\n|---|---:|---:|---:|\n";
  CountRow(md.out, "Threats", was.total, now.total);
  // By risk, the threats still open: a mitigated threat keeps its rating.
  for (core::Severity risk : core::kAllSeverities) {
    CountRow(md.out, "&nbsp;&nbsp;open, " + std::string(core::SeverityName(risk)) + " risk", OpenAt(before, risk),
             OpenAt(after, risk));
  }
  for (ThreatStatus status : {ThreatStatus::kConfirmed, ThreatStatus::kPotential, ThreatStatus::kMitigated}) {
    CountRow(md.out, "&nbsp;&nbsp;" + std::string(ThreatStatusName(status)), StatusCount(was, status),
             StatusCount(now, status));
  }
  CountRow(md.out, "Elements", static_cast<long>(before.system.elements.size()),
           static_cast<long>(after.system.elements.size()));
  CountRow(md.out, "Data flows", static_cast<long>(before.system.flows.size()),
           static_cast<long>(after.system.flows.size()));
  CountRow(md.out, "Flows crossing a boundary", Crossing(before.system), Crossing(after.system));
  CountRow(md.out, "Trust boundaries", static_cast<long>(before.system.boundaries.size()),
           static_cast<long>(after.system.boundaries.size()));
  md.out += "\n";
  ChangeList(md.out, "Elements changed", ElementChanges(before.system, after.system));
  ChangeList(md.out, "Flows changed", FlowChanges(before.system, after.system));
  ChangeList(md.out, "Threats that went away", OpenOnlyIn(before, after, "now mitigated"));
  ChangeList(md.out, "Threats that are new", OpenOnlyIn(after, before, "was mitigated"));
}

}  // namespace bulwark::model::render
