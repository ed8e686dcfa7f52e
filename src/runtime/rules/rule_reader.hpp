// The read stage of the rule loader: one rule file's YAML (several
// documents, each a sequence of items) into the Collector, following
// Falco's rule_loader_reader: items `required_engine_version`,
// `required_plugin_versions`, `list`, `macro`, `rule`; legacy `append: true`
// and `override: {key: append|replace}` with Falco's allowed keys and
// messages; the deprecated enabled-only toggle; exceptions; unknown keys and
// unknown items are warnings.
//
// Unlike Falco, a bad item does not stop the file: it is reported (with
// file:line:col, item kind and name) and skipped, and reading goes on.
// yaml-cpp is wrapped here: no exception leaves this module. Input is
// bounded (kMaxRuleFileBytes and per-item limits), and a dry parse refuses
// files yaml-cpp runs away on or whose aliases expand past the size bound
// (yaml_guard.hpp). Stateless; thread-safe for distinct collectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/rules/collector.hpp"
#include "runtime/rules/diagnostic.hpp"

namespace bulwark::runtime::rules {

// The Falco rules-engine version bulwark claims compatibility with: files
// whose `required_engine_version` is at most this (same major) load; the
// upstream falco_rules.yaml requires exactly 0.57.0.
inline constexpr std::array<int, 3> kEngineVersion = {0, 57, 0};
// The `container` plugin version whose fields bulwark provides built in.
inline constexpr std::array<int, 3> kContainerPluginVersion = {0, 4, 0};

inline constexpr size_t kMaxRuleFileBytes = size_t{8} << 20;

// "0.57.0" -> {0, 57, 0}; a bare integer N is Falco's legacy version 0.N.0.
std::optional<std::array<int, 3>> ParseEngineVersion(std::string_view text);

void ReadRuleFile(uint32_t source, std::string_view text, Collector& collector, Diagnostics& diags);

}  // namespace bulwark::runtime::rules
