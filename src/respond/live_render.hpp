// Rendering of the live parts of a triage: a process's facts (text,
// Markdown, JSON) and the report of a whole container (the process list,
// then each out-of-place process in full). Everything from the process is
// untrusted: control characters shown as \xNN on a terminal, Markdown
// syntax neutralised, invalid UTF-8 replaced in JSON. Pure; thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "respond/live_triage.hpp"
#include "respond/live_types.hpp"

namespace bulwark::respond {

std::string ProcessText(const ProcessFacts& p);
std::string ProcessMarkdown(const ProcessFacts& p);
nlohmann::json ProcessJson(const ProcessFacts& p);
nlohmann::json ContainerRefJson(const ContainerRef& c);

std::string ContainerTriageText(const ContainerTriageReport& report);
std::string ContainerTriageMarkdown(const ContainerTriageReport& report);
nlohmann::json ContainerTriageJson(const ContainerTriageReport& report);

}  // namespace bulwark::respond
