// Helpers the threat rule files share: citing evidence, naming things in a
// rationale, and the facts about containers several rules ask. Internal to
// src/model/threat_rules_*.cpp. Stateless; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model/threat_rules.hpp"

namespace bulwark::model::rules {

inline constexpr size_t kMaxEvidence = 8;  // per threat: enough to act on, bounded for huge inputs
inline constexpr size_t kMaxListed = 4;    // names listed in a rationale before "and N more"

// "docker-compose.yml:8", "Dockerfile" (line 0), "" (no path).
std::string Cite(const Evidence& evidence);
// " (docker-compose.yml:8)" or "" when there is nothing to cite.
std::string CiteIn(const Evidence& evidence);
// Where the element is defined (its first evidence); nullptr when none.
const Evidence* Definition(const Element& element);
// Where a missing run setting would go, in parentheses, the definition added
// as evidence: " (no read_only in docker-compose.yml:4)", or for a container
// only a Dockerfile defines " (built from Dockerfile; no compose file or
// manifest sets read_only)".
std::string NotSet(const Element& element, std::string_view setting, RuleMatch& match);
// The element's first evidence whose text starts with one of the keys (any
// case, a YAML "- " or quote skipped, then ':', ' ', '=' or the end):
// {"user"} finds "user: root", "USER app" and "no USER" is found by {"no USER"}.
const Evidence* Mentioning(const Element& element, std::initializer_list<std::string_view> keys);

// "a", "a and b", "a, b and c", "a, b, c, d and 3 more".
std::string JoinWords(const std::vector<std::string>& words);
Level Raise(Level level);
Level Lower(Level level);
void AddEvidence(RuleMatch& match, const Evidence& evidence);

// A service, or a data store that runs as a container (has an image or a Dockerfile).
bool IsContainer(const Element& element);
// Published on every host interface ("", 0.0.0.0, ::).
bool AllInterfaces(const PortBinding& port);
// "0.0.0.0:15000->5000/tcp" in words: "15000:5000".
std::string PortText(const PortBinding& port);
// Outside Docker's default capability set and known to lead out of the container.
bool DangerousCapability(std::string_view name);
// Bind or hostPath mounts that are not the engine socket.
bool HostPathMount(const Mount& mount);
// What the flow carries, for a rationale: "HTTP :15000", its label, or its kind.
std::string FlowWords(const Flow& flow);
// The flow's first evidence, cited in parentheses; "" when none.
std::string FlowCite(const Flow& flow);
// Flows of these kinds carry network traffic (TLS applies to them).
bool NetworkFlow(const Flow& flow);

}  // namespace bulwark::model::rules
