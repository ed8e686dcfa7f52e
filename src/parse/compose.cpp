#include "parse/compose.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace bulwark::parse {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Reads attributes out of YAML maps, recording what does not fit the
// specification as issues instead of failing.
class Reader {
 public:
  explicit Reader(std::vector<ComposeIssue>& issues) : issues_(issues) {}

  void Issue(YamlMark mark, std::string message) {
    issues_.push_back(ComposeIssue{mark, std::move(message)});
  }

  std::optional<ComposeValue> Scalar(const YamlNode& map, std::string_view key) {
    const YamlEntry* entry = map.FindEntry(key);
    if (entry == nullptr) return std::nullopt;
    const YamlNode& value = *entry->value;
    if (!value.IsScalar() && !value.IsNull()) {
      Issue(value.mark(), "'" + std::string(key) + "' should be a single value, not a " +
                              YamlKindName(value.kind()));
      return std::nullopt;
    }
    return ComposeValue{value.text(), entry->key->mark(), value.mark(), value.plain()};
  }

  // A list of scalars; a lone scalar counts as a one-item list. With
  // `map_keys`, a map contributes its keys (networks, depends_on) and
  // `long_key` reads an item written as a map (secrets: `source`).
  std::optional<ComposeList> List(const YamlNode& map, std::string_view key, bool map_keys = false,
                                  std::string_view long_key = {}) {
    const YamlEntry* entry = map.FindEntry(key);
    if (entry == nullptr) return std::nullopt;
    ComposeList list{entry->key->mark(), {}};
    const YamlNode& value = *entry->value;
    const YamlMark key_mark = entry->key->mark();
    if (value.IsScalar()) {
      list.items.push_back({value.text(), key_mark, value.mark(), value.plain()});
    } else if (value.IsSequence()) {
      for (const auto& item : value.items()) AddListItem(*item, key, key_mark, long_key, list);
    } else if (value.IsMap() && map_keys) {
      for (const auto& e : value.entries()) {
        list.items.push_back({e.key->text(), key_mark, e.key->mark(), e.key->plain()});
      }
    } else if (!value.IsNull()) {
      Issue(value.mark(), "'" + std::string(key) + "' should be a list");
    }
    return list;
  }

  std::optional<ComposeKeyValues> KeyValues(const YamlNode& map, std::string_view key) {
    const YamlEntry* entry = map.FindEntry(key);
    if (entry == nullptr) return std::nullopt;
    ComposeKeyValues result{entry->key->mark(), {}};
    const YamlNode& value = *entry->value;
    if (value.IsMap()) {
      for (const auto& e : value.entries()) {
        ComposeKeyValue kv{e.key->text(), std::nullopt, e.key->mark(), e.value->mark(), false};
        if (e.value->IsScalar())
          kv.value = e.value->text();
        else if (!e.value->IsNull())
          Issue(e.value->mark(), "'" + kv.name + "' should have a single value");
        result.entries.push_back(std::move(kv));
      }
    } else if (value.IsSequence()) {
      for (const auto& item : value.items()) AddKeyValueItem(*item, key, result);
    } else if (!value.IsNull()) {
      Issue(value.mark(), "'" + std::string(key) + "' should be a list or a map");
    }
    return result;
  }

 private:
  void AddListItem(const YamlNode& item, std::string_view key, YamlMark key_mark,
                   std::string_view long_key, ComposeList& list) {
    if (item.IsScalar()) {
      list.items.push_back({item.text(), key_mark, item.mark(), item.plain()});
      return;
    }
    const YamlNode* long_value = long_key.empty() ? nullptr : item.Find(long_key);
    if (item.IsMap() && long_value != nullptr && long_value->IsScalar()) {
      list.items.push_back({long_value->text(), key_mark, long_value->mark(), long_value->plain()});
      return;
    }
    Issue(item.mark(), "unexpected " + std::string(YamlKindName(item.kind())) + " in '" +
                           std::string(key) + "'");
  }

