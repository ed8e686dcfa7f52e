#include "model/derive_threats.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "model/finding_owners.hpp"
#include "model/threat_controls.hpp"
#include "model/threat_rule_support.hpp"

namespace bulwark::model {
namespace {

template <typename T>
bool Contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool Overlaps(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) { return Contains(b, x); });
}

// A host check that passed, or only informs, shows nothing missing.
bool Attachable(const core::Finding& f) {
  return f.verdict == core::Verdict::kNone || f.verdict == core::Verdict::kWarn;
}

bool OutOfScope(const Element& e) { return Contains(e.tags, std::string("out-of-scope")); }

// A compromise of the element is a compromise of the host.
bool HostPower(const Element* e) {
  if (e == nullptr) return false;
  auto socket = [](const Mount& m) { return m.docker_socket; };
  return e->privileged || std::any_of(e->mounts.begin(), e->mounts.end(), socket);
}

class Deriver {
 public:
  Deriver(const SystemModel& model, const std::vector<core::Finding>& findings)
      : model_(model), ctx_(model), findings_(findings), owners_(model, findings), attached_(findings.size()) {
    for (const ThreatRule& rule : AllThreatRules()) named_.insert(rule.confirmed_by.begin(), rule.confirmed_by.end());
  }

  std::vector<Threat> Run() {
    std::vector<Threat> threats;
    for (const ThreatRule& rule : AllThreatRules()) {
      for (const Element& e : model_.elements) {
        if (Targets(rule, e.kind) && !OutOfScope(e)) OnElement(rule, e, threats);
      }
      if ((rule.targets & kOnFlow) == 0) continue;
      for (const Flow& f : model_.flows) {
        if (!f.crosses.empty() && !FlowOutOfScope(f)) OnFlow(rule, f, threats);
      }
    }
    return threats;
  }

  std::vector<core::Finding> Unattached() const {
    std::vector<core::Finding> out;
    for (size_t i = 0; i < findings_.size(); ++i) {
      if (!attached_[i]) out.push_back(findings_[i]);
    }
    return out;
  }

 private:
  bool FlowOutOfScope(const Flow& f) const {
    const Element* from = model_.FindElement(f.from);
    const Element* to = model_.FindElement(f.to);
    return (from != nullptr && OutOfScope(*from)) || (to != nullptr && OutOfScope(*to));
  }

  // bulwark's own checks confirm only the rules that name them (a check no
  // rule names stays unattached rather than attach by chance); a peer tool's
  // finding (Trivy, Grype, ...) by technique and control, but only on the
  // threat's own element and never enough to fire a rule.
  bool Names(const ThreatRule& rule, const core::Finding& f) const {
    return Attachable(f) && (Contains(rule.confirmed_by, f.id) || Contains(rule.confirming_categories, f.category));
  }

  bool Resembles(const ThreatRule& rule, const core::Finding& f) const {
    bool ours = f.id.rfind("BW-", 0) == 0 || named_.count(f.id) != 0;
    return Attachable(f) && !ours && Overlaps(rule.attack, f.references.attack) &&
           Overlaps(rule.nist, f.references.nist);
  }

