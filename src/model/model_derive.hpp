// Internal to BuildSystemModel: the derivation steps, one file each.
// model_dockerfile.cpp reads what a Dockerfile says about the container it
// builds; model_compose*.cpp turns compose services into elements;
// model_kubernetes*.cpp does the same for workloads, Services, Ingresses and
// NetworkPolicies; model_env.cpp reads credentials and references to other
// services out of environment variables; model_boundaries.cpp places
// elements in trust boundaries and adds the actors and platforms;
// model_flows.cpp derives the data flows. Not thread-safe (one BuildState).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model_builder.hpp"
#include "parse/compose.hpp"
#include "parse/dockerfile.hpp"
#include "parse/kubernetes.hpp"

namespace bulwark::model::detail {

// ---- Dockerfiles (model_dockerfile.cpp)

struct DockerfileFacts {
  std::string path;                  // relative to the root
  std::optional<std::string> user;   // the final stage's USER (inherited from earlier stages too)
  Evidence user_evidence;            // the USER line; line 0 when there is none
  std::vector<PortBinding> exposed;  // EXPOSE: container ports, not published
  std::optional<bool> healthcheck;   // HEALTHCHECK; false for HEALTHCHECK NONE
  Evidence healthcheck_evidence;
  std::string base_image;            // the final stage's external base image; "" for scratch
  Evidence base_evidence;            // its FROM line
  std::vector<std::pair<std::string, Evidence>> pulls;  // registry, FROM / COPY --from line
};
using DockerfileIndex = std::map<std::string, DockerfileFacts>;  // by relative path

DockerfileFacts ReadDockerfileFacts(const SourceText& source, const parse::Dockerfile& dockerfile);
// What the Dockerfile adds to a container the runtime file did not say.
void ApplyDockerfileFacts(const DockerfileFacts& facts, bool user_set, bool healthcheck_set, Element& element);
// A Dockerfile nothing else runs: one service named `name`.
void AddStandaloneDockerfile(BuildState& state, const DockerfileFacts& facts, const std::string& name);
// nullopt when the user cannot be read ("$APP_USER").
std::optional<bool> UserIsRoot(std::string_view user);
bool ImagePinned(std::string_view image);
// "docker.io" for Docker Hub; "" when the reference cannot be read.
std::string RegistryOf(std::string_view image);

// ---- Compose (model_compose.cpp, model_compose_posture.cpp)

struct ComposeInput {
  const SourceText* source = nullptr;
  parse::ComposeFile file;
  std::string scope;        // "compose:<dir>"
  std::string project_dir;  // the file's directory relative to the root ("" at the root)
};

void AddComposeFile(BuildState& state, const ComposeInput& input, const DockerfileIndex& dockerfiles);

struct ComposeRuntime {
  bool user_set = false;
  bool healthcheck_set = false;
};
ComposeRuntime ApplyComposePosture(const SourceText& source, const parse::ComposeService& service,
                                   Element& element);
void AddComposePorts(const SourceText& source, const parse::ComposeService& service, Element& element);
void AddComposeMounts(const SourceText& source, const parse::ComposeService& service, Element& element);
bool IsRuntimeSocket(std::string_view host_path);
bool IsSensitiveHostPath(std::string_view host_path);

// ---- Environment (model_env.cpp)

struct EnvVar {
  std::string name;
  std::optional<std::string> value;  // nullopt: from the shell, a file or a secret
  bool from_secret = false;          // Kubernetes secretKeyRef
  Evidence evidence;
};
// Adds a credential when the name looks like one and a reference when the
// value names a host (DB_HOST=db, DATABASE_URL=postgres://db:5432/x).
void ReadEnvironment(BuildState& state, Element& element, const std::string& scope, const EnvVar& var);

// ---- Kubernetes (model_kubernetes.cpp, model_kubernetes_net.cpp)

struct KubernetesInput {
  const SourceText* source = nullptr;
  parse::k8s::Manifest manifest;
};
void AddKubernetes(BuildState& state, const std::vector<KubernetesInput>& inputs);

// ---- Boundaries, actors, platforms (model_boundaries.cpp)

inline constexpr std::string_view kInternetUser = "actor:internet-user";
inline constexpr std::string_view kLocalUser = "actor:local-user";
inline constexpr std::string_view kRegistry = "actor:registry";
inline constexpr std::string_view kAdmin = "actor:admin";
inline constexpr std::string_view kDockerEngine = "platform:docker-engine";
inline constexpr std::string_view kKubernetesApi = "platform:kubernetes-api";
inline constexpr std::string_view kContainerRuntime = "platform:container-runtime";
inline constexpr std::string_view kHostFilesystem = "datastore:host-filesystem";
inline constexpr std::string_view kInternetBoundary = "boundary:internet";
inline constexpr std::string_view kHostBoundary = "boundary:host";
inline constexpr std::string_view kClusterBoundary = "boundary:cluster";

// Creates the well-known element (and the boundary it sits in) when missing;
// `first_use` is its evidence unless it is the platform itself.
void EnsureWellKnown(BuildState& state, std::string_view id, const Evidence& first_use);
void EnsureNamespace(BuildState& state, const std::string& name_space, const Evidence& evidence);
// Compose services into their networks; standalone containers onto the host.
void PlaceContainers(BuildState& state);

// ---- Flows (model_flows.cpp)

void DeriveFlows(BuildState& state);

}  // namespace bulwark::model::detail
