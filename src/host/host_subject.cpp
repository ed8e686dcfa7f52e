#include <unistd.h>

#include "host/host_check.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

std::string ShortId(const std::string& id) {
  std::string_view view(id);
  if (view.rfind("sha256:", 0) == 0) view.remove_prefix(7);
  return std::string(view.substr(0, 12));
}

}  // namespace

core::Subject HostSubject(const HostFacts& facts) {
  std::string name = JsonString(facts.engine.info, "/Name");
  if (name.empty()) {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) == 0) name = buffer;
  }
  return core::Subject{"host", name, ""};
}

core::Subject DaemonSubject(const HostFacts& facts) {
  std::string pid = facts.daemon_process ? std::to_string(facts.daemon_process->pid) : "";
  return core::Subject{"daemon", "dockerd", pid};
}

core::Subject FileSubject(const std::string& path) { return core::Subject{"file", path, ""}; }

core::Subject ContainerSubject(const ContainerFacts& c) {
  return core::Subject{"container", c.name, ShortId(c.id)};
}

core::Subject ImageSubject(const ImageFacts& image) {
  std::string name = "<none>";
  for (const std::string& tag : image.tags) {
    if (tag != "<none>:<none>") {
      name = tag;
      break;
    }
  }
  return core::Subject{"image", name, ShortId(image.id)};
}

}  // namespace bulwark::host
