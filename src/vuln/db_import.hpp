// `bulwark db import` and `db status`: builds the local vulnerability DB
// from files a user has (OSV JSON files, directory trees of them or OSV's
// per-ecosystem all.zip; Alpine secdb JSON; the Debian security tracker
// JSON), detecting each file's format from its content, and formats the
// DB's status for people. Thread-compatible (one VulnDb per thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "vuln/vuln_db.hpp"

namespace bulwark::vuln {

// What an import stored under one DB source.
struct ImportCount {
  std::string source;      // "osv:PyPI", "alpine-secdb:v3.11/main", "debian-tracker"
  std::string origin;      // the path(s) it came from
  int64_t advisories = 0;  // stored (records with at least one affected package)
  int64_t skipped = 0;     // left out on purpose: withdrawn OSV records, undetermined tracker entries
  int64_t files = 0;       // documents read (files, zip entries)
};

struct ImportSummary {
  std::vector<ImportCount> sources;  // sorted by source
  int64_t ignored_files = 0;         // JSON files in a directory that are no advisory format
};

// Imports every path (file, directory or all.zip). Each DB source found is
// replaced as a whole, in one transaction, by what these paths hold; the
// same source from two paths is merged first. Errors name the file.
core::Result<ImportSummary> ImportPaths(VulnDb& db, const std::vector<std::filesystem::path>& paths);
core::Result<ImportSummary> ImportPath(VulnDb& db, const std::filesystem::path& path);

// One downloaded file, recorded in the DB as coming from `origin` (its URL).
core::Result<ImportSummary> ImportFileAs(VulnDb& db, const std::filesystem::path& file, const std::string& origin);

// A few lines for `bulwark db status`: path, schema, counts, age, sources.
std::string FormatDbStatus(const DbStatus& status);
// "35 minutes", "5 hours", "3 days".
std::string FormatAge(double hours);

}  // namespace bulwark::vuln
