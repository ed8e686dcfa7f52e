// rpm cataloger: Red Hat family and SUSE packages from the SQLite rpmdb
// (rpm >= 4.16: var/lib/rpm/rpmdb.sqlite, usr/lib/sysimage/rpm/rpmdb.sqlite,
// usr/share/rpm/rpmdb.sqlite on CoreOS; sca.md §1, Trivy's rpm analyzer).
// The captured bytes are opened in memory with sqlite3_deserialize (never
// written to disk), read-only and defensively: the file is untrusted, so
// Packages must be a real table (a view could loop forever), a progress
// handler bounds the work, and each header blob goes through the bounds-
// checked ParseRpmHeader. Berkeley DB (`Packages`) and NDB (`Packages.db`)
// databases, used before rpm 4.16 and by SUSE, are not read yet: the
// cataloger says so in a note.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"
#include "sbom/rpm_header.hpp"

namespace bulwark::sbom {
namespace {

constexpr std::string_view kDbDirs[] = {"var/lib/rpm/", "usr/lib/sysimage/rpm/", "usr/share/rpm/"};
constexpr std::string_view kSqliteName = "rpmdb.sqlite";
constexpr std::string_view kLegacyNames[] = {"Packages", "Packages.db"};
constexpr uint64_t kMaxDb = 512ull << 20;
constexpr int kMaxNotesPerFile = 20;
// Progress callbacks (every 1000 VM steps) before the query is abandoned;
// a real rpmdb needs a few per package.
constexpr int kMaxProgressCalls = 1'000'000;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

int Progress(void* calls) { return ++*static_cast<int*>(calls) > kMaxProgressCalls ? 1 : 0; }

core::Status SqliteError(sqlite3* db, std::string_view what) {
  return core::Error(
      core::ErrorCode::kParseError,
      std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

// Opens `bytes` as a read-only in-memory database. `bytes` must outlive it.
core::Result<SqliteDb> OpenInMemory(std::string& bytes, int* progress_calls) {
  // A WAL-mode header (bytes 18/19 == 2) makes SQLite look for a -wal file
  // that an in-memory database cannot have; rpm checkpoints on close, so
  // reading the main file as a rollback-journal database is what rpm sees.
  if (bytes.size() >= 20 && bytes[18] == 2 && bytes[19] == 2) bytes[18] = bytes[19] = 1;
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) !=
      SQLITE_OK) {
    SqliteDb closer(raw);
    return SqliteError(raw, "sqlite open");
  }
  SqliteDb db(raw);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, 64 << 20);
  sqlite3_progress_handler(raw, 1000, Progress, progress_calls);
  auto* data = reinterpret_cast<unsigned char*>(bytes.data());
  auto size = static_cast<sqlite3_int64>(bytes.size());
  if (sqlite3_deserialize(raw, "main", data, size, size, SQLITE_DESERIALIZE_READONLY) !=
      SQLITE_OK) {
    return SqliteError(raw, "not an SQLite database");
  }
  sqlite3_exec(raw, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
  return db;
}

core::Status RequirePackagesTable(sqlite3* db) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT type FROM sqlite_master WHERE name = 'Packages'", -1, &raw,
                         nullptr) != SQLITE_OK) {
    return SqliteError(db, "not an SQLite database");
  }
  SqliteStmt stmt(raw);
  if (sqlite3_step(raw) != SQLITE_ROW)
    return core::Error(core::ErrorCode::kParseError, "no Packages table");
  const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
  if (type == nullptr || std::string_view(type) != "table") {
    return core::Error(core::ErrorCode::kParseError, "Packages is not a table");
  }
  return core::Status::Ok();
}

// "bash-5.1.8-6.el9.src.rpm" -> name "bash", version "5.1.8-6.el9".
void ParseSourceRpm(std::string_view srpm, std::string& name, std::string& version) {
  if (srpm.size() > 4 && srpm.substr(srpm.size() - 4) == ".rpm") srpm.remove_suffix(4);
  size_t dot = srpm.rfind('.');  // ".src" / ".nosrc"
  if (dot == std::string_view::npos) return;
  srpm = srpm.substr(0, dot);
  size_t release = srpm.rfind('-');
  if (release == std::string_view::npos || release == 0) return;
  size_t ver = srpm.rfind('-', release - 1);
  if (ver == std::string_view::npos || ver == 0) return;
  name = std::string(srpm.substr(0, ver));
  version = std::string(srpm.substr(ver + 1));
}

