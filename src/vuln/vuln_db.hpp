// VulnDb: the local vulnerability database, one SQLite file indexed by
// (ecosystem, package name). Built by `bulwark db import` / `db update`,
// read by `bulwark scan`. A read-only VulnDb is safe to query from one
// thread at a time (one connection); open one per thread for more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "vuln/advisory.hpp"

namespace bulwark::vuln {

struct SourceStatus {
  std::string source;       // "osv:PyPI", "alpine-secdb:v3.11/main", "debian-tracker"
  std::string origin;       // path or URL it came from
  int64_t advisories = 0;
  std::string imported_at;  // RFC 3339 UTC
};

struct DbStatus {
  std::filesystem::path path;
  int schema_version = 0;
  int64_t advisories = 0;
  int64_t affected_rows = 0;
  std::string built_at;      // first import
  std::string updated_at;    // last import or update, RFC 3339 UTC
  double age_hours = 0;      // since updated_at
  std::vector<SourceStatus> sources;
};

// One advisory entry relevant to a package: the advisory (without its other
// affected packages) and the affected entry for this package.
struct Candidate {
  Advisory advisory;
  AffectedPackage affected;
};

class VulnDb {
 public:
  virtual ~VulnDb() = default;
  // Creates the file (and parent dirs) when writable and missing.
  static core::Result<std::unique_ptr<VulnDb>> Open(const std::filesystem::path& path, bool writable);

  // Replaces every advisory previously imported from `source`, in one
  // transaction.
  virtual core::Status ReplaceSource(const SourceStatus& source, const std::vector<Advisory>& advisories) = 0;
  virtual core::Result<std::vector<Candidate>> Query(std::string_view ecosystem,
                                                     std::string_view name) const = 0;
  virtual core::Result<DbStatus> Status() const = 0;
};

// $BULWARK_DB, else $XDG_CACHE_HOME/bulwark/vuln.db, else ~/.cache/bulwark/vuln.db.
std::filesystem::path DefaultDbPath();

}  // namespace bulwark::vuln
