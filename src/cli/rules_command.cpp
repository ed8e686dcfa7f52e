// `bulwark rules`: the Falco-syntax rule files of `bulwark watch`.
//   rules validate FILE...   like `falco -V`: every diagnostic as
//                            file:line:col, then one verdict per file;
//                            exit 0 valid, 1 errors, 3 unreadable file.
//   rules list [-r FILE]...  name, priority, enabled, event types, tags and
//                            source of every rule (the shipped defaults
//                            unless --no-default-rules), as a table or JSON.
// Steps: read the files (bounded), load them in order into one engine,
// render.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "runtime/rules/engine.hpp"
#include "runtime/watch/default_rules.hpp"

namespace bulwark::cli {
namespace {

using runtime::rules::DiagSeverity;
using runtime::rules::Engine;
using runtime::rules::LoadResult;
using runtime::rules::RuleSource;
using runtime::rules::RuleSummary;

// The shipped defaults (compiled in) when `with_defaults`, then `files`
// in order; on failure prints why and returns false.
bool CollectSources(bool with_defaults, const std::vector<std::string>& files,
                    std::vector<RuleSource>& out) {
  auto sources = runtime::watch::CollectRuleSources(with_defaults, files);
  if (!sources.ok()) {
    std::fprintf(stderr, "bulwark rules: %s\n", sources.status().message().c_str());
    return false;
  }
  out = std::move(sources).value();
  return true;
}

// Terminal-safe text of an untrusted string.
std::string Safe(const std::string& s) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

nlohmann::json DiagnosticJson(const runtime::rules::Diagnostic& d) {
  return {{"severity", d.severity == DiagSeverity::kError ? "error" : "warning"},
          {"code", d.code},
          {"path", d.file},
          {"line", d.line},
          {"column", d.column},
          {"item_kind", d.item_kind},
          {"item_name", d.item_name},
          {"message", d.message}};
}

int RunValidate(const std::vector<std::string>& files, const std::string& format) {
  if (format != "text" && format != "json") {
    std::fprintf(stderr, "bulwark rules validate: unknown format '%s' (use text or json)\n", format.c_str());
    return kExitUsage;
  }
  std::vector<RuleSource> sources;
  if (!CollectSources(false, files, sources)) return kExitUnreadable;
  LoadResult result;
  auto engine = Engine::Load(sources, result);
  std::map<std::string, std::pair<size_t, size_t>> per_file;  // errors, warnings
  for (const auto& d : result.diagnostics) {
    auto& counts = per_file[d.file];
    (d.severity == DiagSeverity::kError ? counts.first : counts.second)++;
  }
  std::map<std::string, size_t> rules_per_file;
  for (const auto& r : engine->Rules()) ++rules_per_file[r.file];
  if (format == "json") {
    nlohmann::json j;
    j["valid"] = result.ok();
    j["errors"] = result.ErrorCount();
    j["warnings"] = result.WarningCount();
    j["files"] = nlohmann::json::array();
    for (const auto& f : files) {
      j["files"].push_back({{"path", f}, {"rules", rules_per_file[f]}, {"errors", per_file[f].first},
                            {"warnings", per_file[f].second}});
    }
    j["diagnostics"] = nlohmann::json::array();
    for (const auto& d : result.diagnostics) j["diagnostics"].push_back(DiagnosticJson(d));
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& d : result.diagnostics) std::printf("%s\n", runtime::rules::FormatDiagnostic(d).c_str());
    for (const auto& f : files) {
      auto [errors, warnings] = per_file[f];
      std::printf("%s: %s (%zu rules, %zu errors, %zu warnings)\n", Safe(f).c_str(), errors == 0 ? "Ok" : "Invalid",
                  rules_per_file[f], errors, warnings);
    }
  }
  return result.ok() ? 0 : 1;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> TypeNames(const RuleSummary& r) {
  std::vector<std::string> out;
  for (auto t : r.event_types) out.emplace_back(runtime::EventTypeName(t));
  return out;
}

std::string Fit(std::string s, size_t width) {
  s = Safe(s);
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

void PrintTable(const std::vector<RuleSummary>& rules) {
  size_t name_w = 4;
  for (const auto& r : rules) name_w = std::max(name_w, std::min<size_t>(Safe(r.name).size(), 60));
  std::printf("%-*s  %-13s  %-8s  %-32s  %-40s  %s\n", static_cast<int>(name_w), "NAME", "PRIORITY", "ENABLED",
              "EVENT TYPES", "TAGS", "SOURCE");
  for (const auto& r : rules) {
    std::string types = r.compiled ? Join(TypeNames(r), ",") : "(not compiled)";
    if (r.compiled && r.event_types.size() == runtime::kEventTypeCount - 1) types = "(all)";
    std::string enabled = r.enabled ? "yes" : "no";
    std::string where = Safe(r.file) + ":" + std::to_string(r.line);
    std::printf("%-*s  %-13s  %-8s  %-32s  %-40s  %s\n", static_cast<int>(name_w), Fit(r.name, name_w).c_str(),
                std::string(runtime::PriorityName(r.priority)).c_str(), enabled.c_str(), Fit(types, 32).c_str(),
                Fit(Join(r.tags, ","), 40).c_str(), where.c_str());
  }
}

void PrintJson(const std::vector<RuleSummary>& rules) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : rules) {
    j.push_back({{"name", r.name},
                 {"desc", r.desc},
                 {"priority", runtime::PriorityName(r.priority)},
                 {"enabled", r.enabled},
                 {"compiled", r.compiled},
                 {"source", r.source},
                 {"event_types", TypeNames(r)},
                 {"tags", r.tags},
                 {"file", r.file},
                 {"line", r.line}});
  }
  std::printf("%s\n", j.dump(2).c_str());
}

int RunList(const std::vector<std::string>& files, bool no_defaults, const std::string& format) {
  if (format != "table" && format != "json") {
    std::fprintf(stderr, "bulwark rules list: unknown format '%s' (use table or json)\n", format.c_str());
    return kExitUsage;
  }
  std::vector<RuleSource> sources;
  if (!CollectSources(!no_defaults, files, sources)) return kExitUnreadable;
  if (sources.empty()) {
    std::fprintf(stderr, "bulwark rules list: no rules to list: give -r FILE or drop --no-default-rules\n");
    return kExitUsage;
  }
  LoadResult result;
  auto engine = Engine::Load(sources, result);
  for (const auto& d : result.diagnostics) {
    if (d.severity == DiagSeverity::kError) std::fprintf(stderr, "%s\n", runtime::rules::FormatDiagnostic(d).c_str());
  }
  auto rules = engine->Rules();
  if (format == "json") {
    PrintJson(rules);
  } else {
    PrintTable(rules);
  }
  return result.ok() ? 0 : 1;
}

struct RulesFlags {
  std::vector<std::string> validate_files;
  std::string validate_format = "text";
  std::vector<std::string> list_files;
  bool no_defaults = false;
  std::string list_format = "table";
};

}  // namespace

void AddRulesCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<RulesFlags>();
  CLI::App* cmd = app.add_subcommand("rules", "Validate and list the Falco-syntax rules of `bulwark watch`");
  cmd->require_subcommand(1);
  CLI::App* validate =
      cmd->add_subcommand("validate", "Check rule files (like falco -V): diagnostics as file:line:col; exit 1 on errors");
  validate->add_option("FILE", flags->validate_files, "Rule files, loaded in order (later ones append/override)")
      ->required();
  validate->add_option("-f,--format", flags->validate_format, "text (default) or json");
  validate->callback([flags, &run] {
    run = [flags] { return RunValidate(flags->validate_files, flags->validate_format); };
  });
  CLI::App* list = cmd->add_subcommand("list", "List rules: name, priority, enabled, event types, tags, source");
  list->add_option("-r,--rules", flags->list_files, "Rule file to load after the defaults (repeatable)");
  list->add_flag("--no-default-rules", flags->no_defaults, "Do not load the shipped default rules");
  list->add_option("-f,--format", flags->list_format, "table (default) or json");
  list->callback([flags, &run] {
    run = [flags] { return RunList(flags->list_files, flags->no_defaults, flags->list_format); };
  });
}

}  // namespace bulwark::cli
