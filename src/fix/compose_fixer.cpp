// The compose fixer: parses the file (refusing one with duplicate keys, as
// docker compose does), finds which requested finding belongs to which
// service, lets each job queue its edits on one YamlEditor, and checks that
// the edited text still parses to the same services and networks before
// handing the plan back.
// The jobs live in compose_fixer_{privilege,isolation,runtime,network,
// secrets}.cpp; what images need in compose_fixer_profile.cpp.
#include <fstream>
#include <sstream>

#include "fix/compose_fixer_internal.hpp"
#include "fix/yaml_edit.hpp"

namespace bulwark::fix {
namespace {

using compose_fix::FindingKey;
using compose_fix::PlanContext;
using compose_fix::ServiceFix;

const std::set<std::string>& ComposeFixable() {
  static const std::set<std::string> kIds = {
      "BW-CO-001", "BW-CO-002", "BW-CO-003", "BW-CO-004", "BW-CO-005", "BW-CO-006", "BW-CO-007",
      "BW-CO-008", "BW-CO-009", "BW-CO-012", "BW-CO-013", "BW-CO-014", "BW-CO-015", "BW-CO-016",
      "BW-CO-019", "BW-CO-021", "BW-CO-023", "BW-CO-024", "BW-CO-025", "BW-CO-026", "BW-CO-027",
      "BW-CO-028", "BW-CO-030", "BW-CO-032", "BW-CO-033", "BW-CO-034"};
  return kIds;
}

// NAME=value lines of an existing .env (comments, `export` and quotes
// handled as dotenv does for simple lines).
std::map<std::string, std::string> ReadEnvFile(const std::filesystem::path& path) {
  std::map<std::string, std::string> values;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error) ||
      std::filesystem::file_size(path, error) > (size_t{1} << 20)) {
    return values;
  }
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("export ", 0) == 0) line.erase(0, 7);
    const size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[line.substr(0, equals)] = value;
  }
  return values;
}

// The names of each document's services and networks.
std::vector<std::string> Outline(const std::vector<parse::ComposeFile>& documents) {
  std::vector<std::string> out;
  for (const auto& document : documents) {
    out.emplace_back("---");
    for (const auto& service : document.services) out.push_back("s:" + service.name);
    for (const auto& network : document.networks) out.push_back("n:" + network.name);
  }
  return out;
}

void AddSiblingLines(const PlanContext& context, FixPlan& plan) {
  if (context.env_values.empty()) return;
  EnsureLines env{
      std::string(compose_fix::kEnvFile), {}, 0600, std::string(compose_fix::kSecretInEnvironment)};
  for (const auto& [name, value] : context.env_values) env.lines.push_back(name + "=" + value);
  plan.sibling_lines.push_back(std::move(env));
  for (const char* ignore : {".gitignore", ".dockerignore"}) {
    plan.sibling_lines.push_back(EnsureLines{ignore,
                                             {std::string(compose_fix::kEnvFile)},
                                             0644,
                                             std::string(compose_fix::kSecretInEnvironment)});
  }
}

// A key written twice anywhere: docker compose refuses such a file, and
// removing one of the two would bring the other back.
const parse::YamlEntry* DuplicateKey(const parse::YamlNode& node,
                                     std::set<const parse::YamlNode*>& seen, int depth = 0) {
  if (depth > 500 || !seen.insert(&node).second) return nullptr;
  std::set<std::string> keys;
  for (const auto& entry : node.entries()) {
    if (entry.merged) continue;
    if (!keys.insert(entry.key->text()).second) return &entry;
    if (const auto* found = DuplicateKey(*entry.value, seen, depth + 1)) return found;
  }
  for (const auto& item : node.items()) {
    if (const auto* found = DuplicateKey(*item, seen, depth + 1)) return found;
  }
  return nullptr;
}

