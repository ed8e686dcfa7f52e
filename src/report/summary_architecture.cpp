// The architecture part of the summary: what the newest threat model shows
// (elements, boundaries, flows that cross them, what faces the internet)
// and how it differs from the model before, element by element.
#include <algorithm>
#include <map>

#include "report/summary_parts.hpp"

namespace bulwark::report::summary_parts {
namespace {

bool EveryInterface(const std::string& ip) {
  return ip.empty() || ip == "0.0.0.0" || ip == "::" || ip == "[::]";
}

bool Loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip == "localhost";
}

std::string PortText(const ModelPort& p) {
  int port = p.host_port > 0 ? p.host_port : p.container_port;
  return (EveryInterface(p.host_ip) ? std::string("0.0.0.0") : p.host_ip) + ":" +
         std::to_string(port);
}

std::string PortNumber(const ModelPort& p) {
  return std::to_string(p.host_port > 0 ? p.host_port : p.container_port);
}

class ChangeList {
 public:
  explicit ChangeList(std::vector<ArchitectureChange>& out) : out_(out) {}

  void Add(const std::string& subject, std::string text, Effect effect) {
    out_.push_back(ArchitectureChange{subject, subject + " " + text, text, effect});
  }

  // A posture flag that flipped; `good_when_set` says which way is better.
  void Flag(const std::string& name, bool before, bool after, const char* set_text,
            const char* cleared_text, bool good_when_set) {
    if (before == after) return;
    Add(name, after ? set_text : cleared_text,
        after == good_when_set ? Effect::kImproved : Effect::kWorse);
  }

