#include "runtime/sensor/container_id.hpp"

#include <array>
#include <vector>

namespace bulwark::runtime::sensor {
namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool StripPrefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// One path component: "docker-<id>.scope", "cri-containerd:<id>", "<id>".
std::optional<ContainerRef> FromComponent(std::string_view c, std::string_view parent) {
  if (c.size() > 6 && c.substr(c.size() - 6) == ".scope") c.remove_suffix(6);
  // systemd cgroup driver with containerd: "cri-containerd:<id>" after a ':'.
  if (size_t colon = c.rfind(':'); colon != std::string_view::npos) {
    std::string_view before = c.substr(0, colon);
    std::string_view id = c.substr(colon + 1);
    if (!IsHex64(id)) return std::nullopt;
    std::string type = before.find("crio") != std::string_view::npos ? "cri-o"
                       : before.find("docker") != std::string_view::npos ? "docker"
                                                                         : "containerd";
    return ContainerRef{std::string(id.substr(0, 12)), std::string(id), type};
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kPrefixes = {{
      {"docker-", "docker"}, {"crio-", "cri-o"}, {"cri-containerd-", "containerd"},
      {"nerdctl-", "containerd"}, {"libpod-payload-", "podman"}, {"libpod-", "podman"},
  }};
  std::string type;
  for (const auto& [prefix, name] : kPrefixes) {
    if (StripPrefix(c, prefix)) {
      type = name;
      break;
    }
  }
  if (!IsHex64(c)) return std::nullopt;
  if (type.empty()) {
    // A bare ID: Docker's cgroupfs driver (/docker/<id>), else containerd
    // (/<namespace>/<id>, /kubepods/.../pod<uid>/<id>).
    type = parent == "docker" || parent.empty() ? "docker" : "containerd";
  }
  return ContainerRef{std::string(c.substr(0, 12)), std::string(c), type};
}

std::vector<std::string_view> Components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size() && out.size() < 64) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

std::optional<ContainerRef> ContainerFromCgroupPath(std::string_view path) {
  if (path.size() > 4096) return std::nullopt;
  std::vector<std::string_view> parts = Components(path);
  // Leaf first: podman nests the payload under ".../libpod-<id>.scope/container".
  for (size_t i = parts.size(); i-- > 0;) {
    std::string_view parent = i > 0 ? parts[i - 1] : std::string_view();
    if (auto ref = FromComponent(parts[i], parent)) return ref;
  }
  return std::nullopt;
}

std::string CgroupPathFromProcFile(std::string_view text) {
  std::string unified;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // "4:memory:/docker/<id>" or "0::/system.slice/docker-<id>.scope"
    size_t first = line.find(':');
    size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    std::string_view path = line.substr(second + 1);
    if (controllers.empty() && line.substr(0, first) == "0") unified = std::string(path);
    for (size_t s = 0; s <= controllers.size();) {
      size_t comma = controllers.find(',', s);
      if (comma == std::string_view::npos) comma = controllers.size();
      if (controllers.substr(s, comma - s) == "memory") return std::string(path);
      s = comma + 1;
    }
  }
  return unified;
}

}  // namespace bulwark::runtime::sensor
