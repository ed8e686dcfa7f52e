// Compose services as elements: a service or, when its image (or the base
// of the Dockerfile it builds) is a known data store, a data store. A
// service defined again in another compose file of the same directory (an
// override file) is the same element and gains what that file says.
#include <filesystem>

#include "model/datastore_catalog.hpp"
#include "model/model_derive.hpp"

namespace bulwark::model::detail {
namespace {

namespace fs = std::filesystem;

struct Context {
  BuildState& state;
  const ComposeInput& input;
  const DockerfileIndex& dockerfiles;
  const SourceText& source() const { return *input.source; }
};

// The Dockerfile a `build:` names, when it is one of the files read.
const DockerfileFacts* BuiltFrom(const Context& ctx, const parse::ComposeService& service) {
  if (!service.build) return nullptr;
  const std::string& context = service.build->context.empty() ? std::string(".") : service.build->context;
  if (context.find("://") != std::string::npos || context.starts_with("git@") || fs::path(context).is_absolute()) {
    return nullptr;  // a remote or absolute context is not under the root
  }
  std::string file = service.build->dockerfile.empty() ? "Dockerfile" : service.build->dockerfile;
  fs::path path = (fs::path(ctx.input.project_dir) / context / file).lexically_normal();
  auto it = ctx.dockerfiles.find(path.generic_string());
  return it == ctx.dockerfiles.end() ? nullptr : &it->second;
}

const Technology* DetectTechnology(const parse::ComposeService& service, const DockerfileFacts* dockerfile) {
  if (service.image) {
    if (const Technology* tech = TechnologyForImage(service.image->text)) return tech;
  }
  if (dockerfile != nullptr) {
    if (const Technology* tech = TechnologyForImage(dockerfile->base_image)) return tech;
  }
  for (const parse::ComposePort& p : service.ports) {
    if (const Technology* tech = DataStoreForPort(p.target_first)) return tech;
  }
  if (dockerfile != nullptr) {
    for (const PortBinding& p : dockerfile->exposed) {
      if (const Technology* tech = DataStoreForPort(p.container_port)) return tech;
    }
  }
  return nullptr;
}

std::string Describe(const parse::ComposeService& service, const Technology* tech, const DockerfileFacts* built) {
  std::string what = tech && tech->data_store ? std::string(tech->display) + " " + std::string(tech->what)
                                              : "Compose service";
  if (built != nullptr) return what + " built from " + built->path;
  if (service.image) return what + " (image " + service.image->text + ")";
  return what;
}

// The element for the service: the existing one from an earlier file of
// the project, or a new one.
Element& ElementFor(Context& ctx, const parse::ComposeService& service, const DockerfileFacts* built) {
  const std::string& scope = ctx.input.scope;
  if (const auto* ids = ctx.state.Lookup(scope, service.name); ids != nullptr && !ids->empty()) {
    if (Element* existing = ctx.state.Find(ids->front())) return *existing;
  }
  const Technology* tech = DetectTechnology(service, built);
  bool data_store = tech != nullptr && tech->data_store;
  Element element;
  element.id = std::string(data_store ? "datastore:" : "service:") + ctx.state.QualifiedName(scope, service.name);
  element.kind = data_store ? ElementKind::kDataStore : ElementKind::kService;
  element.name = service.name;
  element.technology = tech ? std::string(tech->id) : "";
  element.description = Describe(service, tech, built);
  element.evidence.push_back(ctx.source().At(service.mark.line, service.name));
  ctx.state.workloads[element.id] = MakeWorkload(scope, true);
  ctx.state.AddName(scope, service.name, element.id);
  return ctx.state.AddElement(std::move(element));
}

void AddEnvironment(Context& ctx, const parse::ComposeService& service, Element& element) {
  if (service.environment) {
    for (const parse::ComposeKeyValue& entry : service.environment->entries) {
      EnvVar var{entry.name, entry.value, false, ctx.source().At(entry.mark.line)};
      ReadEnvironment(ctx.state, element, ctx.input.scope, var);
    }
  }
  if (service.secrets) {
    for (const parse::ComposeValue& secret : service.secrets->items) {
      element.credentials.push_back(CredentialRef{secret.text, false, ctx.source().At(secret.mark.line)});
      element.mounts.push_back(Mount{"secret", secret.text, "/run/secrets/" + secret.text, true, false, false,
                                     ctx.source().At(secret.mark.line)});
    }
  }
  if (service.env_file) {
    ctx.state.assumptions.insert(
        "Variables from env_file files are not read: credentials and service addresses in them are not in "
        "the model.");
  }
}

// depends_on and links say a service talks to another, not how.
void AddDependencies(Context& ctx, const parse::ComposeService& service, const Element& element) {
  auto add = [&](const std::string& target, int line) {
    Reference ref;
    ref.from = element.id;
    ref.scope = ctx.input.scope;
    ref.target = Lower(target);
    ref.weak = true;
    ref.evidence = ctx.source().At(line);
    ctx.state.references.push_back(std::move(ref));
  };
  if (service.depends_on) {
    for (const parse::ComposeValue& dep : service.depends_on->items) add(dep.text, dep.mark.line);
  }
  const parse::YamlNode* links = service.node ? service.node->Find("links") : nullptr;
  if (links != nullptr && links->IsSequence()) {
    for (const parse::YamlNodePtr& link : links->items()) {
      if (link && link->IsScalar()) add(link->text().substr(0, link->text().find(':')), link->mark().line);
    }
  }
}

void AddNetworking(Context& ctx, const parse::ComposeService& service, Element& element) {
  if (service.networks) {
    for (const parse::ComposeValue& network : service.networks->items) AddUnique(element.networks, network.text);
  }
  if (service.network_mode) ctx.state.workloads[element.id].network_mode = service.network_mode->text;
}

void AddService(Context& ctx, const parse::ComposeService& service) {
  const DockerfileFacts* built = BuiltFrom(ctx, service);
  Element& element = ElementFor(ctx, service, built);
  if (service.image && element.image.empty()) element.image = service.image->text;
  ComposeRuntime runtime = ApplyComposePosture(ctx.source(), service, element);
  AddComposePorts(ctx.source(), service, element);
  AddComposeMounts(ctx.source(), service, element);
  AddEnvironment(ctx, service, element);
  AddNetworking(ctx, service, element);
  AddDependencies(ctx, service, element);
  if (built != nullptr) {
    ApplyDockerfileFacts(*built, runtime.user_set, runtime.healthcheck_set, element);
    for (const auto& [registry, evidence] : built->pulls) {
      ctx.state.pulls.push_back({std::string(kDockerEngine), registry, evidence});
    }
  } else if (service.image) {
    std::string registry = RegistryOf(service.image->text);
    // An image that is also built is the build's tag, not something pulled.
    if (!registry.empty() && !service.build) {
      ctx.state.pulls.push_back({std::string(kDockerEngine), registry, ctx.source().At(service.image->key.line)});
    }
  }
  if (built == nullptr && !runtime.user_set && !element.runs_as_root && !element.image.empty()) {
    ctx.state.assumptions.insert(
        "The user of a service that only names an image is the image's default user, which the files do "
        "not show: such services are modelled without a user.");
  }
}

void AddNetworkDefinitions(Context& ctx) {
  auto& networks = ctx.state.compose_networks[ctx.input.scope];
  for (const parse::ComposeResource& network : ctx.input.file.networks) {
    ComposeNetworkDef& def = networks[network.name];
    def.internal = def.internal || network.internal;
    if (def.evidence.path.empty()) def.evidence = ctx.source().At(network.mark.line, network.name);
  }
}

}  // namespace

void AddComposeFile(BuildState& state, const ComposeInput& input, const DockerfileIndex& dockerfiles) {
  Context ctx{state, input, dockerfiles};
  if (input.file.services.empty()) return;
  Evidence where = input.source->At(input.file.services_key.line, "services:");
  if (!state.scope_evidence.count(input.scope)) state.scope_evidence[input.scope] = where;
  if (!state.uses_docker) {
    state.uses_docker = true;
    state.docker_evidence = where;
  }
  AddNetworkDefinitions(ctx);
  for (const parse::ComposeService& service : input.file.services) AddService(ctx, service);
}

}  // namespace bulwark::model::detail
