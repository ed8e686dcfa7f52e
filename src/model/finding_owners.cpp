#include "model/finding_owners.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <tuple>

namespace bulwark::model {
namespace {

// Paths in findings and in the model are relative to the root; a finding
// from an audit run one directory up carries the root as a prefix.
std::string Normalise(std::string_view path, std::string_view root) {
  while (path.rfind("./", 0) == 0) path.remove_prefix(2);
  if (!root.empty() && path.size() > root.size() && path.substr(0, root.size()) == root &&
      path[root.size()] == '/') {
    path.remove_prefix(root.size() + 1);
  }
  return std::string(path);
}

std::string NormaliseRoot(std::string_view root) {
  while (root.rfind("./", 0) == 0) root.remove_prefix(2);
  while (!root.empty() && root.back() == '/') root.remove_suffix(1);
  return root == "." ? "" : std::string(root);
}

bool IsWorkload(const Element& e) {
  return e.kind == ElementKind::kService || e.kind == ElementKind::kDataStore;
}

// Every evidence the element carries: its definition, ports, mounts, credentials.
template <typename Fn>
void ForEachEvidence(const Element& e, Fn fn) {
  for (const Evidence& ev : e.evidence) fn(ev);
  for (const PortBinding& p : e.ports) fn(p.evidence);
  for (const Mount& m : e.mounts) fn(m.evidence);
  for (const CredentialRef& c : e.credentials) fn(c.evidence);
}

class Resolver {
 public:
  explicit Resolver(const SystemModel& model) : model_(model), root_(NormaliseRoot(model.root)) {}

  std::vector<std::string> Owners(const core::Finding& f) const {
    switch (f.category) {
      case core::Category::kHost:
      case core::Category::kDaemon: return HostOwners(f);
      case core::Category::kVulnerability: return VulnerabilityOwners(f);
      default: return FileOwners(Path(f.location.path), f.location.line);
    }
  }

  std::string Path(std::string_view p) const { return Normalise(p, root_); }

 private:
  std::vector<std::string> Where(bool (*keep)(const Element&, const std::string&), const std::string& arg) const {
    std::vector<std::string> ids;
    for (const Element& e : model_.elements) {
      if (keep(e, arg)) ids.push_back(e.id);
    }
    return ids;
  }

  std::vector<std::string> Platforms() const {
    return Where([](const Element& e, const std::string&) { return e.kind == ElementKind::kPlatform; }, "");
  }

  std::vector<std::string> HostOwners(const core::Finding& f) const {
    if (f.subject.kind == "container") {
      return Where([](const Element& e, const std::string& name) {
        return IsWorkload(e) && ContainerNameMatches(name, e.name);
      }, f.subject.name);
    }
    if (f.subject.kind == "image") {
      return Where([](const Element& e, const std::string& image) {
        return IsWorkload(e) && !e.image.empty() && e.image == image;
      }, f.subject.name);
    }
    return Platforms();
  }

  std::vector<std::string> VulnerabilityOwners(const core::Finding& f) const {
    // Trivy names its target "image:tag (debian 12.5)"; bulwark and Grype
    // give a path inside the image, which names no image.
    const std::string& target = f.location.path;
    std::vector<std::string> ids;
    for (const Element& e : model_.elements) {
      if (!IsWorkload(e) || e.image.empty()) continue;
      if (f.subject.name == e.image || target == e.image || target.rfind(e.image + " ", 0) == 0) ids.push_back(e.id);
    }
    if (!ids.empty()) return ids;
    return Where([](const Element& e, const std::string&) {
      return e.kind == ElementKind::kService && !e.dockerfile.empty();
    }, "");
  }

  std::vector<std::string> FileOwners(const std::string& path, int line) const {
    std::vector<std::string> ids = Where([](const Element& e, const std::string& p) {
      return IsWorkload(e) && !e.dockerfile.empty() && NormaliseRoot(e.dockerfile) == p;
    }, path);
    if (!ids.empty()) return ids;
    if (DefinesElements(path)) {
      ids = LineOwners(path, line);
      if (!ids.empty()) return ids;
    }
    return ContextOwners(path);
  }

  bool DefinesElements(const std::string& path) const {
    for (const Element& e : model_.elements) {
      if (!IsWorkload(e)) continue;
      for (const Evidence& ev : e.evidence) {
        if (ev.path == path) return true;
      }
    }
    return false;
  }

  std::vector<std::string> LineOwners(const std::string& path, int line) const {
    std::vector<std::string> ids;
    if (line <= 0) {
      return Where([](const Element& e, const std::string& p) {
        return IsWorkload(e) &&
               std::any_of(e.evidence.begin(), e.evidence.end(), [&](const Evidence& ev) { return ev.path == p; });
      }, path);
    }
    for (const Element& e : model_.elements) {
      if (!IsWorkload(e)) continue;
      bool hit = false;
      ForEachEvidence(e, [&](const Evidence& ev) { hit = hit || (ev.path == path && ev.line == line); });
      if (hit) ids.push_back(e.id);
    }
    if (!ids.empty()) return ids;
    if (ids = BoundaryLineOwners(path, line); !ids.empty()) return ids;
    return BlockOwners(path, line);
  }

