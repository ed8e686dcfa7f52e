// The summary report (`bulwark report`): summary_report.md, and the same as
// one self-contained printable HTML page (inline CSS with print rules, no
// scripts, no external resources). Every string that came from a result
// (targets, titles, paths, reasons) is escaped for its medium: Markdown
// (pipes, backticks, emphasis, `<`, newlines) or HTML. Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "report/summary.hpp"

namespace bulwark::report {

std::string RenderSummaryMarkdown(const Summary& summary);
std::string RenderSummaryHtml(const Summary& summary);

}  // namespace bulwark::report
