// Table and Markdown sections of an image scan's vulnerability findings,
// grouped by package: used by render_text.cpp when Report::scan is set.
#pragma once

#include <string>

#include "core/render.hpp"
#include "core/report.hpp"

namespace bulwark::core {

std::string TableVulnRows(const Report& report, const TableOptions& options);
std::string MarkdownVulnSections(const Report& report);

}  // namespace bulwark::core
