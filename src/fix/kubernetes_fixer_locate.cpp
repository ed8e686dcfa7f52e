// Which requested findings belong to which pod and container. Findings carry
// only a position, and positions are shared (a container that inherits the
// pod's runAsNonRoot: false is reported at the pod's key, once per
// container), so the audit's own PodChecker is run on each pod with no
// container and with each container alone: a requested finding belongs to
// every run that reports it at the same place. The YAML node of each object
// and container is the map LoadYaml built at the mark the model recorded.
#include <algorithm>

#include "audit/kubernetes_checks.hpp"
#include "audit/kubernetes_checks_internal.hpp"
#include "core/finding_sink.hpp"
#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {
namespace {

using parse::YamlNode;
using MarkIndex = std::map<std::pair<int, int>, const YamlNode*>;

const core::CheckRegistry& KubernetesRegistry() {
  static const core::CheckRegistry* registry = [] {
    auto* made = new core::CheckRegistry();  // lives for the program, read-only
    (void)audit::RegisterKubernetesChecks(*made);
    return made;
  }();
  return *registry;
}

// Every map of the documents by where it starts (the first one wins; an
// aliased node is visited once).
void IndexMaps(const YamlNode& node, MarkIndex& index, std::set<const YamlNode*>& seen) {
  if (!seen.insert(&node).second) return;
  if (node.IsMap()) {
    index.emplace(std::make_pair(node.mark().line, node.mark().column), &node);
    for (const parse::YamlEntry& entry : node.entries()) IndexMaps(*entry.value, index, seen);
  } else if (node.IsSequence()) {
    for (const auto& item : node.items()) IndexMaps(*item, index, seen);
  }
}

const YamlNode* MapAt(const MarkIndex& index, parse::k8s::Pos pos) {
  auto found = index.find({pos.line, pos.column});
  return found == index.end() ? nullptr : found->second;
}

const YamlNode* FindMap(const YamlNode* node, std::initializer_list<std::string_view> keys) {
  if (node == nullptr) return nullptr;
  const YamlNode* found = node->FindPath(keys);
  return found != nullptr && found->IsMap() ? found : nullptr;
}

// The pod spec and the pod's metadata, where parse::k8s finds them.
std::pair<const YamlNode*, const YamlNode*> PodNodes(const YamlNode& object,
                                                     std::string_view kind) {
  if (kind == "Pod") return {FindMap(&object, {"spec"}), FindMap(&object, {"metadata"})};
  const YamlNode* tmpl = kind == "CronJob"
                             ? FindMap(&object, {"spec", "jobTemplate", "spec", "template"})
                             : FindMap(&object, {"spec", "template"});
  return {FindMap(tmpl, {"spec"}), FindMap(tmpl, {"metadata"})};
}

std::string_view ListKey(parse::k8s::ContainerKind kind) {
  switch (kind) {
    case parse::k8s::ContainerKind::kInitContainer:
      return "initContainers";
    case parse::k8s::ContainerKind::kEphemeralContainer:
      return "ephemeralContainers";
    case parse::k8s::ContainerKind::kContainer:
      break;
  }
  return "containers";
}

const YamlNode* ContainerNode(const YamlNode& spec, const parse::k8s::Container& container) {
  const YamlNode* list = spec.Find(ListKey(container.kind));
  if (list == nullptr) return nullptr;
  for (const auto& item : list->items()) {
    if (item->IsMap() && item->mark() == MarkOf(container.pos)) return item.get();
  }
  return nullptr;
}

// The findings PodChecker reports for `object` (whose pod may have been
// narrowed to one container or none), and the token check it leaves open.
std::set<FindingKey> RunChecks(const parse::k8s::Object& object, bool with_token_check) {
  static const std::string kPath;
  core::FindingSink sink(KubernetesRegistry());
  audit::k8s::PodChecker checker(sink, kPath, object);
  std::optional<audit::k8s::PendingTokenCheck> pending = checker.Run();
  std::set<FindingKey> keys;
  for (const core::Finding& f : sink.findings())
    keys.emplace(f.id, f.location.line, f.location.column);
  if (pending && with_token_check) {
    keys.emplace(std::string(kServiceAccountToken), pending->location.line,
                 pending->location.column);
  }
  return keys;
}

void AddWanted(const std::set<FindingKey>& found, const std::set<FindingKey>& exclude,
               const std::set<FindingKey>& requested, Wanted& out) {
  for (const FindingKey& key : found) {
    if (exclude.count(key) != 0 || requested.count(key) == 0) continue;
    const auto& [id, line, column] = key;
    auto& marks = out[id];
    const parse::YamlMark mark{line, column};
    if (std::find(marks.begin(), marks.end(), mark) == marks.end()) marks.push_back(mark);
  }
}

void Merge(const Wanted& from, Wanted& into) {
  for (const auto& [id, marks] : from) {
    auto& out = into[id];
    for (const auto& mark : marks) {
      if (std::find(out.begin(), out.end(), mark) == out.end()) out.push_back(mark);
    }
  }
}

// The requested findings of one object's pod and containers.
PodTarget TargetOf(const parse::k8s::Object& object, const YamlNode& spec, const YamlNode* metadata,
                   const std::set<FindingKey>& requested) {
  PodTarget target;
  target.object = &object;
  target.spec = &spec;
  target.metadata = metadata;
  parse::k8s::Object alone = object;
  alone.pod->spec.containers.clear();
  const std::set<FindingKey> pod_keys = RunChecks(alone, /*with_token_check=*/true);
  AddWanted(pod_keys, {}, requested, target.wanted);
  for (const parse::k8s::Container& container : object.pod->spec.containers) {
    const YamlNode* node = ContainerNode(spec, container);
    if (node == nullptr) continue;
    alone.pod->spec.containers = {container};
    ContainerTarget one;
    one.model = &container;
    one.node = node;
    AddWanted(RunChecks(alone, false), pod_keys, requested, one.wanted);
    target.containers.push_back(std::move(one));
  }
  return target;
}

}  // namespace

parse::YamlMark MarkOf(parse::k8s::Pos pos) { return parse::YamlMark{pos.line, pos.column}; }

std::vector<PodTarget> LocateTargets(const parse::k8s::Manifest& manifest,
                                     const std::vector<parse::YamlNodePtr>& roots,
                                     const std::set<FindingKey>& requested) {
  MarkIndex index;
  std::set<const YamlNode*> seen;
  for (const auto& root : roots) IndexMaps(*root, index, seen);

  std::vector<PodTarget> targets;
  std::map<const YamlNode*, size_t> by_spec;  // a pod spec shared through an alias is fixed once
  for (const parse::k8s::Object& object : manifest.objects) {
    if (!object.pod || !object.kind.value) continue;
    const YamlNode* node = MapAt(index, object.pos);
    const YamlNode* kind = node != nullptr ? node->Find("kind") : nullptr;
    if (kind == nullptr || kind->text() != *object.kind.value) continue;
    auto [spec, metadata] = PodNodes(*node, *object.kind.value);
    if (spec == nullptr) continue;
    PodTarget target = TargetOf(object, *spec, metadata, requested);
    auto known = by_spec.find(spec);
    if (known == by_spec.end()) {
      by_spec.emplace(spec, targets.size());
      targets.push_back(std::move(target));
      continue;
    }
    PodTarget& first = targets[known->second];
    Merge(target.wanted, first.wanted);
    for (size_t i = 0; i < target.containers.size() && i < first.containers.size(); ++i) {
      Merge(target.containers[i].wanted, first.containers[i].wanted);
    }
  }
  return targets;
}

}  // namespace bulwark::fix::k8s_fix
