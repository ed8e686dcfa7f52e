// container.* and k8s.* fields, the built-in equivalent of Falco's
// `container` plugin: container.id is "host" for a host process (as Falco
// reports it); metadata comes from the Container the state tables resolved
// (absent until known); k8s.* from the CRI labels, absent outside
// Kubernetes. Mounts are looked up by index or by a source/destination
// path, globs allowed (container.mount.dest[/var/run/docker.sock]).
#include <fnmatch.h>

#include <string>

#include "runtime/rules/fields_internal.hpp"

namespace bulwark::runtime::rules {
namespace {

enum Id : uint16_t {
  kId, kFullId, kName, kImage, kImageRepository, kImageTag, kImageDigest, kImageId, kType, kPrivileged, kMounts,
  kMount, kMountSource, kMountDest, kMountMode, kMountRdwr, kMountPropagation, kStartTs, kDuration, kLabel,
  kLabels, kK8sNsName, kK8sPodName, kK8sPodUid,
};

std::vector<FieldDesc> Table() {
  using T = FieldType;
  using A = ArgMode;
  const auto S = Multiplicity::kSingle;
  const auto P = RenderStyle::kPlain;
  return {
      {"container.id", T::kString, A::kNone, kId, S, P, "The truncated container ID (12 characters); 'host' for host processes."},
      {"container.full_id", T::kString, A::kNone, kFullId, S, P, "The full container ID."},
      {"container.name", T::kString, A::kNone, kName, S, P, "The container name; 'host' for host processes."},
      {"container.image", T::kString, A::kNone, kImage, S, P, "The container image as created (e.g. 'nginx:1.25')."},
      {"container.image.repository", T::kString, A::kNone, kImageRepository, S, P, "The container image repository."},
      {"container.image.tag", T::kString, A::kNone, kImageTag, S, P, "The container image tag."},
      {"container.image.digest", T::kString, A::kNone, kImageDigest, S, P, "The container image digest."},
      {"container.image.id", T::kString, A::kNone, kImageId, S, P, "The container image ID."},
      {"container.type", T::kString, A::kNone, kType, S, P, "The container runtime type (docker, ...)."},
      {"container.privileged", T::kBool, A::kNone, kPrivileged, S, P, "'true' for privileged containers."},
      {"container.mounts", T::kString, A::kNone, kMounts, S, P, "All mounts: 'source:dest:mode:rdwr:propagation' joined by ','."},
      {"container.mount", T::kString, A::kIndexOrKey, kMount, S, P, "One mount, by index or source path (glob)."},
      {"container.mount.source", T::kString, A::kIndexOrKey, kMountSource, S, P, "A mount's source, by index or destination path."},
      {"container.mount.dest", T::kString, A::kIndexOrKey, kMountDest, S, P, "A mount's destination, by index or source path."},
      {"container.mount.mode", T::kString, A::kIndexOrKey, kMountMode, S, P, "A mount's mode, by index or source path."},
      {"container.mount.rdwr", T::kString, A::kIndexOrKey, kMountRdwr, S, P, "A mount's read-write flag, by index or source path."},
      {"container.mount.propagation", T::kString, A::kIndexOrKey, kMountPropagation, S, P, "A mount's propagation, by index or source path."},
      {"container.start_ts", T::kInt, A::kNone, kStartTs, S, P, "Container start, nanoseconds since the epoch."},
      {"container.duration", T::kInt, A::kNone, kDuration, S, P, "Nanoseconds since the container started."},
      {"container.label", T::kString, A::kRequiredKey, kLabel, S, P, "A container label by key."},
      {"container.labels", T::kString, A::kNone, kLabels, S, P, "All container labels 'key:value' joined by ', '."},
      {"k8s.ns.name", T::kString, A::kNone, kK8sNsName, S, P, "The Kubernetes namespace name (from the CRI labels)."},
      {"k8s.pod.name", T::kString, A::kNone, kK8sPodName, S, P, "The Kubernetes pod name (from the CRI labels)."},
      {"k8s.pod.uid", T::kString, A::kNone, kK8sPodUid, S, P, "The Kubernetes pod UID (from the CRI labels)."},
  };
}

void AppendMount(const Mount& m, std::string& out) {
  out += m.source;
  out += ':';
  out += m.destination;
  out += ':';
  out += m.mode;
  out += ':';
  out += m.read_write ? "true" : "false";
  out += ':';
  out += m.propagation;
}

bool PathMatches(const std::string& pattern, const std::string& path) {
  return fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
}

// By index, or by path: the destination for mount.source, else the source.
const Mount* FindMount(const Container& c, const FieldArg& arg, bool by_dest) {
  if (arg.is_index) return arg.index < static_cast<int64_t>(c.mounts.size()) ? &c.mounts[static_cast<size_t>(arg.index)] : nullptr;
  for (const auto& m : c.mounts) {
    if (PathMatches(arg.text, by_dest ? m.destination : m.source)) return &m;
  }
  return nullptr;
}

class ContainerFields : public internal::TableProvider {
 public:
  ContainerFields() : TableProvider("container", Table()) {}

