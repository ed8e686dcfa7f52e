// Tampering: code, images, host files or stored data changed by someone who should not.
#include <algorithm>

#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

std::optional<RuleMatch> WritableRootFs(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.read_only_rootfs) return std::nullopt;
  RuleMatch m;
  m.rationale = element.name + "'s root filesystem is writable" + NotSet(element, "read_only", m) +
                ": whoever runs code in it can replace the application or drop and run their own tools";
  return m;
}

// An image pulled by a tag someone can move (built images are the Dockerfile rule's).
std::optional<RuleMatch> MutableImage(const RuleContext&, const Element& element) {
  if (element.image.empty() || !element.dockerfile.empty() || element.image_pinned) return std::nullopt;
  RuleMatch m;
  const Evidence* at = Mentioning(element, {"image"});
  if (at == nullptr) at = Definition(element);
  m.rationale = element.name + " runs image " + element.image + (at != nullptr ? CiteIn(*at) : "") +
                " by a tag that is neither fixed nor a digest: whoever controls the registry or the tag decides "
                "what runs";
  if (at != nullptr) AddEvidence(m, *at);
  return m;
}

std::optional<RuleMatch> BuiltFromSource(const RuleContext&, const Element& element) {
  if (element.dockerfile.empty()) return std::nullopt;
  RuleMatch m;
  m.rationale = element.name + " is built from " + element.dockerfile +
                ": its base image and everything the build downloads become part of what runs";
  AddEvidence(m, Evidence{element.dockerfile, 0, "FROM"});
  return m;
}

std::optional<RuleMatch> HostMounts(const RuleContext&, const Element& element) {
  std::vector<std::string> mounts;
  RuleMatch m;
  bool sensitive_writable = false;
  for (const Mount& mount : element.mounts) {
    if (!HostPathMount(mount) || (mount.read_only && !mount.sensitive_host_path)) continue;
    mounts.push_back(mount.source + (mount.read_only ? " (read-only)" : "") + CiteIn(mount.evidence));
    AddEvidence(m, mount.evidence);
    sensitive_writable = sensitive_writable || (mount.sensitive_host_path && !mount.read_only);
  }
  if (mounts.empty()) return std::nullopt;
  m.rationale = element.name + " mounts host path " + JoinWords(mounts) +
                ": a process in the container changes (or reads) the host's files there";
  if (sensitive_writable) m.impact = Level::kHigh;
  return m;
}

