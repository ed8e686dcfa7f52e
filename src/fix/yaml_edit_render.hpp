// Internal to YamlEditor: rendering new values as YAML text, in flow style
// or as block lines at a given indentation. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fix/yaml_edit.hpp"

namespace bulwark::fix::yaml_internal {

// Always quoted: '...' when `quote` is '\'' and the text allows, else "...".
std::string ForceQuoted(std::string_view text, char quote);
// `[a, b]`, `{k: v}` or a scalar (quoted when needed).
std::string RenderFlow(const YamlValue& value, char quote);
bool IsEmptyCollection(const YamlValue& value);
// `key: value` as lines (without line ends) with the key at `indent`.
void RenderBlockEntry(std::vector<std::string>& lines, int indent, std::string_view key,
                      const YamlValue& value, const YamlStyle& style);
// `- item` with the dash at `dash_indent` and `gap` spaces after it.
void RenderBlockItem(std::vector<std::string>& lines, int dash_indent, const YamlValue& item,
                     const YamlStyle& style, int gap = 1);
// The children of a collection value whose key is at `indent` (sequence
// items at indent + style.sequence_indent, map entries at indent + style.indent).
void RenderBlockChildren(std::vector<std::string>& lines, int indent, const YamlValue& value,
                         const YamlStyle& style);

}  // namespace bulwark::fix::yaml_internal
