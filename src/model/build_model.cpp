// BuildSystemModel: load (discover, read and parse every file), name (ids
// that stay unique across compose projects and namespaces), derive
// (elements, boundaries, flows), correct (bulwark-model.yaml), and order.
#include "model/build_model.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "audit/discovery.hpp"
#include "model/model_derive.hpp"
#include "model/model_overrides.hpp"

namespace bulwark::model {
namespace {

namespace fs = std::filesystem;
using detail::BuildState;
using detail::SourceText;

struct Inputs {
  std::vector<std::unique_ptr<SourceText>> texts;
  std::vector<detail::ComposeInput> compose;
  std::vector<detail::KubernetesInput> kubernetes;
  std::vector<std::pair<const SourceText*, parse::Dockerfile>> dockerfiles;
  const SourceText* overrides = nullptr;
};

std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

std::string Directory(const std::string& relative) {
  size_t slash = relative.rfind('/');
  return slash == std::string::npos ? "" : relative.substr(0, slash);
}

// The message without the "LINE:COLUMN: " the YAML loader starts it with.
std::string WithoutPosition(const std::string& message, const parse::YamlMark& mark) {
  if (!mark.known()) return message;
  size_t sep = message.find(": ");
  return sep == std::string::npos ? message : message.substr(sep + 2);
}

void LoadCompose(BuildState& state, const SourceText& text, Inputs& inputs) {
  auto files = parse::ParseComposeStream(text.content());
  if (!files.ok()) {
    parse::YamlMark mark = parse::ErrorMark(files.status());
    state.Diagnose(text.path(), mark.line, mark.column,
                   "compose file not read: " + WithoutPosition(files.status().message(), mark));
    return;
  }
  for (parse::ComposeFile& file : *files) {
    for (const parse::ComposeIssue& issue : file.issues) {
      state.Diagnose(text.path(), issue.mark.line, issue.mark.column, issue.message);
    }
    std::string dir = Directory(text.path());
    inputs.compose.push_back({&text, std::move(file), "compose:" + (dir.empty() ? "." : dir), dir});
  }
}

void LoadFile(BuildState& state, const audit::DiscoveredFile& file, Inputs& inputs) {
  const bool model_file = file.relative_path == kModelFileName || file.relative_path == "bulwark-model.yml";
  auto content = ReadText(file.absolute_path);
  if (!content) return state.Diagnose(file.relative_path, 0, 0, "cannot read file");
  std::optional<audit::FileKind> kind;  // empty for the model file
  if (!model_file) {
    kind = audit::ClassifyFile(file.absolute_path.filename().string(), *content);
    if (!kind || (*kind != audit::FileKind::kCompose && *kind != audit::FileKind::kKubernetes &&
                  *kind != audit::FileKind::kDockerfile)) {
      return;
    }
  }
  inputs.texts.push_back(std::make_unique<SourceText>(file.relative_path, std::move(*content)));
  const SourceText& text = *inputs.texts.back();
  state.model.sources.push_back(text.path());
  if (!kind.has_value()) {
    inputs.overrides = &text;
  } else if (kind.value() == audit::FileKind::kCompose) {
    LoadCompose(state, text, inputs);
  } else if (kind.value() == audit::FileKind::kKubernetes) {
    parse::k8s::Manifest manifest =
        parse::k8s::ParseKubernetes(core::SourceFile{text.path(), {}, text.content()});
    for (core::Diagnostic& d : manifest.diagnostics) state.model.diagnostics.push_back(std::move(d));
    manifest.diagnostics.clear();
    inputs.kubernetes.push_back({&text, std::move(manifest)});
  } else {
    parse::Dockerfile dockerfile = parse::ParseDockerfile(text.content());
    for (const parse::DockerfileProblem& p : dockerfile.problems) {
      state.Diagnose(text.path(), p.line, p.column, p.message);
    }
    inputs.dockerfiles.emplace_back(&text, std::move(dockerfile));
  }
}

std::string WorkloadName(const parse::k8s::Object& object) {
  if (object.metadata.name.value && !object.metadata.name.value->empty()) return *object.metadata.name.value;
  return object.metadata.generate_name.value.value_or("unnamed");
}

// The name a Dockerfile's container goes by: Dockerfile.api and api.Dockerfile
// are "api"; a plain Dockerfile is named after its directory.
std::string ContainerName(const std::string& path, const std::string& model_name) {
  std::string file = path.substr(path.rfind('/') + 1);
  std::string lower = detail::Lower(file);
  size_t dot = file.find('.');
  if (lower.starts_with("dockerfile.") || lower.starts_with("containerfile.")) return file.substr(dot + 1);
  if (lower.ends_with(".dockerfile") || lower.ends_with(".containerfile")) return file.substr(0, file.rfind('.'));
  std::string dir = Directory(path);
  return dir.empty() ? model_name : dir.substr(dir.rfind('/') + 1);
}

// Names seen in several scopes get the scope in their ids.
bool NoteNames(BuildState& state, const Inputs& inputs) {
  bool workloads = false;
  for (const detail::ComposeInput& c : inputs.compose) {
    state.SetScopeLabel(c.scope, c.project_dir.empty() ? state.model.name : c.project_dir);
    for (const parse::ComposeService& s : c.file.services) state.NoteName(c.scope, s.name);
    workloads = workloads || !c.file.services.empty();
  }
  for (const detail::KubernetesInput& k : inputs.kubernetes) {
    for (const parse::k8s::Object& object : k.manifest.objects) {
      if (!object.pod) continue;
      state.SetScopeLabel("k8s:" + object.Namespace(), object.Namespace());
      state.NoteName("k8s:" + object.Namespace(), WorkloadName(object));
      workloads = true;
    }
  }
  return workloads;
}

void Derive(BuildState& state, const Inputs& inputs) {
  bool workloads = NoteNames(state, inputs);
  detail::DockerfileIndex dockerfiles;
  for (const auto& [text, dockerfile] : inputs.dockerfiles) {
    dockerfiles.emplace(text->path(), detail::ReadDockerfileFacts(*text, dockerfile));
  }
  for (const detail::ComposeInput& c : inputs.compose) detail::AddComposeFile(state, c, dockerfiles);
  detail::AddKubernetes(state, inputs.kubernetes);
  if (!workloads) {
    state.SetScopeLabel("docker", "docker");
    for (const auto& [path, facts] : dockerfiles) state.NoteName("docker", ContainerName(path, state.model.name));
    for (const auto& [path, facts] : dockerfiles) {
      detail::AddStandaloneDockerfile(state, facts, ContainerName(path, state.model.name));
    }
  }
  detail::PlaceContainers(state);
  detail::DeriveFlows(state);
  for (const std::string& text : state.assumptions) state.model.assumptions.push_back(Assumption{text, false});
}

std::string ModelName(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(root, ec);
  if (ec) canonical = root;
  if (!fs::is_directory(canonical, ec)) canonical = canonical.parent_path();
  std::string name = canonical.filename().string();
  return name.empty() ? "system" : name;
}

}  // namespace

core::Result<SystemModel> BuildSystemModel(const BuildOptions& options) {
  BuildState state;
  state.model.name = ModelName(options.root);
  state.model.root = options.display_root.empty() ? options.root.string() : options.display_root;
  ASSIGN_OR_RETURN(std::vector<audit::DiscoveredFile> files,
                   audit::DiscoverFiles(options.root, options.discovery, state.model.diagnostics));
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.relative_path < b.relative_path; });
  Inputs inputs;
  for (const audit::DiscoveredFile& file : files) LoadFile(state, file, inputs);
  Derive(state, inputs);
  SystemModel model = std::move(state.model);
  if (inputs.overrides != nullptr) {
    ModelOverrides overrides = ParseModelOverrides(inputs.overrides->content(), inputs.overrides->path(),
                                                   model.diagnostics);
    ApplyModelOverrides(overrides, model);
  }
  SortModel(model);
  ComputeCrossings(model);
  return model;
}

}  // namespace bulwark::model