  static void SortUnique(std::vector<size_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  // The findings among `named` the rule names, and those among `own` it resembles.
  std::vector<size_t> Confirming(const ThreatRule& rule, std::vector<size_t> named,
                                 const std::vector<size_t>& own) const {
    SortUnique(named);
    std::vector<size_t> out;
    for (size_t i : named) {
      if (Names(rule, findings_[i])) out.push_back(i);
    }
    for (size_t i : own) {
      if (Resembles(rule, findings_[i])) out.push_back(i);
    }
    SortUnique(out);
    return out;
  }

  void Append(std::vector<size_t>& to, const std::vector<size_t>& from) const {
    to.insert(to.end(), from.begin(), from.end());
  }

  // The rationale of a rule the model cannot see: the findings say it.
  RuleMatch FromFindings(const std::string& name, const std::vector<size_t>& confirming) const {
    RuleMatch m;
    std::vector<std::string> said;
    for (size_t i : confirming) {
      const core::Finding& f = findings_[i];
      Evidence at{f.location.path, f.location.line, f.title};
      said.push_back(f.title + rules::CiteIn(at));
      rules::AddEvidence(m, at);
    }
    m.rationale = name + ": " + rules::JoinWords(said);
    return m;
  }

  void OnElement(const ThreatRule& rule, const Element& e, std::vector<Threat>& out) {
    std::optional<RuleMatch> match = rule.on_element != nullptr ? rule.on_element(ctx_, e) : std::nullopt;
    const std::vector<size_t>& own = owners_.Of(e.id);
    if (!match) {
      if (!rule.fires_on_findings) return;
      std::vector<size_t> named = Confirming(rule, own, {});
      if (named.empty()) return;
      match = FromFindings(e.name.empty() ? e.id : e.name, named);
    }
    std::vector<size_t> candidates = own;
    for (const std::string& id : match->also_confirmed_by) Append(candidates, owners_.Of(id));
    std::vector<size_t> confirming = Confirming(rule, std::move(candidates), own);
    Threat t = Make(rule, e.id, *match, confirming);
    t.on_flow = false;
    Score(rule, *match, ctx_.Exposed(e), ctx_.Sensitive(e), HostPower(&e), t);
    out.push_back(std::move(t));
  }

  void OnFlow(const ThreatRule& rule, const Flow& f, std::vector<Threat>& out) {
    std::optional<RuleMatch> match = rule.on_flow != nullptr ? rule.on_flow(ctx_, f) : std::nullopt;
    if (!match) return;
    std::vector<size_t> candidates = owners_.At(f.evidence);
    Append(candidates, owners_.Of(f.from));
    Append(candidates, owners_.Of(f.to));
    std::vector<size_t> confirming = Confirming(rule, std::move(candidates), {});
    Threat t = Make(rule, f.id, *match, confirming);
    t.on_flow = true;
    Score(rule, *match, ctx_.FromInternet(f), ctx_.Sensitive(f), HostPower(model_.FindElement(f.to)), t);
    out.push_back(std::move(t));
  }

  Threat Make(const ThreatRule& rule, const std::string& target, const RuleMatch& match,
              const std::vector<size_t>& confirming) {
    Threat t;
    t.id = rule.id + "@" + target;
    t.rule_id = rule.id;
    t.stride = rule.stride;
    t.target = target;
    t.title = rule.title;
    t.rationale = match.rationale;
    t.evidence = match.evidence;
    t.attack = rule.attack;
    t.nist = rule.nist;
    t.mitigation = rule.mitigation;
    for (size_t i : confirming) {
      const core::Finding& f = findings_[i];
      t.findings.push_back(FindingRef{f.id, f.title, f.severity, f.location.path, f.location.line});
      attached_[i] = true;
    }
    std::sort(t.findings.begin(), t.findings.end(), [](const FindingRef& a, const FindingRef& b) {
      return std::tie(a.path, a.line, a.id) < std::tie(b.path, b.line, b.id);
    });
    t.findings.erase(std::unique(t.findings.begin(), t.findings.end(),
                                 [](const FindingRef& a, const FindingRef& b) {
                                   return a.id == b.id && a.path == b.path && a.line == b.line;
                                 }),
                     t.findings.end());
    t.status = t.findings.empty() ? ThreatStatus::kPotential : ThreatStatus::kConfirmed;
    return t;
  }

  static void Score(const ThreatRule& rule, const RuleMatch& match, bool exposed, bool sensitive, bool host_power,
                    Threat& t) {
    t.likelihood = match.likelihood.value_or(rule.likelihood);
    t.impact = match.impact.value_or(rule.impact);
    if (exposed && rule.raise_when_exposed) t.likelihood = rules::Raise(t.likelihood);
    if (sensitive) t.impact = rules::Raise(t.impact);
    if (host_power) t.impact = rules::Raise(t.impact);
    t.risk = RiskOf(t.likelihood, t.impact);
  }

  const SystemModel& model_;
  RuleContext ctx_;
  const std::vector<core::Finding>& findings_;
  FindingOwners owners_;
  std::vector<bool> attached_;
  std::set<std::string, std::less<>> named_;
};

}  // namespace

ThreatModel DeriveThreats(SystemModel system, const std::vector<core::Finding>& findings,
                          const ReferenceCatalog& catalog) {
  ThreatModel out;
  out.system = std::move(system);
  Deriver deriver(out.system, findings);
  out.threats = deriver.Run();
  std::sort(out.threats.begin(), out.threats.end(), [](const Threat& a, const Threat& b) {
    if (a.risk != b.risk) return a.risk > b.risk;
    return a.id < b.id;
  });
  out.controls = BuildControlTable(out.threats, catalog);
  out.unattached = deriver.Unattached();
  out.attack_version = catalog.attack_version();
  return out;
}

std::vector<ThreatRuleInfo> ThreatRules() {
  std::vector<ThreatRuleInfo> out;
  for (const ThreatRule& rule : AllThreatRules()) out.push_back(InfoOf(rule));
  return out;
}

}  // namespace bulwark::model
