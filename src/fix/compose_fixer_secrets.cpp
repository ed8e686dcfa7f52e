// Secrets written into `environment` move to an .env file beside the compose
// file (created 0600, listed in .gitignore and .dockerignore) that the
// service reads with `env_file`. A value goes only when an env file gives it
// back unchanged (docker compose v1 and v2 read env files differently for
// quotes, spaces, `$`, `#` and backslashes), and never to a name the .env
// already holds with another value. Secrets never appear in notes.
#include <cctype>

#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

bool SafeInEnvFile(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || std::string_view(" '\"`$\\#").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool SafeName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

// Whether NAME can go to the .env with this value: free, or already there
// with the same value.
bool ClaimName(PlanContext& context, const std::string& name, const std::string& value) {
  for (const auto* taken : {&context.existing_env, &context.env_values}) {
    auto found = taken->find(name);
    if (found != taken->end() && found->second != value) return false;
  }
  context.env_values[name] = value;
  return true;
}

}  // namespace

void FixSecrets(ServiceFix& fix) {
  if (!fix.Wants(kSecretInEnvironment) || !fix.service().environment) return;
  const parse::YamlEntry* entry = fix.node().FindEntry("environment");
  if (entry == nullptr || entry->merged || !fix.editor().IsWrittenAt(fix.node(), *entry)) {
    fix.Note(kSecretInEnvironment,
             "not fixed: its environment comes from a YAML anchor; move the secrets there");
    return;
  }
  const parse::YamlNode& environment = *entry->value;
  std::vector<std::string> moved;
  std::vector<size_t> indexes;  // of the moved entries / items
  for (const auto& variable : fix.service().environment->entries) {
    if (!fix.WantsAt(kSecretInEnvironment, variable.mark) || !variable.value) continue;
    const std::string name = parse::Printable(variable.name, 60);
    if (!SafeName(variable.name) || !SafeInEnvFile(*variable.value)) {
      fix.Note(kSecretInEnvironment, "not moved: " + name +
                                         " has characters an env file would read differently; "
                                         "move it by hand");
      continue;
    }
    std::optional<size_t> index;
    if (environment.IsMap()) {
      const auto& entries = environment.entries();
      for (size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].merged && entries[i].key->mark() == variable.mark) index = i;
      }
    } else {
      index = fix.ItemIndex("environment", variable.mark);
    }
    if (!index) continue;
    if (!ClaimName(fix.context(), variable.name, *variable.value)) {
      fix.Note(kSecretInEnvironment, "not moved: " + name +
                                         " is already in .env with another value; move it by "
                                         "hand under another name");
      continue;
    }
    moved.push_back(name);
    indexes.push_back(*index);
  }
  if (moved.empty()) return;

  const size_t total =
      environment.IsMap() ? environment.entries().size() : environment.items().size();
  if (indexes.size() == total) {
    fix.RemoveKey("environment", kSecretInEnvironment);
  } else {
    for (size_t index : indexes) {
      fix.Check(environment.IsMap()
                    ? fix.editor().RemoveEntry(environment, environment.entries()[index],
                                               kSecretInEnvironment)
                    : fix.editor().RemoveItem(environment, index, kSecretInEnvironment),
                kSecretInEnvironment, "environment");
    }
  }
  bool listed = false;
  for (const auto& file : fix.ListItems("env_file")) listed |= file == kEnvFile || file == "./.env";
  if (!listed) fix.List("env_file").Append(std::string(kEnvFile), kSecretInEnvironment);
  fix.Fixed(kSecretInEnvironment);
  std::string names;
  for (const auto& name : moved) names += (names.empty() ? "" : ", ") + name;
  fix.Note(kSecretInEnvironment, "moved " + names +
                                     " to .env (mode 0600, in .gitignore and .dockerignore), read "
                                     "with env_file");
}

}  // namespace bulwark::fix::compose_fix
