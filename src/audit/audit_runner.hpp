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
  core::Report report;
  std::map<FileKind, int> files_by_kind;
};

// Fails only when the root itself cannot be read at all.
core::Result<AuditOutcome> RunAudit(const AuditOptions& options, const core::CheckRegistry& registry,
                                    CheckSuite& suite);

}  // namespace bulwark::audit
