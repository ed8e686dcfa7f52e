// Who a container runs as (runAsNonRoot, runAsUser, runAsGroup) and its
// read-only root file system with a writable /tmp.
#include <algorithm>

#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {
namespace {

template <typename T>
const parse::k8s::Field<T>& Effective(const parse::k8s::Field<T>& own,
                                      const parse::k8s::Field<T>& pod) {
  return own.present() ? own : pod;
}

YamlValue Number(int value) { return YamlValue::Literal(std::to_string(value)); }

// Sets the field that decided the container's value: its own, else the pod's.
template <typename T>
bool SetDecider(ContainerFix& fix, const parse::k8s::Field<T>& own, const std::string& key,
                YamlValue value, std::string_view id) {
  if (own.present()) return fix.Set({"securityContext", key}, std::move(value), id);
  return fix.pod().Set({"securityContext", key}, std::move(value), id);
}

// runAsUser: 0 becomes the configured UID; true when that edit is queued.
bool FixRootUser(ContainerFix& fix) {
  const auto& own = fix.context().run_as_user;
  const auto& user = Effective(own, fix.pod_context().run_as_user);
  if (!user.Is(0) || !fix.WantsAt(kRunAsRootUser, user.key)) return false;
  const int uid = fix.options().uid;
  if (uid <= 0) {
    fix.Note(kRunAsRootUser, "not fixed: the configured UID is not above 0");
    return false;
  }
  if (!SetDecider(fix, own, "runAsUser", Number(uid), kRunAsRootUser)) return false;
  fix.Explain(kRunAsRootUser,
              "runs as UID " + std::to_string(uid) +
                  " instead of root; files it writes must be writable by that user");
  return true;
}

void FixRootGroup(ContainerFix& fix) {
  const auto& own = fix.context().run_as_group;
  const auto& group = Effective(own, fix.pod_context().run_as_group);
  if (!group.Is(0) || !fix.WantsAt(kRootGroup, group.key)) return;
  const int gid = fix.options().gid;
  if (gid <= 0) {
    fix.Note(kRootGroup, "not fixed: the configured GID is not above 0");
    return;
  }
  SetDecider(fix, own, "runAsGroup", Number(gid), kRootGroup);
}

// runAsNonRoot: true where it is false, else in the container with a
// non-root UID and GID when none is set (the image's USER may be root or a
// name, which runAsNonRoot cannot check).
void FixNonRoot(ContainerFix& fix, bool root_user_fixed) {
  if (!fix.Wants(kRunAsNonRoot)) return;
  const auto& own = fix.context().run_as_non_root;
  const auto& field = Effective(own, fix.pod_context().run_as_non_root);
  const auto& user = Effective(fix.context().run_as_user, fix.pod_context().run_as_user);
  if (user.Is(0) && !root_user_fixed) {
    fix.Note(kRunAsNonRoot,
             "not fixed: runAsUser is 0, so runAsNonRoot: true would stop it from starting; fix "
             "BW-K8-022 too");
    return;
  }
  bool set = false;
  if (field.Is(false) && fix.WantsAt(kRunAsNonRoot, field.key)) {
    set = SetDecider(fix, own, "runAsNonRoot", YamlValue::Literal("true"), kRunAsNonRoot);
  } else if (!field.present()) {
    set = fix.Set({"securityContext", "runAsNonRoot"}, YamlValue::Literal("true"), kRunAsNonRoot);
  }
  if (!set) return;
  // Windows pods may not set runAsUser or runAsGroup.
  if (user.present() || fix.pod().IsWindows()) return;
  const int uid = fix.options().uid;
  const int gid = fix.options().gid;
  if (uid <= 0) {
    fix.Note(kRunAsNonRoot, "runAsUser not set: the configured UID is not above 0");
    return;
  }
  if (!fix.Set({"securityContext", "runAsUser"}, Number(uid), kRunAsNonRoot)) return;
  const auto& group = Effective(fix.context().run_as_group, fix.pod_context().run_as_group);
  if (!group.present() && gid > 0) {
    fix.Set({"securityContext", "runAsGroup"}, Number(gid), kRunAsNonRoot);
  }
  fix.Explain(kRunAsNonRoot,
              "runs as UID " + std::to_string(uid) +
                  (group.present() || gid <= 0 ? "" : ", GID " + std::to_string(gid)) +
                  "; make sure the image works as that user");
}

bool MountsTmp(const parse::k8s::Container& container) {
  return std::any_of(container.volume_mounts.begin(), container.volume_mounts.end(),
                     [](const parse::k8s::VolumeMount& mount) {
                       return mount.mount_path.Is("/tmp") || mount.mount_path.Is("/tmp/");
                     });
}

}  // namespace

void FixIdentity(ContainerFix& fix) {
  const bool root_user_fixed = FixRootUser(fix);
  FixRootGroup(fix);
  FixNonRoot(fix, root_user_fixed);
}

void FixReadOnlyRoot(ContainerFix& fix) {
  if (!fix.Wants(kReadOnlyRootFs)) return;
  if (!fix.Set({"securityContext", "readOnlyRootFilesystem"}, YamlValue::Literal("true"),
               kReadOnlyRootFs) ||
      MountsTmp(fix.model())) {
    return;
  }
  if (fix.BorrowedStep({"volumeMounts"}, /*last=*/true)) {
    fix.Note(kReadOnlyRootFs,
             "no emptyDir mounted at /tmp: volumeMounts comes from a YAML merge "
             "or alias; mount one where it is written if it writes there");
    return;
  }
  std::optional<std::string> volume = fix.pod().TmpVolume(kReadOnlyRootFs);
  if (!volume) return;
  YamlValue mount = YamlValue::Map(
      {{"name", YamlValue::String(*volume)}, {"mountPath", YamlValue::String("/tmp")}});
  if (fix.Append({"volumeMounts"}, std::move(mount), kReadOnlyRootFs)) {
    fix.Explain(kReadOnlyRootFs,
                "root file system is read-only, with an emptyDir at /tmp; mount one wherever else "
                "it writes");
  }
}

}  // namespace bulwark::fix::k8s_fix
