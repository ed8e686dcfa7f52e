// Spoofing: someone acts as a user, a service or an administrator they are not.
#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

std::optional<RuleMatch> UnauthenticatedFlow(const RuleContext& ctx, const Flow& flow) {
  if (flow.authenticated || flow.kind == FlowKind::kHostMount || flow.kind == FlowKind::kImagePull) {
    return std::nullopt;
  }
  RuleMatch m;
  for (const Evidence& e : flow.evidence) AddEvidence(m, e);
  if (flow.kind == FlowKind::kControlPlane && flow.port == 0) {
    // The engine's socket: local, but whoever may write it is root.
    m.rationale = ctx.NameOf(flow.from) + " drives " + ctx.NameOf(flow.to) + " through its socket" +
                  FlowCite(flow) + ": only the socket's file permissions decide who may, and every member of "
                  "the docker group is root on the host";
    m.likelihood = Level::kLow;
    m.impact = Level::kHigh;
    return m;
  }
  m.rationale = ctx.NameOf(flow.from) + " reaches " + ctx.NameOf(flow.to) + " over " + FlowWords(flow) +
                FlowCite(flow) + " across " + ctx.BoundaryNames(flow.crosses) +
                ", and nothing in the files shows it authenticating";
  if (flow.kind == FlowKind::kControlPlane) m.impact = Level::kHigh;
  return m;
}

std::optional<RuleMatch> InlineCredentials(const RuleContext& ctx, const Element& element) {
  std::vector<std::string> cited;
  RuleMatch m;
  for (const CredentialRef& c : element.credentials) {
    if (!c.inline_value) continue;
    cited.push_back(c.name + CiteIn(c.evidence));
    AddEvidence(m, c.evidence);
  }
  if (cited.empty()) return std::nullopt;
  std::vector<std::string> stores;
  for (const Flow* f : ctx.Outbound(element.id)) {
    const Element* to = ctx.model().FindElement(f->to);
    if (to != nullptr && to->kind == ElementKind::kDataStore && f->from == element.id) stores.push_back(to->name);
  }
  m.rationale = element.name + "'s " + JoinWords(cited) +
                (cited.size() == 1 ? " is" : " are") + " written in the files: anyone who reads them, the image or "
                "`docker inspect` can act as " + element.name +
                (stores.empty() ? "" : " towards " + JoinWords(stores));
  return m;
}

std::optional<RuleMatch> AnonymousActor(const RuleContext& ctx, const Element& actor) {
  std::vector<std::string> reached;
  RuleMatch m;
  for (const Flow* f : ctx.Outbound(actor.id)) {
    // The engine's own clients are TM-S-001's (socket permissions), not anonymous users.
    if (f->authenticated || f->crosses.empty() || f->kind == FlowKind::kImagePull ||
        f->kind == FlowKind::kControlPlane) {
      continue;
    }
    reached.push_back(ctx.NameOf(f->to) + " over " + FlowWords(*f) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (reached.empty()) return std::nullopt;
  m.rationale = actor.name + " reaches " + JoinWords(reached) +
                " with no authentication the files show: anyone who can connect is treated as " + actor.name;
  return m;
}

// A container engine or cluster API reached over TCP without credentials.
std::optional<RuleMatch> OpenEngineApi(const RuleContext& ctx, const Element& platform) {
  std::vector<std::string> clients;
  RuleMatch m;
  for (const Flow* f : ctx.Inbound(platform.id)) {
    if (f->kind != FlowKind::kControlPlane || f->port == 0 || f->authenticated) continue;
    clients.push_back(ctx.NameOf(f->from) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (clients.empty()) return std::nullopt;
  m.rationale = platform.name + "'s API is reached over TCP by " + JoinWords(clients) +
                " with no client authentication the files show";
  return m;
}

}  // namespace

std::vector<ThreatRule> SpoofingRules() {
  return {
      {.id = "TM-S-001",
       .stride = Stride::kSpoofing,
       .targets = kOnFlow,
       .title = "Unauthenticated access across a trust boundary",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1133"},
       .nist = {"IA-2", "IA-9", "AC-3"},
       .mitigation = "Authenticate every request that crosses the boundary: an authenticating reverse proxy or the "
                     "application's own login in front of published ports, credentials or mutual TLS between "
                     "services, one credential per client; keep the engine socket root:docker 660 with only "
                     "trusted users in the docker group, and an authorization plugin.",
       .confirmed_by = {"BW-DJ-006", "BW-DJ-011", "BW-CIS-1.1.2", "BW-CIS-2.7", "BW-CIS-2.12", "BW-CIS-3.15",
                        "BW-CIS-3.16", "BW-CIS-3.23", "BW-CIS-3.24"},
       .on_flow = UnauthenticatedFlow},
      {.id = "TM-S-002",
       .stride = Stride::kSpoofing,
       .targets = kOnService,
       .title = "Credentials written in the files let anyone act as the service",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1078", "T1552.001"},
       .nist = {"IA-5", "IA-5(7)", "AC-2"},
       .mitigation = "Move the credential to a secret (compose `secrets:`, a Kubernetes Secret mounted as a file) "
                     "or an env_file kept out of version control; rotate the one that was written down; give each "
                     "service its own account.",
       .confirmed_by = {"BW-CO-021", "BW-K8-034", "BW-DF-027", "BW-DF-028"},
       .on_element = InlineCredentials},
      {.id = "TM-S-003",
       .stride = Stride::kSpoofing,
       .targets = kOnActor,
       .title = "Anyone who can connect is treated as a legitimate user",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1190"},
       .nist = {"IA-2", "IA-8", "AC-3"},
       .mitigation = "Require users to authenticate before the application acts on their requests, or narrow "
                     "who can connect (bind the port to 127.0.0.1 or a private interface, a firewall, a VPN).",
       .on_element = AnonymousActor},
      {.id = "TM-S-004",
       .stride = Stride::kSpoofing,
       .targets = kOnPlatform,
       .title = "Container engine API reachable without client authentication",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1133", "T1552.007", "T1610"},
       .nist = {"AC-17", "IA-2", "SC-8"},
       .mitigation = "Do not expose the engine API over TCP; if it must be, require TLS with client certificates "
                     "(tlsverify) and an authorization plugin.",
       .confirmed_by = {"BW-DJ-006", "BW-CIS-2.7"},
       .fires_on_findings = true,
       .on_element = OpenEngineApi},
  };
}

}  // namespace bulwark::model