void FixService(PlanContext& context, const parse::ComposeFile& file,
                const parse::ComposeService& service, const std::set<FindingKey>& requested) {
  compose_fix::WantedFindings wanted = compose_fix::ServiceFindings(file, service, requested);
  if (wanted.empty() || service.node == nullptr || !service.node->IsMap()) return;
  const parse::YamlNode* services = file.root->Find("services");
  const parse::YamlEntry* entry = services != nullptr ? services->FindEntry(service.name) : nullptr;
  if (entry == nullptr || entry->merged || !context.editor->IsWrittenAt(*services, *entry)) {
    context.plan->notes.push_back(
        {wanted.begin()->first, service.mark.line,
         "service '" + parse::Printable(service.name, 60) +
             "': not fixed: it is an alias of another service's definition; fix that one"});
    return;
  }
  if (core::Status editable = context.editor->Editable(*service.node); !editable.ok()) {
    context.plan->notes.push_back(
        {wanted.begin()->first, service.mark.line,
         "service '" + parse::Printable(service.name, 60) + "': not fixed: " + editable.message()});
    return;
  }
  ServiceFix fix(context, file, service, std::move(wanted));
  compose_fix::FixIsolation(fix);
  compose_fix::FixPrivileges(fix);
  compose_fix::FixResources(fix);
  compose_fix::FixRuntimeHygiene(fix);
  compose_fix::FixPorts(fix);
  compose_fix::FixSecrets(fix);
  fix.Flush();
}

class ComposeFixer final : public Fixer {
 public:
  std::set<std::string> FixableChecks() const override { return ComposeFixable(); }

  core::Result<FixPlan> Plan(const FixRequest& request) const override {
    ASSIGN_OR_RETURN(std::vector<parse::ComposeFile> documents,
                     parse::ParseComposeStream(request.text));
    std::set<const parse::YamlNode*> seen;
    for (const auto& document : documents) {
      const parse::YamlEntry* duplicate =
          document.root != nullptr ? DuplicateKey(*document.root, seen) : nullptr;
      if (duplicate == nullptr) continue;
      const parse::YamlMark mark = duplicate->key->mark();
      return core::Error(core::ErrorCode::kParseError,
                         std::to_string(mark.line) + ":" + std::to_string(mark.column) +
                             ": duplicate key '" + parse::Printable(duplicate->key->text(), 60) +
                             "' (docker compose refuses the file); not changed");
    }
    std::set<FindingKey> requested;
    for (const core::Finding& finding : request.findings) {
      if (ComposeFixable().count(finding.id) == 0) continue;
      requested.emplace(finding.id, finding.location.line, finding.location.column);
    }
    FixPlan plan;
    if (requested.empty()) return plan;

    std::vector<parse::YamlNodePtr> roots;
    for (const auto& document : documents) roots.push_back(document.root);
    YamlEditor editor(request.text, roots);
    const FixOptions defaults;
    PlanContext context;
    context.request = &request;
    context.options = request.options != nullptr ? request.options : &defaults;
    context.dir = request.path.parent_path();
    context.editor = &editor;
    context.plan = &plan;
    context.existing_env = ReadEnvFile(context.dir / compose_fix::kEnvFile);

    for (const auto& document : documents) {
      if (document.root == nullptr || !document.root->IsMap()) continue;
      for (const auto& service : document.services)
        FixService(context, document, service, requested);
      compose_fix::FixBackendNetworks(context, document,
                                      compose_fix::NetworkFindings(document, requested));
    }
    ASSIGN_OR_RETURN(plan.edits, editor.TakeEdits());
    AddSiblingLines(context, plan);

    // Never hand back text that no longer parses, or that a parser reads as
    // other services or networks: that would be a bug here.
    ASSIGN_OR_RETURN(std::string after, ApplyEdits(request.text, plan.edits));
    auto reparsed = parse::ParseComposeStream(after);
    if (!reparsed.ok() || Outline(*reparsed) != Outline(documents)) {
      return core::Error(core::ErrorCode::kInternal,
                         "bulwark bug: the fixed compose file would " +
                             (reparsed.ok() ? std::string("change its services or networks")
                                            : "not parse (" + reparsed.status().message() + ")") +
                             "; nothing changed");
    }
    return plan;
  }
};

}  // namespace

std::unique_ptr<Fixer> MakeComposeFixer() { return std::make_unique<ComposeFixer>(); }

}  // namespace bulwark::fix
