// Information disclosure: secrets and data read by someone who should not.
#include <algorithm>

#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

std::optional<RuleMatch> InlineSecrets(const RuleContext&, const Element& element) {
  std::vector<std::string> cited;
  RuleMatch m;
  for (const CredentialRef& c : element.credentials) {
    if (!c.inline_value) continue;
    cited.push_back(c.name + CiteIn(c.evidence));
    AddEvidence(m, c.evidence);
  }
  if (cited.empty()) return std::nullopt;
  m.rationale = element.name + " is given " + JoinWords(cited) +
                " as plain text in the files: it is in version control, in the image or container metadata "
                "(`docker inspect`) and in every copy of the files";
  return m;
}

std::optional<RuleMatch> UnencryptedRead(const RuleContext& ctx, const Flow& flow) {
  if (flow.encrypted || !NetworkFlow(flow)) return std::nullopt;
  RuleMatch m;
  m.rationale = ctx.NameOf(flow.from) + " -> " + ctx.NameOf(flow.to) + " (" + FlowWords(flow) + ")" +
                FlowCite(flow) + " crosses " + ctx.BoundaryNames(flow.crosses) + " with no TLS the files show" +
                (flow.authenticated ? ": the credentials and the data can be read on the way"
                                    : ": the data can be read on the way");
  for (const Evidence& e : flow.evidence) AddEvidence(m, e);
  if (flow.authenticated) m.impact = Level::kHigh;
  return m;
}

