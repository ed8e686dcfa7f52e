// Compose: a Docker Compose file (Compose Specification) as a typed model
// with positions, built on the YAML tree. It covers the service attributes
// that matter for security review (privileges, namespaces, mounts, ports,
// limits, environment, healthcheck, restart, networks, ...) and the top-level
// networks/volumes/secrets/configs. Every value keeps where it is written: the
// key's position and the value's. Keys the model does not know are left in
// the YAML tree (`ComposeService::node`, `ComposeFile::root`), never an error;
// `x-` extension fields and YAML anchors/merge keys are resolved by the tree.
//
// Values are kept as written: `${VAR}` interpolation is not performed (the
// variables belong to the user's shell); `InterpolationDefault()` helps
// checks read `${VAR:-default}`. A value of an unexpected type becomes a
// `ComposeIssue`, not a failure. Plain value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::parse {

// A scalar attribute (`privileged: true`) or a list item (`- SYS_ADMIN`).
struct ComposeValue {
  std::string text;  // as written; "" for null
  YamlMark key;      // the attribute's key (for list items: the list's key)
  YamlMark mark;     // the value itself
  bool plain = true;

  std::optional<bool> AsBool() const;  // lenient: true/false and YAML 1.1 yes/no/on/off
  std::optional<int64_t> AsInt() const;
};

// A list attribute (`cap_add: [...]`); a scalar is accepted as one item.
struct ComposeList {
  YamlMark key;
  std::vector<ComposeValue> items;
};

// One entry of a list-or-map attribute: environment, labels, sysctls.
struct ComposeKeyValue {
  std::string name;
  std::optional<std::string> value;  // nullopt: `- NAME` / `NAME:` (taken from the shell)
  YamlMark mark;                     // the entry (the list item or the map key)
  YamlMark value_mark;               // the value (for `K=V`, where V starts)
  bool from_list = false;            // `- K=V` rather than `K: V`
};

struct ComposeKeyValues {
  YamlMark key;
  std::vector<ComposeKeyValue> entries;
};

struct ComposePort {
  YamlMark mark;
  std::string raw;  // the short-syntax text; empty for the long syntax
  bool long_syntax = false;
  std::string host_ip;    // "" = all interfaces; brackets of IPv6 removed
  std::string published;  // host port or range; "" = ephemeral host port
  std::string target;     // container port or range
  std::string protocol = "tcp";
  std::string mode;       // long syntax: "host" or "ingress"
  YamlMark host_ip_mark;  // long syntax: where host_ip is; else == mark
  YamlMark published_mark;
  // Numeric ranges when they could be read (0 when interpolated or invalid).
  int published_first = 0;
  int published_last = 0;
  int target_first = 0;
  int target_last = 0;
};

struct ComposeVolume {
  YamlMark mark;
  bool long_syntax = false;
  std::string type;    // "bind", "volume", "tmpfs", "npipe", "cluster", "image"
  std::string source;  // host path or volume name; "" for an anonymous volume
  std::string target;
  bool read_only = false;
  std::string propagation;           // "rshared", "shared", ... ("" = default)
  std::vector<std::string> options;  // short syntax: "ro", "z", "rshared", ...
  YamlMark read_only_mark;           // long syntax read_only / short syntax: == mark
  YamlMark propagation_mark;
};

struct ComposeBuild {
  YamlMark key;
  std::string context;
  std::string dockerfile;
};

struct ComposeHealthcheck {
  YamlMark key;
  std::vector<std::string> test;  // CMD / CMD-SHELL / NONE form; a string becomes {"CMD-SHELL", s}
  YamlMark test_mark;
  std::optional<ComposeValue> disable;
  std::optional<ComposeValue> interval, timeout, retries, start_period;
  bool Disabled() const;
};

struct ComposeResources {
  std::optional<ComposeValue> cpus, memory, pids;
};

