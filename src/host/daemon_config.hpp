// The running daemon's effective configuration: dockerd's command line
// (/proc/PID/cmdline) merged with its daemon.json, keyed by daemon.json's
// option names. docker-bench greps the two separately and disagrees with
// itself when they differ; here there is one view, and each value says where
// it came from (the evidence of a verdict).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bulwark::host {

struct DaemonOption {
  // One entry for a scalar; one per repetition of a flag or per array
  // element; one "name=value" entry per key of an object value
  // ("max-size=10m"; nested objects as compact JSON).
  std::vector<std::string> values;
  // Where it came from: "dockerd --icc=false" or "/etc/docker/daemon.json \"icc\": false".
  std::string source;
};

class DaemonConfig {
 public:
  // argv: dockerd's command line (argv[0] included); file: the parsed
  // daemon.json object (null or non-object when absent or unreadable).
  static DaemonConfig From(const std::vector<std::string>& argv, const nlohmann::json& file,
                           const std::string& file_path);

  // Key as in daemon.json: "icc", "log-level", "hosts", "insecure-registries",
  // "tlsverify", "tlscacert", "default-ulimits", "storage-opts", "log-opts", ...
  // nullptr when neither the command line nor the file sets it.
  const DaemonOption* Find(std::string_view key) const;
  // true/false when set to a boolean (flag without value = true); nullopt
  // when unset or not a boolean.
  std::optional<bool> Bool(std::string_view key) const;
  // First value, or "" when unset.
  std::string Value(std::string_view key) const;

  // --config-file from the command line, else /etc/docker/daemon.json.
  static std::string ConfigFilePath(const std::vector<std::string>& argv);
  // Options set both on the command line and in the file (dockerd refuses
  // to start with such a configuration).
  const std::vector<std::string>& conflicts() const { return conflicts_; }

  void Set(std::string key, DaemonOption option) { options_[std::move(key)] = std::move(option); }

 private:
  std::map<std::string, DaemonOption, std::less<>> options_;
  std::vector<std::string> conflicts_;
};

}  // namespace bulwark::host
