// Threat rules: what can go wrong with each element (STRIDE per element:
// actor S,R; data store T,R,I,D; service and platform all six) and with each
// flow that crosses a trust boundary (S,T,I,D). A rule is declarative data --
// stable ID, STRIDE category, targets, title, likelihood and impact, ATT&CK
// for Containers techniques, NIST SP 800-53 rev5 controls, mitigation, the
// checks whose findings confirm it -- beside a C++ condition over the model
// that says why it applies here. The rules live in threat_rules_<stride>.cpp
// and are gathered once by AllThreatRules(); docs/threat-model.md and
// `bulwark model --list-rules` are generated from the same data.
// Immutable after first use; thread-safe reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "model/system_model.hpp"
#include "model/threat.hpp"

namespace bulwark::model {

// What a rule applies to (a bit set).
enum RuleTarget : unsigned {
  kOnActor = 1u << 0,
  kOnDataStore = 1u << 1,
  kOnService = 1u << 2,
  kOnPlatform = 1u << 3,
  kOnFlow = 1u << 4,  // only flows that cross at least one trust boundary
};

// A rule as docs and `--list-rules` show it.
struct ThreatRuleInfo {
  std::string id;  // "TM-E-004"
  Stride stride = Stride::kSpoofing;
  std::string targets;  // "service", "service, datastore", "flow", ...
  std::string title;
  std::vector<std::string> attack;
  std::vector<std::string> nist;
  std::string mitigation;
  std::vector<std::string> confirmed_by;  // check IDs
};

// Facts about the model every condition may ask, computed once per model.
class RuleContext {
 public:
  explicit RuleContext(const SystemModel& model);

  const SystemModel& model() const { return model_; }
  std::vector<const Flow*> Inbound(std::string_view element_id) const;
  std::vector<const Flow*> Outbound(std::string_view element_id) const;
  // The flow crosses the internet edge or comes from an actor on it.
  bool FromInternet(const Flow& flow) const;
  // Reachable from beyond the host: tagged internet-facing, a flow from the
  // internet into it, or a port published on every interface.
  bool Exposed(const Element& element) const;
  // The element or a data asset it stores is confidential or restricted.
  bool Sensitive(const Element& element) const;
  bool Sensitive(const Flow& flow) const;
  // The element's name, or the id when it is not in the model.
  std::string NameOf(std::string_view element_id) const;
  // Boundary names, "frontend and host".
  std::string BoundaryNames(const std::vector<std::string>& ids) const;

 private:
  const SystemModel& model_;
};

// What a condition returns when its rule applies.
struct RuleMatch {
  std::string rationale;  // why, naming the evidence
  std::vector<Evidence> evidence;
  std::optional<Level> likelihood;  // overrides the rule's base levels
  std::optional<Level> impact;
  // Other elements whose findings also confirm the threat (a data store's
  // threat confirmed by its client's SQL injection).
  std::vector<std::string> also_confirmed_by;
};

using ElementCondition = std::optional<RuleMatch> (*)(const RuleContext& ctx, const Element& element);
using FlowCondition = std::optional<RuleMatch> (*)(const RuleContext& ctx, const Flow& flow);

struct ThreatRule {
  std::string id;
  Stride stride = Stride::kSpoofing;
  unsigned targets = 0;  // RuleTarget bits
  std::string title;
  Level likelihood = Level::kMedium;
  Level impact = Level::kMedium;
  std::vector<std::string> attack;  // ATT&CK for Containers technique IDs (T1059 the one Enterprise exception)
  std::vector<std::string> nist;    // NIST SP 800-53 rev5 controls
  std::string mitigation;
  std::vector<std::string> confirmed_by;  // check IDs whose findings make it real
  std::vector<core::Category> confirming_categories;  // every finding of these categories does too
  // The model cannot see the weakness (it is in code or in the image): the
  // rule also fires, confirmed, when a confirming finding is on the element.
  bool fires_on_findings = false;
  // The condition already is exposure: do not raise likelihood for it again.
  bool raise_when_exposed = true;
  ElementCondition on_element = nullptr;
  FlowCondition on_flow = nullptr;
};

// Every rule, sorted by ID; built once.
const std::vector<ThreatRule>& AllThreatRules();
ThreatRuleInfo InfoOf(const ThreatRule& rule);
std::string TargetsName(unsigned targets);  // "service, datastore"
// Whether the rule runs on an element of this kind.
bool Targets(const ThreatRule& rule, ElementKind kind);

// The rule groups, one file each.
std::vector<ThreatRule> SpoofingRules();              // threat_rules_spoofing.cpp
std::vector<ThreatRule> TamperingRules();             // threat_rules_tampering.cpp
std::vector<ThreatRule> RepudiationRules();           // threat_rules_repudiation.cpp
std::vector<ThreatRule> InformationDisclosureRules();  // threat_rules_disclosure.cpp
std::vector<ThreatRule> DenialOfServiceRules();       // threat_rules_dos.cpp
std::vector<ThreatRule> ElevationRules();             // threat_rules_elevation.cpp

}  // namespace bulwark::model
