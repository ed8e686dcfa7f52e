// The sections of threat_model.md, one function each, spread over
// render_markdown*.cpp so each file keeps one job. Internal to
// bulwark_model; every function appends to `out` and escapes what it takes
// from the model.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/reference_catalog.hpp"
#include "model/render_model.hpp"
#include "model/threat.hpp"

namespace bulwark::model::render {

struct MarkdownContext {
  const ThreatModel& model;
  const ReferenceCatalog& catalog;
  const RenderOptions& options;
  std::string& out;
};

// render_markdown.cpp
void SystemDescriptionSection(const MarkdownContext& md);
void AssetsSection(const MarkdownContext& md);
void BoundariesSection(const MarkdownContext& md);
void DiagramSection(const MarkdownContext& md);
// render_mermaid.cpp: the ```mermaid block of the data flow diagram.
std::string MermaidFlowchart(const SystemModel& system);
// render_markdown_threats.cpp
void StridePerElementSection(const MarkdownContext& md);
void CrossingFlowsSection(const MarkdownContext& md);
void AttackSection(const MarkdownContext& md);
void ControlsSection(const MarkdownContext& md);
// render_markdown_residual.cpp
void ResidualRiskSection(const MarkdownContext& md);
void AssumptionsSection(const MarkdownContext& md);
void BeforeAfterSection(const MarkdownContext& md);

// Small shared pieces.
// Joins already-escaped cells with `separator`, keeping at most `max` and
// saying how many more there were.
std::string JoinLimited(const std::vector<std::string>& items, std::string_view separator, size_t max);
// "T1611 Escape to Host" (or the ID alone without reference data).
std::string TechniqueText(const ReferenceCatalog& catalog, std::string_view id);
// "AC-6 Least Privilege" (catalog title, else the model's, else the ID alone).
std::string ControlText(const ThreatModel& model, const ReferenceCatalog& catalog, std::string_view id);
// One table row of a threat: STRIDE | threat | risk | status | evidence.
std::string ThreatRow(const Threat& threat);
inline constexpr std::string_view kThreatTableHeader =
    "| STRIDE | Threat | Risk | Status | Why (evidence) |\n|---|---|---|---|---|\n";

}  // namespace bulwark::model::render