// A store whose clients take requests from outside: an injection in a client
// is a write to the store.
std::optional<RuleMatch> StoreBehindExposedClient(const RuleContext& ctx, const Element& store) {
  std::vector<std::string> clients;
  RuleMatch m;
  for (const Flow* f : ctx.Inbound(store.id)) {
    const Element* client = ctx.model().FindElement(f->from == store.id ? f->to : f->from);
    if (client == nullptr || client->kind == ElementKind::kPlatform) continue;
    bool exposed = client->kind == ElementKind::kExternalActor || ctx.Exposed(*client);
    if (!exposed) continue;
    clients.push_back(client->name + FlowCite(*f));
    m.also_confirmed_by.push_back(client->id);
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (clients.empty()) return std::nullopt;
  m.rationale = store.name + " is written by " + JoinWords(clients) +
                ", which takes requests from outside: an injection there changes the stored data";
  return m;
}

// Services that drive the engine through its socket or a control-plane flow.
std::vector<const Element*> EngineControllers(const RuleContext& ctx, const Element& platform) {
  std::vector<const Element*> out;
  for (const Flow* f : ctx.Inbound(platform.id)) {
    const Element* from = ctx.model().FindElement(f->from);
    if (f->kind == FlowKind::kControlPlane && from != nullptr && from->kind != ElementKind::kExternalActor) {
      out.push_back(from);
    }
  }
  if (!out.empty()) return out;
  // No flows drawn: a socket mount still means control, when there is one engine.
  size_t platforms = std::count_if(ctx.model().elements.begin(), ctx.model().elements.end(),
                                   [](const Element& e) { return e.kind == ElementKind::kPlatform; });
  if (platforms != 1) return out;
  for (const Element& e : ctx.model().elements) {
    for (const Mount& mount : e.mounts) {
      if (mount.docker_socket) {
        out.push_back(&e);
        break;
      }
    }
  }
  return out;
}

std::optional<RuleMatch> EngineControlledFromContainer(const RuleContext& ctx, const Element& platform) {
  std::vector<const Element*> controllers = EngineControllers(ctx, platform);
  if (controllers.empty()) return std::nullopt;
  std::vector<std::string> names;
  RuleMatch m;
  for (const Element* e : controllers) {
    names.push_back(e->name);
    m.also_confirmed_by.push_back(e->id);
    for (const Mount& mount : e->mounts) {
      if (mount.docker_socket) AddEvidence(m, mount.evidence);
    }
  }
  m.rationale = JoinWords(names) + " can drive " + platform.name +
                "'s API: whoever controls them can start, change or stop any container and image on it";
  return m;
}

std::optional<RuleMatch> UnencryptedAltered(const RuleContext& ctx, const Flow& flow) {
  if (flow.encrypted || !NetworkFlow(flow)) return std::nullopt;
  RuleMatch m;
  m.rationale = ctx.NameOf(flow.from) + " -> " + ctx.NameOf(flow.to) + " (" + FlowWords(flow) + ")" +
                FlowCite(flow) + " crosses " + ctx.BoundaryNames(flow.crosses) +
                " with no TLS the files show: anyone on the path can change what is sent";
  for (const Evidence& e : flow.evidence) AddEvidence(m, e);
  return m;
}

std::optional<RuleMatch> StoreContainerOverPrivileged(const RuleContext&, const Element& store) {
  if (!IsContainer(store)) return std::nullopt;
  std::vector<std::string> facts;
  if (store.runs_as_root.value_or(false)) facts.push_back("runs as root");
  if (store.privileged) facts.push_back("is privileged");
  for (const std::string& cap : store.capabilities_added) {
    if (DangerousCapability(cap)) facts.push_back("adds " + cap);
  }
  if (!store.capabilities_all_dropped && !store.privileged) facts.push_back("keeps the default capabilities");
  if (!store.no_new_privileges) facts.push_back("does not set no-new-privileges");
  if (facts.empty()) return std::nullopt;
  RuleMatch m;
  const Evidence* def = Definition(store);
  m.rationale = store.name + "'s container " + JoinWords(facts) + (def != nullptr ? CiteIn(*def) : "") +
                ": a flaw in it gives an intruder more than the data";
  if (def != nullptr) AddEvidence(m, *def);
  if (store.privileged || store.runs_as_root.value_or(false)) m.likelihood = Level::kMedium;
  return m;
}

}  // namespace

