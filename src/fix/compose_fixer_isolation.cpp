// Isolation: a read-only root with tmpfs for the paths the image writes,
// no host namespaces or cgroup, private mount propagation, a non-root user.
#include <algorithm>
#include <sstream>

#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

std::string MountPath(std::string_view tmpfs_item) {
  return std::string(tmpfs_item.substr(0, tmpfs_item.find(':')));
}

void FixReadOnly(ServiceFix& fix) {
  if (!fix.Wants(kWritableRootFs)) return;
  if (!fix.SetKey("read_only", YamlValue::Literal("true"), kWritableRootFs)) return;
  // Paths already writable: tmpfs entries and mounted volumes.
  std::vector<std::string> writable;
  for (const auto& item : fix.ListItems("tmpfs")) writable.push_back(MountPath(item));
  for (const auto& volume : fix.service().volumes) writable.push_back(volume.target);
  for (const std::string& path : fix.profile().tmpfs) {
    if (std::find(writable.begin(), writable.end(), path) == writable.end()) {
      fix.List("tmpfs").Append(path, kWritableRootFs);
    }
  }
  fix.Fixed(kWritableRootFs);
  if (!fix.profile().known) {
    fix.Note(kWritableRootFs,
             "root filesystem is read-only now; if it writes outside /tmp and its volumes, add a "
             "tmpfs or volume for that path");
  }
}

void FixHostNamespaces(ServiceFix& fix) {
  const std::pair<std::string_view, std::string_view> kKeys[] = {
      {kHostPid, "pid"}, {kHostIpc, "ipc"}, {kHostUts, "uts"}, {kHostUserns, "userns_mode"}};
  for (const auto& [id, key] : kKeys) {
    if (fix.Wants(id) && fix.RemoveKey(key, id)) fix.Fixed(id);
  }
  if (!fix.Wants(kCgroupParent)) return;
  const auto& s = fix.service();
  bool done = true;
  for (parse::YamlMark mark : fix.Marks(kCgroupParent)) {
    if (s.cgroup_parent && s.cgroup_parent->key == mark)
      done &= fix.RemoveKey("cgroup_parent", kCgroupParent);
    if (s.cgroup && s.cgroup->key == mark) done &= fix.RemoveKey("cgroup", kCgroupParent);
  }
  if (done) fix.Fixed(kCgroupParent);
}

// "./x:/y:ro,rshared" -> "./x:/y:ro"; "./x:/y:rshared" -> "./x:/y".
std::string WithoutPropagation(std::string_view raw) {
  const size_t colon = raw.rfind(':');
  std::stringstream options(std::string(raw.substr(colon + 1)));
  std::string kept;
  for (std::string option; std::getline(options, option, ',');) {
    if (option == "shared" || option == "rshared") continue;
    kept += (kept.empty() ? "" : ",") + option;
  }
  return std::string(raw.substr(0, kept.empty() ? colon : colon + 1)) + kept;
}

bool FixPropagation(ServiceFix& fix, const parse::ComposeVolume& volume) {
  const parse::YamlEntry* entry = fix.node().FindEntry("volumes");
  if (entry == nullptr || !fix.editor().IsWrittenAt(fix.node(), *entry)) {
    fix.Note(kSharedPropagation, "not fixed: its volumes come from a YAML anchor; fix them there");
    return false;
  }
  auto index = fix.ItemIndex("volumes", volume.mark);
  if (!index) return false;
  const parse::YamlNode& item = *entry->value->items()[*index];
  if (item.IsScalar()) {
    return fix.Check(
        fix.editor().SetScalar(item, YamlValue::String(WithoutPropagation(item.text())),
                               kSharedPropagation),
        kSharedPropagation, "volumes");
  }
  const parse::YamlEntry* bind = item.FindEntry("bind");
  if (bind == nullptr || !bind->value->IsMap()) return false;
  const parse::YamlNode& options = *bind->value;
  const parse::YamlEntry* propagation = options.FindEntry("propagation");
  if (propagation == nullptr) return false;
  // `bind:` with nothing else left goes as a whole.
  const bool alone = options.entries().size() == 1;
  return fix.Check(alone ? fix.editor().RemoveEntry(item, *bind, kSharedPropagation)
                         : fix.editor().RemoveEntry(options, *propagation, kSharedPropagation),
                   kSharedPropagation, "volumes");
}

void FixSharedPropagation(ServiceFix& fix) {
  if (!fix.Wants(kSharedPropagation)) return;
  bool done = false;
  for (const auto& volume : fix.service().volumes) {
    if (fix.WantsAt(kSharedPropagation, volume.propagation_mark))
      done |= FixPropagation(fix, volume);
  }
  if (done) fix.Fixed(kSharedPropagation);
}

void FixUser(ServiceFix& fix) {
  if (!fix.Wants(kRootUser)) return;
  const auto& user = fix.profile().user;
  if (!user) {
    fix.Note(kRootUser, "no user set: " + fix.profile().user_note);
    return;
  }
  if (fix.SetKey("user", YamlValue::String(*user), kRootUser)) {
    fix.Fixed(kRootUser);
    if (fix.profile().built) {
      fix.Note(kRootUser, "runs as " + *user + "; " + fix.profile().what +
                              " must let that user read the application (bulwark fix adds the "
                              "user to a Dockerfile it fixes)");
    }
  }
}

}  // namespace

void FixIsolation(ServiceFix& fix) {
  FixUser(fix);
  FixReadOnly(fix);
  FixHostNamespaces(fix);
  FixSharedPropagation(fix);
}

}  // namespace bulwark::fix::compose_fix
