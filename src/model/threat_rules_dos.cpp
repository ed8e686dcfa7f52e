// Denial of service: the system, or the host under it, made unavailable.
#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

std::optional<RuleMatch> NoLimits(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.resource_limits) return std::nullopt;
  RuleMatch m;
  m.rationale = element.name + " has no memory and CPU/PIDs limits" + NotSet(element, "limits", m) +
                ": a flood of requests, a leak or a miner dropped into it takes the host's memory and CPU from "
                "every other container";
  return m;
}

std::optional<RuleMatch> ExposedEndpoint(const RuleContext& ctx, const Flow& flow) {
  // Into the system from outside: not the engine's pulls from a registry.
  const Element* to = ctx.model().FindElement(flow.to);
  if (to == nullptr || to->kind == ElementKind::kExternalActor || flow.kind == FlowKind::kImagePull) {
    return std::nullopt;
  }
  if (flow.kind != FlowKind::kPublishedPort && !ctx.FromInternet(flow)) return std::nullopt;
  RuleMatch m;
  m.rationale = ctx.NameOf(flow.to) + " accepts " + FlowWords(flow) + FlowCite(flow) + " from " +
                ctx.NameOf(flow.from) + " across " + ctx.BoundaryNames(flow.crosses) +
                " with no rate limit or proxy in front that the files show";
  for (const Evidence& e : flow.evidence) AddEvidence(m, e);
  return m;
}

// Volumes, bind mounts and claims keep data; tmpfs, secrets and config do not.
std::optional<RuleMatch> DataNotOnVolume(const RuleContext&, const Element& store) {
  if (!IsContainer(store)) return std::nullopt;
  for (const Mount& mount : store.mounts) {
    if (mount.type != "tmpfs" && mount.type != "secret" && mount.type != "configmap" && mount.type != "emptyDir") {
      return std::nullopt;
    }
  }
  RuleMatch m;
  m.rationale = store.name + " keeps its data in the container" + NotSet(store, "volume", m) +
                ": removing or recreating the container, or an intruder in it, destroys the data with no copy";
  return m;
}

std::optional<RuleMatch> HostExhaustion(const RuleContext& ctx, const Element& platform) {
  std::vector<std::string> names;
  RuleMatch m;
  for (const Element& e : ctx.model().elements) {
    if (!IsContainer(e) || e.resource_limits) continue;
    names.push_back(e.name);
    if (const Evidence* def = Definition(e)) AddEvidence(m, *def);
  }
  if (names.empty()) return std::nullopt;
  m.rationale = "Under " + platform.name + ", " + JoinWords(names) + (names.size() == 1 ? " runs" : " run") +
                " with no resource limits: one container can starve the others and the host";
  return m;
}

}  // namespace

std::vector<ThreatRule> DenialOfServiceRules() {
  return {
      {.id = "TM-D-001",
       .stride = Stride::kDenialOfService,
       .targets = kOnService | kOnDataStore,
       .title = "No resource limits: one container can starve the host",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1496.001", "T1499"},
       .nist = {"SC-5"},
       .mitigation = "Set memory, CPU and PIDs limits (mem_limit, cpus, pids_limit; resources.limits in "
                     "Kubernetes) sized from the service's normal use.",
       .confirmed_by = {"BW-CO-006", "BW-CO-007", "BW-K8-025", "BW-K8-026", "BW-K8-027", "BW-K8-028",
                        "BW-CIS-5.11", "BW-CIS-5.12"},
       .on_element = NoLimits},
      {.id = "TM-D-002",
       .stride = Stride::kDenialOfService,
       .targets = kOnService | kOnDataStore,
       .title = "No PIDs limit: a fork bomb exhausts the host's process table",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {"T1499"},
       .nist = {"SC-5"},
       .mitigation = "Set pids_limit (compose) or a PID limit on the kubelet / pod.",
       .confirmed_by = {"BW-CO-008", "BW-CIS-5.29"},
       .fires_on_findings = true},
      {.id = "TM-D-003",
       .stride = Stride::kDenialOfService,
       .targets = kOnFlow,
       .title = "Exposed endpoint can be flooded",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1498", "T1499"},
       .nist = {"SC-5", "SC-7"},
       .mitigation = "Put a reverse proxy or load balancer with rate limits and timeouts in front of the "
                     "published port, and limit the container's resources so a flood stays contained.",
       .confirmed_by = {"BW-CO-009", "BW-CIS-5.14"},
       .on_flow = ExposedEndpoint},
      {.id = "TM-D-004",
       .stride = Stride::kDenialOfService,
       .targets = kOnDataStore,
       .title = "Data lost with the container: no volume holds it",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1485", "T1490"},
       .nist = {"CP-9", "CP-10"},
       .mitigation = "Keep the data on a named volume (or a PersistentVolumeClaim) and back it up somewhere the "
                     "container cannot write.",
       .on_element = DataNotOnVolume},
      {.id = "TM-D-005",
       .stride = Stride::kDenialOfService,
       .targets = kOnPlatform,
       .title = "One container can exhaust the host",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1496.001", "T1499"},
       .nist = {"SC-5", "CM-6"},
       .mitigation = "Limit every container's memory, CPU and PIDs, set default ulimits in daemon.json, and keep "
                     "container data on a separate partition.",
       .confirmed_by = {"BW-DJ-007", "BW-CIS-1.1.1", "BW-CIS-2.8"},
       .on_element = HostExhaustion},
  };
}

}  // namespace bulwark::model