  void AddKeyValueItem(const YamlNode& item, std::string_view key, ComposeKeyValues& result) {
    if (!item.IsScalar()) {
      Issue(item.mark(), "'" + std::string(key) + "' items should be KEY=VALUE strings");
      return;
    }
    const std::string& text = item.text();
    const size_t eq = text.find('=');
    ComposeKeyValue kv{text.substr(0, eq), std::nullopt, item.mark(), item.mark(), true};
    if (eq != std::string::npos) {
      kv.value = text.substr(eq + 1);
      // Quoted items start one column after the quote.
      kv.value_mark.column += static_cast<int>(eq + 1) + (item.plain() ? 0 : 1);
    }
    result.entries.push_back(std::move(kv));
  }

  std::vector<ComposeIssue>& issues_;
};

void ReadPorts(const YamlNode& service, Reader& reader, ComposeService& out) {
  const YamlEntry* entry = service.FindEntry("ports");
  if (entry == nullptr) return;
  out.ports_key = entry->key->mark();
  if (!entry->value->IsSequence()) {
    if (!entry->value->IsNull()) reader.Issue(entry->value->mark(), "'ports' should be a list");
    return;
  }
  for (const auto& item : entry->value->items()) {
    ComposePort port;
    port.mark = port.host_ip_mark = port.published_mark = item->mark();
    std::string error;
    if (item->IsScalar()) {
      if (!ParsePortShortSyntax(item->text(), port, error)) {
        reader.Issue(item->mark(), "cannot read port '" + Printable(item->text()) + "': " + error);
        continue;
      }
    } else if (item->IsMap()) {
      port.long_syntax = true;
      auto field = [&](std::string_view key, std::string& target, YamlMark* mark) {
        if (auto v = reader.Scalar(*item, key)) {
          target = v->text;
          if (mark != nullptr) *mark = v->key;
        }
      };
      field("target", port.target, nullptr);
      field("published", port.published, &port.published_mark);
      field("host_ip", port.host_ip, &port.host_ip_mark);
      field("protocol", port.protocol, nullptr);
      field("mode", port.mode, nullptr);
      ComposePort numbers;
      std::string spec = port.published.empty() ? port.target : port.published + ":" + port.target;
      if (ParsePortShortSyntax(spec, numbers, error)) {
        port.published_first = numbers.published_first;
        port.published_last = numbers.published_last;
        port.target_first = numbers.target_first;
        port.target_last = numbers.target_last;
      } else {
        reader.Issue(item->mark(), "cannot read port: " + error);
      }
    } else {
      reader.Issue(item->mark(), "unexpected port entry");
      continue;
    }
    if (port.host_ip.size() >= 2 && port.host_ip.front() == '[' && port.host_ip.back() == ']') {
      port.host_ip = port.host_ip.substr(1, port.host_ip.size() - 2);
    }
    out.ports.push_back(std::move(port));
  }
}

void ReadLongVolume(const YamlNode& item, Reader& reader, ComposeVolume& volume) {
  volume.long_syntax = true;
  if (auto v = reader.Scalar(item, "type")) volume.type = v->text;
  if (auto v = reader.Scalar(item, "source")) volume.source = v->text;
  if (auto v = reader.Scalar(item, "target")) volume.target = v->text;
  if (auto v = reader.Scalar(item, "read_only")) {
    volume.read_only = v->AsBool().value_or(false);
    volume.read_only_mark = v->key;
  }
  if (const YamlNode* bind = item.Find("bind"); bind != nullptr && bind->IsMap()) {
    if (auto v = reader.Scalar(*bind, "propagation")) {
      volume.propagation = v->text;
      volume.propagation_mark = v->key;
    }
  }
  if (volume.type.empty()) volume.type = "volume";
}

