// DaemonConfig: a Docker daemon configuration file (/etc/docker/daemon.json)
// read with positions. The settings CIS Docker Benchmark section 2 is about
// are typed (icc, userns-remap, live-restore, log-driver, hosts, tls, ...);
// every key, known or not, is kept in `settings` in file order. The file is
// read as strict JSON (LoadJson), as dockerd reads it: comments or trailing
// commas are errors with their position; an empty file is an empty config,
// as dockerd treats it. A value of the wrong type (dockerd would refuse to
// start) and a duplicate key (dockerd silently takes the last) become
// issues. Plain value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::parse {

// One setting as written: its key's position and its value's.
template <typename T>
struct DaemonValue {
  T value{};
  YamlMark key;
  YamlMark mark;
};

// A list element, or a map entry (then `text` is the key and `value` the
// value, as text).
struct DaemonItem {
  std::string text;
  YamlMark mark;
  std::string value;
  YamlMark value_mark;
};

struct DaemonSetting {
  std::string key;
  YamlMark key_mark;
  YamlNodePtr value;
};

struct DaemonIssue {
  YamlMark mark;
  std::string message;
};

struct DaemonConfig {
  YamlNodePtr root;  // a map; an empty map for an empty file
  YamlMark start;    // the opening brace (1:1 for an empty file)

  std::optional<DaemonValue<bool>> icc, live_restore, userland_proxy, no_new_privileges, tls,
      tlsverify, experimental, iptables, ip_forward, selinux_enabled, debug;
  std::optional<DaemonValue<std::string>> userns_remap, log_driver, log_level, cgroup_parent,
      storage_driver, seccomp_profile, tlscacert, tlscert, tlskey, default_runtime;
  std::optional<DaemonValue<std::vector<DaemonItem>>> insecure_registries, hosts,
      authorization_plugins, storage_opts, registry_mirrors;
  // Maps: log-opts (name -> value) and default-ulimits (the ulimit names).
  std::optional<DaemonValue<std::vector<DaemonItem>>> log_opts, default_ulimits;

  std::vector<DaemonSetting> settings;
  std::vector<DaemonIssue> issues;

  const DaemonSetting* Find(std::string_view key) const;
  // The value of a log-opts entry, nullptr when absent.
  const DaemonItem* LogOpt(std::string_view name) const;
};

core::Result<DaemonConfig> ParseDaemonConfig(std::string_view text, const YamlLimits& limits = {});

}  // namespace bulwark::parse
