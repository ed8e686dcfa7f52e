// Kubernetes manifests: a multi-document YAML stream turned into a model of
// the objects bulwark audits. Workloads (Pod, Deployment, StatefulSet,
// DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) carry the pod
// spec found at the place their kind keeps it; `kind: List` (and any *List
// with `items`) is flattened; NetworkPolicy and ServiceAccount keep the few
// fields the cross-object checks need. Every field remembers the 1-based line
// and column of its key and of its value, so findings point at the exact text.
//
// Parsing never throws: malformed YAML, binary data, over-large input, deep
// nesting, alias bombs and input that would send yaml-cpp into an endless
// loop become diagnostics, and the other documents of the stream are still
// read. The model is a set of plain value types; a parsed
// Manifest is immutable data and safe to read from several threads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/source_file.hpp"

namespace bulwark::parse::k8s {

// 1-based; line 0 means "not in the text".
struct Pos {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

// One scalar field. `value` is empty when the key is absent, null, or holds
// something that is not a T (that case is also diagnosed).
template <typename T>
struct Field {
  std::optional<T> value;
  Pos key;  // where the key starts; line 0 when the key is absent
  Pos at;   // where the value starts
  bool present() const { return key.known(); }
  bool Is(const T& other) const { return value.has_value() && *value == other; }
};
using StringField = Field<std::string>;
using BoolField = Field<bool>;
using IntField = Field<int64_t>;

struct KeyValue {
  std::string key;
  std::string value;
  Pos key_pos;
  Pos value_pos;
};

// seccompProfile / appArmorProfile.
struct Profile {
  Pos key;
  StringField type;
  StringField localhost_profile;
};

struct SeLinuxOptions {
  Pos key;
  StringField user;
  StringField role;
  StringField type;
  StringField level;
};

struct Capabilities {
  Pos key;
  std::vector<StringField> add;
  std::vector<StringField> drop;
  Pos drop_key;  // the `drop:` key, also when its list is empty
};

struct Sysctl {
  StringField name;
  StringField value;
};

// One type for pod-level and container-level security contexts; the comment
// on each group says where Kubernetes accepts the field.
struct SecurityContext {
  Pos key;  // `securityContext:`; line 0 when absent
  // Both levels.
  BoolField run_as_non_root;
  IntField run_as_user;
  IntField run_as_group;
  Profile seccomp;
  Profile app_armor;
  SeLinuxOptions se_linux;
  BoolField host_process;  // windowsOptions.hostProcess
  // Container level.
  BoolField privileged;
  BoolField allow_privilege_escalation;
  BoolField read_only_root_filesystem;
  Capabilities capabilities;
  StringField proc_mount;
  // Pod level.
  IntField fs_group;
  Pos supplemental_groups_key;
  std::vector<IntField> supplemental_groups;
  std::vector<Sysctl> sysctls;
};

// Quantities are kept as written ("500m", "1Gi").
struct Resources {
  Pos key;
  Pos limits_key;
  Pos requests_key;
  StringField cpu_limit;
  StringField memory_limit;
  StringField cpu_request;
  StringField memory_request;
};

struct ContainerPort {
  Pos pos;  // the list item
  IntField container_port;
  IntField host_port;
  StringField protocol;
};

struct EnvVar {
  Pos pos;  // the list item
  StringField name;
  StringField value;
  // valueFrom.secretKeyRef
  Pos secret_key_ref;
  StringField secret_name;
  StringField secret_key;
};

struct EnvFrom {
  Pos pos;
  bool secret = false;  // secretRef (else configMapRef or unknown)
  StringField name;
};

struct VolumeMount {
  Pos pos;
  StringField name;
  StringField mount_path;
  BoolField read_only;
};

enum class ContainerKind { kContainer, kInitContainer, kEphemeralContainer };
std::string_view ContainerKindName(ContainerKind kind);  // "container", "initContainer", ...

struct Container {
  ContainerKind kind = ContainerKind::kContainer;
  Pos pos;  // the list item
  StringField name;
  StringField image;
  StringField image_pull_policy;
  SecurityContext security_context;
  Resources resources;
  std::vector<ContainerPort> ports;
  std::vector<EnvVar> env;
  std::vector<EnvFrom> env_from;
  std::vector<VolumeMount> volume_mounts;
  Pos liveness_probe;
  Pos readiness_probe;
  Pos startup_probe;
};

struct Volume {
  Pos pos;  // the list item
  StringField name;
  std::string type;  // the volume source key: "hostPath", "emptyDir", ...; empty if none
  Pos type_pos;
  StringField host_path;       // hostPath.path
  StringField host_path_type;  // hostPath.type
};

struct HostAlias {
  Pos pos;
  StringField ip;
  std::vector<StringField> hostnames;
};

struct PodSpec {
  Pos key;  // the `spec:` key of the pod (or of the template)
  BoolField host_network;
  BoolField host_pid;
  BoolField host_ipc;
  BoolField host_users;
  BoolField automount_service_account_token;
  StringField os_name;               // spec.os.name: "linux", "windows"
  StringField service_account_name;  // serviceAccountName, else the deprecated serviceAccount
  SecurityContext security_context;
  std::vector<Volume> volumes;
  Pos host_aliases_key;
  std::vector<HostAlias> host_aliases;
  // containers, then initContainers, then ephemeralContainers.
  std::vector<Container> containers;
};

struct ObjectMeta {
  Pos key;
  StringField name;
  StringField generate_name;
  StringField namespace_name;
  std::vector<KeyValue> labels;
  std::vector<KeyValue> annotations;
};

// The pod a workload runs: for a Pod its own metadata and spec, for the
// controllers the template's.
struct PodTemplate {
  ObjectMeta metadata;
  PodSpec spec;
};

struct SelectorRequirement {
  Pos pos;
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct LabelSelector {
  Pos key;  // line 0 when the selector is absent
  std::vector<KeyValue> match_labels;
  std::vector<SelectorRequirement> match_expressions;
  bool Empty() const { return match_labels.empty() && match_expressions.empty(); }
};

struct NetworkPolicySpec {
  LabelSelector pod_selector;
  std::vector<StringField> policy_types;
};

// A handle on a yaml-cpp node that can be copied and assigned safely:
// YAML::Node::operator= writes through to the document it refers to, so a
// struct holding a bare Node must never be assigned; this one rebinds.
class RawNode {
 public:
  RawNode() = default;
  explicit RawNode(const YAML::Node& node) { node_.emplace(node); }
  RawNode(const RawNode& other) = default;
  RawNode& operator=(const RawNode& other);
  ~RawNode() = default;
  // Null when there is no node.
  const YAML::Node* get() const { return node_ ? &*node_ : nullptr; }

