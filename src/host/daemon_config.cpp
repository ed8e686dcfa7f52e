// DaemonConfig: dockerd's command line parsed the way its flag library
// (spf13/pflag) parses it, merged with the daemon.json object. Never throws:
// both inputs come from the host and may be anything.
#include "host/daemon_config.hpp"

#include <algorithm>
#include <array>

namespace bulwark::host {
namespace {

using nlohmann::json;

enum class FlagKind { kBool, kValue, kList };

struct FlagSpec {
  std::string_view flag;  // long name without dashes
  std::string_view key;   // daemon.json key
  FlagKind kind;
};

// dockerd's flags (20.10 to 27) whose daemon.json key differs from their
// name, or that are booleans or repeatable.
constexpr std::array<FlagSpec, 56> kFlags = {{
    {"add-runtime", "runtimes", FlagKind::kList},
    {"allow-direct-routing", "allow-direct-routing", FlagKind::kBool},
    {"allow-nondistributable-artifacts", "allow-nondistributable-artifacts", FlagKind::kList},
    {"authorization-plugin", "authorization-plugins", FlagKind::kList},
    {"bridge", "bridge", FlagKind::kValue},
    {"cdi-spec-dir", "cdi-spec-dirs", FlagKind::kList},
    {"cri-containerd", "cri-containerd", FlagKind::kBool},
    {"data-root", "data-root", FlagKind::kValue},
    {"debug", "debug", FlagKind::kBool},
    {"default-address-pool", "default-address-pools", FlagKind::kList},
    {"default-network-opt", "default-network-opts", FlagKind::kList},
    {"default-ulimit", "default-ulimits", FlagKind::kList},
    {"dns", "dns", FlagKind::kList},
    {"dns-opt", "dns-opts", FlagKind::kList},
    {"dns-search", "dns-search", FlagKind::kList},
    {"exec-opt", "exec-opts", FlagKind::kList},
    {"experimental", "experimental", FlagKind::kBool},
    {"feature", "features", FlagKind::kList},
    {"graph", "data-root", FlagKind::kValue},  // the old name of --data-root
    {"group", "group", FlagKind::kValue},
    {"help", "help", FlagKind::kBool},
    {"host", "hosts", FlagKind::kList},
    {"icc", "icc", FlagKind::kBool},
    {"init", "init", FlagKind::kBool},
    {"insecure-registry", "insecure-registries", FlagKind::kList},
    {"ip-forward", "ip-forward", FlagKind::kBool},
    {"ip-forward-no-drop", "ip-forward-no-drop", FlagKind::kBool},
    {"ip-masq", "ip-masq", FlagKind::kBool},
    {"ip6tables", "ip6tables", FlagKind::kBool},
    {"iptables", "iptables", FlagKind::kBool},
    {"ipv6", "ipv6", FlagKind::kBool},
    {"label", "labels", FlagKind::kList},
    {"live-restore", "live-restore", FlagKind::kBool},
    {"log-level", "log-level", FlagKind::kValue},
    {"log-opt", "log-opts", FlagKind::kList},
    {"no-new-privileges", "no-new-privileges", FlagKind::kBool},
    {"node-generic-resource", "node-generic-resources", FlagKind::kList},
    {"pidfile", "pidfile", FlagKind::kValue},
    {"raw-logs", "raw-logs", FlagKind::kBool},
    {"registry-mirror", "registry-mirrors", FlagKind::kList},
    {"rootless", "rootless", FlagKind::kBool},
    {"selinux-enabled", "selinux-enabled", FlagKind::kBool},
    {"storage-driver", "storage-driver", FlagKind::kValue},
    {"storage-opt", "storage-opts", FlagKind::kList},
    {"tls", "tls", FlagKind::kBool},
    {"tlsverify", "tlsverify", FlagKind::kBool},
    {"userland-proxy", "userland-proxy", FlagKind::kBool},
    {"validate", "validate", FlagKind::kBool},
    {"version", "version", FlagKind::kBool},
    // Removed or rare, kept so old command lines still parse.
    {"disable-legacy-registry", "disable-legacy-registry", FlagKind::kBool},
    {"cluster-store-opt", "cluster-store-opts", FlagKind::kList},
    {"no-proxy", "no-proxy", FlagKind::kValue},
    {"http-proxy", "http-proxy", FlagKind::kValue},
    {"https-proxy", "https-proxy", FlagKind::kValue},
    {"userns-remap", "userns-remap", FlagKind::kValue},
    {"log-driver", "log-driver", FlagKind::kValue},
}};

// dockerd's value flags keyed by their own name: they take the next argument
// whatever it looks like. An unknown flag takes it only when it does not look
// like a flag.
constexpr std::array<std::string_view, 36> kValueFlags = {
    "api-cors-header",
    "bip",
    "bridge-accept-fwmark",
    "cgroup-parent",
    "config-file",
    "containerd",
    "containerd-namespace",
    "containerd-plugins-namespace",
    "cpu-rt-period",
    "cpu-rt-runtime",
    "default-cgroupns-mode",
    "default-gateway",
    "default-gateway-v6",
    "default-ipc-mode",
    "default-runtime",
    "default-shm-size",
    "exec-root",
    "fixed-cidr",
    "fixed-cidr-v6",
    "host-gateway-ip",
    "init-path",
    "ip",
    "log-format",
    "max-concurrent-downloads",
    "max-concurrent-uploads",
    "max-download-attempts",
    "metrics-addr",
    "mtu",
    "network-control-plane-mtu",
    "oom-score-adjust",
    "seccomp-profile",
    "shutdown-timeout",
    "swarm-default-advertise-addr",
    "tlscacert",
    "tlscert",
    "tlskey",
};

// One-letter forms (pflag shorthands) and their long names.
constexpr std::array<std::pair<char, std::string_view>, 10> kShorthands = {{
    {'b', "bridge"},
    {'D', "debug"},
    {'g', "graph"},
    {'G', "group"},
    {'H', "host"},
    {'h', "help"},
    {'l', "log-level"},
    {'p', "pidfile"},
    {'s', "storage-driver"},
    {'v', "version"},
}};

constexpr size_t kMaxEvidenceText = 200;
constexpr int kMaxJsonDepth = 64;

// Evidence text stays readable when a value is huge.
std::string Clip(std::string text) {
  if (text.size() > kMaxEvidenceText) {
    text.resize(kMaxEvidenceText);
    text += "...";
  }
  return text;
}

// nullopt for a flag bulwark does not know (then keyed by its own name).
std::optional<FlagSpec> KnownFlag(std::string_view flag) {
  for (const FlagSpec& spec : kFlags) {
    if (spec.flag == flag) return spec;
  }
  for (std::string_view name : kValueFlags) {
    if (name == flag) return FlagSpec{name, name, FlagKind::kValue};
  }
  return std::nullopt;
}

std::string_view LongNameOf(char shorthand) {
  for (const auto& [letter, name] : kShorthands) {
    if (letter == shorthand) return name;
  }
  return {};
}

bool Deeper(const json& value, int limit) {
  if (limit <= 0) return true;
  if (!value.is_structured()) return false;
  for (const auto& child : value) {
    if (Deeper(child, limit - 1)) return true;
  }
  return false;
}

// Compact JSON that cannot throw (invalid UTF-8 replaced) nor overflow the
// stack (absurd nesting is not printed).
std::string Compact(const json& value) {
  if (Deeper(value, kMaxJsonDepth)) return "<nested too deeply>";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A scalar as its text ("info", "true", "15"); anything else as compact JSON.
std::string ScalarText(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  return Compact(value);
}

// Go's strconv.ParseBool, which pflag uses for boolean flags.
std::optional<bool> ParseGoBool(std::string_view text) {
  for (std::string_view word : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == word) return true;
  }
  for (std::string_view word : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == word) return false;
  }
  return std::nullopt;
}

// The command-line half, built flag by flag.
class ArgvOptions {
 public:
  void Add(const FlagSpec& spec, std::string value, std::string token) {
    DaemonOption& option = options_[std::string(spec.key)];
    if (spec.kind != FlagKind::kList) {
      // pflag: a scalar flag given twice keeps the last value.
      option.values.clear();
      option.source.clear();
    }
    option.values.push_back(std::move(value));
    option.source += (option.source.empty() ? "dockerd " : " ") + Clip(std::move(token));
  }
  std::map<std::string, DaemonOption, std::less<>>& options() { return options_; }

