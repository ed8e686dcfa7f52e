#include "docker/container_api.hpp"

#include <nlohmann/json.hpp>

namespace bulwark::docker {
namespace {

using nlohmann::json;

// Query values: everything but unreserved characters percent-encoded
// (EscapePathSegment keeps '/' and ':', which a query value must not carry raw
// when it names a repository with a tag).
std::string EscapeQueryValue(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~';
    if (safe) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

core::ErrorCode CodeFor(long status) {
  if (status == 404) return core::ErrorCode::kNotFound;
  if (status == 409 || status == 400) return core::ErrorCode::kInvalidArgument;
  return core::ErrorCode::kUnavailable;
}

core::Status Refused(const std::string& what, const HttpResponse& response) {
  return core::Status(CodeFor(response.status), what + " refused: " + DescribeRefusal(response));
}

// A POST whose success is any 2xx (204 No Content for most actions; 304
// "already in that state" counts as done).
core::Status PostAction(EngineClient& client, const std::string& what, const std::string& path,
                        const std::string& body = "") {
  auto response = client.Post(path, body);
  if (!response.ok()) return response.status();
  if ((response->status >= 200 && response->status < 300) || response->status == 304) {
    return core::Status::Ok();
  }
  return Refused(what, *response);
}

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

void ReadState(const json& doc, ContainerInfo& info) {
  auto state = doc.find("State");
  if (state == doc.end() || !state->is_object()) return;
  info.running = state->value("Running", false);
  info.paused = state->value("Paused", false);
  if (auto pid = state->find("Pid"); pid != state->end() && pid->is_number_integer()) {
    info.init_pid = pid->get<int>();
  }
}

void ReadConfig(const json& doc, ContainerInfo& info) {
  auto config = doc.find("Config");
  if (config == doc.end() || !config->is_object()) return;
  info.image = StringAt(*config, "Image");
  auto env = config->find("Env");
  if (env == config->end() || !env->is_array()) return;
  for (const auto& entry : *env) {
    if (!entry.is_string()) continue;
    const std::string& text = entry.get_ref<const std::string&>();
    info.env_names.push_back(text.substr(0, text.find('=')));  // the value never leaves here
  }
}

void ReadNetworks(const json& doc, ContainerInfo& info) {
  auto settings = doc.find("NetworkSettings");
  if (settings == doc.end() || !settings->is_object()) return;
  auto networks = settings->find("Networks");
  if (networks == settings->end() || !networks->is_object()) return;
  for (const auto& item : networks->items()) {
    NetworkAttachment attachment{item.key(), ""};
    if (item.value().is_object()) attachment.network_id = StringAt(item.value(), "NetworkID");
    info.networks.push_back(std::move(attachment));
  }
}

}  // namespace

bool ValidContainerRef(const std::string& ref) {
  std::string_view name(ref);
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (name.empty() || name.size() > 255) return false;
  auto alnum = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(static_cast<unsigned char>(name.front()))) return false;
  for (unsigned char c : name) {
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

std::string DescribeRefusal(const HttpResponse& response) {
  std::string message;
  auto doc = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) message = StringAt(doc, "message");
  if (message.empty()) message = response.body.substr(0, 200);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  return "HTTP " + std::to_string(response.status) + (message.empty() ? "" : ": " + message);
}

core::Result<ContainerInfo> InspectContainer(EngineClient& client, const std::string& ref) {
  if (!ValidContainerRef(ref)) {
    return core::Status(core::ErrorCode::kInvalidArgument,
                        "'" + ref + "' is not a container name or ID");
  }
  std::string name = ref.front() == '/' ? ref.substr(1) : ref;
  auto response = client.Get("/containers/" + EscapeQueryValue(name) + "/json");
  if (!response.ok()) return response.status();
  if (response->status == 404) {
    return core::Status(core::ErrorCode::kNotFound, "the Docker daemon has no container '" + ref + "'");
  }
  if (response->status != 200) return Refused("inspect of container '" + ref + "'", *response);
  auto doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || StringAt(doc, "Id").empty()) {
    return core::Status(core::ErrorCode::kParseError, "inspect of container '" + ref + "' is not JSON");
  }
  ContainerInfo info;
  info.id = StringAt(doc, "Id");
  info.name = StringAt(doc, "Name");
  if (!info.name.empty() && info.name.front() == '/') info.name.erase(0, 1);
  info.image_id = StringAt(doc, "Image");
  ReadState(doc, info);
  ReadConfig(doc, info);
  ReadNetworks(doc, info);
  info.raw_json = std::move(response->body);
  return info;
}

core::Result<ContainerTop> TopContainer(EngineClient& client, const std::string& id) {
  auto response = client.Get("/containers/" + EscapeQueryValue(id) + "/top?ps_args=-ef");
  if (!response.ok()) return response.status();
  if (response->status != 200) return Refused("process list (top)", *response);
  auto doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return core::Status(core::ErrorCode::kParseError, "top answer is not JSON");
  ContainerTop top;
  int pid_column = -1;
  if (auto titles = doc.find("Titles"); titles != doc.end() && titles->is_array()) {
    for (const auto& title : *titles) {
      if (title.is_string() && title.get<std::string>() == "PID") pid_column = static_cast<int>(top.titles.size());
      top.titles.push_back(title.is_string() ? title.get<std::string>() : "");
    }
  }
  if (auto rows = doc.find("Processes"); rows != doc.end() && rows->is_array()) {
    for (const auto& row : *rows) {
      if (!row.is_array()) continue;
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.is_string() ? cell.get<std::string>() : "");
      if (pid_column >= 0 && pid_column < static_cast<int>(cells.size())) {
        const std::string& text = cells[static_cast<size_t>(pid_column)];
        if (!text.empty() && text.size() < 10 && text.find_first_not_of("0123456789") == std::string::npos) {
          top.pids.push_back(std::stoi(text));
        }
      }
      top.processes.push_back(std::move(cells));
    }
  }
  top.raw_json = std::move(response->body);
  return top;
}

core::Result<std::string> CommitContainer(EngineClient& client, const std::string& id,
                                          const std::string& repo, const std::string& tag,
                                          const std::string& comment) {
  std::string path = "/commit?container=" + EscapeQueryValue(id) + "&repo=" + EscapeQueryValue(repo) +
                     "&tag=" + EscapeQueryValue(tag) + "&comment=" + EscapeQueryValue(comment) +
                     "&pause=true";
  auto response = client.Post(path, "{}");
  if (!response.ok()) return response.status();
  if (response->status != 201 && response->status != 200) return Refused("commit", *response);
  auto doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  std::string image_id = doc.is_object() ? StringAt(doc, "Id") : "";
  if (image_id.empty()) return core::Status(core::ErrorCode::kParseError, "commit answer names no image ID");
  return image_id;
}

core::Status DisconnectNetwork(EngineClient& client, const std::string& network,
                               const std::string& container_id) {
  json body = {{"Container", container_id}, {"Force", true}};
  return PostAction(client, "disconnect from network '" + network + "'",
                    "/networks/" + EscapeQueryValue(network) + "/disconnect", body.dump());
}

core::Status PauseContainer(EngineClient& client, const std::string& id) {
  return PostAction(client, "pause", "/containers/" + EscapeQueryValue(id) + "/pause");
}

core::Status StopContainer(EngineClient& client, const std::string& id, int timeout_seconds) {
  return PostAction(client, "stop",
                    "/containers/" + EscapeQueryValue(id) + "/stop?t=" + std::to_string(timeout_seconds));
}

}  // namespace bulwark::docker
