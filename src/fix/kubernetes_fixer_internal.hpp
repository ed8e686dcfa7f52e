// Internal to the Kubernetes fixer. The manifest is read twice from the same
// text: parse::k8s (the audit's model, for field values and the positions
// findings point at) and parse::LoadYaml (the tree YamlEditor edits); the two
// meet at node marks. PodFix and ContainerFix are what the jobs see while one
// pod spec or one container is fixed: the model, the YAML map, the requested
// findings that belong there, and a queue of edits written by Flush() in one
// key order, so a fixed container reads the same whatever was missing. Not
// thread-safe; one set per Plan().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "audit/kubernetes_checks_internal.hpp"
#include "fix/fixer.hpp"
#include "fix/yaml_edit.hpp"
#include "parse/kubernetes.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::fix::k8s_fix {

// The check IDs, as the checks themselves name them (kPrivileged, ...).
using namespace ::bulwark::audit::k8s;  // NOLINT(google-build-using-namespace)

// Every check the fixer addresses.
std::set<std::string> FixableIds();

// Defaults for missing resources; a note tells the user to tune them.
inline constexpr std::string_view kDefaultCpuRequest = "100m";
inline constexpr std::string_view kDefaultMemoryRequest = "128Mi";
inline constexpr std::string_view kDefaultCpuLimit = "500m";
inline constexpr std::string_view kDefaultMemoryLimit = "512Mi";

// Requested findings by check ID, with where each is reported.
using Wanted = std::map<std::string, std::vector<parse::YamlMark>, std::less<>>;
// (check ID, line, column) of a finding.
using FindingKey = std::tuple<std::string, int, int>;

parse::YamlMark MarkOf(parse::k8s::Pos pos);

// One container of a pod to fix, found in both trees.
struct ContainerTarget {
  const parse::k8s::Container* model = nullptr;
  const parse::YamlNode* node = nullptr;  // the container's map
  Wanted wanted;
};

// One pod spec to fix (a Pod's spec or a controller's template), with the
// requested findings of the pod and of each container
// (kubernetes_fixer_locate.cpp).
struct PodTarget {
  const parse::k8s::Object* object = nullptr;
  const parse::YamlNode* spec = nullptr;      // the pod spec's map
  const parse::YamlNode* metadata = nullptr;  // the pod's metadata map, if any
  Wanted wanted;
  std::vector<ContainerTarget> containers;
};

// The pods of `manifest` that have requested findings. `roots` are the
// documents of the same text loaded by parse::LoadYaml.
std::vector<PodTarget> LocateTargets(const parse::k8s::Manifest& manifest,
                                     const std::vector<parse::YamlNodePtr>& roots,
                                     const std::set<FindingKey>& requested);

// Shared by the pods of one Plan().
struct PlanContext {
  const FixOptions* options = nullptr;
  YamlEditor* editor = nullptr;
  FixPlan* plan = nullptr;
  const std::vector<parse::YamlNodePtr>* roots = nullptr;  // what `editor` was made from
};

// A YAML map being fixed (a pod spec or a container): its requested
// findings and a queue of value changes below it, written by Flush() in a
// fixed key order (kubernetes_fixer_queue.cpp).
class MapFix {
 public:
  MapFix(PlanContext& context, const parse::YamlNode& node, Wanted wanted, std::string subject,
         int line);
  virtual ~MapFix() = default;
  MapFix(const MapFix&) = delete;
  MapFix& operator=(const MapFix&) = delete;

  const parse::YamlNode& node() const { return node_; }
  YamlEditor& editor() { return *context_.editor; }
  const FixOptions& options() const { return *context_.options; }
  const PlanContext& plan_context() const { return context_; }

  bool Wants(std::string_view id) const { return wanted_.count(id) != 0; }
  bool HasWanted() const { return !wanted_.empty(); }
  // The first requested check ID (HasWanted() must be true).
  std::string FirstWanted() const { return wanted_.begin()->first; }
  bool WantsAt(std::string_view id, parse::k8s::Pos pos) const;

  void Fixed(std::string_view id) { context_.plan->fixed_ids.insert(std::string(id)); }
  void Note(std::string_view id, std::string message);
  // What a fix changed for the user, shown by EmitExplanations() unless an
  // edit for `id` failed.
  void Explain(std::string_view id, std::string message);
  // Emits the explanations whose check had no failed edit here or in
  // `also_failed` (the pod's, for a container).
  void EmitExplanations(const std::set<std::string>& also_failed);
  const std::set<std::string>& failed_ids() const { return failed_ids_; }
  // Records a failed edit as a note; true when `status` is ok.
  bool Check(const core::Status& status, std::string_view id, std::string_view what);

