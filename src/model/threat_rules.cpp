// The rule table and the model facts every rule may ask.
#include "model/threat_rules.hpp"

#include <algorithm>

#include "model/threat_rule_support.hpp"

namespace bulwark::model {

RuleContext::RuleContext(const SystemModel& model) : model_(model) {}

std::vector<const Flow*> RuleContext::Inbound(std::string_view element_id) const {
  std::vector<const Flow*> out;
  for (const Flow& f : model_.flows) {
    if (f.to == element_id || (f.bidirectional && f.from == element_id)) out.push_back(&f);
  }
  return out;
}

std::vector<const Flow*> RuleContext::Outbound(std::string_view element_id) const {
  std::vector<const Flow*> out;
  for (const Flow& f : model_.flows) {
    if (f.from == element_id || (f.bidirectional && f.to == element_id)) out.push_back(&f);
  }
  return out;
}

bool RuleContext::FromInternet(const Flow& flow) const {
  for (const std::string& id : flow.crosses) {
    const TrustBoundary* b = model_.FindBoundary(id);
    if (b != nullptr && b->kind == BoundaryKind::kInternet) return true;
  }
  // An actor outside every boundary (an administrator at the host's
  // console) is not the internet unless a boundary says so.
  const Element* from = model_.FindElement(flow.from);
  if (from == nullptr || from->kind != ElementKind::kExternalActor || from->boundary.empty()) return false;
  const TrustBoundary* b = model_.FindBoundary(from->boundary);
  return b != nullptr && b->kind == BoundaryKind::kInternet;
}

bool RuleContext::Exposed(const Element& element) const {
  if (std::find(element.tags.begin(), element.tags.end(), "internet-facing") != element.tags.end()) return true;
  for (const PortBinding& p : element.ports) {
    if (rules::AllInterfaces(p)) return true;
  }
  if (element.kind == ElementKind::kExternalActor) {
    for (const Flow* f : Outbound(element.id)) {
      if (FromInternet(*f)) return true;
    }
    return false;
  }
  for (const Flow* f : Inbound(element.id)) {
    if (FromInternet(*f)) return true;
  }
  return false;
}

namespace {

bool SensitiveClass(Classification c) {
  return c == Classification::kConfidential || c == Classification::kRestricted;
}

}  // namespace

bool RuleContext::Sensitive(const Element& element) const {
  if (SensitiveClass(element.classification)) return true;
  for (const DataAsset& d : model_.data) {
    if (SensitiveClass(d.classification) &&
        std::find(d.stored_in.begin(), d.stored_in.end(), element.id) != d.stored_in.end()) {
      return true;
    }
  }
  return false;
}

bool RuleContext::Sensitive(const Flow& flow) const {
  if (SensitiveClass(flow.classification)) return true;
  for (const DataAsset& d : model_.data) {
    if (SensitiveClass(d.classification) &&
        std::find(d.carried_by.begin(), d.carried_by.end(), flow.id) != d.carried_by.end()) {
      return true;
    }
  }
  const Element* to = model_.FindElement(flow.to);
  return to != nullptr && Sensitive(*to);
}

std::string RuleContext::NameOf(std::string_view element_id) const {
  const Element* e = model_.FindElement(element_id);
  if (e == nullptr || e->name.empty()) return std::string(element_id);
  return e->name;
}

std::string RuleContext::BoundaryNames(const std::vector<std::string>& ids) const {
  std::vector<std::string> names;
  for (const std::string& id : ids) {
    const TrustBoundary* b = model_.FindBoundary(id);
    names.push_back(b != nullptr && !b->name.empty() ? b->name : id);
  }
  return rules::JoinWords(names);
}

const std::vector<ThreatRule>& AllThreatRules() {
  static const std::vector<ThreatRule> all = [] {
    std::vector<ThreatRule> rules;
    for (auto group : {SpoofingRules, TamperingRules, RepudiationRules, InformationDisclosureRules,
                       DenialOfServiceRules, ElevationRules}) {
      for (ThreatRule& rule : group()) rules.push_back(std::move(rule));
    }
    std::sort(rules.begin(), rules.end(), [](const ThreatRule& a, const ThreatRule& b) { return a.id < b.id; });
    return rules;
  }();
  return all;
}

std::string TargetsName(unsigned targets) {
  static constexpr std::pair<unsigned, const char*> kNames[] = {
      {kOnService, "service"}, {kOnDataStore, "datastore"}, {kOnPlatform, "platform"},
      {kOnActor, "actor"},     {kOnFlow, "flow"}};
  std::string out;
  for (auto [bit, name] : kNames) {
    if ((targets & bit) == 0) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool Targets(const ThreatRule& rule, ElementKind kind) {
  switch (kind) {
    case ElementKind::kService: return (rule.targets & kOnService) != 0;
    case ElementKind::kDataStore: return (rule.targets & kOnDataStore) != 0;
    case ElementKind::kExternalActor: return (rule.targets & kOnActor) != 0;
    case ElementKind::kPlatform: return (rule.targets & kOnPlatform) != 0;
  }
  return false;
}

ThreatRuleInfo InfoOf(const ThreatRule& rule) {
  return ThreatRuleInfo{rule.id,   rule.stride, TargetsName(rule.targets), rule.title,
                        rule.attack, rule.nist, rule.mitigation,           rule.confirmed_by};
}

}  // namespace bulwark::model
