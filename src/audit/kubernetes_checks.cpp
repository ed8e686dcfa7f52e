// The Kubernetes analyzer: parses each manifest file, runs the per-workload
// checks at once, and keeps what the cross-file checks need (workloads and
// their pod labels, NetworkPolicies, ServiceAccounts) for Finish().
#include "audit/kubernetes_checks.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <utility>

#include "audit/kubernetes_checks_internal.hpp"
#include "parse/kubernetes.hpp"

namespace bulwark::audit {
namespace {

using parse::k8s::KeyValue;
using parse::k8s::LabelSelector;
using parse::k8s::Object;

struct WorkloadRecord {
  core::Location location;  // the object's `kind:`
  std::string subject;
  std::vector<KeyValue> pod_labels;
};

struct AccountRecord {
  std::string namespace_name;
  std::string name;
  bool automount_disabled = false;
};

std::optional<std::string> LabelValue(const std::vector<KeyValue>& labels, std::string_view key) {
  for (const KeyValue& kv : labels) {
    if (kv.key == key) return kv.value;
  }
  return std::nullopt;
}

bool RequirementHolds(const parse::k8s::SelectorRequirement& requirement,
                      const std::vector<KeyValue>& labels) {
  const auto value = LabelValue(labels, requirement.key);
  const auto& values = requirement.values;
  const bool listed = value && std::find(values.begin(), values.end(), *value) != values.end();
  if (requirement.op == "In") return listed;
  if (requirement.op == "NotIn") return !listed;
  if (requirement.op == "Exists") return value.has_value();
  if (requirement.op == "DoesNotExist") return !value.has_value();
  return false;  // an operator Kubernetes would reject selects nothing
}

bool Selects(const LabelSelector& selector, const std::vector<KeyValue>& labels) {
  for (const KeyValue& wanted : selector.match_labels) {
    if (LabelValue(labels, wanted.key) != wanted.value) return false;
  }
  return std::all_of(
      selector.match_expressions.begin(), selector.match_expressions.end(),
      [&](const auto& requirement) { return RequirementHolds(requirement, labels); });
}

class KubernetesAnalyzer : public Analyzer {
 public:
  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    try {
      parse::k8s::Manifest manifest = parse::k8s::ParseKubernetes(file);
      for (core::Diagnostic& d : manifest.diagnostics) {
        sink.Diagnose(std::move(d.location), std::move(d.message));
      }
      for (const Object& object : manifest.objects) Collect(file.path, object, sink);
    } catch (const std::exception& error) {
      sink.Diagnose(core::Location{file.path, 0, 0, 0, 0},
                    std::string("internal error while checking the manifest: ") + error.what());
    }
  }

  void Finish(core::FindingSink& sink) override {
    SettleTokenChecks(sink);
    CheckNetworkPolicies(sink);
    workloads_.clear();
    policies_.clear();
    accounts_.clear();
    pending_tokens_.clear();
  }

 private:
  void Collect(const std::string& path, const Object& object, core::FindingSink& sink) {
    if (object.network_policy) {
      policies_[object.Namespace()].push_back(object.network_policy->pod_selector);
    } else if (object.kind.Is("ServiceAccount") && object.metadata.name.value) {
      accounts_.push_back({object.Namespace(), *object.metadata.name.value,
                           object.automount_service_account_token.Is(false)});
    }
    if (!object.pod) return;
    k8s::PodChecker checker(sink, path, object);
    if (auto pending = checker.Run()) pending_tokens_.push_back(std::move(*pending));
    const parse::k8s::Pos pos = object.kind.key.known() ? object.kind.key : object.pos;
    workloads_[object.Namespace()].push_back({core::Location{path, pos.line, pos.column, 0, 0},
                                              object.Ref(), object.pod->metadata.labels});
  }

  // A pod that leaves automountServiceAccountToken unset inherits its
  // ServiceAccount's setting; only an account in the audited manifests counts.
  void SettleTokenChecks(core::FindingSink& sink) {
    for (k8s::PendingTokenCheck& pending : pending_tokens_) {
      const bool disabled = std::any_of(accounts_.begin(), accounts_.end(), [&](const auto& a) {
        return a.automount_disabled && a.name == pending.service_account &&
               a.namespace_name == pending.namespace_name;
      });
      if (disabled) continue;
      sink.Report(k8s::kServiceAccountToken, std::move(pending.location),
                  pending.subject + " mounts the token of service account '" +
                      pending.service_account +
                      "' (automountServiceAccountToken is not false on the pod or the account)");
    }
  }

  void CheckNetworkPolicies(core::FindingSink& sink) {
    for (const auto& [namespace_name, workloads] : workloads_) {
      auto policies = policies_.find(namespace_name);
      if (policies == policies_.end()) {
        ReportUncoveredNamespace(sink, namespace_name, workloads);
        continue;
      }
      for (const WorkloadRecord& workload : workloads) {
        const bool covered =
            std::any_of(policies->second.begin(), policies->second.end(),
                        [&](const LabelSelector& s) { return Selects(s, workload.pod_labels); });
        if (covered) continue;
        sink.Report(k8s::kNoNetworkPolicy, workload.location,
                    "no NetworkPolicy in namespace '" + namespace_name + "' selects the pods of " +
                        workload.subject);
      }
    }
  }

  static void ReportUncoveredNamespace(core::FindingSink& sink, const std::string& namespace_name,
                                       const std::vector<WorkloadRecord>& workloads) {
    constexpr size_t kNamed = 3;
    std::string names;
    for (size_t i = 0; i < workloads.size() && i < kNamed; ++i) {
      names += (i == 0 ? "" : ", ") + workloads[i].subject;
    }
    if (workloads.size() > kNamed) names += ", ...";
    sink.Report(k8s::kNoNetworkPolicy, workloads.front().location,
                "namespace '" + namespace_name + "' has " + std::to_string(workloads.size()) +
                    " workload(s) (" + names + ") but no NetworkPolicy");
  }

  std::map<std::string, std::vector<WorkloadRecord>> workloads_;
  std::map<std::string, std::vector<LabelSelector>> policies_;
  std::vector<AccountRecord> accounts_;
  std::vector<k8s::PendingTokenCheck> pending_tokens_;
};

}  // namespace

core::Status RegisterKubernetesChecks(core::CheckRegistry& registry) {
  for (core::CheckInfo& info : k8s::PodSecurityCatalog())
    RETURN_IF_ERROR(registry.Add(std::move(info)));
  for (core::CheckInfo& info : k8s::HygieneCatalog())
    RETURN_IF_ERROR(registry.Add(std::move(info)));
  return core::Status::Ok();
}

std::unique_ptr<Analyzer> MakeKubernetesAnalyzer() {
  return std::make_unique<KubernetesAnalyzer>();
}

}  // namespace bulwark::audit
