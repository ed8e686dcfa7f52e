#include "respond/live_container.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/json_read.hpp"
#include "respond/live_process.hpp"
#include "respond/proc_stat.hpp"

namespace bulwark::respond {
namespace {

namespace jr = core::json_read;
using nlohmann::json;

constexpr size_t kMaxChanges = 100000;

std::optional<json> ParseJson(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool IsPidName(const char* name, int& pid) {
  std::string_view s = name;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
  return ec == std::errc() && ptr == s.data() + s.size() && pid > 0;
}

}  // namespace

core::Result<ContainerInspect> ParseContainerInspect(std::string_view json_text) {
  auto j = ParseJson(json_text);
  if (!j || !j->is_object()) return core::Error(core::ErrorCode::kParseError, "container inspect: not a JSON object");
  ContainerInspect out;
  out.ref.id = jr::Str(*j, "Id");
  if (out.ref.id.empty()) return core::Error(core::ErrorCode::kParseError, "container inspect: no Id");
  out.ref.name = jr::Str(*j, "Name");
  if (!out.ref.name.empty() && out.ref.name.front() == '/') out.ref.name.erase(0, 1);
  out.ref.image = jr::Str(jr::Member(*j, "Config"), "Image");
  const json& state = jr::Member(*j, "State");
  out.ref.init_pid = std::max(0, jr::Int(state, "Pid"));
  const json& running = jr::Member(state, "Running");
  out.running = running.is_boolean() && running.get<bool>();
  return out;
}

std::set<std::string> ParseContainerChanges(std::string_view json_text) {
  std::set<std::string> out;
  auto j = ParseJson(json_text);
  if (!j || !j->is_array()) return out;
  for (const json& change : *j) {
    if (out.size() >= kMaxChanges) break;
    const json& kind = jr::Member(change, "Kind");
    if (!kind.is_number_integer()) continue;
    int k = kind.get<int>();
    std::string path = jr::Str(change, "Path");
    if ((k == 0 || k == 1) && !path.empty()) out.insert(std::move(path));
  }
  return out;
}

core::Result<ContainerInspect> InspectContainer(docker::EngineClient& client, const std::string& name) {
  auto response = client.Get("/containers/" + docker::EscapePathSegment(name) + "/json");
  if (!response.ok()) {
    return core::Error(core::ErrorCode::kUnavailable, "the Docker daemon at " + client.socket_path() +
                                                          " cannot be reached: " + response.status().message());
  }
  if (response->status == 404) return core::Error(core::ErrorCode::kNotFound, "no such container: " + name);
  if (response->status != 200) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "inspecting container " + name + ": HTTP " + std::to_string(response->status));
  }
  ASSIGN_OR_RETURN(ContainerInspect inspect, ParseContainerInspect(response->body));
  if (!inspect.running || inspect.ref.init_pid <= 0) {
    return core::Error(core::ErrorCode::kInvalidArgument, "container " + name + " is not running");
  }
  return inspect;
}

std::set<std::string> ContainerChanges(docker::EngineClient& client, const std::string& id) {
  auto response = client.Get("/containers/" + docker::EscapePathSegment(id) + "/changes");
  if (!response.ok() || response->status != 200) return {};
  return ParseContainerChanges(response->body);
}

std::vector<int> ContainerPids(const std::string& proc_root, const std::string& id) {
  std::vector<int> pids;
  DIR* d = ::opendir(proc_root.c_str());
  if (!d) return pids;
  while (struct dirent* ent = ::readdir(d)) {
    int pid = 0;
    if (!IsPidName(ent->d_name, pid)) continue;
    auto cgroup = ReadProcFile(proc_root + "/" + ent->d_name + "/cgroup", 64 * 1024);
    if (!cgroup) continue;
    auto found = ContainerIdFromCgroup(*cgroup);
    if (!found || *found != id) continue;
    pids.push_back(pid);
    if (pids.size() == kMaxContainerProcesses) break;
  }
  ::closedir(d);
  std::sort(pids.begin(), pids.end());
  return pids;
}

core::Result<int> OpenInContainer(const std::string& proc_root, int root_pid, const std::string& path) {
  std::string root = proc_root + "/" + std::to_string(root_pid) + "/root";
  int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    int err = errno;
    return core::Error(err == EACCES || err == EPERM ? core::ErrorCode::kPermissionDenied : core::ErrorCode::kNotFound,
                       root + ": " + std::strerror(err));
  }
  struct open_how how {};
  // O_NONBLOCK: a FIFO planted at the path must not hang the open.
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dir, path.c_str(), &how, sizeof(how));
  int err = errno;
  ::close(dir);
  if (fd >= 0) return static_cast<int>(fd);
  if (err == ENOSYS) {
    return core::Error(core::ErrorCode::kUnavailable, "this kernel has no openat2 (Linux 5.6+): container files are not opened");
  }
  auto code = err == ENOENT || err == ENOTDIR ? core::ErrorCode::kNotFound
              : err == EACCES || err == EPERM ? core::ErrorCode::kPermissionDenied
                                              : core::ErrorCode::kIoError;
  return core::Error(code, path + " in the container: " + std::strerror(err));
}

}  // namespace bulwark::respond
