// Internal to the daemon.json checks: the check IDs and the catalog of their
// metadata (daemon_catalog.cpp).
#pragma once

#include <string_view>
#include <vector>

#include "core/check_registry.hpp"

namespace bulwark::audit::daemon {

inline constexpr std::string_view kIcc = "BW-DJ-001";
inline constexpr std::string_view kLogLevel = "BW-DJ-002";
inline constexpr std::string_view kIptables = "BW-DJ-003";
inline constexpr std::string_view kInsecureRegistries = "BW-DJ-004";
inline constexpr std::string_view kAufs = "BW-DJ-005";
inline constexpr std::string_view kTcpWithoutTls = "BW-DJ-006";
inline constexpr std::string_view kDefaultUlimits = "BW-DJ-007";
inline constexpr std::string_view kUsernsRemap = "BW-DJ-008";
inline constexpr std::string_view kCgroupParent = "BW-DJ-009";
inline constexpr std::string_view kBaseSize = "BW-DJ-010";
inline constexpr std::string_view kAuthorizationPlugins = "BW-DJ-011";
inline constexpr std::string_view kLogging = "BW-DJ-012";
inline constexpr std::string_view kNoNewPrivileges = "BW-DJ-013";
inline constexpr std::string_view kLiveRestore = "BW-DJ-014";
inline constexpr std::string_view kUserlandProxy = "BW-DJ-015";
inline constexpr std::string_view kSeccompUnconfined = "BW-DJ-016";
inline constexpr std::string_view kExperimental = "BW-DJ-017";

std::vector<core::CheckInfo> DaemonCatalog();

}  // namespace bulwark::audit::daemon
