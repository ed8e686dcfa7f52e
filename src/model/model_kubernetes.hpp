// Internal to the Kubernetes steps: the pods (workloads) model_kubernetes.cpp
// made elements of, which model_kubernetes_net.cpp connects through
// Services, Ingresses, NetworkPolicies and service account tokens. Not
// thread-safe (one BuildState).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model_derive.hpp"
#include "parse/kubernetes_yaml.hpp"

namespace bulwark::model::detail {

struct PodRef {
  std::string id;  // element id
  std::string name_space;
  std::vector<parse::k8s::KeyValue> labels;  // the pod template's
  std::optional<bool> automount_token;       // the pod spec's automountServiceAccountToken
  Evidence automount_evidence;
  std::string service_account;               // "default" when unset
  Evidence definition;
};

void AddWorkloads(BuildState& state, const std::vector<KubernetesInput>& inputs, std::vector<PodRef>& pods);
void AddNetworking(BuildState& state, const std::vector<KubernetesInput>& inputs, const std::vector<PodRef>& pods);

// Reads fields of an object the parser keeps only as a raw node (Service
// ports, Ingress rules) with positions that are right in the file.
class RawReader {
 public:
  RawReader(const SourceText& source, const parse::k8s::Object& object, std::vector<core::Diagnostic>& diagnostics);
  parse::k8s::detail::NodeReader& reader() { return reader_; }
  // The object's map; nullptr when the parser kept none.
  const YAML::Node* root() const { return root_; }

 private:
  size_t budget_;
  const YAML::Node* root_;
  parse::k8s::detail::NodeReader reader_;
};

}  // namespace bulwark::model::detail
