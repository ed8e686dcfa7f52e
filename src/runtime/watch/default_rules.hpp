// bulwark's default runtime rules (rules/*.yaml), compiled into the program
// at build time, and the rule sources a `watch` run loads: the defaults
// (unless turned off) followed by the user's files in the order given, so a
// user file can append to or override a default rule as in Falco.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "runtime/rules/engine.hpp"

namespace bulwark::runtime::watch {

struct EmbeddedRuleFile {
  std::string_view name;  // "bulwark_rules.yaml"
  std::string_view text;
};

// Every file of rules/ as it was at build time, by name.
const std::vector<EmbeddedRuleFile>& EmbeddedRuleFiles();

// The defaults (named "<builtin>/NAME") unless `with_defaults` is false,
// then each of `paths` read from disk (at most rules::kMaxRuleFileBytes:
// rule files are untrusted input). A file that cannot be read is an error
// naming it.
core::Result<std::vector<rules::RuleSource>> CollectRuleSources(
    bool with_defaults, const std::vector<std::string>& paths);

}  // namespace bulwark::runtime::watch
