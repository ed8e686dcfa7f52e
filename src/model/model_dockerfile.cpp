// What a Dockerfile says about the container it builds: the final stage's
// user, exposed ports and healthcheck (inherited through `FROM <stage>`),
// its base image, and the images the build pulls.
#include <cctype>

#include "model/datastore_catalog.hpp"
#include "model/model_derive.hpp"
#include "parse/dockerfile_image.hpp"

namespace bulwark::model::detail {
namespace {

// The stages the final image is made of, final first (FROM <stage> chains).
std::vector<const parse::Stage*> FinalChain(const parse::Dockerfile& dockerfile) {
  std::vector<const parse::Stage*> chain;
  const parse::Stage* stage = dockerfile.FinalStage();
  while (stage != nullptr && chain.size() < dockerfile.stages.size()) {
    chain.push_back(stage);
    int parent = stage->parent_stage;
    stage = parent >= 0 && static_cast<size_t>(parent) < dockerfile.stages.size() ? &dockerfile.stages[parent]
                                                                                  : nullptr;
  }
  return chain;
}

void ReadInstruction(const SourceText& source, const parse::Instruction& ins, DockerfileFacts& facts) {
  if (ins.keyword == "USER" && !facts.user) {
    facts.user = Trim(ins.args_text);
    facts.user_evidence = source.At(ins.start_line);
  } else if (ins.keyword == "HEALTHCHECK" && !facts.healthcheck) {
    bool none = !ins.args.empty() && Lower(ins.args.front().value) == "none";
    facts.healthcheck = !none;
    facts.healthcheck_evidence = source.At(ins.start_line);
  } else if (ins.keyword == "EXPOSE") {
    for (const parse::Word& word : ins.args) {
      PortBinding port;
      port.container_port = LeadingPort(word.value);
      if (port.container_port == 0) continue;
      if (size_t slash = word.value.find('/'); slash != std::string::npos) {
        port.protocol = Lower(word.value.substr(slash + 1));
      }
      port.evidence = source.At(ins.start_line);
      facts.exposed.push_back(std::move(port));
    }
  }
}

void ReadPulls(const SourceText& source, const parse::Dockerfile& dockerfile, DockerfileFacts& facts) {
  for (const parse::Stage& stage : dockerfile.stages) {
    if (!stage.image || stage.scratch || !stage.base_resolved) continue;
    facts.pulls.emplace_back(RegistryOf(stage.image->ToString()), source.At(stage.line));
  }
  for (const parse::Instruction& ins : dockerfile.instructions) {
    if (ins.keyword != "COPY") continue;
    const parse::Flag* from = ins.FindFlag("from");
    if (from == nullptr || dockerfile.FindStage(from->value) >= 0 || parse::HasVariable(from->value)) continue;
    std::string registry = RegistryOf(from->value);
    if (!registry.empty()) facts.pulls.emplace_back(registry, source.At(ins.start_line));
  }
}

}  // namespace

std::optional<bool> UserIsRoot(std::string_view user) {
  std::string name = Trim(user.substr(0, user.find(':')));
  if (name.empty() || name.find('$') != std::string::npos) return std::nullopt;
  return name == "root" || name == "0";
}

bool ImagePinned(std::string_view image) {
  std::string text(image);
  if (parse::HasInterpolation(text)) text = parse::InterpolationDefault(text).value_or("");
  auto ref = parse::ParseImageRef(text);
  if (!ref) return false;
  return !ref->digest.empty() || (!ref->tag.empty() && ref->tag != "latest");
}

std::string RegistryOf(std::string_view image) {
  std::string text(image);
  if (parse::HasInterpolation(text)) text = parse::InterpolationDefault(text).value_or("");
  auto ref = parse::ParseImageRef(text);
  if (!ref) return "";
  return ref->registry.empty() ? "docker.io" : Lower(ref->registry);
}

DockerfileFacts ReadDockerfileFacts(const SourceText& source, const parse::Dockerfile& dockerfile) {
  DockerfileFacts facts;
  facts.path = source.path();
  facts.user_evidence = source.At(0, "no USER instruction: the container runs as root");
  std::vector<const parse::Stage*> chain = FinalChain(dockerfile);
  for (const parse::Stage* stage : chain) {
    // Later instructions win: read each stage backwards, the final stage first.
    for (size_t i = stage->end_index; i > stage->from_index && i <= dockerfile.instructions.size(); --i) {
      ReadInstruction(source, dockerfile.instructions[i - 1], facts);
    }
  }
  if (!chain.empty() && chain.back()->image && !chain.back()->scratch) {
    facts.base_image = chain.back()->image->ToString();
    facts.base_evidence = source.At(chain.back()->line);
  }
  ReadPulls(source, dockerfile, facts);
  return facts;
}

void ApplyDockerfileFacts(const DockerfileFacts& facts, bool user_set, bool healthcheck_set, Element& element) {
  element.dockerfile = facts.path;
  if (!user_set) {
    element.user = facts.user.value_or("");
    element.runs_as_root = facts.user ? UserIsRoot(*facts.user) : std::optional<bool>(true);
    AddEvidence(element.evidence, facts.user_evidence);
  }
  for (const PortBinding& exposed : facts.exposed) {
    bool known = false;
    for (const PortBinding& p : element.ports) known = known || p.container_port == exposed.container_port;
    if (!known) element.ports.push_back(exposed);
  }
  if (!healthcheck_set && facts.healthcheck) {
    element.healthcheck = *facts.healthcheck;
    AddEvidence(element.evidence, facts.healthcheck_evidence);
  }
  if (element.technology.empty() && !facts.base_image.empty()) {
    if (const Technology* tech = TechnologyForImage(facts.base_image)) element.technology = tech->id;
  }
  if (element.image.empty()) element.image_pinned = ImagePinned(facts.base_image);
}

void AddStandaloneDockerfile(BuildState& state, const DockerfileFacts& facts, const std::string& name) {
  const std::string scope = "docker";
  const Technology* tech = TechnologyForImage(facts.base_image);
  if (tech == nullptr && !facts.exposed.empty()) tech = DataStoreForPort(facts.exposed.front().container_port);
  bool data_store = tech != nullptr && tech->data_store;
  Element element;
  element.id = std::string(data_store ? "datastore:" : "service:") + state.QualifiedName(scope, name);
  if (state.Find(element.id) != nullptr) return;
  element.kind = data_store ? ElementKind::kDataStore : ElementKind::kService;
  element.name = name;
  element.technology = tech ? std::string(tech->id) : "";
  element.description = "Container built from " + facts.path;
  element.evidence.push_back(facts.base_evidence.path.empty() ? Evidence{facts.path, 0, "Dockerfile"}
                                                              : facts.base_evidence);
  ApplyDockerfileFacts(facts, false, false, element);
  state.workloads[element.id] = MakeWorkload(scope, false);
  state.AddName(scope, name, element.id);
  for (const auto& [registry, evidence] : facts.pulls) {
    state.pulls.push_back({std::string(kDockerEngine), registry, evidence});
  }
  if (!state.uses_docker) {
    state.uses_docker = true;
    state.docker_evidence = element.evidence.front();
  }
  state.AddElement(std::move(element));
}

}  // namespace bulwark::model::detail
