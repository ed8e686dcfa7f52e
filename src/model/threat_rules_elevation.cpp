// Elevation of privilege: code in a container gains root, the host, or the engine.
#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

// Why the element runs as root, in words: the USER evidence when there is
// some, else what is missing.
std::string RootReason(const Element& element, RuleMatch& m) {
  if (const Evidence* e = Mentioning(element, {"no USER"})) {
    AddEvidence(m, *e);
    return "no USER in " + e->path;
  }
  if (const Evidence* e = Mentioning(element, {"user", "runAsUser", "runAsNonRoot"})) {
    AddEvidence(m, *e);
    return e->text + " at " + Cite(*e);
  }
  if (!element.user.empty()) return "user " + element.user;
  if (!element.dockerfile.empty()) {
    AddEvidence(m, Evidence{element.dockerfile, 0, "no USER"});
    return "no USER in " + element.dockerfile;
  }
  const Evidence* def = Definition(element);
  if (def != nullptr) AddEvidence(m, *def);
  return "no user set" + (def != nullptr ? " in " + Cite(*def) : std::string());
}

std::optional<RuleMatch> RunsAsRoot(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.runs_as_root == std::optional<bool>(false)) return std::nullopt;
  RuleMatch m;
  std::string reason = RootReason(element, m);
  if (element.runs_as_root.has_value()) {
    m.rationale = element.name + " runs as root (" + reason + ")";
  } else {
    m.rationale = element.name + " may run as root (" + reason + "; the image's default user decides)";
    m.likelihood = Level::kLow;
  }
  std::vector<std::string> sockets;
  for (const Mount& mount : element.mounts) {
    if (mount.docker_socket) sockets.push_back(mount.source + CiteIn(mount.evidence));
  }
  if (!sockets.empty()) {
    m.rationale += " and mounts " + JoinWords(sockets);
    m.likelihood = Level::kHigh;
  }
  m.rationale += ": any code execution in it is root in the container, one kernel or runtime flaw from the host";
  return m;
}

std::optional<RuleMatch> PrivilegedOrCapabilities(const RuleContext&, const Element& element) {
  std::vector<std::string> facts;
  RuleMatch m;
  if (element.privileged) facts.push_back("runs privileged");
  std::vector<std::string> caps;
  for (const std::string& cap : element.capabilities_added) {
    if (DangerousCapability(cap)) caps.push_back(cap);
  }
  if (!caps.empty()) facts.push_back("adds " + JoinWords(caps));
  if (facts.empty()) return std::nullopt;
  const Evidence* at = Mentioning(element, {"privileged", "cap_add", "add"});
  if (at == nullptr) at = Definition(element);
  if (at != nullptr) AddEvidence(m, *at);
  m.rationale = element.name + " " + JoinWords(facts) +
                (m.evidence.empty() ? "" : CiteIn(m.evidence.front())) +
                ": those powers reach past the container's isolation into the host kernel";
  if (element.privileged) m.likelihood = Level::kHigh;
  return m;
}

std::optional<RuleMatch> HostNamespaces(const RuleContext&, const Element& element) {
  std::vector<std::string> shared;
  if (element.host_network) shared.push_back("network");
  if (element.host_pid) shared.push_back("PID");
  if (element.host_ipc) shared.push_back("IPC");
  if (shared.empty()) return std::nullopt;
  RuleMatch m;
  const Evidence* at = Mentioning(element, {"network_mode", "hostNetwork", "pid", "hostPID", "ipc", "hostIPC"});
  if (at == nullptr) at = Definition(element);
  if (at != nullptr) AddEvidence(m, *at);
  m.rationale = element.name + " shares the host's " + JoinWords(shared) + " namespace" +
                (shared.size() == 1 ? "" : "s") + (m.evidence.empty() ? "" : CiteIn(m.evidence.front())) +
                ": it sees and reaches the host's processes or interfaces directly";
  return m;
}

std::optional<RuleMatch> EngineSocket(const RuleContext&, const Element& element) {
  std::vector<std::string> sockets;
  RuleMatch m;
  for (const Mount& mount : element.mounts) {
    if (!mount.docker_socket) continue;
    sockets.push_back(mount.source + CiteIn(mount.evidence));
    AddEvidence(m, mount.evidence);
  }
  if (sockets.empty()) return std::nullopt;
  m.rationale = element.name + " mounts " + JoinWords(sockets) +
                ": whoever runs code in it can start a privileged container with the host's root filesystem, "
                "that is, root on the host";
  return m;
}