  void Extract(const FieldDesc& f, const FieldArg& arg, const EventContext& ctx, Extraction& out) const override {
    bool host = ctx.proc != nullptr && ctx.proc->container_id.empty() && ctx.container == nullptr;
    if (f.id == kId || f.id == kName) {
      if (host) {
        out.Set(Value::Str("host"));
      } else if (f.id == kId && ctx.proc != nullptr && !ctx.proc->container_id.empty()) {
        out.Set(Value::Str(std::string_view(ctx.proc->container_id).substr(0, 12)));
      } else if (ctx.container != nullptr) {
        SetNonEmpty(f.id == kId ? ctx.container->id : ctx.container->name, out);
      }
      return;
    }
    if (ctx.container == nullptr) {
      // The start of a container's PID namespace is its start, as Falco derives it.
      if (f.id == kStartTs && !host && ctx.proc != nullptr && ctx.proc->pidns_init_start_ts_ns != 0) {
        out.Set(Value::Int(static_cast<int64_t>(ctx.proc->pidns_init_start_ts_ns)));
      }
      return;
    }
    const Container& c = *ctx.container;
    switch (f.id) {
      case kFullId: SetNonEmpty(c.full_id.empty() ? c.id : c.full_id, out); break;
      case kImage: SetNonEmpty(c.image, out); break;
      case kImageRepository: SetNonEmpty(c.image_repository, out); break;
      case kImageTag: SetNonEmpty(c.image_tag, out); break;
      case kImageDigest: SetNonEmpty(c.image_digest, out); break;
      case kImageId: SetNonEmpty(c.image_id, out); break;
      case kType: SetNonEmpty(c.type, out); break;
      case kPrivileged: out.Set(Value::Bool(c.privileged)); break;
      case kMounts: {
        std::string& s = out.NewBuffer();
        for (size_t i = 0; i < c.mounts.size(); ++i) {
          if (i > 0) s += ',';
          AppendMount(c.mounts[i], s);
        }
        out.SetBuffer();
        break;
      }
      case kMount: case kMountSource: case kMountDest: case kMountMode: case kMountRdwr: case kMountPropagation:
        ExtractMount(f.id, c, arg, out);
        break;
      case kStartTs: if (c.start_ts_ns != 0) out.Set(Value::Int(static_cast<int64_t>(c.start_ts_ns))); break;
      case kDuration:
        if (c.start_ts_ns != 0 && ctx.evt != nullptr && ctx.evt->ts_ns >= c.start_ts_ns) {
          out.Set(Value::Int(static_cast<int64_t>(ctx.evt->ts_ns - c.start_ts_ns)));
        }
        break;
      case kLabel:
        if (auto it = c.labels.find(arg.text); it != c.labels.end()) out.Set(Value::Str(it->second));
        break;
      case kLabels: {
        std::string& s = out.NewBuffer();
        for (const auto& [k, v] : c.labels) {
          if (!s.empty()) s += ", ";
          s += k + ":" + v;
        }
        out.SetBuffer();
        break;
      }
      case kK8sNsName: SetNonEmpty(c.k8s_ns_name, out); break;
      case kK8sPodName: SetNonEmpty(c.k8s_pod_name, out); break;
      case kK8sPodUid: SetNonEmpty(c.k8s_pod_uid, out); break;
      default: break;
    }
  }

 private:
  static void SetNonEmpty(const std::string& s, Extraction& out) {
    if (!s.empty()) out.Set(Value::Str(s));
  }

  static void ExtractMount(uint16_t id, const Container& c, const FieldArg& arg, Extraction& out) {
    const Mount* m = FindMount(c, arg, id == kMountSource);
    if (m == nullptr) return;
    switch (id) {
      case kMount: AppendMount(*m, out.NewBuffer()); out.SetBuffer(); break;
      case kMountSource: out.Set(Value::Str(m->source)); break;
      case kMountDest: out.Set(Value::Str(m->destination)); break;
      case kMountMode: out.Set(Value::Str(m->mode)); break;
      case kMountRdwr: out.Set(Value::Str(m->read_write ? "true" : "false")); break;
      case kMountPropagation: out.Set(Value::Str(m->propagation)); break;
      default: break;
    }
  }
};

}  // namespace

std::unique_ptr<FieldProvider> MakeContainerFields() { return std::make_unique<ContainerFields>(); }

}  // namespace bulwark::runtime::rules
