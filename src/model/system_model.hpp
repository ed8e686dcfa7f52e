// SystemModel: the architecture of a containerised system as bulwark derives
// it from the files that define it (compose files, Kubernetes manifests,
// Dockerfiles) and from an optional `bulwark-model.yaml` a user writes to add
// or correct what the files cannot say. Elements, trust boundaries and data
// flows, each with the evidence (file:line) it was derived from, so every
// threat built on it can say why. Plain value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace bulwark::model {

// Where a fact about the system was read: a file and line, and the words
// that said it ("user: root", "- /var/run/docker.sock:/var/run/docker.sock").
// `path` is relative to the modelled root, '/'-separated; line 0 when the
// fact is the absence of something (no USER anywhere).
struct Evidence {
  std::string path;
  int line = 0;
  std::string text;
};

// The kind decides the STRIDE categories that apply (STRIDE per element:
// actor -> S,R; data store -> T,R,I,D; process -> all six) and the shape in
// the diagram.
enum class ElementKind {
  kService,        // a container the system runs (process)
  kDataStore,      // a database, cache, queue or volume holding data
  kExternalActor,  // users on published ports, an admin, a registry, the internet
  kPlatform,       // the Docker engine, kubelet or API server the services run on (process)
};
std::string_view ElementKindName(ElementKind kind);  // "service", "datastore", "actor", "platform"

// How much harm a leak or a change of this element's data does (Threagile's
// confidentiality scale, cut to four steps).
enum class Classification { kUnknown, kPublic, kInternal, kConfidential, kRestricted };
std::string_view ClassificationName(Classification c);  // "unknown", "public", ...
std::optional<Classification> ParseClassification(std::string_view name);

struct PortBinding {
  int container_port = 0;  // 0 when not a number (a range or a variable)
  int host_port = 0;       // published host port; 0 when not published or ephemeral
  std::string host_ip;     // published: "" / "0.0.0.0" / "::" = every interface
  std::string protocol = "tcp";
  bool published = false;  // reachable from outside the host (compose ports, NodePort, LoadBalancer, Ingress)
  Evidence evidence;
};

struct Mount {
  std::string type;    // "bind", "volume", "tmpfs", "secret", "configmap", "hostPath", "emptyDir"
  std::string source;  // host path or volume / secret name
  std::string target;  // path in the container
  bool read_only = false;
  bool docker_socket = false;       // /var/run/docker.sock, /run/containerd/containerd.sock, ...
  bool sensitive_host_path = false;  // /, /etc, /proc, /sys, /var/lib/docker, /root, /home, /boot, /dev
  Evidence evidence;
};

// A credential given to a service: a platform secret (safe) or a value
// written inline in the environment (not safe).
struct CredentialRef {
  std::string name;     // env var or secret name
  bool inline_value = false;  // the value is written in the file
  Evidence evidence;
};

struct Element {
  std::string id;  // unique and stable: "service:web", "datastore:db", "actor:internet-user", "platform:docker-engine"
  ElementKind kind = ElementKind::kService;
  std::string name;        // what the diagram shows
  std::string technology;  // "python", "postgresql", "redis", "rabbitmq", "nginx", "docker-engine", "browser", ...
  std::string description;
  std::string image;       // image reference as written; "" when built only
  std::string dockerfile;  // the Dockerfile it is built from, relative to the root; ""
  std::string boundary;    // id of the innermost trust boundary that holds it ("" = outside all)
  Classification classification = Classification::kUnknown;

  // Runtime posture (services and data stores that are containers). nullopt
  // = the files do not say (an official image's default user, for example).
  std::optional<bool> runs_as_root;
  std::string user;  // as configured ("10001:10001", "appuser"); "" when not set
  bool privileged = false;
  std::vector<std::string> capabilities_added;
  bool capabilities_all_dropped = false;
  bool read_only_rootfs = false;
  bool no_new_privileges = false;
  bool host_network = false;
  bool host_pid = false;
  bool host_ipc = false;
  bool resource_limits = false;  // memory and (cpu or pids) limits set
  bool healthcheck = false;
  bool image_pinned = false;     // tag other than latest, or a digest
  int replicas = 1;

