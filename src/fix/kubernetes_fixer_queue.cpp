// MapFix: the queue of one pod spec's or container's edits, and the helpers
// the jobs share; PodFix's /tmp volume.
#include <algorithm>

#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {
namespace {

// The order new keys are written in, whatever job asked for them: the
// fields people read first, then resources, then the securityContext in the
// order of the Pod Security Standards' restricted profile.
int PathRank(const std::vector<std::string>& path) {
  static constexpr std::string_view kOrder[] = {"hostNetwork",
                                                "hostPID",
                                                "hostIPC",
                                                "imagePullPolicy",
                                                "automountServiceAccountToken",
                                                "resources.requests.cpu",
                                                "resources.requests.memory",
                                                "resources.limits.cpu",
                                                "resources.limits.memory",
                                                "securityContext.runAsNonRoot",
                                                "securityContext.runAsUser",
                                                "securityContext.runAsGroup",
                                                "securityContext.fsGroup",
                                                "securityContext.privileged",
                                                "securityContext.allowPrivilegeEscalation",
                                                "securityContext.readOnlyRootFilesystem",
                                                "securityContext.capabilities.drop",
                                                "securityContext.capabilities.add",
                                                "securityContext.procMount",
                                                "securityContext.seccompProfile.type",
                                                "securityContext.appArmorProfile.type",
                                                "securityContext.windowsOptions.hostProcess",
                                                "volumeMounts",
                                                "volumes"};
  std::string joined;
  for (const std::string& key : path) joined += (joined.empty() ? "" : ".") + key;
  const auto* found = std::find(std::begin(kOrder), std::end(kOrder), joined);
  return static_cast<int>(found - std::begin(kOrder));
}

}  // namespace

MapFix::MapFix(PlanContext& context, const parse::YamlNode& node, Wanted wanted,
               std::string subject, int line)
    : context_(context),
      node_(node),
      wanted_(std::move(wanted)),
      subject_(std::move(subject)),
      line_(line) {}

bool MapFix::WantsAt(std::string_view id, parse::k8s::Pos pos) const {
  auto found = wanted_.find(id);
  if (found == wanted_.end() || !pos.known()) return false;
  return std::find(found->second.begin(), found->second.end(), MarkOf(pos)) != found->second.end();
}

void MapFix::Note(std::string_view id, std::string message) {
  context_.plan->notes.push_back({std::string(id), line_, subject_ + ": " + std::move(message)});
}

void MapFix::Explain(std::string_view id, std::string message) {
  explanations_.emplace_back(std::string(id), std::move(message));
}

void MapFix::EmitExplanations(const std::set<std::string>& also_failed) {
  for (auto& [id, message] : explanations_) {
    if (failed_ids_.count(id) == 0 && also_failed.count(id) == 0) Note(id, std::move(message));
  }
  explanations_.clear();
}

bool MapFix::Check(const core::Status& status, std::string_view id, std::string_view what) {
  if (status.ok()) return true;
  failed_ids_.emplace(id);
  Note(id, "not fixed: cannot edit " + std::string(what) + " (" + status.message() + ")");
  return false;
}

bool MapFix::Set(std::vector<std::string> path, YamlValue value, std::string_view id) {
  // A merged final key is overridden by an explicit one here; a merged or
  // aliased mapping on the way cannot be edited from this map.
  if (auto key = BorrowedStep(path, /*last=*/false)) {
    NoteBorrowed(id, *key);
    return false;
  }
  for (Pending& pending : pending_) {
    if (pending.path != path) continue;
    if (pending.value.kind() == YamlValue::Kind::kSequence &&
        value.kind() == YamlValue::Kind::kSequence) {
      std::vector<YamlValue> items = pending.value.items();
      for (const YamlValue& item : value.items()) items.push_back(item);
      pending.value = YamlValue::Sequence(std::move(items));
    } else {
      pending.value = std::move(value);
    }
    return true;
  }
  pending_.push_back({std::move(path), std::move(value), std::string(id)});
  return true;
}

const parse::YamlNode* MapFix::Written(const std::vector<std::string>& path) const {
  const parse::YamlNode* node = &node_;
  for (const std::string& key : path) {
    const parse::YamlEntry* entry = node->FindEntry(key);
    if (entry == nullptr || !context_.editor->IsWrittenAt(*node, *entry)) return nullptr;
    node = entry->value.get();
  }
  return node;
}

std::optional<std::string> MapFix::BorrowedStep(const std::vector<std::string>& path,
                                                bool last) const {
  const parse::YamlNode* node = &node_;
  for (size_t i = 0; i < path.size(); ++i) {
    if (!node->IsMap()) return std::nullopt;
    const parse::YamlEntry* entry = node->FindEntry(path[i]);
    if (entry == nullptr) return std::nullopt;
    if (!context_.editor->IsWrittenAt(*node, *entry)) {
      if (i + 1 == path.size() && !last) return std::nullopt;
      return path[i];
    }
    node = entry->value.get();
  }
  return std::nullopt;
}

