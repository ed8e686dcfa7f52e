// Renderers for a Report: JSON (CLI.md shape), SARIF 2.1.0, Markdown and a
// terminal table. Pure functions of their inputs; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/check_registry.hpp"
#include "core/report.hpp"

namespace bulwark::core {

enum class ReportFormat { kTable, kJson, kSarif, kMarkdown };

std::optional<ReportFormat> ParseReportFormat(std::string_view name);

struct TableOptions {
  bool color = false;
  bool quiet = false;  // no summary banner, findings only
};

std::string RenderJson(const Report& report);
std::string RenderSarif(const Report& report, const CheckRegistry& registry);
std::string RenderMarkdown(const Report& report);
std::string RenderTable(const Report& report, const TableOptions& options);

}  // namespace bulwark::core
