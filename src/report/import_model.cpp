// threat_model.json (`bulwark model`) read back: the elements' posture,
// the boundaries, the flows that cross them and the threats with status.
#include <algorithm>

#include "report/importers.hpp"
#include "core/json_read.hpp"

namespace bulwark::report::importers {
namespace {

using namespace core::json_read;  // NOLINT(google-build-using-namespace): local helpers

bool EveryInterface(const std::string& host_ip) {
  return host_ip.empty() || host_ip == "0.0.0.0" || host_ip == "::" || host_ip == "[::]";
}

void ReadPorts(const json& element, ModelElement& e) {
  for (const json& p : Array(element, "ports")) {
    if (e.ports.size() >= 1000) break;
    ModelPort port{Int(p, "container_port"), Int(p, "host_port"), Str(p, "host_ip"),
                   Bool(p, "published")};
    if (port.published && EveryInterface(port.host_ip)) e.internet_facing = true;
    e.ports.push_back(std::move(port));
  }
}

ModelElement ReadElement(const json& j) {
  ModelElement e;
  e.id = Str(j, "id");
  e.kind = Str(j, "kind");
  e.name = Str(j, "name").empty() ? e.id : Str(j, "name");
  e.boundary = Str(j, "boundary");
  e.technology = Str(j, "technology");
  if (Member(j, "runs_as_root").is_boolean()) e.runs_as_root = Bool(j, "runs_as_root");
  e.privileged = Bool(j, "privileged");
  e.read_only_rootfs = Bool(j, "read_only_rootfs");
  e.no_new_privileges = Bool(j, "no_new_privileges");
  e.capabilities_all_dropped = Bool(j, "capabilities_all_dropped");
  e.host_network = Bool(j, "host_network");
  e.resource_limits = Bool(j, "resource_limits");
  e.healthcheck = Bool(j, "healthcheck");
  for (const json& m : Array(j, "mounts")) {
    e.docker_socket = e.docker_socket || Bool(m, "docker_socket");
    e.sensitive_host_mount = e.sensitive_host_mount || Bool(m, "sensitive_host_path");
  }
  for (const json& c : Array(j, "credentials"))
    e.inline_credentials += Bool(c, "inline_value") ? 1 : 0;
  e.networks = Strings(Member(j, "networks"), 100);
  std::vector<std::string> tags = Strings(Member(j, "tags"), 100);
  if (std::find(tags.begin(), tags.end(), "internet-facing") != tags.end())
    e.internet_facing = true;
  ReadPorts(j, e);
  return e;
}

ModelThreat ReadThreat(const json& j) {
  ModelThreat t;
  t.id = Str(j, "id");
  t.rule = Str(j, "rule");
  t.stride = Str(j, "stride");
  t.target = Str(j, "target");
  t.title = Str(j, "title");
  t.risk = ParseSeverityWord(Str(j, "risk"));
  t.status = Str(j, "status");
  t.mitigation = Str(j, "mitigation");
  return t;
}

}  // namespace

bool IsThreatModel(const json& doc) {
  return Member(doc, "system").is_object() && Member(doc, "threats").is_array();
}

ModelResult ReadThreatModel(const json& doc, std::vector<std::string>& warnings) {
  ModelResult model;
  const json& system = Member(doc, "system");
  model.name = Str(system, "name");
  for (const json& j : Array(system, "elements")) {
    if (AtLimit(model.elements.size(), "elements", warnings)) break;
    if (j.is_object() && !Str(j, "id").empty()) model.elements.push_back(ReadElement(j));
  }
  for (const json& j : Array(system, "boundaries")) {
    if (AtLimit(model.boundaries.size(), "boundaries", warnings)) break;
    if (!j.is_object() || Str(j, "id").empty()) continue;
    model.boundaries.push_back(ModelBoundary{Str(j, "id"), Str(j, "kind"),
                                             Str(j, "name").empty() ? Str(j, "id") : Str(j, "name"),
                                             Str(j, "parent"), Bool(j, "isolated")});
  }
  for (const json& j : Array(system, "flows")) {
    if (AtLimit(model.flows.size(), "flows", warnings)) break;
    if (!j.is_object() || Str(j, "id").empty()) continue;
    model.flows.push_back(ModelFlow{Str(j, "id"), Str(j, "kind"), Str(j, "from"), Str(j, "to"),
                                    Str(j, "label"), Strings(Member(j, "crosses"), 20)});
  }
  for (const json& j : Array(doc, "threats")) {
    if (AtLimit(model.threats.size(), "threats", warnings)) break;
    if (j.is_object() && !Str(j, "id").empty()) model.threats.push_back(ReadThreat(j));
  }
  return model;
}

}  // namespace bulwark::report::importers