void MapFix::NoteBorrowed(std::string_view id, const std::string& key) {
  failed_ids_.emplace(id);
  if (!borrowed_notes_.insert(key).second) return;  // one note per key, not per check
  Note(id, "`" + key +
               "` comes from a YAML merge or alias, so it is not edited here; fix it where it is "
               "written (fixing the anchor's owner may already cover this one)");
}

bool MapFix::Append(const std::vector<std::string>& path, YamlValue item, std::string_view id) {
  const std::string what = path.back();
  if (auto key = BorrowedStep(path, /*last=*/true)) {
    NoteBorrowed(id, *key);
    return false;
  }
  const parse::YamlNode* list = Written(path);
  if (list != nullptr && list->IsSequence()) {
    if (!Check(editor().AppendItem(*list, item, id), id, what)) return false;
    Fixed(id);
    return true;
  }
  if (list != nullptr && !list->IsNull()) {
    Note(id, "not fixed: `" + what + "` is not a list");  // the audit diagnosed it too
    return false;
  }
  return Set(path, YamlValue::Sequence({std::move(item)}), id);
}

bool MapFix::RemoveItem(const std::vector<std::string>& path, parse::k8s::Pos mark,
                        std::string_view id) {
  const std::string what = path.back();
  const parse::YamlNode* list = Written(path);
  if (list == nullptr || !list->IsSequence()) {
    NoteBorrowed(id, BorrowedStep(path, /*last=*/true).value_or(what));
    return false;
  }
  for (size_t i = 0; i < list->items().size(); ++i) {
    if (list->items()[i]->mark() != MarkOf(mark)) continue;
    if (!removed_.emplace(list, i).second) return true;
    if (!Check(editor().RemoveItem(*list, i, id), id, what)) return false;
    Fixed(id);
    return true;
  }
  return false;
}

void MapFix::Flush() {
  std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
    return PathRank(a.path) < PathRank(b.path);
  });
  for (const Pending& pending : pending_) {
    if (Check(editor().SetPath(node_, pending.path, pending.value, pending.id), pending.id,
              pending.path.back())) {
      Fixed(pending.id);
    }
  }
  pending_.clear();
}

PodFix::PodFix(PlanContext& context, const PodTarget& target)
    : MapFix(
          context, *target.spec, target.wanted, target.object->Ref(),
          target.object->kind.key.known() ? target.object->kind.key.line : target.object->pos.line),
      target_(target) {}

std::optional<std::string> PodFix::TmpVolume(std::string_view id) {
  if (tmp_decided_) return tmp_volume_;
  tmp_decided_ = true;  // one answer (and at most one note) per pod
  for (const char* name : {"tmp", "bulwark-tmp"}) {
    const auto& volumes = spec().volumes;
    auto same = std::find_if(volumes.begin(), volumes.end(),
                             [&](const parse::k8s::Volume& v) { return v.name.Is(name); });
    if (same != volumes.end()) {
      if (same->type != "emptyDir") continue;
      tmp_volume_ = name;  // already there: mount it
      return tmp_volume_;
    }
    YamlValue volume =
        YamlValue::Map({{"name", YamlValue::String(name)}, {"emptyDir", YamlValue::Map({})}});
    // Containers mount it before the pod's queue is written: try the edit
    // on a scratch editor first, so a mount never names a missing volume.
    YamlEditor probe(editor().text(), *plan_context().roots);
    const parse::YamlNode* list = Written({"volumes"});
    const core::Status can =
        list != nullptr && list->IsSequence()
            ? probe.AppendItem(*list, volume, id)
            : probe.SetPath(node(), {"volumes"}, YamlValue::Sequence({volume}), id);
    if (!Check(can, id, "volumes") || !Append({"volumes"}, std::move(volume), id)) {
      return std::nullopt;
    }
    tmp_volume_ = name;
    return tmp_volume_;
  }
  Note(id, "no emptyDir for /tmp added: volumes 'tmp' and 'bulwark-tmp' are taken");
  return std::nullopt;
}

void PodFix::SetAnnotation(const std::string& key, std::string value, std::string_view id) {
  if (!annotations_set_.insert(key).second) return;
  const parse::YamlNode* annotations =
      metadata() != nullptr ? metadata()->Find("annotations") : nullptr;
  const parse::YamlEntry* entry = annotations != nullptr ? annotations->FindEntry(key) : nullptr;
  if (entry == nullptr || !editor().IsWrittenAt(*annotations, *entry)) {
    Note(id, "not fixed: the annotation " + key + " is not written in the pod's own metadata");
    return;
  }
  if (Check(editor().SetEntryValue(*annotations, *entry, YamlValue::String(std::move(value)), id),
            id, "the annotation " + key)) {
    Fixed(id);
  }
}

ContainerFix::ContainerFix(PlanContext& context, PodFix& pod, const ContainerTarget& target)
    : MapFix(context, *target.node, target.wanted,
             pod.object().Ref() + " " +
                 std::string(parse::k8s::ContainerKindName(target.model->kind)) + " '" +
                 parse::Printable(target.model->name.value.value_or("<unnamed>"), 60) + "'",
             target.model->pos.line),
      pod_(pod),
      target_(target) {}

}  // namespace bulwark::fix::k8s_fix