std::optional<RuleMatch> StoreReachableFromOutside(const RuleContext& ctx, const Element& store) {
  std::vector<std::string> ways;
  RuleMatch m;
  for (const PortBinding& p : store.ports) {
    if (!AllInterfaces(p)) continue;
    ways.push_back("port " + PortText(p) + " published on every interface" + CiteIn(p.evidence));
    AddEvidence(m, p.evidence);
  }
  for (const Flow* f : ctx.Inbound(store.id)) {
    if (!ctx.FromInternet(*f)) continue;
    ways.push_back(ctx.NameOf(f->from) + " over " + FlowWords(*f) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (ways.empty()) return std::nullopt;
  m.rationale = store.name + " is reachable from beyond the host: " + JoinWords(ways) +
                "; its data is one password guess or one unpatched flaw away";
  return m;
}

std::optional<RuleMatch> PublishedEverywhere(const RuleContext&, const Element& element) {
  std::vector<std::string> ports;
  RuleMatch m;
  for (const PortBinding& p : element.ports) {
    if (!AllInterfaces(p)) continue;
    ports.push_back(PortText(p) + CiteIn(p.evidence));
    AddEvidence(m, p.evidence);
  }
  if (ports.empty()) return std::nullopt;
  m.rationale = element.name + " publishes " + JoinWords(ports) +
                " on every host interface: anyone who can reach the host reaches it, not only the proxy or "
                "the local clients it was meant for";
  return m;
}

// The store's networks: boundaries of the network or namespace kind that hold it.
std::optional<RuleMatch> StoreNetworkNotIsolated(const RuleContext& ctx, const Element& store) {
  std::vector<std::string> open;
  RuleMatch m;
  for (const std::string& id : ctx.model().BoundaryChain(store.id)) {
    const TrustBoundary* b = ctx.model().FindBoundary(id);
    if (b == nullptr || (b->kind != BoundaryKind::kNetwork && b->kind != BoundaryKind::kNamespace)) continue;
    if (b->isolated) return std::nullopt;  // an isolated zone holds it
    std::string cite;
    if (!b->evidence.empty()) {
      cite = CiteIn(b->evidence.front());
      AddEvidence(m, b->evidence.front());
    }
    open.push_back(b->name + cite);
  }
  if (open.empty()) return std::nullopt;
  m.rationale = store.name + " sits on " + JoinWords(open) + ", which " + (open.size() == 1 ? "is" : "are") +
                " not isolated (not internal, no default-deny policy): any container on it, and the host's "
                "routes out, reach " + store.name;
  return m;
}

std::optional<RuleMatch> EngineApiReadsSecrets(const RuleContext& ctx, const Element& platform) {
  std::vector<std::string> names;
  RuleMatch m;
  for (const Flow* f : ctx.Inbound(platform.id)) {
    const Element* from = ctx.model().FindElement(f->from);
    if (f->kind != FlowKind::kControlPlane || from == nullptr || from->kind == ElementKind::kExternalActor) continue;
    names.push_back(from->name + FlowCite(*f));
    m.also_confirmed_by.push_back(from->id);
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  for (const Element& e : ctx.model().elements) {
    for (const Mount& mount : e.mounts) {
      if (!mount.docker_socket || std::find(m.also_confirmed_by.begin(), m.also_confirmed_by.end(), e.id) !=
                                      m.also_confirmed_by.end()) {
        continue;
      }
      names.push_back(e.name + CiteIn(mount.evidence));
      m.also_confirmed_by.push_back(e.id);
      AddEvidence(m, mount.evidence);
    }
  }
  if (names.empty()) return std::nullopt;
  m.rationale = JoinWords(names) + " can query " + platform.name +
                "'s API: every container's environment (passwords included), mounts and logs are readable "
                "from there";
  return m;
}

}  // namespace

std::vector<ThreatRule> InformationDisclosureRules() {
  return {
      {.id = "TM-I-001",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnService | kOnDataStore,
       .title = "Secret written in the files or baked into the image",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1552.001"},
       .nist = {"IA-5(7)", "SC-28", "SC-12"},
       .mitigation = "Keep secrets out of code, Dockerfiles and compose files: read them from a secrets store "
                     "or a mounted secret file at run time, add a .dockerignore, rotate every secret that was "
                     "committed.",
       .confirmed_by = {"BW-CO-021", "BW-K8-034", "BW-DF-018", "BW-DF-024", "BW-DF-025",
                        "BW-DF-027", "BW-DF-028", "BW-DF-029", "BW-DF-030", "BW-PY-012", "BW-PY-020",
                        "BW-CIS-4.10", "BW-CIS-7.4"},
       .confirming_categories = {core::Category::kSecret},
       .fires_on_findings = true,
       .on_element = InlineSecrets},
      {.id = "TM-I-002",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnFlow,
       .title = "Unencrypted traffic across a boundary can be read",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {},
       .nist = {"SC-8"},
       .mitigation = "Use TLS for traffic that crosses a boundary (HTTPS at the edge, TLS to the database and "
                     "broker) and verify certificates.",
       .confirmed_by = {"BW-PY-014", "BW-PY-015", "BW-PY-016", "BW-CIS-7.3"},
       .on_flow = UnencryptedRead},
      {.id = "TM-I-003",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnDataStore,
       .title = "Data store reachable from the internet edge",
       .likelihood = Level::kHigh,
       .impact = Level::kHigh,
       .attack = {"T1190", "T1046"},
       .nist = {"SC-7", "AC-4"},
       .mitigation = "Do not publish the data store's port; let only its clients reach it on an internal "
                     "network.",
       .confirmed_by = {"BW-CO-032", "BW-CO-009", "BW-K8-013", "BW-CIS-5.14"},
       .raise_when_exposed = false,
       .on_element = StoreReachableFromOutside},
      {.id = "TM-I-004",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnService,
       .title = "Port published on every host interface",
       .likelihood = Level::kHigh,
       .impact = Level::kMedium,
       .attack = {"T1190", "T1133"},
       .nist = {"SC-7", "CM-7"},
       .mitigation = "Bind the port to the interface it is meant for (\"127.0.0.1:15000:5000\" behind a reverse "
                     "proxy), or do not publish it.",
       .confirmed_by = {"BW-CO-009", "BW-CIS-5.14", "BW-K8-013"},
       .raise_when_exposed = false,
       .on_element = PublishedEverywhere},
      {.id = "TM-I-005",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnDataStore,
       .title = "Data store network not isolated",
       .likelihood = Level::kLow,
       .impact = Level::kMedium,
       .attack = {"T1046"},
       .nist = {"SC-7", "SC-7(5)", "AC-4"},
       .mitigation = "Put the data store on an internal network (`internal: true`) or behind a default-deny "
                     "NetworkPolicy that admits only its clients.",
       .confirmed_by = {"BW-CO-034", "BW-CO-031", "BW-K8-038", "BW-DJ-001", "BW-CIS-2.2", "BW-CIS-5.30"},
       .on_element = StoreNetworkNotIsolated},
      {.id = "TM-I-006",
       .stride = Stride::kInformationDisclosure,
       .targets = kOnPlatform,
       .title = "Every container's secrets readable through the engine API",
       .likelihood = Level::kMedium,
       .impact = Level::kHigh,
       .attack = {"T1552.007", "T1613"},
       .nist = {"AC-3", "AC-6", "SC-28"},
       .mitigation = "Do not give containers the engine socket or a privileged service account token; pass "
                     "secrets as files, not environment variables.",
       .confirmed_by = {"BW-CO-017", "BW-K8-011", "BW-K8-032", "BW-CIS-5.32"},
       .on_element = EngineApiReadsSecrets},
  };
}

}  // namespace bulwark::model
