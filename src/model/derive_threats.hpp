// DeriveThreats: the threat model of a system. Runs every threat rule
// (threat_rules.hpp) on every element and on every flow that crosses a trust
// boundary, attaches the audit and scan findings that make a threat real
// (finding_owners.hpp says which element a finding is about; a rule names
// the checks that confirm it; a peer tool's finding confirms a threat on its
// own element when it shares an ATT&CK technique and a NIST control with it,
// but never makes a rule fire on its own), and builds
// the control table. Threats with a finding behind them are "confirmed", the
// others "potential"; findings no threat claims are kept in `unattached`.
//
// Risk: likelihood and impact start at the rule's levels (or what its
// condition found, e.g. root plus the engine socket); likelihood rises one
// step when the target is reachable from beyond the host, impact one step
// when it holds confidential or restricted data and one when it is
// privileged or holds the engine socket (capped at high); risk = RiskOf().
//
// Controls: each NIST control a threat names is "missing" when every threat
// it mitigates is confirmed, "partial" when some are, "in place" when none
// is (no finding shows it missing). Titles come from the catalog when it is
// available; the controls themselves are the rules' own, curated lists.
//
// Elements tagged "out-of-scope" are not analysed. Deterministic: the same
// inputs give the same output. Stateless; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "model/reference_catalog.hpp"
#include "model/system_model.hpp"
#include "model/threat.hpp"
#include "model/threat_rules.hpp"

namespace bulwark::model {

ThreatModel DeriveThreats(SystemModel system, const std::vector<core::Finding>& findings,
                          const ReferenceCatalog& catalog);

// Every rule, by ID: for docs and `bulwark model --list-rules`.
std::vector<ThreatRuleInfo> ThreatRules();

// NIST control order: family, then number, then enhancement ("AC-2" < "AC-6" <
// "AC-6(1)" < "AC-6(10)" < "AC-17").
bool ControlIdLess(std::string_view a, std::string_view b);

}  // namespace bulwark::model
