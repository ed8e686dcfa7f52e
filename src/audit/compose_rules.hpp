// Internal to the compose checks: the check IDs, the catalog of their
// metadata (compose_catalog.cpp) and the per-service rule groups, each in its
// own file. ServiceContext is what every rule sees: the file, the service,
// and a way to report at a YAML position. Not thread-safe: one per service.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "parse/compose.hpp"

namespace bulwark::audit::compose {

inline constexpr std::string_view kPrivileged = "BW-CO-001";
inline constexpr std::string_view kDangerousCapability = "BW-CO-002";
inline constexpr std::string_view kCapabilitiesNotDropped = "BW-CO-003";
inline constexpr std::string_view kNoNewPrivileges = "BW-CO-004";
inline constexpr std::string_view kWritableRootFs = "BW-CO-005";
inline constexpr std::string_view kNoMemoryLimit = "BW-CO-006";
inline constexpr std::string_view kNoCpuLimit = "BW-CO-007";
inline constexpr std::string_view kNoPidsLimit = "BW-CO-008";
inline constexpr std::string_view kPortAllInterfaces = "BW-CO-009";
inline constexpr std::string_view kPrivilegedHostPort = "BW-CO-010";
inline constexpr std::string_view kHostNetwork = "BW-CO-011";
inline constexpr std::string_view kHostPid = "BW-CO-012";
inline constexpr std::string_view kHostIpc = "BW-CO-013";
inline constexpr std::string_view kHostUts = "BW-CO-014";
inline constexpr std::string_view kHostUserns = "BW-CO-015";
inline constexpr std::string_view kCgroupParent = "BW-CO-016";
inline constexpr std::string_view kDockerSocket = "BW-CO-017";
inline constexpr std::string_view kSensitiveHostPath = "BW-CO-018";
inline constexpr std::string_view kSharedPropagation = "BW-CO-019";
inline constexpr std::string_view kHostDevice = "BW-CO-020";
inline constexpr std::string_view kSecretInEnvironment = "BW-CO-021";
inline constexpr std::string_view kUnpinnedImage = "BW-CO-022";
inline constexpr std::string_view kNoHealthcheck = "BW-CO-023";
inline constexpr std::string_view kRootUser = "BW-CO-024";
inline constexpr std::string_view kSeccompUnconfined = "BW-CO-025";
inline constexpr std::string_view kAppArmorUnconfined = "BW-CO-026";
inline constexpr std::string_view kSeLinuxDisabled = "BW-CO-027";
inline constexpr std::string_view kUnlimitedRestart = "BW-CO-028";
inline constexpr std::string_view kUnsafeSysctl = "BW-CO-029";
inline constexpr std::string_view kOomKillDisabled = "BW-CO-030";
inline constexpr std::string_view kDefaultNetworkOnly = "BW-CO-031";
inline constexpr std::string_view kDatabasePortPublished = "BW-CO-032";
inline constexpr std::string_view kSystemPathsUnconfined = "BW-CO-033";
inline constexpr std::string_view kBackendNetworkNotInternal = "BW-CO-034";

std::vector<core::CheckInfo> ComposeCatalog();

class ServiceContext {
 public:
  ServiceContext(const parse::ComposeFile& file, const parse::ComposeService& service,
                 const std::string& path, core::FindingSink& sink)
      : file_(file), service_(service), path_(path), sink_(sink) {}

  const parse::ComposeFile& file() const { return file_; }
  const parse::ComposeService& service() const { return service_; }
  // "service 'web'", with the name made printable.
  std::string Subject() const;

  void Report(std::string_view id, parse::YamlMark mark, std::string message) const;
  void Report(std::string_view id, core::Severity severity, parse::YamlMark mark,
              std::string message) const;

 private:
  const parse::ComposeFile& file_;
  const parse::ComposeService& service_;
  const std::string& path_;
  core::FindingSink& sink_;
};

// Rule groups; each runs its checks on one service.
void CheckPrivileges(const ServiceContext& ctx);      // compose_rules_privilege.cpp
void CheckNamespaces(const ServiceContext& ctx);      // compose_rules_privilege.cpp
void CheckMounts(const ServiceContext& ctx);          // compose_rules_mounts.cpp
void CheckNetwork(const ServiceContext& ctx);         // compose_rules_network.cpp
void CheckResources(const ServiceContext& ctx);       // compose_rules_runtime.cpp
void CheckRuntimeHygiene(const ServiceContext& ctx);  // compose_rules_runtime.cpp
void CheckEnvironment(const ServiceContext& ctx);     // compose_rules_runtime.cpp
// File-level: top-level networks carrying a data store without `internal`.
void CheckBackendNetworks(const parse::ComposeFile& file, const std::string& path,
                          core::FindingSink& sink);  // compose_rules_network.cpp

// Helpers shared by the rule files.
std::string Upper(std::string_view text);
std::string Lower(std::string_view text);
// The value with `${VAR:-default}` read as its default; nullopt when it
// depends on a variable without a default.
std::optional<std::string> Effective(std::string_view text);
// A boolean attribute read through Effective(): `${PRIV:-true}` is true.
std::optional<bool> EffectiveBool(const std::optional<parse::ComposeValue>& value);

}  // namespace bulwark::audit::compose