 private:
  std::vector<ArchitectureChange>& out_;
};

const ModelPort* FindPublished(const std::vector<ModelPort>& ports, int container_port) {
  for (const ModelPort& p : ports) {
    if (p.published && p.container_port == container_port) return &p;
  }
  return nullptr;
}

// Ports published, withdrawn, or moved between every interface and
// loopback. True when anything about the ports changed.
bool ComparePorts(const ModelElement& b, const ModelElement& a, ChangeList& changes) {
  bool changed = false;
  for (const ModelPort& old_port : b.ports) {
    if (!old_port.published) continue;
    const ModelPort* now = FindPublished(a.ports, old_port.container_port);
    if (now == nullptr) {
      changes.Add(a.name, "no longer publishes port " + PortNumber(old_port), Effect::kImproved);
      changed = true;
    } else if (EveryInterface(old_port.host_ip) && !EveryInterface(now->host_ip)) {
      changes.Add(a.name,
                  "publishes port " + PortNumber(*now) + " on " + now->host_ip +
                      " only (was every interface)",
                  Loopback(now->host_ip) ? Effect::kImproved : Effect::kNeutral);
      changed = true;
    } else if (!EveryInterface(old_port.host_ip) && EveryInterface(now->host_ip)) {
      changes.Add(a.name, "now publishes port " + PortNumber(*now) + " on every interface",
                  Effect::kWorse);
      changed = true;
    }
  }
  for (const ModelPort& new_port : a.ports) {
    if (!new_port.published || FindPublished(b.ports, new_port.container_port) != nullptr) continue;
    changes.Add(a.name, "now publishes " + PortText(new_port),
                EveryInterface(new_port.host_ip) ? Effect::kWorse : Effect::kNeutral);
    changed = true;
  }
  return changed;
}

void CompareElement(const ModelElement& b, const ModelElement& a, ChangeList& changes) {
  if (b.runs_as_root && a.runs_as_root) {
    changes.Flag(a.name, *b.runs_as_root, *a.runs_as_root, "now runs as root",
                 "no longer runs as root", false);
  }
  changes.Flag(a.name, b.privileged, a.privileged, "now runs privileged",
               "no longer runs privileged", false);
  changes.Flag(a.name, b.docker_socket, a.docker_socket, "now mounts the container engine's socket",
               "no longer mounts the container engine's socket", false);
  changes.Flag(a.name, b.sensitive_host_mount, a.sensitive_host_mount,
               "now mounts sensitive host paths", "no longer mounts sensitive host paths", false);
  changes.Flag(a.name, b.host_network, a.host_network, "now shares the host's network",
               "no longer shares the host's network", false);
  changes.Flag(a.name, b.read_only_rootfs, a.read_only_rootfs,
               "now has a read-only root filesystem", "no longer has a read-only root filesystem",
               true);
  changes.Flag(a.name, b.no_new_privileges, a.no_new_privileges, "now sets no-new-privileges",
               "no longer sets no-new-privileges", true);
  changes.Flag(a.name, b.capabilities_all_dropped, a.capabilities_all_dropped,
               "now drops all capabilities", "no longer drops all capabilities", true);
  changes.Flag(a.name, b.resource_limits, a.resource_limits, "now has resource limits",
               "lost its resource limits", true);
  changes.Flag(a.name, b.healthcheck, a.healthcheck, "now has a health check",
               "lost its health check", true);
  if (b.inline_credentials != a.inline_credentials) {
    bool fewer = a.inline_credentials < b.inline_credentials;
    changes.Add(a.name,
                a.inline_credentials == 0 ? "no longer has credentials written inline (" +
                                                std::to_string(b.inline_credentials) + " before)"
                                          : "has " + std::to_string(a.inline_credentials) +
                                                " credentials written inline (was " +
                                                std::to_string(b.inline_credentials) + ")",
                fewer ? Effect::kImproved : Effect::kWorse);
  }
  if (!ComparePorts(b, a, changes)) {
    changes.Flag(a.name, b.internet_facing, a.internet_facing, "is now internet-facing",
                 "is no longer internet-facing", false);
  }
}

bool Compared(const ModelElement& e) { return e.kind == "service" || e.kind == "datastore"; }

void CompareElements(const ModelResult& before, const ModelResult& after, ChangeList& changes) {
  std::map<std::string, const ModelElement*> old_by_id;
  for (const ModelElement& e : before.elements) old_by_id[e.id] = &e;
  for (const ModelElement& e : after.elements) {
    auto it = old_by_id.find(e.id);
    if (it == old_by_id.end()) {
      if (Compared(e)) changes.Add(e.name, "was added", Effect::kNeutral);
      continue;
    }
    CompareElement(*it->second, e, changes);
    old_by_id.erase(it);
  }
  for (const auto& [id, e] : old_by_id) {
    if (Compared(*e)) changes.Add(e->name, "was removed", Effect::kNeutral);
  }
}

void CompareBoundaries(const ModelResult& before, const ModelResult& after, ChangeList& changes) {
  std::map<std::string, const ModelBoundary*> old_by_id;
  for (const ModelBoundary& b : before.boundaries) old_by_id[b.id] = &b;
  for (const ModelBoundary& b : after.boundaries) {
    // "network backend", but "backend network" stays as it is.
    std::string subject = b.name.find(b.kind) != std::string::npos ? b.name : b.kind + " " + b.name;
    auto it = old_by_id.find(b.id);
    if (it == old_by_id.end()) {
      if (b.isolated) changes.Add(subject, "is new and isolated (internal)", Effect::kImproved);
      continue;
    }
    changes.Flag(subject, it->second->isolated, b.isolated, "is now isolated (internal)",
                 "is no longer isolated", true);
  }
}

int CrossingFlows(const ModelResult& model) {
  return static_cast<int>(std::count_if(model.flows.begin(), model.flows.end(),
                                        [](const ModelFlow& f) { return !f.crosses.empty(); }));
}

int InternetFacing(const ModelResult& model) {
  return static_cast<int>(std::count_if(model.elements.begin(), model.elements.end(),
                                        [](const ModelElement& e) { return e.internet_facing; }));
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

void Describe(const ModelResult& model, Architecture& a) {
  std::map<std::string, std::string> names;
  for (const ModelElement& e : model.elements) {
    names[e.id] = e.name;
    int& slot = e.kind == "service"     ? a.services
                : e.kind == "datastore" ? a.datastores
                : e.kind == "actor"     ? a.actors
                                        : a.others;
    ++slot;
    if (!e.internet_facing) continue;
    std::vector<std::string> ports;
    for (const ModelPort& p : e.ports) {
      if (p.published) ports.push_back(PortText(p));
    }
    a.internet_facing.push_back(e.name + (ports.empty() ? "" : " (" + Join(ports, ", ") + ")"));
  }
  for (const ModelBoundary& b : model.boundaries) {
    names[b.id] = b.name;
    a.boundaries.push_back(b.name + " (" + b.kind + (b.isolated ? ", isolated)" : ")"));
  }
  auto name_of = [&](const std::string& id) { return names.count(id) ? names[id] : id; };
  for (const ModelFlow& f : model.flows) {
    if (f.crosses.empty()) continue;
    std::vector<std::string> crossed;
    for (const std::string& id : f.crosses) crossed.push_back(name_of(id));
    a.crossing_flows.push_back(name_of(f.from) + " \u2192 " + name_of(f.to) +
                               (f.label.empty() ? "" : ": " + f.label) + " (crosses " +
                               Join(crossed, ", ") + ")");
  }
}

}  // namespace

Architecture DescribeArchitecture(const ModelResult* before, const ModelResult& after) {
  Architecture a;
  a.present = true;
  a.has_before = before != nullptr;
  a.name = after.name;
  Describe(after, a);
  a.crossing_after = CrossingFlows(after);
  a.internet_facing_after = InternetFacing(after);
  if (before != nullptr) {
    a.crossing_before = CrossingFlows(*before);
    a.internet_facing_before = InternetFacing(*before);
    ChangeList changes(a.changes);
    CompareElements(*before, after, changes);
    CompareBoundaries(*before, after, changes);
    std::stable_sort(a.changes.begin(), a.changes.end(),
                     [](const ArchitectureChange& x, const ArchitectureChange& y) {
                       return x.effect < y.effect;
                     });
  }
  return a;
}

}  // namespace bulwark::report::summary_parts
