// threat_model.json. The shape is a contract with `bulwark report` and
// other readers: keys are always present (empty arrays, null for an unknown
// runs_as_root), in a fixed order, and invalid UTF-8 from input is replaced.
#include <nlohmann/json.hpp>

#include "core/version.hpp"
#include "model/render_model.hpp"
#include "model/render_util.hpp"

namespace bulwark::model {
namespace {

using Json = nlohmann::ordered_json;

Json EvidenceJson(const std::vector<Evidence>& evidence) {
  Json out = Json::array();
  for (const Evidence& e : evidence) out.push_back(Json{{"path", e.path}, {"line", e.line}, {"text", e.text}});
  return out;
}

Json PortsJson(const std::vector<PortBinding>& ports) {
  Json out = Json::array();
  for (const PortBinding& p : ports) {
    out.push_back(Json{{"container_port", p.container_port}, {"host_port", p.host_port}, {"host_ip", p.host_ip},
                       {"protocol", p.protocol}, {"published", p.published}});
  }
  return out;
}

Json MountsJson(const std::vector<Mount>& mounts) {
  Json out = Json::array();
  for (const Mount& m : mounts) {
    out.push_back(Json{{"type", m.type}, {"source", m.source}, {"target", m.target}, {"read_only", m.read_only},
                       {"docker_socket", m.docker_socket}, {"sensitive_host_path", m.sensitive_host_path}});
  }
  return out;
}

Json ElementJson(const Element& e) {
  Json credentials = Json::array();
  for (const CredentialRef& c : e.credentials) {
    credentials.push_back(Json{{"name", c.name}, {"inline_value", c.inline_value}});
  }
  return Json{{"id", e.id}, {"kind", ElementKindName(e.kind)}, {"name", e.name}, {"technology", e.technology},
              {"description", e.description}, {"image", e.image}, {"dockerfile", e.dockerfile},
              {"boundary", e.boundary}, {"classification", ClassificationName(e.classification)},
              {"runs_as_root", e.runs_as_root.has_value() ? Json(*e.runs_as_root) : Json(nullptr)},
              {"user", e.user}, {"privileged", e.privileged}, {"capabilities_added", e.capabilities_added},
              {"read_only_rootfs", e.read_only_rootfs}, {"no_new_privileges", e.no_new_privileges},
              {"host_network", e.host_network}, {"host_pid", e.host_pid}, {"host_ipc", e.host_ipc},
              {"resource_limits", e.resource_limits}, {"healthcheck", e.healthcheck},
              {"image_pinned", e.image_pinned}, {"replicas", e.replicas}, {"ports", PortsJson(e.ports)},
              {"mounts", MountsJson(e.mounts)}, {"networks", e.networks}, {"credentials", credentials},
              {"tags", e.tags}, {"user_defined", e.user_defined}, {"evidence", EvidenceJson(e.evidence)}};
}

Json SystemJson(const SystemModel& s) {
  Json elements = Json::array();
  for (const Element& e : s.elements) elements.push_back(ElementJson(e));
  Json boundaries = Json::array();
  for (const TrustBoundary& b : s.boundaries) {
    boundaries.push_back(Json{{"id", b.id}, {"kind", BoundaryKindName(b.kind)}, {"name", b.name},
                              {"parent", b.parent}, {"isolated", b.isolated}});
  }
  Json flows = Json::array();
  for (const Flow& f : s.flows) {
    flows.push_back(Json{{"id", f.id}, {"kind", FlowKindName(f.kind)}, {"from", f.from}, {"to", f.to},
                         {"protocol", f.protocol}, {"port", f.port}, {"label", f.label},
                         {"encrypted", f.encrypted}, {"authenticated", f.authenticated}, {"crosses", f.crosses},
                         {"evidence", EvidenceJson(f.evidence)}});
  }
  Json data = Json::array();
  for (const DataAsset& d : s.data) {
    data.push_back(Json{{"id", d.id}, {"name", d.name}, {"classification", ClassificationName(d.classification)},
                        {"stored_in", d.stored_in}, {"carried_by", d.carried_by}});
  }
  Json assumptions = Json::array();
  for (const Assumption& a : s.assumptions) {
    assumptions.push_back(Json{{"text", a.text}, {"user_defined", a.user_defined}});
  }
  Json diagnostics = Json::array();
  for (const core::Diagnostic& d : s.diagnostics) {
    diagnostics.push_back(Json{{"path", d.location.path}, {"line", d.location.line},
                               {"column", d.location.column}, {"message", d.message}});
  }
  return Json{{"name", s.name}, {"root", s.root}, {"sources", s.sources}, {"elements", elements},
              {"boundaries", boundaries}, {"flows", flows}, {"data", data}, {"assumptions", assumptions},
              {"diagnostics", diagnostics}};
}

// A control's title: the catalog's, else the one the model builder kept.
std::string ControlTitle(const ThreatModel& model, const ReferenceCatalog& catalog, std::string_view id) {
  if (const Control* control = catalog.FindControl(id)) return control->title;
  for (const ControlStatus& status : model.controls) {
    if (status.control == id) return status.title;
  }
  return "";
}

Json ThreatJson(const Threat& t, const ThreatModel& model, const ReferenceCatalog& catalog) {
  Json attack = Json::array();
  for (const std::string& id : t.attack) {
    const Technique* technique = catalog.FindTechnique(id);
    attack.push_back(Json{{"id", id}, {"name", technique != nullptr ? technique->name : std::string()},
                          {"tactics", technique != nullptr ? technique->tactics : std::vector<std::string>{}}});
  }
  Json nist = Json::array();
  for (const std::string& id : t.nist) nist.push_back(Json{{"id", id}, {"title", ControlTitle(model, catalog, id)}});
  Json findings = Json::array();
  for (const FindingRef& f : t.findings) {
    findings.push_back(Json{{"id", f.id}, {"title", f.title}, {"severity", core::SeverityName(f.severity)},
                            {"path", f.path}, {"line", f.line}});
  }
  return Json{{"id", t.id}, {"rule", t.rule_id}, {"stride", StrideName(t.stride)}, {"target", t.target},
              {"on_flow", t.on_flow}, {"title", t.title}, {"rationale", t.rationale},
              {"evidence", EvidenceJson(t.evidence)}, {"likelihood", LevelName(t.likelihood)},
              {"impact", LevelName(t.impact)}, {"risk", core::SeverityName(t.risk)},
              {"status", ThreatStatusName(t.status)}, {"attack", attack}, {"nist", nist},
              {"mitigation", t.mitigation}, {"findings", findings}};
}

Json SummaryJson(const ThreatModel& model) {
  render::ThreatCounts counts = render::CountThreats(model.threats);
  Json by_stride = Json::object();
  for (Stride s : kAllStride) by_stride[std::string(StrideName(s))] = counts.by_stride[static_cast<size_t>(s)];
  Json by_risk = Json::object();
  for (core::Severity risk : core::kAllSeverities) {
    by_risk[std::string(core::SeverityName(risk))] = counts.by_risk[static_cast<size_t>(risk)];
  }
  return Json{{"elements", model.system.elements.size()}, {"flows", model.system.flows.size()},
              {"boundaries", model.system.boundaries.size()}, {"threats", counts.total},
              {"confirmed", render::StatusCount(counts, ThreatStatus::kConfirmed)},
              {"potential", render::StatusCount(counts, ThreatStatus::kPotential)},
              {"mitigated", render::StatusCount(counts, ThreatStatus::kMitigated)}, {"by_stride", by_stride},
              {"by_risk", by_risk}};
}

}  // namespace

std::string RenderThreatModelJson(const ThreatModel& model, const ReferenceCatalog& catalog,
                                  const RenderOptions& options) {
  Json threats = Json::array();
  for (const Threat& t : model.threats) threats.push_back(ThreatJson(t, model, catalog));
  Json controls = Json::array();
  for (const ControlStatus& c : model.controls) {
    std::string title = c.title.empty() ? ControlTitle(model, catalog, c.control) : c.title;
    controls.push_back(Json{{"id", c.control}, {"title", title}, {"status", c.status}, {"threats", c.threats},
                            {"findings", c.findings}});
  }
  Json unattached = Json::array();
  for (const core::Finding& f : model.unattached) {
    unattached.push_back(Json{{"id", f.id}, {"title", f.title}, {"severity", core::SeverityName(f.severity)},
                              {"category", core::CategoryName(f.category)}, {"path", f.location.path},
                              {"line", f.location.line}});
  }
  std::string attack_version = catalog.available() ? catalog.attack_version() : model.attack_version;
  Json out{{"tool", Json{{"name", "bulwark"}, {"version", core::kVersion}}},
           {"system", SystemJson(model.system)},
           {"threats", threats},
           {"controls", controls},
           {"unattached", unattached},
           {"summary", SummaryJson(model)},
           {"reference", Json{{"available", catalog.available()}, {"attack_version", attack_version},
                              {"mapping_version", catalog.mapping_version()}}}};
  if (options.before != nullptr) out["before"] = SummaryJson(*options.before);
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::model
