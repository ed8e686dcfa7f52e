// Markdown and terminal-table renderers: findings grouped by file, most
// severe first within the summary, file order stable.
#include <map>
#include <string>

#include "core/escape.hpp"
#include "core/render.hpp"

namespace bulwark::core {
namespace {

std::map<std::string, std::vector<const Finding*>> GroupByPath(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<const Finding*>> groups;
  for (const Finding& f : findings) groups[f.location.path].push_back(&f);
  return groups;
}

std::string SummaryLine(const Report& report) {
  std::string out = FindingCountsText(report.findings) + " in " + std::to_string(report.files_examined) + " files";
  if (report.suppressed > 0) out += ", " + std::to_string(report.suppressed) + " suppressed";
  if (!report.diagnostics.empty()) out += ", " + std::to_string(report.diagnostics.size()) + " diagnostics";
  return out;
}

const char* Colour(Severity s) {
  switch (s) {
    case Severity::kCritical: return "\033[1;35m";
    case Severity::kHigh: return "\033[1;31m";
    case Severity::kMedium: return "\033[33m";
    case Severity::kLow: return "\033[36m";
    case Severity::kInfo: return "\033[2m";
  }
  return "";
}

std::string Position(const Location& l) {
  if (l.line <= 0) return "-";
  return l.column > 0 ? std::to_string(l.line) + ":" + std::to_string(l.column) : std::to_string(l.line);
}

std::string PadRight(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string RenderMarkdown(const Report& report) {
  std::string out = "# bulwark report: " + EscapeMarkdown(report.target) + "\n\n";
  out += SummaryLine(report) + "\n\n";
  out += "| severity | count |\n|---|---|\n";
  auto counts = CountBySeverity(report.findings);
  for (Severity s : kAllSeverities) {
    out += "| " + std::string(SeverityName(s)) + " | " + std::to_string(counts[static_cast<size_t>(s)]) + " |\n";
  }
  for (const auto& [path, findings] : GroupByPath(report.findings)) {
    out += "\n## " + EscapeMarkdown(path.empty() ? "(no file)" : path) + "\n\n";
    out += "| line | severity | ID | finding | remediation |\n|---|---|---|---|---|\n";
    for (const Finding* f : findings) {
      out += "| " + Position(f->location) + " | " + std::string(SeverityName(f->severity)) + " | " +
             EscapeMarkdown(f->id) + " | " + EscapeMarkdown(f->message) + " | " +
             EscapeMarkdown(f->remediation) + " |\n";
    }
  }
  if (!report.diagnostics.empty()) {
    out += "\n## Diagnostics\n\n";
    for (const Diagnostic& d : report.diagnostics) {
      out += "- " + EscapeMarkdown(d.location.path) + ":" + Position(d.location) + ": " +
             EscapeMarkdown(d.message) + "\n";
    }
  }
  return out;
}

std::string RenderTable(const Report& report, const TableOptions& options) {
  const char* reset = options.color ? "\033[0m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  std::string out;
  for (const auto& [path, findings] : GroupByPath(report.findings)) {
    out += std::string(bold) + EscapeTerminal(path.empty() ? "(no file)" : path) + reset + "\n";
    for (const Finding* f : findings) {
      std::string sev = std::string(SeverityLabel(f->severity));
      std::string sev_cell = options.color ? std::string(Colour(f->severity)) + PadRight(sev, 8) + reset
                                           : PadRight(sev, 8);
      out += "  " + PadRight(Position(f->location), 8) + sev_cell + " " + PadRight(f->id, 11) + " " +
             EscapeTerminal(f->message) + "\n";
    }
    out += "\n";
  }
  for (const Diagnostic& d : report.diagnostics) {
    out += "diagnostic: " + EscapeTerminal(d.location.path) + ":" + Position(d.location) + ": " +
           EscapeTerminal(d.message) + "\n";
  }
  if (!options.quiet) out += std::string(bold) + SummaryLine(report) + reset + "\n";
  return out;
}

}  // namespace bulwark::core
