// The triage report for a terminal (text) and for Markdown. Every string
// from the file is escaped: control characters as \xNN on a terminal,
// Markdown syntax neutralised in Markdown. Pure functions; thread-safe.
#pragma once

#include <string>

#include "respond/triage_types.hpp"

namespace bulwark::respond {

std::string TriageText(const TriageReport& report);
std::string TriageMarkdown(const TriageReport& report);

}  // namespace bulwark::respond
