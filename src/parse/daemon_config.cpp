#include "parse/daemon_config.hpp"

namespace bulwark::parse {
namespace {

using Items = std::vector<DaemonItem>;

std::string Where(YamlMark mark) {
  return std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

class Reader {
 public:
  explicit Reader(DaemonConfig& config) : config_(config) {}

  void Bool(std::string_view key, std::optional<DaemonValue<bool>>& out) {
    const YamlEntry* entry = config_.root->FindEntry(key);
    if (entry == nullptr) return;
    auto value = entry->value->AsBool();
    if (!value) return WrongType(*entry, "true or false");
    out = DaemonValue<bool>{*value, entry->key->mark(), entry->value->mark()};
  }

  void String(std::string_view key, std::optional<DaemonValue<std::string>>& out) {
    const YamlEntry* entry = config_.root->FindEntry(key);
    if (entry == nullptr) return;
    if (!entry->value->IsScalar() || entry->value->plain()) return WrongType(*entry, "a string");
    out = DaemonValue<std::string>{entry->value->text(), entry->key->mark(), entry->value->mark()};
  }

  void Strings(std::string_view key, std::optional<DaemonValue<Items>>& out) {
    const YamlEntry* entry = config_.root->FindEntry(key);
    if (entry == nullptr) return;
    if (!entry->value->IsSequence()) return WrongType(*entry, "a list of strings");
    DaemonValue<Items> list{{}, entry->key->mark(), entry->value->mark()};
    for (const auto& item : entry->value->items()) {
      if (!item->IsScalar() || item->plain()) {
        Issue(item->mark(), "'" + std::string(key) + "' items should be strings");
        continue;
      }
      list.value.push_back(DaemonItem{item->text(), item->mark(), {}, {}});
    }
    out = std::move(list);
  }

  // A map; values are kept as text when they are scalars.
  void Map(std::string_view key, std::optional<DaemonValue<Items>>& out) {
    const YamlEntry* entry = config_.root->FindEntry(key);
    if (entry == nullptr) return;
    if (!entry->value->IsMap()) return WrongType(*entry, "an object");
    DaemonValue<Items> map{{}, entry->key->mark(), entry->value->mark()};
    for (const auto& e : entry->value->entries()) {
      map.value.push_back(DaemonItem{e.key->text(), e.key->mark(),
                                     e.value->IsScalar() ? e.value->text() : "", e.value->mark()});
    }
    out = std::move(map);
  }

  void Issue(YamlMark mark, std::string message) {
    config_.issues.push_back(DaemonIssue{mark, std::move(message)});
  }

 private:
  void WrongType(const YamlEntry& entry, std::string_view expected) {
    const YamlNode& value = *entry.value;
    std::string found = value.IsScalar()
                            ? (value.plain() ? "'" + Printable(value.text()) + "'"
                                             : "the string \"" + Printable(value.text()) + "\"")
                            : std::string("a ") + YamlKindName(value.kind());
    Issue(value.mark(), "'" + entry.key->text() + "' should be " + std::string(expected) +
                            ", not " + found + "; dockerd refuses to start with it");
  }

  DaemonConfig& config_;
};

void ReadKnownKeys(DaemonConfig& config) {
  Reader read(config);
  read.Bool("icc", config.icc);
  read.Bool("live-restore", config.live_restore);
  read.Bool("userland-proxy", config.userland_proxy);
  read.Bool("no-new-privileges", config.no_new_privileges);
  read.Bool("tls", config.tls);
  read.Bool("tlsverify", config.tlsverify);
  read.Bool("experimental", config.experimental);
  read.Bool("iptables", config.iptables);
  read.Bool("ip-forward", config.ip_forward);
  read.Bool("selinux-enabled", config.selinux_enabled);
  read.Bool("debug", config.debug);
  read.String("userns-remap", config.userns_remap);
  read.String("log-driver", config.log_driver);
  read.String("log-level", config.log_level);
  read.String("cgroup-parent", config.cgroup_parent);
  read.String("storage-driver", config.storage_driver);
  read.String("seccomp-profile", config.seccomp_profile);
  read.String("tlscacert", config.tlscacert);
  read.String("tlscert", config.tlscert);
  read.String("tlskey", config.tlskey);
  read.String("default-runtime", config.default_runtime);
  read.Strings("insecure-registries", config.insecure_registries);
  read.Strings("hosts", config.hosts);
  read.Strings("authorization-plugins", config.authorization_plugins);
  read.Strings("storage-opts", config.storage_opts);
  read.Strings("registry-mirrors", config.registry_mirrors);
  read.Map("log-opts", config.log_opts);
  read.Map("default-ulimits", config.default_ulimits);
}

bool IsBlank(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

const DaemonSetting* DaemonConfig::Find(std::string_view key) const {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

const DaemonItem* DaemonConfig::LogOpt(std::string_view name) const {
  if (!log_opts) return nullptr;
  for (const auto& item : log_opts->value) {
    if (item.text == name) return &item;
  }
  return nullptr;
}

core::Result<DaemonConfig> ParseDaemonConfig(std::string_view text, const YamlLimits& limits) {
  DaemonConfig config;
  config.start = YamlMark{1, 1};
  if (IsBlank(text)) {
    // dockerd starts with an empty daemon.json: every default applies.
    config.root = YamlNode::MakeMap(config.start, {}, true);
    return config;
  }
  ASSIGN_OR_RETURN(YamlStream stream, LoadJson(text, limits));
  config.root = stream.documents.front().root;
  config.start = config.root->mark();
  if (!config.root->IsMap()) {
    return core::Error(core::ErrorCode::kParseError,
                       Where(config.start) + ": daemon.json must be a JSON object, not a " +
                           (config.root->IsSequence() ? "list" : "single value"));
  }
  for (const auto& entry : config.root->entries()) {
    config.settings.push_back(DaemonSetting{entry.key->text(), entry.key->mark(), entry.value});
  }
  for (const auto& dup : stream.duplicate_keys) {
    config.issues.push_back(
        DaemonIssue{dup.duplicate, "duplicate key '" + Printable(dup.key) + "' (first at line " +
                                       std::to_string(dup.first.line) +
                                       "); the last value is the one dockerd uses"});
  }
  ReadKnownKeys(config);
  return config;
}

}  // namespace bulwark::parse
