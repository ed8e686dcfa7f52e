// The Kubernetes fixer: hardens the pod specs of every workload in a
// manifest (multi-document streams and Lists included) through YamlEditor,
// one pod and one container at a time, so findings that hit the same
// container become one securityContext. Text that does not load, or that
// Kubernetes would read differently from bulwark (a key written twice), is
// never edited, nor is a pod with a key Kubernetes refuses (not a string).
#include <algorithm>

#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix {
namespace {

using namespace k8s_fix;

core::Status Refuse(parse::YamlMark mark, const std::string& why) {
  return core::Status(core::ErrorCode::kParseError, std::to_string(mark.line) + ":" +
                                                        std::to_string(mark.column) + ": " + why +
                                                        ", so the file is not changed");
}

// The first mapping key that is not a string (`: x`, `? [a, b]`, `~: x`).
std::optional<parse::YamlMark> OddKey(const parse::YamlNode& node,
                                      std::set<const parse::YamlNode*>& seen) {
  if (!seen.insert(&node).second) return std::nullopt;
  for (const parse::YamlEntry& entry : node.entries()) {
    if (!entry.key->IsScalar()) return entry.key->mark();
    if (auto odd = OddKey(*entry.value, seen)) return odd;
  }
  for (const auto& item : node.items()) {
    if (auto odd = OddKey(*item, seen)) return odd;
  }
  return std::nullopt;
}

core::Status CheckUnambiguous(const parse::YamlStream& stream) {
  if (stream.duplicate_keys.empty()) return core::Status::Ok();
  const parse::YamlDuplicateKey& dup = stream.duplicate_keys.front();
  return Refuse(dup.duplicate, "key '" + parse::Printable(dup.key, 60) +
                                   "' is written twice in one mapping; which one counts "
                                   "depends on the tool");
}

std::optional<std::string> FirstWanted(const PodTarget& target) {
  if (!target.wanted.empty()) return target.wanted.begin()->first;
  for (const ContainerTarget& one : target.containers) {
    if (!one.wanted.empty()) return one.wanted.begin()->first;
  }
  return std::nullopt;
}

// The first key Kubernetes would refuse in the parts of a pod the fixer
// edits: its spec and its annotations.
std::optional<parse::YamlMark> OddKeyIn(const PodTarget& target) {
  std::set<const parse::YamlNode*> seen;
  if (auto odd = OddKey(*target.spec, seen)) return odd;
  const parse::YamlNode* annotations =
      target.metadata != nullptr ? target.metadata->Find("annotations") : nullptr;
  return annotations != nullptr ? OddKey(*annotations, seen) : std::nullopt;
}

// A block mapping whose only key is `<<`: nothing can be inserted after
// its own content.
bool OnlyMerged(const parse::YamlNode& map) {
  if (map.flow()) return false;
  return std::all_of(map.entries().begin(), map.entries().end(), [](const parse::YamlEntry& e) {
    return e.merged || (e.key->IsScalar() && e.key->text() == "<<");
  });
}

// The edited text must load as cleanly as the original did: a safety net
// under YamlEditor for shapes of YAML it misjudges.
core::Status CheckResult(const FixRequest& request, const std::vector<TextEdit>& edits,
                         size_t diagnostics_before) {
  auto refuse = [](const std::string& why) {
    return core::Status(core::ErrorCode::kInternal,
                        "the edits would " + why + "; the file is not changed (a bulwark bug)");
  };
  ASSIGN_OR_RETURN(std::string after, ApplyEdits(request.text, edits));
  auto loaded = parse::LoadYaml(after);
  if (!loaded.ok()) return refuse("not load as YAML (" + loaded.status().message() + ")");
  if (!loaded->duplicate_keys.empty()) return refuse("write a key twice");
  const parse::k8s::Manifest manifest = parse::k8s::ParseKubernetes(
      core::SourceFile{request.path.string(), request.path, std::move(after)});
  if (manifest.diagnostics.size() > diagnostics_before) {
    return refuse("make the manifest unreadable (" + manifest.diagnostics.back().message + ")");
  }
  return core::Status::Ok();
}

class KubernetesFixer : public Fixer {
 public:
  std::set<std::string> FixableChecks() const override { return FixableIds(); }