  std::vector<PortBinding> ports;
  std::vector<Mount> mounts;
  std::vector<std::string> networks;  // compose networks / k8s namespace; in file order
  std::vector<CredentialRef> credentials;
  std::vector<std::string> tags;      // free labels: "internet-facing", "user-defined", "ingress", ...
  bool user_defined = false;          // added or changed by bulwark-model.yaml
  std::vector<Evidence> evidence;     // where it is defined
};

enum class BoundaryKind {
  kInternet,   // the internet edge: outside the host
  kHost,       // the Docker host (or a Kubernetes node)
  kNetwork,    // a compose network or a Kubernetes network policy scope
  kCluster,    // a Kubernetes cluster
  kNamespace,  // a Kubernetes namespace
  kContainer,  // one container's isolation (only when a user asks for it)
};
std::string_view BoundaryKindName(BoundaryKind kind);  // "internet", "host", "network", ...

struct TrustBoundary {
  std::string id;  // "boundary:internet", "boundary:host", "boundary:network:backend", "boundary:namespace:shop"
  BoundaryKind kind = BoundaryKind::kNetwork;
  std::string name;
  std::string parent;      // id of the enclosing boundary; "" at the top
  bool isolated = false;   // an internal network / a namespace with a default-deny NetworkPolicy
  std::vector<Evidence> evidence;
};

enum class FlowKind {
  kPublishedPort,      // an actor reaches a service through a port published on the host
  kServiceToService,   // one service calls another (depends_on, an env URL, a shared network)
  kDataStoreAccess,    // a service reads and writes a data store
  kControlPlane,       // a service talks to the container engine or the cluster API (docker.sock, service account)
  kHostMount,          // a service reaches the host's files through a bind mount
  kImagePull,          // the engine pulls the image from a registry
  kUserDefined,        // from bulwark-model.yaml
};
std::string_view FlowKindName(FlowKind kind);  // "published-port", "service-to-service", ...

struct Flow {
  std::string id;  // unique and stable: "flow:actor:internet-user->service:web:15000"
  FlowKind kind = FlowKind::kServiceToService;
  std::string from;  // element ids
  std::string to;
  std::string protocol;  // "http", "https", "postgresql", "amqp", "docker-api", "file", "tcp"
  int port = 0;          // destination port; 0 when none or unknown
  std::string label;     // what the diagram writes on the edge: "HTTP :15000"
  bool encrypted = false;        // TLS known to be in use
  bool authenticated = false;    // credentials known to be used (a DB password, a token)
  bool bidirectional = false;
  std::vector<std::string> crosses;  // ids of the boundaries it crosses, outermost first
  Classification classification = Classification::kUnknown;  // of the data it carries
  std::vector<Evidence> evidence;
};

// A statement the model rests on, written by the user or by bulwark ("the
// image's default user is root unless the image says otherwise").
struct Assumption {
  std::string text;
  bool user_defined = false;
};

// A data asset the system processes (bulwark-model.yaml `data:`).
struct DataAsset {
  std::string id;
  std::string name;
  Classification classification = Classification::kUnknown;
  std::vector<std::string> stored_in;    // element ids
  std::vector<std::string> carried_by;   // flow ids
};

struct SystemModel {
  std::string name;  // the root directory's name, or `name:` in bulwark-model.yaml
  std::string root;  // the path the model was built from, as the user named it
  std::vector<Element> elements;  // sorted by id
  std::vector<TrustBoundary> boundaries;  // parents before children
  std::vector<Flow> flows;  // sorted by id
  std::vector<DataAsset> data;
  std::vector<Assumption> assumptions;
  std::vector<std::string> sources;  // files read, relative to root, sorted
  std::vector<core::Diagnostic> diagnostics;  // input that could not be used, and why

  const Element* FindElement(std::string_view id) const;
  Element* FindElement(std::string_view id);
  const TrustBoundary* FindBoundary(std::string_view id) const;
  const Flow* FindFlow(std::string_view id) const;
  // The boundary ids that hold the element, innermost first.
  std::vector<std::string> BoundaryChain(std::string_view element_id) const;
};

// Fills each flow's `crosses` from its ends' boundaries: every boundary one
// end is in and the other is not, outermost first. Builders call it last.
void ComputeCrossings(SystemModel& model);

// Sorts elements and flows by id so output is stable.
void SortModel(SystemModel& model);

}  // namespace bulwark::model