std::optional<RuleMatch> NoNewPrivileges(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.no_new_privileges || element.privileged) return std::nullopt;
  RuleMatch m;
  m.rationale = element.name + " runs without no-new-privileges" + NotSet(element, "no-new-privileges", m) +
                ": a setuid binary or file capability in the image raises a process's privileges";
  return m;
}

std::optional<RuleMatch> InjectionSurface(const RuleContext& ctx, const Element& element) {
  if (element.dockerfile.empty()) return std::nullopt;
  std::vector<std::string> callers;
  RuleMatch m;
  for (const Flow* f : ctx.Inbound(element.id)) {
    if (f->crosses.empty() || f->kind == FlowKind::kHostMount || f->kind == FlowKind::kImagePull) continue;
    callers.push_back(ctx.NameOf(f->to == element.id ? f->from : f->to) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (callers.empty()) return std::nullopt;
  m.rationale = element.name + " runs code built from " + element.dockerfile + " and takes requests from " +
                JoinWords(callers) + ": a command or code injection in it runs the attacker's commands there";
  return m;
}

std::optional<RuleMatch> DefaultCapabilities(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.capabilities_all_dropped || element.privileged) return std::nullopt;
  RuleMatch m;
  m.rationale = element.name + " keeps Docker's default capabilities" + NotSet(element, "cap_drop: [ALL]", m) +
                ", more than most applications need (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...)";
  return m;
}

std::optional<RuleMatch> HostEscape(const RuleContext& ctx, const Element& platform) {
  std::vector<std::string> ways;
  RuleMatch m;
  for (const Element& e : ctx.model().elements) {
    if (!IsContainer(e)) continue;
    std::vector<std::string> facts;
    if (e.privileged) facts.push_back("privileged");
    if (e.host_pid) facts.push_back("host PID namespace");
    for (const Mount& mount : e.mounts) {
      if (mount.docker_socket || (mount.sensitive_host_path && !mount.read_only)) {
        facts.push_back(mount.source + CiteIn(mount.evidence));
        AddEvidence(m, mount.evidence);
      }
    }
    if (!facts.empty()) ways.push_back(e.name + " (" + JoinWords(facts) + ")");
  }
  if (ways.empty()) return std::nullopt;
  m.rationale = "A container can take over " + platform.name + ": " + JoinWords(ways);
  return m;
}

std::vector<ThreatRule> ContainerPrivilegeRules() {
  return {
      {.id = "TM-E-001",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Container runs as root",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1068"},
       .nist = {"AC-6", "CM-6"},
       .mitigation = "Create an unprivileged user in the image (USER 10001) or set `user:` / runAsNonRoot, and "
                     "give it only the files it must write.",
       .confirmed_by = {"BW-DF-001", "BW-CO-024", "BW-K8-021", "BW-K8-022", "BW-CIS-4.1"},
       .on_element = RunsAsRoot},
      {.id = "TM-E-002",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Privileged container or dangerous capabilities",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1068"},
       .nist = {"AC-6", "CM-7"},
       .mitigation = "Remove `privileged: true`; drop ALL capabilities and add back only the one the service "
                     "needs.",
       .confirmed_by = {"BW-CO-001", "BW-CO-002", "BW-K8-005", "BW-K8-006", "BW-K8-007", "BW-CIS-5.4",
                        "BW-CIS-5.5"},
       .on_element = PrivilegedOrCapabilities},
      {.id = "TM-E-003",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Host namespaces shared with the container",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1613"},
       .nist = {"SC-39", "AC-6", "SC-7"},
       .mitigation = "Remove network_mode: host, pid: host and ipc: host (hostNetwork/hostPID/hostIPC).",
       .confirmed_by = {"BW-CO-011", "BW-CO-012", "BW-CO-013", "BW-K8-002", "BW-K8-003", "BW-K8-004",
                        "BW-CIS-5.10", "BW-CIS-5.16", "BW-CIS-5.17"},
       .on_element = HostNamespaces},
      {.id = "TM-E-004",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Container engine socket mounted into the container",
       .likelihood = Level::kHigh,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1610", "T1609", "T1552.007"},
       .nist = {"AC-3", "AC-6", "SC-7"},
       .mitigation = "Remove the socket mount; a tool that must reach the engine gets an allow-listing API proxy, "
                     "or runs outside the application's containers.",
       .confirmed_by = {"BW-CO-017", "BW-K8-011", "BW-CIS-5.32"},
       .on_element = EngineSocket},
      {.id = "TM-E-005",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Privilege escalation in the container not blocked (no-new-privileges)",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {"T1068"},
       .nist = {"AC-6"},
       .mitigation = "Add `security_opt: [\"no-new-privileges:true\"]` (allowPrivilegeEscalation: false).",
       .confirmed_by = {"BW-CO-004", "BW-K8-020", "BW-CIS-5.26"},
       .on_element = NoNewPrivileges},
  };
}

