// The steps of `bulwark model`, each a function returning a result: build
// the system model of a directory, audit it, gather extra findings, derive
// the threats; keep the result for `bulwark report`.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/status.hpp"
#include "model/reference_catalog.hpp"
#include "model/threat.hpp"
#include "model/threat_rules.hpp"
#include "cli/results_flags.hpp"

namespace bulwark::cli {

struct ModelInputs {
  std::vector<std::string> finding_files;  // JSON reports whose findings attach
  bool audit = true;                       // audit the modelled files too
};

// Builds the system model of `path`, audits the same files (unless
// inputs.audit is false), reads the extra reports and derives the threats.
core::Result<model::ThreatModel> BuildThreatModel(const std::string& path, const ModelInputs& inputs,
                                                  const model::ReferenceCatalog& catalog);

// Keeps the model's JSON (threat_model.json) in the results directory;
// `baseline` names the model this one is compared with ("" when none).
void SaveModelResult(const ResultsFlags& flags, const std::string& target, const std::string& model_json,
                     const std::string& baseline);

// `bulwark model --list-rules`: one line per rule.
std::string RenderThreatRulesTable(const std::vector<model::ThreatRuleInfo>& rules);

// "path:line:col: message" (the parts that are known).
std::string FormatDiagnostic(const core::Diagnostic& diagnostic);

}  // namespace bulwark::cli
