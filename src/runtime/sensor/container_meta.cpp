#include "runtime/sensor/container_meta.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "docker/engine_client.hpp"

namespace bulwark::runtime::sensor {
namespace {

using nlohmann::json;

std::string Str(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "2024-05-01T10:20:30.123456789Z" -> ns since the epoch; 0 when unparsable.
uint64_t ParseRfc3339(const std::string& text) {
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return 0;
  time_t secs = timegm(&tm);
  if (secs <= 0) return 0;
  uint64_t nanos = 0;
  if (*rest == '.') {
    int digits = 0;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest) {
      if (digits++ < 9) nanos = nanos * 10 + static_cast<uint64_t>(*rest - '0');
    }
    for (; digits < 9; ++digits) nanos *= 10;
  }
  return static_cast<uint64_t>(secs) * 1000000000ULL + nanos;
}

void ReadMounts(const json& doc, Container& c) {
  auto it = doc.find("Mounts");
  if (it == doc.end() || !it->is_array()) return;
  for (const json& m : *it) {
    if (!m.is_object() || c.mounts.size() >= 256) continue;
    Mount mount;
    mount.source = Str(m, "Source");
    mount.destination = Str(m, "Destination");
    mount.mode = Str(m, "Mode");
    mount.propagation = Str(m, "Propagation");
    auto rw = m.find("RW");
    mount.read_write = rw == m.end() || !rw->is_boolean() || rw->get<bool>();
    c.mounts.push_back(std::move(mount));
  }
}

void ReadLabels(const json& config, Container& c) {
  auto it = config.find("Labels");
  if (it == config.end() || !it->is_object()) return;
  for (auto& [key, value] : it->items()) {
    if (value.is_string() && c.labels.size() < 1024) c.labels.emplace(key, value.get<std::string>());
  }
  auto label = [&](const char* key) {
    auto l = c.labels.find(key);
    return l == c.labels.end() ? std::string() : l->second;
  };
  c.k8s_pod_name = label("io.kubernetes.pod.name");
  c.k8s_pod_uid = label("io.kubernetes.pod.uid");
  c.k8s_ns_name = label("io.kubernetes.pod.namespace");
}

}  // namespace

void SplitImageReference(std::string_view image, Container& c) {
  std::string_view name = image;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    c.image_digest = std::string(name.substr(at + 1));
    name = name.substr(0, at);
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    c.image_tag = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
  } else if (c.image_digest.empty() && !name.empty()) {
    c.image_tag = "latest";
  }
  c.image_repository = std::string(name);
}

core::Result<Container> ParseContainerInspect(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || Str(doc, "Id").size() < 12) {
    return core::Error(core::ErrorCode::kParseError, "container inspect: not a container object");
  }
  Container c;
  c.full_id = Str(doc, "Id");
  c.id = c.full_id.substr(0, 12);
  c.name = Str(doc, "Name");
  if (!c.name.empty() && c.name[0] == '/') c.name.erase(0, 1);
  c.image_id = Str(doc, "Image");
  if (auto cfg = doc.find("Config"); cfg != doc.end() && cfg->is_object()) {
    c.image = Str(*cfg, "Image");
    ReadLabels(*cfg, c);
  }
  SplitImageReference(c.image, c);
  if (auto host = doc.find("HostConfig"); host != doc.end() && host->is_object()) {
    auto p = host->find("Privileged");
    c.privileged = p != host->end() && p->is_boolean() && p->get<bool>();
  }
  if (auto state = doc.find("State"); state != doc.end() && state->is_object()) {
    c.start_ts_ns = ParseRfc3339(Str(*state, "StartedAt"));
  }
  ReadMounts(doc, c);
  return c;
}

DockerContainerSource::DockerContainerSource(std::string socket_path)
    : client_(std::make_unique<docker::EngineClient>(std::move(socket_path))) {}

DockerContainerSource::~DockerContainerSource() = default;

std::vector<ContainerChange> ParseContainerEvents(std::string_view body, size_t max_events) {
  std::vector<ContainerChange> out;
  size_t start = 0;
  while (start < body.size() && out.size() < max_events) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    nlohmann::json j = nlohmann::json::parse(body.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (!j.is_object() || j.value("Type", "") != "container") continue;
    std::string id;
    if (auto actor = j.find("Actor"); actor != j.end() && actor->is_object()) id = actor->value("ID", "");
    if (id.empty()) id = j.value("id", "");
    std::string action = j.value("Action", j.value("status", ""));
    if (id.size() != 64 || action.empty()) continue;
    out.push_back({std::move(id), std::move(action)});
  }
  return out;
}