void ReadVolumes(const YamlNode& service, Reader& reader, ComposeService& out) {
  const YamlEntry* entry = service.FindEntry("volumes");
  if (entry == nullptr) return;
  out.volumes_key = entry->key->mark();
  if (!entry->value->IsSequence()) {
    if (!entry->value->IsNull()) reader.Issue(entry->value->mark(), "'volumes' should be a list");
    return;
  }
  for (const auto& item : entry->value->items()) {
    ComposeVolume volume;
    volume.mark = volume.read_only_mark = volume.propagation_mark = item->mark();
    std::string error;
    if (item->IsScalar()) {
      if (!ParseVolumeShortSyntax(item->text(), volume, error)) {
        reader.Issue(item->mark(),
                     "cannot read volume '" + Printable(item->text()) + "': " + error);
        continue;
      }
    } else if (item->IsMap()) {
      ReadLongVolume(*item, reader, volume);
    } else {
      reader.Issue(item->mark(), "unexpected volume entry");
      continue;
    }
    out.volumes.push_back(std::move(volume));
  }
}

void ReadBuild(const YamlNode& service, Reader& reader, ComposeService& out) {
  const YamlEntry* entry = service.FindEntry("build");
  if (entry == nullptr) return;
  ComposeBuild build{entry->key->mark(), {}, {}};
  if (entry->value->IsScalar()) {
    build.context = entry->value->text();
  } else if (entry->value->IsMap()) {
    if (auto v = reader.Scalar(*entry->value, "context")) build.context = v->text;
    if (auto v = reader.Scalar(*entry->value, "dockerfile")) build.dockerfile = v->text;
  }
  out.build = std::move(build);
}

void ReadHealthcheck(const YamlNode& service, Reader& reader, ComposeService& out) {
  const YamlEntry* entry = service.FindEntry("healthcheck");
  if (entry == nullptr) return;
  ComposeHealthcheck health;
  health.key = entry->key->mark();
  const YamlNode& node = *entry->value;
  if (node.IsMap()) {
    if (const YamlEntry* test = node.FindEntry("test"); test != nullptr) {
      health.test_mark = test->value->mark();
      if (test->value->IsScalar()) {
        health.test = {"CMD-SHELL", test->value->text()};
      } else if (test->value->IsSequence()) {
        for (const auto& item : test->value->items()) health.test.push_back(item->text());
      }
    }
    health.disable = reader.Scalar(node, "disable");
    health.interval = reader.Scalar(node, "interval");
    health.timeout = reader.Scalar(node, "timeout");
    health.retries = reader.Scalar(node, "retries");
    health.start_period = reader.Scalar(node, "start_period");
  } else if (!node.IsNull()) {
    reader.Issue(node.mark(), "'healthcheck' should be a map");
  }
  out.healthcheck = std::move(health);
}

ComposeResources ReadResources(const YamlNode* node, Reader& reader) {
  ComposeResources resources;
  if (node == nullptr || !node->IsMap()) return resources;
  resources.cpus = reader.Scalar(*node, "cpus");
  resources.memory = reader.Scalar(*node, "memory");
  resources.pids = reader.Scalar(*node, "pids");
  return resources;
}

void ReadDeploy(const YamlNode& service, Reader& reader, ComposeService& out) {
  const YamlEntry* entry = service.FindEntry("deploy");
  if (entry == nullptr || !entry->value->IsMap()) return;
  const YamlNode& node = *entry->value;
  ComposeDeploy deploy;
  deploy.key = entry->key->mark();
  deploy.limits = ReadResources(node.FindPath({"resources", "limits"}), reader);
  deploy.reservations = ReadResources(node.FindPath({"resources", "reservations"}), reader);
  if (const YamlEntry* policy = node.FindEntry("restart_policy"); policy != nullptr) {
    deploy.restart_policy_key = policy->key->mark();
    if (policy->value->IsMap()) {
      deploy.restart_condition = reader.Scalar(*policy->value, "condition");
      deploy.restart_max_attempts = reader.Scalar(*policy->value, "max_attempts");
    }
  }
  deploy.mode = reader.Scalar(node, "mode");
  deploy.replicas = reader.Scalar(node, "replicas");
  out.deploy = std::move(deploy);
}

