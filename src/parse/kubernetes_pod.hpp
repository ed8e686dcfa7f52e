// Internal to the Kubernetes parser: reading a pod spec (containers, volumes,
// security contexts) and object metadata out of yaml-cpp nodes. Stateless
// functions over a NodeReader; not thread-safe only in that the reader is not.
#pragma once

#include "parse/kubernetes.hpp"
#include "parse/kubernetes_yaml.hpp"

namespace bulwark::parse::k8s::detail {

enum class ContextLevel { kPod, kContainer };

// `spec` is the entry whose value is the pod spec (the `spec:` key and map).
PodSpec ReadPodSpec(NodeReader& reader, const Entry& spec);
// `entry` is the `securityContext:` entry; fields Kubernetes does not accept
// at `level` are not read.
SecurityContext ReadSecurityContext(NodeReader& reader, const Entry& entry, ContextLevel level);
// `object` is a map holding a `metadata:` key (an object or a pod template).
ObjectMeta ReadMetadata(NodeReader& reader, const YAML::Node& object);
LabelSelector ReadLabelSelector(NodeReader& reader, const Entry& entry);

}  // namespace bulwark::parse::k8s::detail