  core::Result<FixPlan> Plan(const FixRequest& request) const override {
    ASSIGN_OR_RETURN(parse::YamlStream stream, parse::LoadYaml(request.text));
    RETURN_IF_ERROR(CheckUnambiguous(stream));
    std::vector<parse::YamlNodePtr> roots;
    for (const parse::YamlDocument& doc : stream.documents) roots.push_back(doc.root);

    const std::set<std::string> fixable = FixableIds();
    std::set<FindingKey> requested;
    for (const core::Finding& finding : request.findings) {
      if (fixable.count(finding.id) == 0) continue;
      requested.emplace(finding.id, finding.location.line, finding.location.column);
    }
    FixPlan plan;
    if (requested.empty()) return plan;

    const parse::k8s::Manifest manifest = parse::k8s::ParseKubernetes(
        core::SourceFile{request.path.string(), request.path, std::string(request.text)});
    const std::vector<PodTarget> targets = LocateTargets(manifest, roots, requested);

    FixOptions defaults;
    YamlEditor editor(request.text, roots);
    PlanContext context{request.options != nullptr ? request.options : &defaults, &editor, &plan,
                        &roots};
    std::set<const parse::YamlNode*> done;  // containers shared through an alias
    for (const PodTarget& target : targets) FixPod(context, target, done);
    ASSIGN_OR_RETURN(plan.edits, editor.TakeEdits());
    if (!plan.edits.empty()) {
      RETURN_IF_ERROR(CheckResult(request, plan.edits, manifest.diagnostics.size()));
    }
    return plan;
  }

 private:
  static void FixPod(PlanContext& context, const PodTarget& target,
                     std::set<const parse::YamlNode*>& done) {
    std::optional<std::string> first_id = FirstWanted(target);
    if (!first_id) return;  // nothing requested in this pod
    PodFix pod(context, target);
    if (std::optional<parse::YamlMark> odd = OddKeyIn(target)) {
      pod.Note(*first_id, "not fixed: line " + std::to_string(odd->line) +
                              " has a mapping key that is not a string, which Kubernetes refuses");
      return;
    }
    FixHostNamespaces(pod);
    FixPodGroups(pod);
    FixTokenMount(pod);
    std::vector<std::unique_ptr<ContainerFix>> fixes;
    for (const ContainerTarget& one : target.containers) {
      if (!done.insert(one.node).second) continue;  // shared through an alias: fixed once
      fixes.push_back(std::make_unique<ContainerFix>(context, pod, one));
      FixContainer(*fixes.back());
    }
    pod.Flush();
    for (auto& fix : fixes) fix->EmitExplanations(pod.failed_ids());
    pod.EmitExplanations({});
  }

  static void FixContainer(ContainerFix& fix) {
    if (OnlyMerged(fix.node())) {
      if (fix.HasWanted()) {
        fix.Note(fix.FirstWanted(),
                 "not fixed here: every key of the container comes from a YAML merge (<<); "
                 "fix it where the anchor is written");
      }
      return;
    }
    FixPrivileges(fix);
    FixConfinement(fix);
    FixIdentity(fix);
    FixReadOnlyRoot(fix);
    FixResources(fix);
    FixImagePullPolicy(fix);
    fix.Flush();
  }
};

}  // namespace

namespace k8s_fix {

std::set<std::string> FixableIds() {
  std::set<std::string> ids;
  for (std::string_view id : {kHostProcess,
                              kHostNetwork,
                              kHostPid,
                              kHostIpc,
                              kPrivileged,
                              kCapabilityBeyondBaseline,
                              kDangerousCapability,
                              kCapabilitiesNotDropped,
                              kCapabilityBeyondRestricted,
                              kAppArmorUnconfined,
                              kProcMount,
                              kSeccompUnconfined,
                              kSeccompNotSet,
                              kPrivilegeEscalation,
                              kRunAsNonRoot,
                              kRunAsRootUser,
                              kRootGroup,
                              kReadOnlyRootFs,
                              kCpuLimit,
                              kMemoryLimit,
                              kCpuRequest,
                              kMemoryRequest,
                              kImagePullPolicy,
                              kServiceAccountToken}) {
    ids.emplace(id);
  }
  return ids;
}

}  // namespace k8s_fix

std::unique_ptr<Fixer> MakeKubernetesFixer() { return std::make_unique<KubernetesFixer>(); }

}  // namespace bulwark::fix