  // Queues `value` at a path of keys below the map (created when missing,
  // replaced when there); Flush() records `id` as fixed once it is written.
  // Two sequences queued at one path are joined. False (and a note) when a
  // mapping on the path comes from a merge or an alias.
  bool Set(std::vector<std::string> path, YamlValue value, std::string_view id);
  // Appends an item to the list at `path`, creating the list when it is
  // missing or null. False (and a note) when it is not a list or not written here.
  // `id` counts as fixed once the edit is recorded (or queued).
  bool Append(const std::vector<std::string>& path, YamlValue item, std::string_view id);
  // Removes the item at `mark` from the list at `path`, once however often
  // it is asked; `id` counts as fixed.
  bool RemoveItem(const std::vector<std::string>& path, parse::k8s::Pos mark, std::string_view id);
  // The node at `path` when every step is written in this map's own text
  // (no merge key, no alias); nullptr otherwise or when missing.
  const parse::YamlNode* Written(const std::vector<std::string>& path) const;
  // The first key of `path` that exists but comes from a merge or an alias
  // (the last key counts only when `last`: Set() overrides a merged value).
  std::optional<std::string> BorrowedStep(const std::vector<std::string>& path, bool last) const;

  // Writes the queued values.
  void Flush();

 private:
  struct Pending {
    std::vector<std::string> path;
    YamlValue value;
    std::string id;
  };
  PlanContext& context_;
  const parse::YamlNode& node_;
  Wanted wanted_;
  std::string subject_;
  int line_;
  std::vector<Pending> pending_;
  std::set<std::pair<const parse::YamlNode*, size_t>> removed_;
  std::set<std::string> borrowed_notes_;                           // keys already noted as borrowed
  std::vector<std::pair<std::string, std::string>> explanations_;  // (check ID, message)
  std::set<std::string> failed_ids_;  // checks with an edit that failed or was refused

  void NoteBorrowed(std::string_view id, const std::string& key);
};

class PodFix : public MapFix {
 public:
  PodFix(PlanContext& context, const PodTarget& target);

  const parse::k8s::Object& object() const { return *target_.object; }
  const parse::k8s::PodSpec& spec() const { return target_.object->pod->spec; }
  const parse::YamlNode* metadata() const { return target_.metadata; }
  bool IsWindows() const { return spec().os_name.Is("windows"); }

  // The name of an emptyDir volume for /tmp, added to the pod on first use;
  // nullopt (and a note) when no name is free or the pod cannot take it
  // (then no container may mount it).
  std::optional<std::string> TmpVolume(std::string_view id);
  // Replaces the value of an annotation written in the pod's metadata, once
  // however many containers ask.
  void SetAnnotation(const std::string& key, std::string value, std::string_view id);

 private:
  const PodTarget& target_;
  bool tmp_decided_ = false;
  std::optional<std::string> tmp_volume_;
  std::set<std::string> annotations_set_;
};

class ContainerFix : public MapFix {
 public:
  ContainerFix(PlanContext& context, PodFix& pod, const ContainerTarget& target);

  PodFix& pod() { return pod_; }
  const parse::k8s::Container& model() const { return *target_.model; }
  const parse::k8s::SecurityContext& context() const { return target_.model->security_context; }
  const parse::k8s::SecurityContext& pod_context() const { return pod_.spec().security_context; }

 private:
  PodFix& pod_;
  const ContainerTarget& target_;
};

// The jobs.
void FixHostNamespaces(PodFix& pod);  // 002, 003, 004 (kubernetes_fixer_pod.cpp)
void FixPodGroups(PodFix& pod);       // 023 fsGroup, supplementalGroups (kubernetes_fixer_pod.cpp)
void FixTokenMount(PodFix& pod);      // 032 (kubernetes_fixer_pod.cpp)
void FixPrivileges(ContainerFix& fix);   // 001, 005, 006-009, 020 (kubernetes_fixer_privilege.cpp)
void FixConfinement(ContainerFix& fix);  // 014, 016, 017, 018 (kubernetes_fixer_privilege.cpp)
void FixIdentity(ContainerFix& fix);     // 021, 022, 023 runAsGroup (kubernetes_fixer_identity.cpp)
void FixReadOnlyRoot(ContainerFix& fix);     // 024 (kubernetes_fixer_identity.cpp)
void FixResources(ContainerFix& fix);        // 025-028 (kubernetes_fixer_resources.cpp)
void FixImagePullPolicy(ContainerFix& fix);  // 031 (kubernetes_fixer_resources.cpp)

// A resource quantity in base units (cores, bytes); nullopt when the text is
// not a Kubernetes quantity bulwark reads (kubernetes_fixer_resources.cpp).
std::optional<double> ParseQuantity(std::string_view text);

}  // namespace bulwark::fix::k8s_fix
