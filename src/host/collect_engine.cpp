#include "host/collect_engine.hpp"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "docker/engine_client.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

using nlohmann::json;

// null when the call fails or the answer is not JSON; `error` gets why.
json GetJson(docker::EngineClient& client, const std::string& path, std::string* error = nullptr) {
  // Unversioned paths: the daemon answers in its own API version. Pinning an
  // old one breaks on engines that dropped it (Docker 29 requires >= 1.44).
  auto response = client.Get(path);
  if (!response.ok()) {
    if (error != nullptr) *error = response.status().message();
    return json();
  }
  if (response->status != 200) {
    if (error != nullptr) {
      std::string body = response->body.substr(0, 200);
      auto parsed = json::parse(body, nullptr, false);
      std::string detail = parsed.is_object() ? JsonString(parsed, "/message") : "";
      *error = "HTTP " + std::to_string(response->status) + (detail.empty() ? "" : ": " + detail);
    }
    return json();
  }
  auto parsed = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    if (error != nullptr) *error = "the answer to " + path + " is not JSON";
    return json();
  }
  return parsed;
}

// Runs fn(client, i) for i in [0, n) on up to `jobs` threads, each with its
// own connection (libcurl handles are not shared).
template <typename Fn>
void ParallelFor(const std::string& socket, size_t n, unsigned jobs, Fn fn) {
  if (n == 0) return;
  size_t workers = std::max<size_t>(1, std::min<size_t>(jobs, n));
  std::atomic<size_t> next{0};
  auto work = [&] {
    docker::EngineClient client(socket);
    for (size_t i = next++; i < n; i = next++) fn(client, i);
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

std::string NameOf(const json& summary) {
  for (const std::string& name : JsonStrings(summary, "/Names")) {
    return name.size() > 1 && name[0] == '/' ? name.substr(1) : name;
  }
  return "";
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return !prefix.empty() && text.compare(0, prefix.size(), prefix) == 0;
}

std::string StripSha(const std::string& id) { return StartsWith(id, "sha256:") ? id.substr(7) : id; }

// A user's word for a container: its name (with or without '/') or an ID prefix.
bool ContainerMatches(const std::string& wanted, const std::string& name, const std::string& id) {
  std::string bare = !wanted.empty() && wanted[0] == '/' ? wanted.substr(1) : wanted;
  return bare == name || (bare.size() >= 4 && StartsWith(id, bare));
}

// A user's word for an image: a tag ("python:3.12", "python" = ":latest"),
// an ID or ID prefix (with or without "sha256:").
bool ImageMatches(const std::string& wanted, const std::vector<std::string>& tags, const std::string& id) {
  std::string bare = StripSha(wanted);
  if (bare.size() >= 4 && StartsWith(StripSha(id), bare)) return true;
  std::string with_tag = wanted;
  size_t slash = wanted.rfind('/');
  size_t colon = wanted.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) with_tag += ":latest";
  return std::find(tags.begin(), tags.end(), wanted) != tags.end() ||
         std::find(tags.begin(), tags.end(), with_tag) != tags.end();
}

void CollectContainers(const std::string& socket, const EngineScope& scope, EngineFacts& facts,
                       std::vector<std::string>* unmatched) {
  docker::EngineClient client(socket);
  json all = GetJson(client, "/containers/json?all=1");
  std::set<std::string> used_images;
  std::vector<json> chosen;
  std::set<std::string> matched;
  if (all.is_array()) {
    facts.containers_total = static_cast<int>(all.size());
    for (const json& summary : all) {
      used_images.insert(JsonString(summary, "/ImageID"));
      if (JsonString(summary, "/State") != "running") continue;
      ++facts.containers_running;
      std::string name = NameOf(summary);
      std::string id = JsonString(summary, "/Id");
      bool in_scope = scope.containers.empty();
      for (const std::string& wanted : scope.containers) {
        if (ContainerMatches(wanted, name, id)) {
          in_scope = true;
          matched.insert(wanted);
        }
      }
      if (in_scope) chosen.push_back(summary);
    }
  }
  if (unmatched != nullptr) {
    for (const std::string& wanted : scope.containers) {
      if (!matched.count(wanted)) unmatched->push_back("container " + wanted);
    }
  }
  std::vector<ContainerFacts> containers(chosen.size());
  ParallelFor(socket, chosen.size(), scope.jobs, [&](docker::EngineClient& c, size_t i) {
    ContainerFacts& out = containers[i];
    out.id = JsonString(chosen[i], "/Id");
    out.name = NameOf(chosen[i]);
    std::string base = "/containers/" + docker::EscapePathSegment(out.id);
    out.inspect = GetJson(c, base + "/json");
    json top = GetJson(c, base + "/top?ps_args=-eo%20pid,comm,args", &out.processes_error);
    if (top.is_object()) {
      out.processes_known = true;
      const json* rows = JsonAt(top, "/Processes");
      if (rows != nullptr && rows->is_array()) {
        for (const json& row : *rows) {
          // Columns pid, comm, args: keep "comm args" (args may hold spaces).
          if (!row.is_array() || row.empty()) continue;
          std::string line;
          for (size_t k = 1; k < row.size(); ++k) {
            if (!row[k].is_string()) continue;
            if (!line.empty()) line += ' ';
            line += row[k].get<std::string>();
          }
          out.processes.push_back(std::move(line));
        }
      }
    }
    for (const std::string& exec_id : JsonStrings(out.inspect, "/ExecIDs")) {
      json exec = GetJson(c, "/exec/" + docker::EscapePathSegment(exec_id) + "/json");
      if (exec.is_object()) out.execs.push_back(std::move(exec));
    }
  });
  for (ContainerFacts& c : containers) {
    // A container removed between the list and the inspect is no longer a subject.
    if (c.inspect.is_object()) facts.containers.push_back(std::move(c));
  }
  for (const ContainerFacts& c : facts.containers) used_images.insert(JsonString(c.inspect, "/Image"));
  // Remember which images containers use, for image sprawl and the scope.
  json images = GetJson(client, "/images/json");
  if (!images.is_array()) return;
  facts.images_total = static_cast<int>(images.size());
  std::set<std::string> chosen_container_images;
  for (const ContainerFacts& c : facts.containers) chosen_container_images.insert(JsonString(c.inspect, "/Image"));
  std::vector<ImageFacts> picked;
  std::set<std::string> image_matched;
  for (const json& summary : images) {
    ImageFacts image;
    image.id = JsonString(summary, "/Id");
    image.tags = JsonStrings(summary, "/RepoTags");
    image.used_by_container = used_images.count(image.id) > 0;
    bool in_scope;
    if (!scope.images.empty()) {
      in_scope = false;
      for (const std::string& wanted : scope.images) {
        if (ImageMatches(wanted, image.tags, image.id)) {
          in_scope = true;
          image_matched.insert(wanted);
        }
      }
    } else if (!scope.containers.empty()) {
      in_scope = chosen_container_images.count(image.id) > 0;
    } else {
      in_scope = true;
    }
    if (in_scope) picked.push_back(std::move(image));
  }
  if (unmatched != nullptr) {
    for (const std::string& wanted : scope.images) {
      if (!image_matched.count(wanted)) unmatched->push_back("image " + wanted);
    }
  }
  ParallelFor(socket, picked.size(), scope.jobs, [&](docker::EngineClient& c, size_t i) {
    std::string base = "/images/" + docker::EscapePathSegment(picked[i].id);
    picked[i].inspect = GetJson(c, base + "/json");
    picked[i].history = GetJson(c, base + "/history");
    if (!picked[i].history.is_array()) picked[i].history = json::array();
  });
  for (ImageFacts& image : picked) {
    if (image.inspect.is_object()) facts.images.push_back(std::move(image));
  }
}

void CollectSwarm(docker::EngineClient& client, EngineFacts& facts) {
  facts.swarm_active = JsonString(facts.info, "/Swarm/LocalNodeState") == "active";
  facts.swarm_manager = facts.swarm_active && JsonBool(facts.info, "/Swarm/ControlAvailable");
  if (!facts.swarm_manager) return;
  facts.swarm = GetJson(client, "/swarm");
  facts.swarm_nodes = GetJson(client, "/nodes");
  facts.swarm_services = GetJson(client, "/services");
  facts.swarm_secrets = GetJson(client, "/secrets");
  json key = GetJson(client, "/swarm/unlockkey");
  if (key.is_object()) facts.unlock_key = JsonString(key, "/UnlockKey");
}

}  // namespace

EngineFacts CollectEngineFacts(const std::string& socket_path, const EngineScope& scope,
                               std::vector<std::string>* unmatched) {
  EngineFacts facts;
  facts.socket_path = socket_path;
  docker::EngineClient client(socket_path);
  if (auto st = client.Ping(); !st.ok()) {
    facts.error = st.message();
    return facts;
  }
  std::string error;
  facts.info = GetJson(client, "/info", &error);
  if (!facts.info.is_object()) {
    facts.error = "the Docker daemon at unix://" + socket_path + " did not answer /info: " + error;
    return facts;
  }
  facts.reachable = true;
  facts.version = GetJson(client, "/version");
  facts.networks = GetJson(client, "/networks");
  CollectSwarm(client, facts);
  CollectContainers(socket_path, scope, facts, unmatched);
  return facts;
}

}  // namespace bulwark::host