void ReadUlimits(const YamlNode& service, ComposeService& out) {
  const YamlNode* node = service.Find("ulimits");
  if (node == nullptr || !node->IsMap()) return;
  for (const auto& entry : node->entries()) {
    ComposeUlimit limit{entry.key->text(), entry.key->mark(), std::nullopt, std::nullopt};
    if (entry.value->IsScalar()) {
      limit.soft = limit.hard = entry.value->AsInt();
    } else if (entry.value->IsMap()) {
      if (const YamlNode* soft = entry.value->Find("soft")) limit.soft = soft->AsInt();
      if (const YamlNode* hard = entry.value->Find("hard")) limit.hard = hard->AsInt();
    }
    out.ulimits.push_back(std::move(limit));
  }
}

ComposeService ReadService(const YamlEntry& entry, Reader& reader) {
  ComposeService out;
  out.name = entry.key->text();
  out.mark = entry.key->mark();
  out.node = entry.value;
  const YamlNode& s = *entry.value;
  if (!s.IsMap()) {
    if (!s.IsNull())
      reader.Issue(s.mark(), "service '" + Printable(out.name) + "' should be a map");
    return out;
  }
  for (auto [field, key] :
       std::initializer_list<std::pair<std::optional<ComposeValue>*, const char*>>{
           {&out.image, "image"},
           {&out.user, "user"},
           {&out.privileged, "privileged"},
           {&out.read_only, "read_only"},
           {&out.network_mode, "network_mode"},
           {&out.pid, "pid"},
           {&out.ipc, "ipc"},
           {&out.uts, "uts"},
           {&out.userns_mode, "userns_mode"},
           {&out.cgroup_parent, "cgroup_parent"},
           {&out.cgroup, "cgroup"},
           {&out.restart, "restart"},
           {&out.mem_limit, "mem_limit"},
           {&out.memswap_limit, "memswap_limit"},
           {&out.cpus, "cpus"},
           {&out.cpu_shares, "cpu_shares"},
           {&out.cpu_quota, "cpu_quota"},
           {&out.pids_limit, "pids_limit"},
           {&out.oom_kill_disable, "oom_kill_disable"},
           {&out.use_api_socket, "use_api_socket"},
           {&out.container_name, "container_name"},
           {&out.hostname, "hostname"}}) {
    *field = reader.Scalar(s, key);
  }
  for (auto [field, key] :
       std::initializer_list<std::pair<std::optional<ComposeList>*, const char*>>{
           {&out.cap_add, "cap_add"},
           {&out.cap_drop, "cap_drop"},
           {&out.security_opt, "security_opt"},
           {&out.tmpfs, "tmpfs"},
           {&out.devices, "devices"},
           {&out.env_file, "env_file"},
           {&out.profiles, "profiles"},
           {&out.dns, "dns"},
           {&out.extra_hosts, "extra_hosts"}}) {
    *field = reader.List(s, key, false, key == std::string_view("env_file") ? "path" : "");
  }
  out.networks = reader.List(s, "networks", true);
  out.depends_on = reader.List(s, "depends_on", true);
  out.secrets = reader.List(s, "secrets", false, "source");
  out.configs = reader.List(s, "configs", false, "source");
  out.environment = reader.KeyValues(s, "environment");
  out.labels = reader.KeyValues(s, "labels");
  out.sysctls = reader.KeyValues(s, "sysctls");
  ReadPorts(s, reader, out);
  ReadVolumes(s, reader, out);
  ReadBuild(s, reader, out);
  ReadHealthcheck(s, reader, out);
  ReadDeploy(s, reader, out);
  ReadUlimits(s, out);
  return out;
}

std::vector<ComposeResource> ReadResourcesSection(const YamlNode& root, std::string_view key,
                                                  Reader& reader) {
  std::vector<ComposeResource> out;
  const YamlNode* section = root.Find(key);
  if (section == nullptr || section->IsNull()) return out;
  if (!section->IsMap()) {
    reader.Issue(section->mark(), "top-level '" + std::string(key) + "' should be a map");
    return out;
  }
  for (const auto& entry : section->entries()) {
    ComposeResource resource{
        entry.key->text(), entry.key->mark(), entry.value, false, false, {}, {}, {}};
    const YamlNode& def = *entry.value;
    if (def.IsMap()) {
      if (const YamlNode* v = def.Find("external"))
        resource.external = v->AsBool(true).value_or(v->IsMap());
      if (const YamlNode* v = def.Find("internal"))
        resource.internal = v->AsBool(true).value_or(false);
      if (const YamlNode* v = def.Find("driver")) resource.driver = v->text();
      if (const YamlNode* v = def.Find("file")) resource.file = v->text();
      if (const YamlNode* v = def.Find("environment")) resource.environment = v->text();
    }
    out.push_back(std::move(resource));
  }
  return out;
}

}  // namespace