  // A finding on a network's definition is about the elements in that network.
  std::vector<std::string> BoundaryLineOwners(const std::string& path, int line) const {
    std::vector<std::string> ids;
    for (const TrustBoundary& b : model_.boundaries) {
      bool hit = std::any_of(b.evidence.begin(), b.evidence.end(),
                             [&](const Evidence& ev) { return ev.path == path && ev.line == line; });
      if (!hit) continue;
      for (const Element& e : model_.elements) {
        if (!IsWorkload(e)) continue;
        std::vector<std::string> chain = model_.BoundaryChain(e.id);
        bool on_network = b.kind == BoundaryKind::kNetwork &&
                          std::any_of(e.networks.begin(), e.networks.end(), [&](const std::string& n) {
                            return n == b.name || b.id == "boundary:network:" + n;
                          });
        bool inside = on_network || std::find(chain.begin(), chain.end(), b.id) != chain.end();
        if (inside) ids.push_back(e.id);
      }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }

  struct Start {
    int line;
    std::string id;
    bool manifest;  // "name: x": a manifest's metadata, its kind and apiVersion just above
  };

  // Where each container element's definition lines are in the file, in order.
  std::vector<Start> Starts(const std::string& path) const {
    std::vector<Start> starts;
    for (const Element& e : model_.elements) {
      bool container = e.kind == ElementKind::kService || !e.image.empty() || !e.dockerfile.empty();
      if (!IsWorkload(e) || !container) continue;  // a host directory modelled as a store defines nothing
      for (const Evidence& ev : e.evidence) {
        if (ev.path == path && ev.line > 0) starts.push_back({ev.line, e.id, ev.text.rfind("name:", 0) == 0});
      }
    }
    std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) {
      return std::tie(a.line, a.id) < std::tie(b.line, b.id);
    });
    return starts;
  }

  // The element whose definition starts last at or before the line. A
  // manifest's header lines (apiVersion, kind) belong to the definition just
  // below; lines before every definition to the first one; network
  // definitions after every element (compose's top-level `networks:`) end
  // the last element's block.
  std::vector<std::string> BlockOwners(const std::string& path, int line) const {
    std::vector<Start> starts = Starts(path);
    if (starts.empty()) return {};
    auto next = std::upper_bound(starts.begin(), starts.end(), line,
                                 [](int l, const Start& s) { return l < s.line; });
    int at;
    if (next != starts.end() && next->manifest && next->line - line <= 3) {
      at = next->line;
    } else if (next == starts.begin()) {
      at = starts.front().line;
    } else {
      at = std::prev(next)->line;
      for (const TrustBoundary& b : model_.boundaries) {
        for (const Evidence& ev : b.evidence) {
          if (ev.path == path && ev.line > starts.back().line && ev.line <= line) return {};
        }
      }
    }
    std::vector<std::string> ids;
    for (const Start& s : starts) {
      if (s.line == at && std::find(ids.begin(), ids.end(), s.id) == ids.end()) ids.push_back(s.id);
    }
    return ids;
  }

  // The deepest build context (the Dockerfile's directory) holding the file.
  std::vector<std::string> ContextOwners(const std::string& path) const {
    std::vector<std::string> ids;
    size_t best = 0;
    for (const Element& e : model_.elements) {
      if (!IsWorkload(e) || e.dockerfile.empty()) continue;
      std::string dockerfile = NormaliseRoot(e.dockerfile);
      size_t slash = dockerfile.rfind('/');
      std::string context = slash == std::string::npos ? "" : dockerfile.substr(0, slash);
      bool inside = context.empty() || (path.size() > context.size() && path.rfind(context + "/", 0) == 0);
      if (!inside) continue;
      size_t depth = context.empty() ? 1 : context.size() + 1;
      if (depth > best) {
        best = depth;
        ids.clear();
      }
      if (depth == best) ids.push_back(e.id);
    }
    return ids;
  }

  const SystemModel& model_;
  std::string root_;
};

bool AllDigits(std::string_view s) {
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  return !s.empty() && std::all_of(s.begin(), s.end(), digit);
}

}  // namespace

bool ContainerNameMatches(std::string_view container, std::string_view service) {
  while (!container.empty() && container.front() == '/') container.remove_prefix(1);
  if (service.empty()) return false;
  if (container == service) return true;
  // Compose names containers <project>-<service>-<n> (v2) or <project>_<service>_<n> (v1).
  for (char sep : {'-', '_'}) {
    size_t last = container.rfind(sep);
    if (last == std::string_view::npos || !AllDigits(container.substr(last + 1))) continue;
    std::string_view rest = container.substr(0, last);
    if (rest.size() > service.size() && rest.substr(rest.size() - service.size()) == service &&
        rest[rest.size() - service.size() - 1] == sep) {
      return true;
    }
  }
  return false;
}

FindingOwners::FindingOwners(const SystemModel& model, const std::vector<core::Finding>& findings) {
  Resolver resolver(model);
  owners_.reserve(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    owners_.push_back(resolver.Owners(findings[i]));
    for (const std::string& id : owners_.back()) by_element_[id].push_back(i);
    const core::Location& at = findings[i].location;
    if (at.line > 0 && !at.path.empty()) by_line_[{resolver.Path(at.path), at.line}].push_back(i);
  }
}

const std::vector<size_t>& FindingOwners::Of(std::string_view element_id) const {
  static const std::vector<size_t> kNone;
  auto it = by_element_.find(element_id);
  return it == by_element_.end() ? kNone : it->second;
}

std::vector<size_t> FindingOwners::At(const std::vector<Evidence>& evidence) const {
  std::vector<size_t> out;
  for (const Evidence& e : evidence) {
    if (e.line <= 0) continue;
    auto it = by_line_.find({e.path, e.line});
    if (it != by_line_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace bulwark::model
