// CheckSuite: the set of analyzers one audit run uses, one per file kind,
// plus the secrets pass that sees every text file. MakeDefaultCheckSuite()
// wires bulwark's own checks; tests build suites with fakes.
// Not thread-safe: one suite per run.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/status.hpp"

namespace bulwark::audit {

struct CheckSuite {
  std::map<FileKind, std::unique_ptr<Analyzer>> by_kind;
  // Runs on every text file after its kind's analyzer; may be empty. Must be
  // safe to call from several threads when the suite comes from a factory.
  std::function<void(const core::SourceFile&, FileKind, core::FindingSink&)> secrets;
  // Kinds whose analyzer must see every file of the run before Finish()
  // (e.g. Kubernetes: "no NetworkPolicy in this namespace"). A parallel run
  // feeds all such files to one analyzer, in file order.
  std::set<FileKind> whole_set_kinds;
};

// Makes independent suites that share immutable state (the compiled secrets
// database), one per worker thread of a parallel run.
using CheckSuiteFactory = std::function<core::Result<CheckSuite>()>;

// Registers every check bulwark ships (Dockerfile, compose, daemon.json,
// Kubernetes, Python, secrets). Explicit, called from main and tests.
core::Status RegisterAllChecks(core::CheckRegistry& registry);

core::Result<CheckSuite> MakeDefaultCheckSuite();
core::Result<CheckSuiteFactory> MakeDefaultCheckSuiteFactory();

}  // namespace bulwark::audit
