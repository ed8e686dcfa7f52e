#include "cli/model_steps.hpp"

#include <fmt/format.h>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "core/escape.hpp"
#include "fix/atomic_write.hpp"
#include "model/build_model.hpp"
#include "model/derive_threats.hpp"
#include "report/results_dir.hpp"

namespace bulwark::cli {
namespace {

// The audit of the modelled files: its findings are what turns a potential
// threat into a confirmed one.
core::Result<std::vector<core::Finding>> AuditFindings(const std::string& path) {
  core::CheckRegistry registry;
  RETURN_IF_ERROR(audit::RegisterAllChecks(registry));
  ASSIGN_OR_RETURN(audit::CheckSuiteFactory factory, audit::MakeDefaultCheckSuiteFactory());
  audit::AuditOptions options;
  options.root = path;
  // The service's own accepted risks stay accepted in its threat model.
  auto ignore = core::IgnoreFile::Load(std::filesystem::path(path) / ".bulwarkignore");
  if (ignore.ok()) options.ignore_file = std::move(ignore).value();
  ASSIGN_OR_RETURN(audit::AuditOutcome outcome, audit::RunAuditParallel(options, registry, factory,
                                                                        audit::DefaultJobs()));
  return std::move(outcome.report.findings);
}

// Findings of a JSON report (bulwark, Trivy, Grype). Image vulnerabilities
// name the image as their subject, so they attach to the service that runs it.
core::Result<std::vector<core::Finding>> ReportFindings(const std::string& file) {
  ASSIGN_OR_RETURN(std::string text, fix::ReadRegularFile(file, report::kMaxResultFileBytes));
  ASSIGN_OR_RETURN(report::LoadedResult loaded, report::ImportResultJson(text, file));
  std::vector<core::Finding> findings = std::move(loaded.report.findings);
  if (loaded.kind == report::ResultKind::kScan) {
    for (core::Finding& f : findings) {
      if (f.subject.kind.empty()) f.subject = core::Subject{"image", loaded.report.target, ""};
    }
  }
  return findings;
}

}  // namespace

core::Result<model::ThreatModel> BuildThreatModel(const std::string& path, const ModelInputs& inputs,
                                                  const model::ReferenceCatalog& catalog) {
  model::BuildOptions options;
  options.root = path;
  options.display_root = path;
  ASSIGN_OR_RETURN(model::SystemModel system, model::BuildSystemModel(options));
  std::vector<core::Finding> findings;
  if (inputs.audit) {
    ASSIGN_OR_RETURN(findings, AuditFindings(path));
  }
  for (const std::string& file : inputs.finding_files) {
    auto extra = ReportFindings(file);
    if (!extra.ok()) return core::Error(extra.status().code(), "--findings " + file + ": " + extra.status().message());
    for (core::Finding& f : *extra) findings.push_back(std::move(f));
  }
  return model::DeriveThreats(std::move(system), findings, catalog);
}

void SaveModelResult(const ResultsFlags& flags, const std::string& target, const std::string& model_json,
                     const std::string& baseline) {
  SaveRunResult(flags, report::RunInfo{"model", target, "", baseline}, model_json);
}

std::string RenderThreatRulesTable(const std::vector<model::ThreatRuleInfo>& rules) {
  std::string out = fmt::format("{:<11} {:<24} {:<10} {}\n", "ID", "STRIDE", "TARGET", "TITLE");
  for (const model::ThreatRuleInfo& rule : rules) {
    out += fmt::format("{:<11} {:<24} {:<10} {}\n", rule.id, model::StrideName(rule.stride), rule.targets, rule.title);
  }
  out += fmt::format("{} rules\n", rules.size());
  return out;
}

std::string FormatDiagnostic(const core::Diagnostic& diagnostic) {
  std::string out = diagnostic.location.path;
  if (diagnostic.location.line > 0) out += ":" + std::to_string(diagnostic.location.line);
  if (diagnostic.location.column > 0) out += ":" + std::to_string(diagnostic.location.column);
  // Paths and messages come from the user's files: no terminal escapes.
  return core::EscapeTerminal((out.empty() ? "" : out + ": ") + diagnostic.message);
}

}  // namespace bulwark::cli
