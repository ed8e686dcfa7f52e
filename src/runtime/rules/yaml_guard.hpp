// A guard in front of yaml-cpp for rule files: a dry parse that only
// measures, before YAML::LoadAll builds anything.
//
// - yaml-cpp 0.7 can run away on some malformed input: from a stray ','
//   before the first item it emits events without end, and LoadAll builds
//   nodes for them until memory runs out (a 334-byte rule file took more
//   than 3.8 GB; found by fuzzing fuzz_rules_load). The dry parse counts
//   events against what text of that size can hold.
// - Aliases repeat what their anchor holds: a 90 KB file of one 2,000-item
//   list and 3,000 `items: *x` read as 6 million items. The dry parse adds
//   up the text the file stands for, aliases expanded, and refuses it past
//   the bound on a file's own size.
//
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::runtime::rules {

struct YamlProblem {
  std::string code;  // "yaml-parse" (runaway) or "too-large" (aliases)
  int line = 0;      // 1-based; where the parser was when the bound ran out
  int column = 0;
  std::string message;
};

// A problem when `text` runs the parser away or expands, through aliases,
// to more than `max_expanded_bytes` of scalars; nullopt otherwise,
// including for syntax errors (LoadAll reports those with their position).
std::optional<YamlProblem> CheckYamlShape(std::string_view text, size_t max_expanded_bytes);

}  // namespace bulwark::runtime::rules
