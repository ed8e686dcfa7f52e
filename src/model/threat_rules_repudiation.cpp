// Repudiation: nobody can tell afterwards who did what, or that anything happened.
// The files rarely say where logs go, so most of these are potential until a
// daemon or host audit shows the logs missing.
#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

using namespace rules;  // NOLINT(google-build-using-namespace): the helpers of every rule file

// Daemon and host findings (logging, auditd) are about every container.
std::vector<std::string> PlatformIds(const RuleContext& ctx) {
  std::vector<std::string> ids;
  for (const Element& e : ctx.model().elements) {
    if (e.kind == ElementKind::kPlatform) ids.push_back(e.id);
  }
  return ids;
}

std::optional<RuleMatch> RequestsNotAttributable(const RuleContext& ctx, const Element& element) {
  std::vector<std::string> callers;
  RuleMatch m;
  for (const Flow* f : ctx.Inbound(element.id)) {
    if (f->crosses.empty() || f->kind == FlowKind::kHostMount || f->kind == FlowKind::kImagePull) continue;
    std::string other = f->to == element.id ? f->from : f->to;
    callers.push_back(ctx.NameOf(other) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (callers.empty()) return std::nullopt;
  m.rationale = element.name + " takes requests from " + JoinWords(callers) +
                " across a trust boundary, and the files do not say that requests are logged or where the "
                "logs are kept";
  m.also_confirmed_by = PlatformIds(ctx);
  return m;
}

std::optional<RuleMatch> NoHealthcheck(const RuleContext&, const Element& element) {
  if (!IsContainer(element) || element.healthcheck) return std::nullopt;
  RuleMatch m;
  const Evidence* def = Definition(element);
  m.rationale = element.name + " has no healthcheck" + (def != nullptr ? " (" + Cite(*def) + ")" : std::string()) +
                ": a hung, crashed or hijacked process keeps looking healthy to the engine and to operators";
  if (def != nullptr) AddEvidence(m, *def);
  return m;
}

std::optional<RuleMatch> ActorNotTraced(const RuleContext& ctx, const Element& actor) {
  std::vector<std::string> targets;
  RuleMatch m;
  for (const Flow* f : ctx.Outbound(actor.id)) {
    if (f->kind == FlowKind::kImagePull) continue;
    targets.push_back(ctx.NameOf(f->from == actor.id ? f->to : f->from) + FlowCite(*f));
    for (const Evidence& e : f->evidence) AddEvidence(m, e);
  }
  if (targets.empty()) return std::nullopt;
  m.rationale = actor.name + " acts on " + JoinWords(targets) +
                "; nothing in the files records who sent a request, so a user can deny having sent it";
  m.also_confirmed_by = PlatformIds(ctx);
  return m;
}

std::optional<RuleMatch> EngineNotAudited(const RuleContext&, const Element& platform) {
  RuleMatch m;
  m.rationale = "Commands given to " + platform.name +
                " (containers started, exec'ed into, images pulled) are only traceable if the host audits the "
                "engine and keeps its logs; the files cannot show that";
  if (const Evidence* def = Definition(platform)) AddEvidence(m, *def);
  return m;
}

}  // namespace

std::vector<ThreatRule> RepudiationRules() {
  return {
      {.id = "TM-R-001",
       .stride = Stride::kRepudiation,
       .targets = kOnService | kOnDataStore,
       .title = "Requests from another zone are not attributable",
       .likelihood = Level::kMedium,
       .impact = Level::kLow,
       .attack = {"T1070", "T1562.001"},
       .nist = {"AU-2", "AU-3", "AU-12"},
       .mitigation = "Log every request with who made it (user, client certificate, source address) and ship the "
                     "logs off the host (a log driver to a central store), with bounded rotation.",
       .confirmed_by = {"BW-DJ-012", "BW-CIS-2.13"},
       .on_element = RequestsNotAttributable},
      {.id = "TM-R-002",
       .stride = Stride::kRepudiation,
       .targets = kOnService | kOnDataStore,
       .title = "No healthcheck: a hung or hijacked container goes unnoticed",
       .likelihood = Level::kMedium,
       .impact = Level::kLow,
       .attack = {"T1499"},
       .nist = {"SI-4", "CP-10"},
       .mitigation = "Add a HEALTHCHECK (Dockerfile) or healthcheck (compose) / liveness and readiness probes "
                     "that exercise the service, and alert on unhealthy containers.",
       .confirmed_by = {"BW-CO-023", "BW-DF-002", "BW-CIS-4.6", "BW-CIS-5.27"},
       .on_element = NoHealthcheck},
      {.id = "TM-R-003",
       .stride = Stride::kRepudiation,
       .targets = kOnActor,
       .title = "Actions of external users cannot be traced to them",
       .likelihood = Level::kMedium,
       .impact = Level::kLow,
       .attack = {"T1070"},
       .nist = {"AU-2", "AU-3", "IA-2"},
       .mitigation = "Identify users (authentication) and record their requests with that identity in logs kept "
                     "off the host.",
       .confirmed_by = {"BW-DJ-012", "BW-CIS-2.13"},
       .on_element = ActorNotTraced},
      {.id = "TM-R-004",
       .stride = Stride::kRepudiation,
       .targets = kOnPlatform,
       .title = "Engine and host actions are not audited",
       .likelihood = Level::kMedium,
       .impact = Level::kMedium,
       .attack = {"T1070", "T1562.001"},
       .nist = {"AU-2", "AU-9", "AU-12"},
       .mitigation = "Audit the engine's binaries, sockets and configuration with auditd (CIS Docker 1.1.x), "
                     "keep the daemon's log level at info, and send logs to a remote store.",
       .confirmed_by = {"BW-CIS-1.1.3",  "BW-CIS-1.1.4",  "BW-CIS-1.1.5",  "BW-CIS-1.1.6",  "BW-CIS-1.1.7",
                        "BW-CIS-1.1.8",  "BW-CIS-1.1.9",  "BW-CIS-1.1.10", "BW-CIS-1.1.11", "BW-CIS-1.1.12",
                        "BW-CIS-1.1.13", "BW-CIS-1.1.14", "BW-CIS-1.1.15", "BW-CIS-1.1.16", "BW-CIS-1.1.17",
                        "BW-CIS-1.1.18", "BW-CIS-2.3",    "BW-CIS-2.13",   "BW-DJ-002",     "BW-DJ-012"},
       .on_element = EngineNotAudited},
  };
}

}  // namespace bulwark::model