 private:
  std::map<std::string, DaemonOption, std::less<>> options_;
};

// One "--name[=value]" argument; may consume the next one. Returns how many
// arguments were used.
size_t ParseLong(const std::vector<std::string>& argv, size_t i, ArgvOptions& out) {
  std::string_view arg = std::string_view(argv[i]).substr(2);
  size_t eq = arg.find('=');
  std::string_view name = arg.substr(0, eq);
  std::optional<FlagSpec> known = KnownFlag(name);
  FlagSpec spec = known.value_or(FlagSpec{name, name, FlagKind::kValue});
  if (eq != std::string_view::npos) {
    out.Add(spec, std::string(arg.substr(eq + 1)), argv[i]);
    return 1;
  }
  bool has_next = i + 1 < argv.size();
  bool takes_next = spec.kind != FlagKind::kBool && has_next &&
                    (known || argv[i + 1].empty() || argv[i + 1][0] != '-');
  if (takes_next) {
    out.Add(spec, argv[i + 1], argv[i] + " " + argv[i + 1]);
    return 2;
  }
  out.Add(spec, spec.kind == FlagKind::kBool || !known ? "true" : "", argv[i]);
  return 1;
}

// One "-abc" group of shorthands, pflag style: booleans may be stacked, and
// the first value flag takes the rest of the group ("-Hunix://", "-H=x") or
// the next argument.
size_t ParseShort(const std::vector<std::string>& argv, size_t i, ArgvOptions& out) {
  std::string_view group = std::string_view(argv[i]).substr(1);
  for (size_t k = 0; k < group.size(); ++k) {
    std::string_view long_name = LongNameOf(group[k]);
    if (long_name.empty()) continue;  // an unknown letter: dockerd would refuse it
    FlagSpec spec = *KnownFlag(long_name);
    std::string token = "-" + std::string(1, group[k]);
    std::string_view rest = group.substr(k + 1);
    if (spec.kind == FlagKind::kBool) {
      if (!rest.empty() && rest[0] == '=') {
        out.Add(spec, std::string(rest.substr(1)), token + std::string(rest));
        return 1;
      }
      out.Add(spec, "true", token);
      continue;
    }
    if (!rest.empty()) {
      std::string_view value = rest[0] == '=' ? rest.substr(1) : rest;
      out.Add(spec, std::string(value), token + std::string(rest));
      return 1;
    }
    if (i + 1 < argv.size()) {
      out.Add(spec, argv[i + 1], token + " " + argv[i + 1]);
      return 2;
    }
    return 1;  // a value flag at the very end: dockerd would refuse it
  }
  return 1;
}

std::map<std::string, DaemonOption, std::less<>> ParseArgv(const std::vector<std::string>& argv) {
  ArgvOptions out;
  size_t i = 1;  // argv[0] is the program
  while (i < argv.size()) {
    const std::string& arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 2 && arg[0] == '-' && arg[1] == '-') {
      i += ParseLong(argv, i, out);
    } else if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
      i += ParseShort(argv, i, out);
    } else {
      ++i;  // a positional argument: dockerd takes none
    }
  }
  return std::move(out.options());
}