std::vector<ThreatRule> TamperingRules() {
  return {
      {.id = "TM-T-001",
       .stride = Stride::kTampering,
       .targets = kOnService | kOnDataStore,
       .title = "Writable root filesystem lets an intruder change the code and drop tools",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1036.005"},
       .nist = {"CM-7", "SI-7"},
       .mitigation = "Run with `read_only: true` (readOnlyRootFilesystem) and give the paths that must be "
                     "written a tmpfs or a volume.",
       .confirmed_by = {"BW-CO-005", "BW-K8-024", "BW-CIS-5.13"},
       .on_element = WritableRootFs},
      {.id = "TM-T-002",
       .stride = Stride::kTampering,
       .targets = kOnService | kOnDataStore,
       .title = "Image referenced by a mutable tag can be replaced",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1525", "T1204.003"},
       .nist = {"CM-2", "SR-3", "SI-7"},
       .mitigation = "Pin the image by digest (image@sha256:...), pull from a registry you trust, and verify "
                     "signatures (Docker Content Trust, cosign).",
       .confirmed_by = {"BW-CO-022", "BW-K8-029", "BW-K8-030", "BW-K8-031", "BW-CIS-4.5"},
       .fires_on_findings = true,
       .on_element = MutableImage},
      {.id = "TM-T-003",
       .stride = Stride::kTampering,
       .targets = kOnService,
       .title = "Base image or build downloads can carry a backdoor into the image",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1525", "T1204.003"},
       .nist = {"SR-3", "SR-4", "SR-11", "SI-7"},
       .mitigation = "Pin the base image by digest, download over HTTPS with checksums or signatures, keep "
                     "package signature checks on, and scan the built image.",
       .confirmed_by = {"BW-DF-006", "BW-DF-007", "BW-DF-008", "BW-DF-021", "BW-DF-031", "BW-DF-035",
                        "BW-DF-036", "BW-DF-037", "BW-CIS-4.2", "BW-CIS-4.11", "BW-CIS-4.12"},
       .on_element = BuiltFromSource},
      {.id = "TM-T-004",
       .stride = Stride::kTampering,
       .targets = kOnService | kOnDataStore,
       .title = "Host files changed through a bind mount",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1611"},
       .nist = {"AC-3", "AC-6", "CM-7"},
       .mitigation = "Use a named volume instead of a host path; when a host path is needed, mount only the file "
                     "or directory required, read-only.",
       .confirmed_by = {"BW-CO-018", "BW-K8-010", "BW-CIS-5.6"},
       .on_element = HostMounts},
      {.id = "TM-T-005",
       .stride = Stride::kTampering,
       .targets = kOnDataStore,
       .title = "Stored data changed through an exposed client",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1190"},
       .nist = {"SI-10", "AC-3", "AC-6"},
       .mitigation = "Use parameterised queries and validate input in every client; give each client a database "
                     "account with only the rights it needs.",
       .confirmed_by = {"BW-PY-013", "BW-PY-001", "BW-PY-003", "BW-PY-005", "BW-PY-007", "BW-PY-023"},
       .on_element = StoreBehindExposedClient},
      {.id = "TM-T-006",
       .stride = Stride::kTampering,
       .targets = kOnPlatform,
       .title = "Containers and images changed through the engine API from a container",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1610", "T1609", "T1612"},
       .nist = {"AC-3", "AC-6", "CM-7"},
       .mitigation = "Do not mount the engine socket into containers; if a tool needs the API, put an "
                     "allow-listing proxy in front of it and give it its own host.",
       .confirmed_by = {"BW-CO-017", "BW-K8-011", "BW-CIS-5.32"},
       .on_element = EngineControlledFromContainer},
      {.id = "TM-T-007",
       .stride = Stride::kTampering,
       .targets = kOnFlow,
       .title = "Unencrypted traffic across a boundary can be altered",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {},
       .nist = {"SC-8"},
       .mitigation = "Use TLS (HTTPS, sslmode=verify-full, AMQPS) for traffic that leaves a network the service "
                     "owns, and verify certificates.",
       .confirmed_by = {"BW-PY-014", "BW-PY-015", "BW-CIS-7.3"},
       .on_flow = UnencryptedAltered},
      {.id = "TM-T-008",
       .stride = Stride::kTampering,
       .targets = kOnDataStore,
       .title = "Data store container has more privilege than it needs",
       .likelihood = Level::kLow,
       .impact = Level::kHigh,
       .attack = {"T1611", "T1068"},
       .nist = {"AC-6", "CM-7", "RA-5"},
       .mitigation = "Drop all capabilities and add back only those the image's entrypoint needs, set "
                     "no-new-privileges, keep the default seccomp profile, do not mount a service account token, "
                     "run as the image's database user, and keep the image patched.",
       .confirmed_by = {"BW-CO-001", "BW-CO-002", "BW-CO-003", "BW-CO-004", "BW-CO-024", "BW-CO-025", "BW-CO-026",
                        "BW-K8-005", "BW-K8-007", "BW-K8-008", "BW-K8-017", "BW-K8-018", "BW-K8-020", "BW-K8-021",
                        "BW-K8-022", "BW-K8-032", "BW-K8-033"},
       .confirming_categories = {core::Category::kVulnerability},
       .fires_on_findings = true,
       .on_element = StoreContainerOverPrivileged},
  };
}

}  // namespace bulwark::model