core::Result<std::vector<ContainerChange>> DockerContainerSource::Changes(int64_t since_s, int64_t until_s) {
  // filters={"type":["container"]}; `until` makes the engine answer at once.
  ASSIGN_OR_RETURN(docker::HttpResponse response,
                   client_->Get("/events?since=" + std::to_string(since_s) + "&until=" + std::to_string(until_s) +
                                "&filters=%7B%22type%22%3A%5B%22container%22%5D%7D"));
  if (response.status != 200) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "container events answered HTTP " + std::to_string(response.status));
  }
  return ParseContainerEvents(response.body);
}

core::Result<Container> DockerContainerSource::Inspect(const std::string& full_id) {
  for (char ch : full_id) {
    if (!std::isxdigit(static_cast<unsigned char>(ch))) {
      return core::Error(core::ErrorCode::kInvalidArgument, "container ID is not hex");
    }
  }
  ASSIGN_OR_RETURN(docker::HttpResponse response, client_->Get("/containers/" + full_id + "/json"));
  if (response.status == 404) {
    return core::Error(core::ErrorCode::kNotFound, "no container " + full_id.substr(0, 12));
  }
  if (response.status != 200) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "container inspect answered HTTP " + std::to_string(response.status));
  }
  return ParseContainerInspect(response.body);
}

const Container* ContainerCache::Resolve(const ContainerRef& ref, uint64_t now_ns) {
  auto it = entries_.find(ref.id);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_entries) {
      // Evict the entry checked longest ago.
      auto oldest = entries_.begin();
      for (auto e = entries_.begin(); e != entries_.end(); ++e) {
        if (e->second.checked_ns < oldest->second.checked_ns) oldest = e;
      }
      entries_.erase(oldest);
    }
    Entry entry;
    entry.container.id = ref.id;
    entry.container.full_id = ref.full_id;
    entry.container.type = ref.type;
    it = entries_.emplace(ref.id, std::move(entry)).first;
  } else {
    uint64_t age = now_ns > it->second.checked_ns ? now_ns - it->second.checked_ns : 0;
    uint64_t due = it->second.complete ? options_.refresh_after_ns : options_.retry_after_ns;
    if (age < due) return &it->second.container;
  }
  Entry& entry = it->second;
  entry.checked_ns = now_ns;
  if (!source_) return &entry.container;
  ++lookups_;
  auto inspected = source_->Inspect(ref.full_id);
  if (inspected.ok()) {
    entry.container = std::move(inspected).value();
    entry.container.id = ref.id;
    entry.container.full_id = ref.full_id;
    entry.container.type = ref.type;
    entry.complete = true;
  }
  return &entry.container;
}

const Container* ContainerCache::Find(std::string_view id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.container;
}

void ContainerCache::PollChanges(uint64_t now_ns) {
  if (!source_) return;
  const int64_t now_s = static_cast<int64_t>(now_ns / 1'000'000'000ULL);
  if (changes_until_s_ < 0 || now_s < changes_until_s_) {
    changes_until_s_ = now_s;
    return;
  }
  if (now_s == changes_until_s_) return;
  // The window's end second is asked again next time: an event in that
  // second may arrive after this answer. A repeat only refreshes twice.
  auto changes = source_->Changes(changes_until_s_, now_s);
  if (!changes.ok()) return;  // the engine is away: inspect-on-miss still works
  changes_until_s_ = now_s;
  for (const ContainerChange& change : *changes) {
    const std::string id = change.full_id.substr(0, 12);
    if (change.action == "destroy") {
      entries_.erase(id);
      continue;
    }
    if (change.action != "start" && change.action != "rename" && change.action != "update" &&
        change.action != "restart") {
      continue;
    }
    auto it = entries_.find(id);
    ContainerRef ref{id, change.full_id, "docker"};
    if (it != entries_.end()) {
      it->second.checked_ns = 0;  // due now
      it->second.complete = false;
      ref.type = it->second.container.type;
    }
    Resolve(ref, now_ns);
  }
}

}  // namespace bulwark::runtime::sensor
