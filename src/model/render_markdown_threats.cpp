// threat_model.md, the threat sections: STRIDE per element, threats on the
// flows that cross a trust boundary, the ATT&CK for Containers techniques in
// play and the vulnerability -> control -> status table.
#include <algorithm>
#include <map>
#include <set>

#include "model/render_markdown_parts.hpp"
#include "model/render_util.hpp"

namespace bulwark::model::render {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94";
constexpr std::string_view kArrow = "\xE2\x86\x92";
constexpr std::string_view kWarning = "\xE2\x9A\xA0";

// STRIDE per element (Microsoft's table, as Threat Dragon uses it).
std::vector<Stride> ApplicableStride(ElementKind kind) {
  switch (kind) {
    case ElementKind::kExternalActor: return {Stride::kSpoofing, Stride::kRepudiation};
    case ElementKind::kDataStore:
      return {Stride::kTampering, Stride::kRepudiation, Stride::kInformationDisclosure, Stride::kDenialOfService};
    case ElementKind::kService:
    case ElementKind::kPlatform: break;
  }
  return {std::begin(kAllStride), std::end(kAllStride)};
}

// The threats on one target, in STRIDE order, highest risk first within a category.
std::vector<const Threat*> ThreatsOn(const std::vector<Threat>& threats, std::string_view target) {
  std::vector<const Threat*> out;
  for (const Threat& threat : threats) {
    if (threat.target == target) out.push_back(&threat);
  }
  std::stable_sort(out.begin(), out.end(), [](const Threat* a, const Threat* b) {
    if (a->stride != b->stride) return a->stride < b->stride;
    return a->risk > b->risk;
  });
  return out;
}

void ThreatTable(std::string& out, const std::vector<const Threat*>& threats) {
  out += kThreatTableHeader;
  for (const Threat* threat : threats) out += ThreatRow(*threat);
  out += "\n";
}

std::string ElementHeading(const Element& element) {
  std::string heading = "### " + Md(element.name.empty() ? element.id : element.name, 80) + " (" +
                        std::string(ElementKindName(element.kind)) + ")\n\n";
  return heading;
}

// The techniques of the threats still open, each with the threats that enable it.
std::map<std::string, std::vector<const Threat*>> TechniquesInPlay(const std::vector<Threat>& threats) {
  std::map<std::string, std::vector<const Threat*>> out;
  for (const Threat& threat : threats) {
    if (threat.status == ThreatStatus::kMitigated) continue;
    for (const std::string& id : threat.attack) {
      std::vector<const Threat*>& list = out[id];
      if (list.empty() || list.back() != &threat) list.push_back(&threat);
    }
  }
  return out;
}

bool AnyConfirmed(const std::vector<const Threat*>& threats) {
  return std::any_of(threats.begin(), threats.end(),
                     [](const Threat* t) { return t->status == ThreatStatus::kConfirmed; });
}

std::string EnabledBy(const SystemModel& system, const std::vector<const Threat*>& threats) {
  std::vector<std::string> items;
  for (const Threat* threat : threats) {
    items.push_back(Md(threat->title, 80) + " on " + Md(TargetName(system, threat->target), 80) + " (" +
                    std::string(ThreatStatusName(threat->status)) + ")");
  }
  return JoinLimited(items, "<br>", 3);
}

void AttackMatrix(const MarkdownContext& md, const std::map<std::string, std::vector<const Threat*>>& in_play) {
  std::vector<std::pair<std::string, std::vector<std::string>>> columns;  // tactic -> cells
  for (const Tactic& tactic : md.catalog.tactics()) {
    std::vector<std::string> cells;
    for (const auto& [id, threats] : in_play) {
      const Technique* technique = md.catalog.FindTechnique(id);
      if (technique == nullptr ||
          std::find(technique->tactics.begin(), technique->tactics.end(), tactic.name) == technique->tactics.end()) {
        continue;
      }
      cells.push_back("**" + Md(id) + "**" + (AnyConfirmed(threats) ? " " + std::string(kWarning) : "") + "<br>" +
                      Md(technique->name, 60));
    }
    if (!cells.empty()) columns.emplace_back(tactic.name, std::move(cells));
  }
  if (columns.empty()) return;
  size_t rows = 0;
  std::string header = "|";
  std::string rule = "|";
  for (const auto& [tactic, cells] : columns) {
    header += " " + Md(tactic, 40) + " |";
    rule += "---|";
    rows = std::max(rows, cells.size());
  }
  md.out += header + "\n" + rule + "\n";
  for (size_t row = 0; row < rows; ++row) {
    md.out += "|";
    for (const auto& column : columns) md.out += " " + (row < column.second.size() ? column.second[row] : "") + " |";
    md.out += "\n";
  }
  md.out += "\n" + std::string(kWarning) + " = enabled by a confirmed threat.\n\n";
}

}  // namespace

