// CheckSuite: the set of analyzers one audit run uses, one per file kind,
// plus the secrets pass that sees every text file. MakeDefaultCheckSuite()
// wires bulwark's own checks; tests build suites with fakes.
// Not thread-safe: one suite per run.
#pragma once

#include <functional>
#include <map>
#include <memory>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/status.hpp"

namespace bulwark::audit {

struct CheckSuite {
  std::map<FileKind, std::unique_ptr<Analyzer>> by_kind;
  // Runs on every text file after its kind's analyzer; may be empty.
  std::function<void(const core::SourceFile&, FileKind, core::FindingSink&)> secrets;
};

// Registers every check bulwark ships (Dockerfile, compose, daemon.json,
// Kubernetes, Python, secrets). Explicit, called from main and tests.
core::Status RegisterAllChecks(core::CheckRegistry& registry);

core::Result<CheckSuite> MakeDefaultCheckSuite();

}  // namespace bulwark::audit
