// Small helpers shared by the checks of CIS sections 4-7: evidence text
// (quoting, lists, JSON fragments) and facts every section reads the same
// way (is a user root, the daemon's security options, a normalised host
// path). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/host_check.hpp"

namespace bulwark::host::common {

// "text" with JSON escaping: evidence shows empty values as "".
std::string Quoted(const std::string& text);
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ", ");
// The value at `pointer` as compact JSON, "null" when absent:
// JsonText(inspect, "/HostConfig/CapAdd") -> ["CAP_SYS_ADMIN"].
std::string JsonText(const nlohmann::json& doc, std::string_view pointer);
// At most `limit` items, then "... (N more)".
std::string JoinLimited(const std::vector<std::string>& items, size_t limit,
                        std::string_view separator = ", ");

// Config.User (an image's, a container's or an exec's) names root: "",
// "root" or "0", with any group.
bool IsRootUser(const std::string& user);

// True when /info SecurityOptions lists the feature ("apparmor", "selinux",
// "seccomp", "userns", "rootless") as "name=<feature>,..." or, from old
// engines, as the bare word.
bool DaemonHasSecurityOption(const HostFacts& facts, std::string_view name);
// /info SecurityOptions as evidence: "SecurityOptions=[\"name=seccomp,profile=default\"]".
std::string DaemonSecurityOptionsText(const HostFacts& facts);

// A host path without trailing or doubled slashes ("/etc/" -> "/etc").
std::string NormalPath(std::string_view path);

}  // namespace bulwark::host::common