std::string TechniqueText(const ReferenceCatalog& catalog, std::string_view id) {
  const Technique* technique = catalog.FindTechnique(id);
  return technique == nullptr ? Md(id) : Md(id) + " " + Md(technique->name, 80);
}

std::string ControlText(const ThreatModel& model, const ReferenceCatalog& catalog, std::string_view id) {
  std::string title;
  if (const Control* control = catalog.FindControl(id)) title = control->title;
  for (const ControlStatus& status : model.controls) {
    if (title.empty() && status.control == id) title = status.title;
  }
  return title.empty() ? Md(id) : Md(id) + " " + Md(title, 100);
}

std::string ThreatRow(const Threat& threat) {
  std::string status(ThreatStatusName(threat.status));
  if (threat.status == ThreatStatus::kConfirmed) {
    std::vector<std::string> ids;
    for (const FindingRef& finding : threat.findings) ids.push_back(Md(finding.id, 40));
    status = "**confirmed**" + (ids.empty() ? std::string() : " by " + JoinLimited(ids, ", ", 3));
  }
  std::string risk(core::SeverityName(threat.risk));
  if (threat.risk >= core::Severity::kHigh) risk = "**" + risk + "**";
  risk += "<br>L " + std::string(LevelName(threat.likelihood)) + ", I " + std::string(LevelName(threat.impact));
  std::vector<std::string> evidence;
  for (const Evidence& e : threat.evidence) evidence.push_back(Md(EvidenceText(e), 120));
  std::string why = Md(threat.rationale, 200);
  if (!evidence.empty()) why += (why.empty() ? "" : "<br>") + JoinLimited(evidence, "<br>", 2);
  return "| " + std::string(StrideLetter(threat.stride)) + " " + std::string(StrideName(threat.stride)) + " | **" +
         Md(threat.title, 120) + "** (" + Md(threat.rule_id, 30) + ") | " + risk + " | " + status + " | " +
         (why.empty() ? std::string(kDash) : why) + " |\n";
}

void StridePerElementSection(const MarkdownContext& md) {
  const ThreatModel& model = md.model;
  md.out += "## 5. STRIDE per element\n\n"
            "Each element is checked for the STRIDE categories that apply to its kind (actor: S, R; data "
            "store: T, R, I, D; service and platform: all six). Confirmed threats have an audit or scan "
            "finding behind them; potential ones follow from the architecture alone.\n\n";
  std::vector<std::string> quiet;
  for (const Element& element : model.system.elements) {
    std::vector<const Threat*> threats = ThreatsOn(model.threats, element.id);
    std::set<Stride> found;
    for (const Threat* threat : threats) found.insert(threat->stride);
    std::vector<std::string> missing;
    for (Stride stride : ApplicableStride(element.kind)) {
      if (found.count(stride) == 0) missing.push_back(std::string(StrideName(stride)));
    }
    if (threats.empty()) {
      quiet.push_back(Md(element.name.empty() ? element.id : element.name, 60));
      continue;
    }
    md.out += ElementHeading(element);
    ThreatTable(md.out, threats);
    if (!missing.empty()) md.out += "No threat found for: " + JoinLimited(missing, ", ", 6) + ".\n\n";
  }
  if (!quiet.empty()) {
    md.out += "No threat rule applies to: " + JoinLimited(quiet, ", ", 20) + ".\n\n";
  }
}

