// RunAudit: the `bulwark audit DIR` pipeline as named steps: discover ->
// read and classify -> analyze -> finish -> suppress -> filter -> sort.
// Input problems never stop the run; they become diagnostics.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "audit/check_suite.hpp"
#include "audit/discovery.hpp"
#include "core/report.hpp"
#include "core/severity.hpp"
#include "core/suppression.hpp"

namespace bulwark::audit {

struct AuditOptions {
  std::filesystem::path root;
  DiscoveryOptions discovery;
  std::optional<core::IgnoreFile> ignore_file;  // already loaded by the caller
  std::set<core::Severity> severities;          // empty: all
  bool honour_inline_ignores = true;
};

struct AuditOutcome {
  core::Report report;  // report.files_by_kind counts the files of each kind
  // What discovery found, in its order: where each finding's path lives on
  // disk (`bulwark fix` edits those files).
  std::vector<DiscoveredFile> files;
};

// Fails only when the root itself cannot be read at all. Single-threaded.
core::Result<AuditOutcome> RunAudit(const AuditOptions& options, const core::CheckRegistry& registry,
                                    CheckSuite& suite);

// The same with `jobs` worker threads, each with its own suite from the
// factory. Files of the suites' whole-set kinds are read and secret-scanned
// in parallel, then analysed by the first suite in file order after the
// workers end, so the output is identical to RunAudit's.
core::Result<AuditOutcome> RunAuditParallel(const AuditOptions& options, const core::CheckRegistry& registry,
                                            const CheckSuiteFactory& factory, unsigned jobs);

// Hardware threads, at least 1 and at most 8.
unsigned DefaultJobs();

}  // namespace bulwark::audit