std::optional<bool> ComposeValue::AsBool() const {
  // compose-go converts booleans after interpolation, accepting these words.
  const std::string word = Lower(text);
  if (word == "true" || word == "yes" || word == "on" || word == "y") return true;
  if (word == "false" || word == "no" || word == "off" || word == "n") return false;
  return std::nullopt;
}

std::optional<int64_t> ComposeValue::AsInt() const {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t value = 0;
  auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || ptr != digits.data() + digits.size())
    return std::nullopt;
  return value;
}

bool ComposeHealthcheck::Disabled() const {
  if (disable && disable->AsBool().value_or(false)) return true;
  return !test.empty() && Lower(test.front()) == "none";
}

const ComposeService* ComposeFile::FindService(std::string_view service_name) const {
  for (const auto& service : services) {
    if (service.name == service_name) return &service;
  }
  return nullptr;
}

core::Result<ComposeFile> ComposeFromYaml(const YamlNodePtr& root) {
  ComposeFile file;
  file.root = root;
  if (root == nullptr || root->IsNull()) return file;
  if (!root->IsMap()) {
    return core::Error(core::ErrorCode::kParseError,
                       std::to_string(root->mark().line) + ":" +
                           std::to_string(root->mark().column) +
                           ": a compose file is a map (services:, networks:, ...), not a " +
                           YamlKindName(root->kind()));
  }
  Reader reader(file.issues);
  file.name = reader.Scalar(*root, "name");
  file.version = reader.Scalar(*root, "version");
  if (const YamlEntry* services = root->FindEntry("services"); services != nullptr) {
    file.services_key = services->key->mark();
    if (services->value->IsMap()) {
      for (const auto& entry : services->value->entries()) {
        file.services.push_back(ReadService(entry, reader));
      }
    } else if (!services->value->IsNull()) {
      reader.Issue(services->value->mark(), "'services' should be a map of service names");
    }
  }
  file.networks = ReadResourcesSection(*root, "networks", reader);
  file.volumes = ReadResourcesSection(*root, "volumes", reader);
  file.secrets = ReadResourcesSection(*root, "secrets", reader);
  file.configs = ReadResourcesSection(*root, "configs", reader);
  return file;
}

core::Result<std::vector<ComposeFile>> ParseComposeStream(std::string_view text,
                                                          const YamlLimits& limits) {
  ASSIGN_OR_RETURN(YamlStream stream, LoadYaml(text, limits));
  std::vector<ComposeFile> files;
  for (size_t i = 0; i < stream.documents.size(); ++i) {
    ASSIGN_OR_RETURN(ComposeFile file, ComposeFromYaml(stream.documents[i].root));
    const int first_line = stream.documents[i].start.line;
    const int next_line = i + 1 < stream.documents.size() ? stream.documents[i + 1].start.line : 0;
    for (const auto& dup : stream.duplicate_keys) {
      if (dup.duplicate.line < first_line || (next_line != 0 && dup.duplicate.line >= next_line))
        continue;
      file.issues.push_back({dup.duplicate, "duplicate key '" + Printable(dup.key) +
                                                "' (first at line " +
                                                std::to_string(dup.first.line) +
                                                "); docker compose refuses the file"});
    }
    files.push_back(std::move(file));
  }
  return files;
}

core::Result<ComposeFile> ParseCompose(std::string_view text, const YamlLimits& limits) {
  ASSIGN_OR_RETURN(std::vector<ComposeFile> files, ParseComposeStream(text, limits));
  if (files.empty()) return ComposeFile{};
  return std::move(files.front());
}

}  // namespace bulwark::parse