std::vector<ThreatRule> CodeAndPlatformRules() {
  return {
      {.id = "TM-E-006",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Command or code injection runs an attacker's commands in the container",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1190", "T1059"},
       .nist = {"SI-10", "SA-11"},
       .mitigation = "Never pass request data to a shell, eval/exec, a template compiler or a deserialiser: use "
                     "argument lists (subprocess without shell=True), parse input strictly, and test for it.",
       .confirmed_by = {"BW-PY-001", "BW-PY-003", "BW-PY-005", "BW-PY-006", "BW-PY-007", "BW-PY-008",
                        "BW-PY-009", "BW-PY-021", "BW-PY-023"},
       .fires_on_findings = true,
       .on_element = InjectionSurface},
      {.id = "TM-E-007",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Default capabilities kept",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {"T1068"},
       .nist = {"AC-6", "CM-7"},
       .mitigation = "Add `cap_drop: [ALL]` and add back only what the service needs (often nothing, or "
                     "NET_BIND_SERVICE).",
       .confirmed_by = {"BW-CO-003", "BW-K8-008"},
       .on_element = DefaultCapabilities},
      {.id = "TM-E-008",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnPlatform,
       .title = "Escape from a container to the host",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1611"},
       .nist = {"AC-6", "SC-39", "CM-7"},
       .mitigation = "Remove privileged mode, host PID and writable host mounts and the engine socket from every "
                     "container; enable user-namespace remapping and keep the default seccomp profile.",
       .confirmed_by = {"BW-DJ-008", "BW-DJ-013", "BW-DJ-016", "BW-CIS-2.9", "BW-CIS-2.14", "BW-CIS-2.17"},
       .on_element = HostEscape},
      {.id = "TM-E-009",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Known vulnerable packages in the image",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1190", "T1068"},
       .nist = {"RA-5", "SI-2"},
       .mitigation = "Upgrade the packages `bulwark scan` lists (rebuild on a patched base image, bump the pinned "
                     "versions) and scan every build.",
       .confirmed_by = {"BW-DF-020", "BW-CIS-4.4"},
       .confirming_categories = {core::Category::kVulnerability},
       .fires_on_findings = true},
  };
}

// What the files show only to the audit: the kernel's confinement of the
// process and the cluster credentials mounted into it.
std::vector<ThreatRule> ConfinementRules() {
  return {
      {.id = "TM-E-010",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Kernel confinement (seccomp, AppArmor, SELinux) turned off",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1068"},
       .nist = {"SC-39", "CM-7", "AC-6"},
       .mitigation = "Keep the runtime's default seccomp and AppArmor/SELinux profiles (seccompProfile: "
                     "RuntimeDefault), or apply a tighter one; never `unconfined`.",
       .confirmed_by = {"BW-CO-025", "BW-CO-026", "BW-CO-027", "BW-CO-029", "BW-CO-033", "BW-K8-014", "BW-K8-015",
                        "BW-K8-016", "BW-K8-017", "BW-K8-018", "BW-K8-019", "BW-CIS-5.2", "BW-CIS-5.3",
                        "BW-CIS-5.22"},
       .fires_on_findings = true},
      {.id = "TM-E-011",
       .stride = Stride::kElevationOfPrivilege,
       .targets = kOnService,
       .title = "Service account token lets code in the pod call the cluster API",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1528", "T1552.007"},
       .nist = {"AC-6", "IA-5"},
       .mitigation = "Set automountServiceAccountToken: false unless the workload calls the API; otherwise give it "
                     "its own service account bound to the fewest RBAC rights.",
       .confirmed_by = {"BW-K8-032", "BW-K8-033"},
       .fires_on_findings = true},
  };
}

}  // namespace

std::vector<ThreatRule> ElevationRules() {
  std::vector<ThreatRule> rules = ContainerPrivilegeRules();
  for (auto group : {CodeAndPlatformRules, ConfinementRules}) {
    for (ThreatRule& rule : group()) rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace bulwark::model