struct ComposeDeploy {
  YamlMark key;
  ComposeResources limits;
  ComposeResources reservations;
  YamlMark restart_policy_key;
  std::optional<ComposeValue> restart_condition, restart_max_attempts;
  std::optional<ComposeValue> mode, replicas;
};

struct ComposeUlimit {
  std::string name;
  YamlMark mark;
  std::optional<int64_t> soft, hard;  // a single number sets both
};

struct ComposeService {
  std::string name;
  YamlMark mark;  // the service's key under `services:`
  YamlNodePtr node;

  std::optional<ComposeValue> image, user, privileged, read_only, network_mode, pid, ipc, uts,
      userns_mode, cgroup_parent, cgroup, restart, mem_limit, memswap_limit, cpus, cpu_shares,
      cpu_quota, pids_limit, oom_kill_disable, use_api_socket, container_name, hostname;
  std::optional<ComposeBuild> build;
  std::optional<ComposeList> cap_add, cap_drop, security_opt, tmpfs, devices, env_file, profiles,
      dns, extra_hosts;
  std::optional<ComposeList> networks;    // names, from a list or the keys of a map
  std::optional<ComposeList> depends_on;  // names, from a list or the keys of a map
  std::optional<ComposeList> secrets;     // short names or long-syntax `source`
  std::optional<ComposeList> configs;
  YamlMark ports_key, volumes_key;
  std::vector<ComposePort> ports;
  std::vector<ComposeVolume> volumes;
  std::optional<ComposeKeyValues> environment, labels, sysctls;
  std::vector<ComposeUlimit> ulimits;
  std::optional<ComposeHealthcheck> healthcheck;
  std::optional<ComposeDeploy> deploy;
};

// A top-level network, volume, secret or config.
struct ComposeResource {
  std::string name;
  YamlMark mark;
  YamlNodePtr node;  // its definition (may be a null node)
  bool external = false;
  bool internal = false;  // networks: `internal: true`
  std::string driver;
  std::string file;         // secrets/configs: `file:`
  std::string environment;  // secrets: `environment:`
};

// Something in the file that is not what the specification expects.
struct ComposeIssue {
  YamlMark mark;
  std::string message;
};

struct ComposeFile {
  YamlNodePtr root;
  YamlMark services_key;  // `services:`; unknown when absent
  std::optional<ComposeValue> name, version;
  std::vector<ComposeService> services;  // in file order
  std::vector<ComposeResource> networks, volumes, secrets, configs;
  std::vector<ComposeIssue> issues;

  const ComposeService* FindService(std::string_view service_name) const;
};

// Builds the model from one YAML document. Fails only when the document is
// not a map (an empty document gives an empty model).
core::Result<ComposeFile> ComposeFromYaml(const YamlNodePtr& root);

// Parses compose text: every document of the stream (compose files normally
// have one). Duplicate keys become issues of the document they are in.
core::Result<std::vector<ComposeFile>> ParseComposeStream(std::string_view text,
                                                          const YamlLimits& limits = {});
// The first document, or an empty model for an empty file.
core::Result<ComposeFile> ParseCompose(std::string_view text, const YamlLimits& limits = {});

// Splits a port short syntax ("127.0.0.1:8080-8081:80-81/udp", "[::1]:80:80",
// "80") into a ComposePort; false with a reason when it cannot be read.
bool ParsePortShortSyntax(std::string_view text, ComposePort& port, std::string& error);
// Splits a volume short syntax ("./data:/data:ro", "/data", "name:/data").
bool ParseVolumeShortSyntax(std::string_view text, ComposeVolume& volume, std::string& error);

// Text with each `${VAR:-default}` / `${VAR-default}` replaced by its
// default and `$$` by `$`; nullopt when a variable has no default.
std::optional<std::string> InterpolationDefault(std::string_view text);
// True when the text references a variable (`$VAR`, `${VAR...}`).
bool HasInterpolation(std::string_view text);

}  // namespace bulwark::parse