 private:
  std::optional<YAML::Node> node_;
};

struct Object {
  int document = 0;  // 0-based index of the YAML document in the stream
  Pos pos;           // the object's first key
  StringField api_version;
  StringField kind;
  ObjectMeta metadata;
  std::optional<PodTemplate> pod;                   // workloads
  std::optional<NetworkPolicySpec> network_policy;  // kind NetworkPolicy
  BoolField automount_service_account_token;        // kind ServiceAccount
  // The raw document, for readers of fields this model does not cover.
  RawNode node;

  // "Deployment/web" (generateName or "<unnamed>" when there is no name).
  std::string Ref() const;
  // metadata.namespace, or "default" when unset.
  std::string Namespace() const;
};

struct Manifest {
  std::vector<Object> objects;
  std::vector<core::Diagnostic> diagnostics;
  int documents = 0;  // non-empty YAML documents seen
};

// Safety bounds; input beyond them is diagnosed, never processed partially
// in a way that would invent findings.
inline constexpr size_t kMaxManifestBytes = 8u << 20;
inline constexpr size_t kMaxObjectsPerFile = 20000;
inline constexpr size_t kMaxItemsPerList = 5000;

Manifest ParseKubernetes(const core::SourceFile& file);

// True for the kinds whose pod spec this parser extracts.
bool IsWorkloadKind(std::string_view kind);

}  // namespace bulwark::parse::k8s
