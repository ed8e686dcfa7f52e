// Checks on Kubernetes manifests (BW-K8-001...): the Pod Security Standards
// "restricted" profile field by field, plus resources, images, service
// account tokens, secrets in the environment, namespaces and NetworkPolicy
// coverage. Register the metadata once, then run one analyzer per audit: it
// checks every workload as its file arrives and, in Finish(), the checks that
// need every file (NetworkPolicy per namespace, ServiceAccount defaults).
// The analyzer is not thread-safe (one per run); registration is done once at
// start-up.
#pragma once

#include <memory>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/status.hpp"

namespace bulwark::audit {

core::Status RegisterKubernetesChecks(core::CheckRegistry& registry);
std::unique_ptr<Analyzer> MakeKubernetesAnalyzer();

}  // namespace bulwark::audit