Package ToPackage(const RpmHeader& header, const image::FileEntry& file,
                  const CatalogContext& context, std::string_view cataloger) {
  Package package;
  package.type = PackageType::kRpm;
  package.cataloger = std::string(cataloger);
  package.name = header.name;
  std::string epoch = header.has_epoch ? std::to_string(header.epoch) + ":" : "";
  package.version = epoch + header.version + (header.release.empty() ? "" : "-" + header.release);
  package.arch = header.arch;
  if (!header.license.empty()) package.licenses.push_back(header.license);
  if (!header.vendor.empty()) package.metadata["rpm.vendor"] = header.vendor;
  if (!header.modularity_label.empty())
    package.metadata["rpm.modularitylabel"] = header.modularity_label;
  std::string source_version;
  ParseSourceRpm(header.source_rpm, package.source_name, source_version);
  if (package.source_name.empty()) package.source_name = package.name;
  // The source rpm carries no epoch of its own; it shares the binary's.
  if (!source_version.empty() && epoch + source_version != package.version) {
    package.source_version = epoch + source_version;
  }
  package.locations.push_back("/" + file.path);
  package.layer = file.layer;
  package.purl = MakePurl(package, context.os);
  return package;
}

class RpmCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "rpm-db"; }

  std::vector<std::string> Paths() const override {
    std::vector<std::string> paths;
    for (std::string_view dir : kDbDirs)
      paths.push_back(std::string(dir) + std::string(kSqliteName));
    return paths;
  }

  bool Wants(const image::FileEntry& entry) const override {
    if (entry.size > kMaxDb) return false;
    for (std::string_view dir : kDbDirs) {
      if (entry.path.size() == dir.size() + kSqliteName.size() &&
          entry.path.compare(0, dir.size(), dir) == 0 &&
          entry.path.compare(dir.size(), std::string::npos, kSqliteName) == 0) {
        return true;
      }
    }
    return false;
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (std::string_view dir : kDbDirs) {
      const image::FileEntry* sqlite = files.Find(std::string(dir) + std::string(kSqliteName));
      if (sqlite != nullptr && sqlite->type != image::FileType::kSymlink) {
        CatalogSqlite(files, *sqlite, context, out);
        continue;
      }
      for (std::string_view legacy : kLegacyNames) {
        const image::FileEntry* entry = files.Find(std::string(dir) + std::string(legacy));
        if (entry == nullptr || entry->type == image::FileType::kSymlink) continue;
        out.notes.push_back(entry->path + ": rpm " + (legacy == "Packages" ? "BDB" : "NDB") +
                            " database not supported yet; its packages are not listed");
      }
    }
  }

 private:
  void CatalogSqlite(const image::FileView& files, const image::FileEntry& file,
                     const CatalogContext& context, CatalogOutput& out) const {
    auto bytes = files.Read(file, kMaxDb);
    if (!bytes.ok()) {
      out.notes.push_back(file.path + ": " + bytes.status().message());
      return;
    }
    core::Status status = ReadPackages(*bytes, file, context, out);
    if (!status.ok()) out.notes.push_back(file.path + ": " + status.message());
  }

  core::Status ReadPackages(std::string& bytes, const image::FileEntry& file,
                            const CatalogContext& context, CatalogOutput& out) const {
    int progress_calls = 0;
    ASSIGN_OR_RETURN(SqliteDb db, OpenInMemory(bytes, &progress_calls));
    RETURN_IF_ERROR(RequirePackagesTable(db.get()));
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages", -1, &raw, nullptr) !=
        SQLITE_OK) {
      return SqliteError(db.get(), "reading Packages");
    }
    SqliteStmt stmt(raw);
    int notes = 0;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      sqlite3_int64 hnum = sqlite3_column_int64(raw, 0);
      const void* blob = sqlite3_column_blob(raw, 1);
      int size = sqlite3_column_bytes(raw, 1);
      std::string_view data(static_cast<const char*>(blob),
                            blob == nullptr ? 0 : static_cast<size_t>(size));
      auto header = ParseRpmHeader(data);
      if (header.ok() && (header->name.empty() || header->version.empty())) {
        header = core::Error(core::ErrorCode::kParseError, "no NAME or VERSION tag");
      }
      if (!header.ok()) {
        if (++notes <= kMaxNotesPerFile) {
          out.notes.push_back(file.path + ": package hnum " + std::to_string(hnum) + ": " +
                              header.status().message());
        }
        continue;
      }
      // Imported signing keys live in the rpmdb as pseudo-packages.
      if (header->name == "gpg-pubkey") continue;
      std::string owner = "rpm:" + header->name;
      for (const std::string& path : header->files) {
        if (!path.empty()) out.owned_files.emplace(path, owner);
      }
      out.packages.push_back(ToPackage(*header, file, context, Name()));
    }
    if (rc != SQLITE_DONE) return SqliteError(db.get(), "reading Packages");
    return core::Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeRpmCataloger() { return std::make_unique<RpmCataloger>(); }

}  // namespace bulwark::sbom
