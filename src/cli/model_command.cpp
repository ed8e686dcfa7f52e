// `bulwark model PATH`: the threat model of the system PATH defines —
// build the system model, audit the same files, attach findings (and any
// scan or audit reports given with --findings), derive STRIDE threats, then
// render threat_model.md / .json and the architecture diagram. With
// --before OLD the original system is modelled too and drawn beside it.
#include <cstdio>
#include <memory>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "cli/commands.hpp"
#include "cli/model_steps.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "fix/atomic_write.hpp"
#include "model/derive_threats.hpp"
#include "model/render_model.hpp"

namespace bulwark::cli {
namespace {

struct ModelFlags {
  std::string path = ".";
  std::string before;
  std::string output_dir;
  std::string format = "markdown";
  std::vector<std::string> findings;  // extra JSON reports whose findings attach
  bool no_audit = false;
  bool list_rules = false;
  bool quiet = false;
  std::string reference_data;  // a directory with the three catalog JSON files
  ResultsFlags results;
};

// The catalog compiled in, or the one in --reference-data DIR (a newer
// ATT&CK release, or a test's fixture).
core::Result<model::ReferenceCatalog> LoadCatalog(const std::string& dir) {
  if (dir.empty()) return model::CompiledReferenceCatalog();
  std::string texts[3];
  const char* names[3] = {"attack-containers.json", "nist-800-53-container-controls.json",
                          "attack-containers-to-nist-800-53-r5.json"};
  for (int i = 0; i < 3; ++i) {
    auto text = fix::ReadRegularFile(std::filesystem::path(dir) / names[i], size_t{16} << 20);
    if (!text.ok()) return core::Error(text.status().code(), "--reference-data: " + text.status().message());
    texts[i] = std::move(text).value();
  }
  return model::ReferenceCatalog::FromJson(texts[0], texts[1], texts[2]);
}

int ListRules() {
  std::string text = RenderThreatRulesTable(model::ThreatRules());
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

core::Status WriteDeliverables(const std::filesystem::path& dir, const model::ThreatModel& after,
                               const model::RenderOptions& options, const model::ReferenceCatalog& catalog,
                               const std::string& json, bool quiet) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Error(core::ErrorCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  std::string dot = model::RenderDiagramDot(after, options);
  ASSIGN_OR_RETURN(std::vector<std::string> drawings, model::RenderGraphvizFormats(dot, {"svg", "png"}));
  const std::pair<const char*, std::string> files[] = {
      {"threat_model.md", model::RenderThreatModelMarkdown(after, catalog, options)},
      {"threat_model.json", json},
      {"architecture_diagram.dot", dot},
      {"architecture_diagram.svg", drawings[0]},
      {"architecture_diagram.png", drawings[1]},
  };
  for (const auto& [name, content] : files) {
    RETURN_IF_ERROR(fix::AtomicWriteFile(dir / name, content));
  }
  if (!quiet) {
    std::fprintf(stderr, "bulwark model: wrote threat_model.md, threat_model.json, architecture_diagram.{svg,png,dot} to %s\n",
                 dir.string().c_str());
  }
  return core::Status();
}

int RunModelCommand(const ModelFlags& flags) {
  if (flags.list_rules) return ListRules();
  if (flags.format != "markdown" && flags.format != "md" && flags.format != "json") {
    std::fprintf(stderr, "bulwark model: unknown format '%s' (use markdown or json)\n", flags.format.c_str());
    return kExitUsage;
  }
  auto loaded = LoadCatalog(flags.reference_data);
  if (!loaded.ok()) {
    std::fprintf(stderr, "bulwark model: %s\n", loaded.status().message().c_str());
    return kExitUnreadable;
  }
  const model::ReferenceCatalog& catalog = *loaded;
  ModelInputs inputs{flags.findings, !flags.no_audit};
  auto after = BuildThreatModel(flags.path, inputs, catalog);
  if (!after.ok()) {
    std::fprintf(stderr, "bulwark model: %s\n", after.status().message().c_str());
    return after.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage : kExitUnreadable;
  }
  std::optional<model::ThreatModel> before;
  if (!flags.before.empty()) {
    auto built = BuildThreatModel(flags.before, inputs, catalog);
    if (!built.ok()) {
      std::fprintf(stderr, "bulwark model: --before: %s\n", built.status().message().c_str());
      return kExitUnreadable;
    }
    before = std::move(built).value();
  }
  model::RenderOptions options;
  if (before) options.before = &*before;
  if (!flags.quiet && !catalog.available()) {
    std::fprintf(stderr, "bulwark model: note: built without the ATT&CK/NIST reference data; techniques and "
                         "controls are shown by ID only (docs/threat-model.md)\n");
  }
  for (const core::Diagnostic& d : after->system.diagnostics) {
    if (!flags.quiet) std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
  }
  // One rendering of the model's JSON serves the results directory, the
  // deliverable and stdout.
  std::string json = model::RenderThreatModelJson(*after, catalog, options);
  if (before && ResultsDir(flags.results)) SaveModelResult(flags.results, flags.before, model::RenderThreatModelJson(*before, catalog), "");
  SaveModelResult(flags.results, flags.path, json, flags.before);
  if (!flags.output_dir.empty()) {
    if (auto st = WriteDeliverables(flags.output_dir, *after, options, catalog, json, flags.quiet); !st.ok()) {
      std::fprintf(stderr, "bulwark model: %s\n", st.message().c_str());
      return kExitUnreadable;
    }
    return 0;
  }
  std::string text = flags.format == "json" ? json : model::RenderThreatModelMarkdown(*after, catalog, options);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

void AddModelCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<ModelFlags>();
  CLI::App* cmd = app.add_subcommand(
      "model",
      "Threat-model the system PATH defines (compose, Kubernetes, Dockerfiles, bulwark-model.yaml): STRIDE, "
      "MITRE ATT&CK for Containers, NIST 800-53, architecture diagram");
  cmd->add_option("PATH", flags->path, "Directory (or file) that defines the system (default .)");
  cmd->add_option("--output-dir,-O", flags->output_dir,
                  "Write threat_model.md, threat_model.json and architecture_diagram.{svg,png,dot} to DIR");
  cmd->add_option("--before", flags->before,
                  "The original system (e.g. before hardening): compared in the model, drawn beside it");
  cmd->add_option("-f,--format", flags->format, "Without --output-dir: markdown (default) or json on stdout");
  cmd->add_option("--findings", flags->findings,
                  "A JSON report (bulwark scan/audit, Trivy, Grype) whose findings attach to threats (repeatable)");
  cmd->add_flag("--no-audit", flags->no_audit, "Do not audit PATH's files (threats stay potential)");
  cmd->add_flag("--list-rules", flags->list_rules, "List the threat rules and exit");
  cmd->add_option("--reference-data", flags->reference_data,
                  "Read the ATT&CK / NIST catalog from DIR instead of the one built in (docs/threat-model.md)");
  cmd->add_flag("-q,--quiet", flags->quiet, "No notes on stderr");
  AddResultsFlags(*cmd, flags->results);
  cmd->callback([flags, &run] { run = [flags] { return RunModelCommand(*flags); }; });
}

}  // namespace bulwark::cli
