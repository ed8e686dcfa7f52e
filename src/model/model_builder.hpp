// Internal to BuildSystemModel: the state the model_*.cpp steps share while
// they turn parsed files into one SystemModel, and the steps themselves.
// Element ids are "<kind>:<name>", or "<kind>:<scope>/<name>" when the same
// name is defined in several compose projects or namespaces. Not thread-safe:
// one BuildState per build.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source_file.hpp"
#include "model/system_model.hpp"

namespace bulwark::model::detail {

// One input file held in memory with its line index. Held by unique_ptr so
// the index's view of `content` stays valid.
class SourceText {
 public:
  SourceText(std::string path, std::string content);
  SourceText(const SourceText&) = delete;
  SourceText& operator=(const SourceText&) = delete;

  const std::string& path() const { return path_; }  // relative to the root, '/'-separated
  const std::string& content() const { return content_; }
  // The line's text, trimmed and shortened; line 0 gives `fallback`.
  Evidence At(int line, std::string_view fallback = {}) const;

 private:
  std::string path_;
  std::string content_;
  core::LineIndex lines_;
};

// A reference from one element to another by name (an environment URL,
// depends_on), turned into a flow once every element exists.
struct Reference {
  std::string from;       // element id
  std::string scope;      // where the name is looked up: "compose:<dir>", "k8s:<namespace>"
  std::string target;     // the host name as written, lower case
  int port = 0;           // 0: the target's usual port
  std::string protocol;   // from a URL scheme; "": from the target or the port
  bool encrypted = false;
  bool authenticated = false;
  std::string credential_prefix;  // "DB" for DB_HOST: DB_PASSWORD is the credential it is used with
  bool weak = false;  // depends_on / links: evidence for an existing flow, a flow only when none exists
  Evidence evidence;
};

// An image the platform pulls from a registry.
struct ImagePull {
  std::string platform;  // element id of the puller
  std::string registry;  // "docker.io", "ghcr.io"
  Evidence evidence;
};

// Where a workload came from, for the steps after it exists.
struct WorkloadInfo {
  std::string scope;
  bool compose = false;
  std::string network_mode;    // compose: "host", "none", "service:x", "" = bridge networks
  std::string kind;            // Kubernetes: the object's kind
};

inline WorkloadInfo MakeWorkload(std::string scope, bool compose, std::string kind = {}) {
  WorkloadInfo info;
  info.scope = std::move(scope);
  info.compose = compose;
  info.kind = std::move(kind);
  return info;
}

// A top-level compose network.
struct ComposeNetworkDef {
  bool internal = false;
  Evidence evidence;
};

inline constexpr size_t kMaxEvidencePerItem = 32;
inline constexpr size_t kMaxFlows = 50000;

class BuildState {
 public:
  SystemModel model;
  std::vector<Reference> references;
  std::vector<ImagePull> pulls;
  std::map<std::string, WorkloadInfo> workloads;  // element id -> where it came from
  std::map<std::string, std::map<std::string, ComposeNetworkDef>> compose_networks;  // scope -> name -> def
  std::map<std::string, Evidence> scope_evidence;  // scope -> where the project / namespace is defined
  bool uses_docker = false;  // compose or a Dockerfile: the Docker engine runs the containers
  Evidence docker_evidence;
  bool uses_kubernetes = false;
  Evidence kubernetes_evidence;
  std::set<std::string> assumptions;  // what bulwark assumed, in words

  Element* Find(std::string_view id);
  // Adds the element; when one with the id exists it is returned unchanged.
  Element& AddElement(Element element);
  // Adds the flow; when one with the id exists its evidence gains the new one's.
  void AddFlow(Flow flow);
  TrustBoundary& AddBoundary(TrustBoundary boundary);
  bool HasBoundary(std::string_view id) const { return boundary_index_.count(std::string(id)) > 0; }
  void RemoveElements(const std::set<std::string>& ids);  // with the flows that touch them
  void RemoveFlows(const std::set<std::string>& ids);

  // Names: which elements a name reaches in a scope (compose service names,
  // Kubernetes Service and workload names).
  void NoteName(const std::string& scope, const std::string& name);  // before elements exist
  void AddName(const std::string& scope, const std::string& name, const std::string& id);
  const std::vector<std::string>* Lookup(const std::string& scope, const std::string& name) const;
  // "web", or "<label>/web" when `name` is defined in several scopes.
  std::string QualifiedName(const std::string& scope, const std::string& name) const;
  void SetScopeLabel(const std::string& scope, std::string label) { scope_labels_[scope] = std::move(label); }
  std::string ScopeLabel(const std::string& scope) const;

  void Diagnose(const std::string& path, int line, int column, std::string message);

 private:
  void Reindex();

  std::map<std::string, size_t> element_index_;
  std::map<std::string, size_t> flow_index_;
  std::map<std::string, size_t> boundary_index_;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> names_;
  std::map<std::string, std::set<std::string>> scopes_by_name_;
  std::map<std::string, std::string> scope_labels_;
  bool flow_limit_noted_ = false;
};

// Appends evidence unless it is already there or the list is full.
void AddEvidence(std::vector<Evidence>& list, Evidence evidence);
void AddTag(Element& element, std::string_view tag);
void AddUnique(std::vector<std::string>& list, std::string_view value);
std::string Lower(std::string_view text);
std::string Trim(std::string_view text);
// The port number a text starts with ("8080/tcp" -> 8080); 0 when none or out of range.
int LeadingPort(std::string_view text);

// "flow:<from>-><to>:<discriminator>".
std::string FlowId(std::string_view from, std::string_view to, std::string_view discriminator);
// A flow with its id made from the ends; encrypted when the protocol is TLS.
Flow NewFlow(FlowKind kind, std::string_view from, std::string_view to, std::string_view discriminator,
             std::string protocol, int port, std::string label, Evidence evidence);

}  // namespace bulwark::model::detail