// One daemon.json member as an option: arrays give one value per element,
// objects one "name=value" per member.
DaemonOption FileOption(const std::string& key, const json& value, const std::string& file_path) {
  DaemonOption option;
  option.source = file_path + " \"" + Clip(key) + "\": " + Clip(Compact(value));
  if (value.is_array()) {
    for (const auto& item : value) option.values.push_back(ScalarText(item));
  } else if (value.is_object()) {
    for (const auto& [name, item] : value.items()) {
      option.values.push_back(name + "=" + ScalarText(item));
    }
  } else {
    option.values.push_back(ScalarText(value));
  }
  return option;
}

}  // namespace

DaemonConfig DaemonConfig::From(const std::vector<std::string>& argv, const nlohmann::json& file,
                                const std::string& file_path) {
  DaemonConfig config;
  config.options_ = ParseArgv(argv);
  if (!file.is_object()) return config;
  for (const auto& [key, value] : file.items()) {
    if (value.is_null()) continue;  // dockerd reads null as "not set"
    DaemonOption from_file = FileOption(key, value, file_path);
    auto it = config.options_.find(key);
    if (it == config.options_.end()) {
      config.options_.emplace(key, std::move(from_file));
      continue;
    }
    // dockerd refuses to start with both; one that runs has read the file
    // before it was changed, so the command line is what is in effect.
    config.conflicts_.push_back(key);
    it->second.source += " (also " + from_file.source + ")";
  }
  return config;
}

const DaemonOption* DaemonConfig::Find(std::string_view key) const {
  auto it = options_.find(key);
  return it == options_.end() ? nullptr : &it->second;
}

std::optional<bool> DaemonConfig::Bool(std::string_view key) const {
  const DaemonOption* option = Find(key);
  if (option == nullptr || option->values.empty()) return std::nullopt;
  return ParseGoBool(option->values.front());
}

std::string DaemonConfig::Value(std::string_view key) const {
  const DaemonOption* option = Find(key);
  if (option == nullptr || option->values.empty()) return "";
  return option->values.front();
}

std::string DaemonConfig::ConfigFilePath(const std::vector<std::string>& argv) {
  auto options = ParseArgv(argv);
  auto it = options.find("config-file");
  if (it == options.end() || it->second.values.empty() || it->second.values.back().empty()) {
    return "/etc/docker/daemon.json";
  }
  return it->second.values.back();
}

}  // namespace bulwark::host
