// Renders the check registry (`bulwark checks`, docs/checks.md) as a table,
// Markdown or JSON. Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/check_registry.hpp"

namespace bulwark::core {

std::string RenderChecksTable(const CheckRegistry& registry);
std::string RenderChecksMarkdown(const CheckRegistry& registry);
std::string RenderChecksJson(const CheckRegistry& registry);

}  // namespace bulwark::core