void CrossingFlowsSection(const MarkdownContext& md) {
  const SystemModel& system = md.model.system;
  md.out += "## 6. Threats on boundary-crossing flows\n\n";
  bool any = false;
  for (const Flow& flow : system.flows) {
    std::vector<const Threat*> threats = ThreatsOn(md.model.threats, flow.id);
    if (flow.crosses.empty() && threats.empty()) continue;
    any = true;
    std::vector<std::string> crosses;
    for (const std::string& id : flow.crosses) crosses.push_back(Md(BoundaryNameOf(system, id), 40));
    md.out += "### " + Md(NameOf(system, flow.from), 50) + " " + std::string(kArrow) + " " +
              Md(NameOf(system, flow.to), 50) + " (" + Md(FlowLabel(flow), 40) + ")\n\n";
    md.out += "Crosses: " + (crosses.empty() ? std::string("no boundary") : JoinLimited(crosses, ", ", 6)) +
              " \xC2\xB7 TLS: " + (flow.encrypted ? "yes" : "no") +
              " \xC2\xB7 authenticated: " + (flow.authenticated ? "yes" : "no") + "\n\n";
    if (threats.empty()) {
      md.out += "No threat rule fired for this flow.\n\n";
    } else {
      ThreatTable(md.out, threats);
    }
  }
  if (!any) md.out += "No data flow crosses a trust boundary.\n\n";
}

void AttackSection(const MarkdownContext& md) {
  md.out += "## 7. MITRE ATT&CK for Containers\n\n";
  std::map<std::string, std::vector<const Threat*>> in_play = TechniquesInPlay(md.model.threats);
  if (in_play.empty()) {
    md.out += "No open threat maps to an ATT&CK technique.\n\n";
    return;
  }
  if (!md.catalog.available()) {
    md.out += "> The ATT&CK and NIST reference data was not built into this bulwark, so techniques and "
              "controls are named by ID only (see docs/threat-model.md).\n\n"
              "| Technique | Enabled by |\n|---|---|\n";
    for (const auto& [id, threats] : in_play) {
      md.out += "| **" + Md(id) + "** | " + EnabledBy(md.model.system, threats) + " |\n";
    }
    md.out += "\n";
    return;
  }
  md.out += "Techniques the open threats enable, by tactic (ATT&CK " + Md(md.catalog.attack_version()) + "):\n\n";
  AttackMatrix(md, in_play);
  md.out += "| Technique | Tactics | Enabled by |\n|---|---|---|\n";
  for (const auto& [id, threats] : in_play) {
    const Technique* technique = md.catalog.FindTechnique(id);
    std::vector<std::string> tactics;
    if (technique != nullptr) {
      for (const std::string& tactic : technique->tactics) tactics.push_back(Md(tactic, 40));
    }
    md.out += "| " + TechniqueText(md.catalog, id) + " | " +
              (technique == nullptr ? std::string("not in the reference data") : JoinLimited(tactics, ", ", 6)) +
              " | " + EnabledBy(md.model.system, threats) + " |\n";
  }
  md.out += "\n";
}

void ControlsSection(const MarkdownContext& md) {
  const ThreatModel& model = md.model;
  md.out += "## 8. Vulnerabilities, controls and status\n\n";
  if (model.controls.empty()) {
    md.out += "No NIST SP 800-53 control is mapped to the threats of this model.\n\n";
    return;
  }
  std::map<std::string, const Threat*, std::less<>> threats;
  std::map<std::string, std::string, std::less<>> finding_titles;
  for (const Threat& threat : model.threats) {
    threats.emplace(threat.id, &threat);
    for (const FindingRef& finding : threat.findings) finding_titles.emplace(finding.id, finding.title);
  }
  for (const core::Finding& finding : model.unattached) finding_titles.emplace(finding.id, finding.title);
  md.out += "What each NIST SP 800-53 rev5 control answers here: **missing** when a finding shows it absent, "
            "**partial** or **in place** when the threats it mitigates are only potential.\n\n"
            "| Finding or threat | NIST SP 800-53 control | Status |\n|---|---|---|\n";
  for (const ControlStatus& control : model.controls) {
    std::vector<std::string> items;
    for (const std::string& id : control.findings) {
      auto title = finding_titles.find(id);
      items.push_back(Md(id, 40) + (title == finding_titles.end() ? "" : " " + Md(title->second, 80)));
    }
    for (const std::string& id : control.threats) {
      auto threat = threats.find(id);
      items.push_back(threat == threats.end() ? "threat " + Md(id, 80)
                                              : "threat: " + Md(threat->second->title, 80) + " on " +
                                                    Md(TargetName(model.system, threat->second->target), 80));
    }
    std::string status = Md(control.status, 30);
    if (control.status == "missing") status = "**" + status + "**";
    md.out += "| " + (items.empty() ? std::string(kDash) : JoinLimited(items, "<br>", 5)) + " | " +
              ControlText(model, md.catalog, control.control) + " | " + status + " |\n";
  }
  md.out += "\n";
}

}  // namespace bulwark::model::render
