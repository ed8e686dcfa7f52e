// Internal parts of BuildIncident (incident_build.cpp): the root cause found
// in audit results, recovery seen in later runs, the summary sentences and
// the lessons drawn. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/incident.hpp"

namespace bulwark::report::incident_internal {

// "T1059", "T1059.004": a MITRE ATT&CK technique ID.
bool IsAttackId(std::string_view text);

// Findings of the audit that was current when the incident began which let
// an attacker run code (command injection, eval: CWE-77/78/94/95), worst
// first; each marked fixed when a later fix or audit no longer reports it.
std::vector<RootCause> FindRootCauses(const IncidentInputs& in);

// A recovery row in the timeline for each root cause a later run shows fixed.
void AddRecovery(const IncidentInputs& in, Incident& out);

std::string TitleText(const IncidentInputs& in, const Incident& out);
std::string SummaryText(const IncidentInputs& in, const Incident& out);
std::vector<std::string> Lessons(const IncidentInputs& in, const Incident& out);
// Rebuild, rotate, fix the entry point, remove persistence: added after
// contain's own guidance, without repeating it.
void AddStandardRemediation(const IncidentInputs& in, Incident& out);

}  // namespace bulwark::report::incident_internal
