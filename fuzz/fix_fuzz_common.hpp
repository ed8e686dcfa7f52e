// Shared body of the fix fuzz targets: audit arbitrary bytes as one file of
// a kind, hand the findings to that kind's fixer, and require that a plan it
// returns applies cleanly (no overlapping or out-of-range edits) and that a
// second plan on the fixed text applies too. Crashes, sanitizer reports and
// __builtin_trap() are the failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "audit/check_suite.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "fix/fixer.hpp"

namespace bulwark::fuzz {

inline int FuzzFixer(const uint8_t* data, size_t size, audit::FileKind kind, const char* file_name,
                     const fix::Fixer& fixer) {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    if (!audit::RegisterAllChecks(*r).ok()) __builtin_trap();
    return r;
  }();
  static audit::CheckSuite* suite = [] {
    auto made = audit::MakeDefaultCheckSuite();
    if (!made.ok()) __builtin_trap();
    return new audit::CheckSuite(std::move(made).value());
  }();
  static const fix::FixOptions options = [] {
    fix::FixOptions o;
    o.resolve_digest = [](const std::string&) -> std::optional<std::string> {
      return "sha256:" + std::string(64, 'a');
    };
    return o;
  }();

  std::string text(reinterpret_cast<const char*>(data), size);
  for (int round = 0; round < 2; ++round) {
    core::FindingSink sink(*registry);
    auto analyzer = suite->by_kind.find(kind);
    if (analyzer == suite->by_kind.end()) __builtin_trap();
    analyzer->second->Analyze(core::SourceFile{file_name, {}, text}, sink);
    fix::FixRequest request{file_name, text, sink.findings(), &options};
    auto plan = fixer.Plan(request);
    if (!plan.ok()) return 0;
    auto fixed = fix::ApplyEdits(text, plan->edits);
    if (!fixed.ok()) __builtin_trap();  // a fixer produced overlapping or out-of-range edits
    text = std::move(fixed).value();
  }
  return 0;
}

}  // namespace bulwark::fuzz
