// Security contexts, metadata and label selectors.
#include <utility>

#include "parse/kubernetes_pod.hpp"

namespace bulwark::parse::k8s::detail {
namespace {

Profile ReadProfile(NodeReader& reader, const YAML::Node& context, std::string_view key) {
  Profile profile;
  auto entry = reader.Find(context, key);
  if (!entry) return profile;
  profile.key = reader.PosOf(entry->key);
  profile.type = reader.String(entry->value, "type");
  profile.localhost_profile = reader.String(entry->value, "localhostProfile");
  return profile;
}

SeLinuxOptions ReadSeLinux(NodeReader& reader, const YAML::Node& context) {
  SeLinuxOptions options;
  auto entry = reader.Find(context, "seLinuxOptions");
  if (!entry) return options;
  options.key = reader.PosOf(entry->key);
  options.user = reader.String(entry->value, "user");
  options.role = reader.String(entry->value, "role");
  options.type = reader.String(entry->value, "type");
  options.level = reader.String(entry->value, "level");
  return options;
}

Capabilities ReadCapabilities(NodeReader& reader, const YAML::Node& context) {
  Capabilities caps;
  auto entry = reader.Find(context, "capabilities");
  if (!entry) return caps;
  caps.key = reader.PosOf(entry->key);
  caps.add = reader.StringList(entry->value, "add");
  caps.drop = reader.StringList(entry->value, "drop", &caps.drop_key);
  return caps;
}

std::vector<Sysctl> ReadSysctls(NodeReader& reader, const YAML::Node& context) {
  std::vector<Sysctl> out;
  auto entry = reader.Find(context, "sysctls");
  if (!entry) return out;
  for (const YAML::Node& item : reader.Items(entry->value, "sysctls")) {
    Sysctl sysctl;
    sysctl.name = reader.String(item, "name");
    sysctl.value = reader.String(item, "value");
    out.push_back(std::move(sysctl));
  }
  return out;
}

void ReadPodOnly(NodeReader& reader, const YAML::Node& context, SecurityContext& out) {
  out.fs_group = reader.Int(context, "fsGroup");
  if (auto groups = reader.Find(context, "supplementalGroups")) {
    out.supplemental_groups_key = reader.PosOf(groups->key);
    for (const YAML::Node& item : reader.Items(groups->value, "supplementalGroups")) {
      out.supplemental_groups.push_back(reader.IntOf(item));
    }
  }
  out.sysctls = ReadSysctls(reader, context);
}

void ReadContainerOnly(NodeReader& reader, const YAML::Node& context, SecurityContext& out) {
  out.privileged = reader.Bool(context, "privileged");
  out.allow_privilege_escalation = reader.Bool(context, "allowPrivilegeEscalation");
  out.read_only_root_filesystem = reader.Bool(context, "readOnlyRootFilesystem");
  out.capabilities = ReadCapabilities(reader, context);
  out.proc_mount = reader.String(context, "procMount");
}

}  // namespace

SecurityContext ReadSecurityContext(NodeReader& reader, const Entry& entry, ContextLevel level) {
  SecurityContext out;
  out.key = reader.PosOf(entry.key);
  const YAML::Node& context = entry.value;
  if (!context.IsMap()) {
    reader.Diagnose(reader.PosOf(context), "'securityContext' should be a map");
    return out;
  }
  out.run_as_non_root = reader.Bool(context, "runAsNonRoot");
  out.run_as_user = reader.Int(context, "runAsUser");
  out.run_as_group = reader.Int(context, "runAsGroup");
  out.seccomp = ReadProfile(reader, context, "seccompProfile");
  out.app_armor = ReadProfile(reader, context, "appArmorProfile");
  out.se_linux = ReadSeLinux(reader, context);
  if (auto windows = reader.Find(context, "windowsOptions")) {
    out.host_process = reader.Bool(windows->value, "hostProcess");
  }
  if (level == ContextLevel::kPod) {
    ReadPodOnly(reader, context, out);
  } else {
    ReadContainerOnly(reader, context, out);
  }
  return out;
}

ObjectMeta ReadMetadata(NodeReader& reader, const YAML::Node& object) {
  ObjectMeta meta;
  auto entry = reader.Find(object, "metadata");
  if (!entry) return meta;
  meta.key = reader.PosOf(entry->key);
  const YAML::Node& node = entry->value;
  meta.name = reader.String(node, "name");
  meta.generate_name = reader.String(node, "generateName");
  meta.namespace_name = reader.String(node, "namespace");
  meta.labels = reader.StringMap(node, "labels");
  meta.annotations = reader.StringMap(node, "annotations");
  return meta;
}

LabelSelector ReadLabelSelector(NodeReader& reader, const Entry& entry) {
  LabelSelector selector;
  selector.key = reader.PosOf(entry.key);
  selector.match_labels = reader.StringMap(entry.value, "matchLabels");
  auto expressions = reader.Find(entry.value, "matchExpressions");
  if (!expressions) return selector;
  for (const YAML::Node& item : reader.Items(expressions->value, "matchExpressions")) {
    SelectorRequirement requirement;
    requirement.pos = reader.PosOf(item);
    requirement.key = reader.String(item, "key").value.value_or("");
    requirement.op = reader.String(item, "operator").value.value_or("");
    for (const StringField& value : reader.StringList(item, "values")) {
      if (value.value) requirement.values.push_back(*value.value);
    }
    selector.match_expressions.push_back(std::move(requirement));
  }
  return selector;
}

}  // namespace bulwark::parse::k8s::detail
