// VulnDb on SQLite. Schema (version kSchemaVersion):
//   meta(key, value)                       format, schema_version, built_at, updated_at
//   sources(id, name, origin, advisories, imported_at)
//   advisories(id, source, vuln_id, kind, severity, cvss, data)   data: vuln_db_codec.hpp
//   affected(advisory, source, ecosystem, name, data)             indexed by (ecosystem, name)
// Rollback journal (no WAL: the file is meant to be copied and shipped
// read-only as one file), one transaction per ReplaceSource, prepared
// statements kept for the life of the connection.
#include <sqlite3.h>

#include <ctime>
#include <system_error>

#include "vuln/sqlite_util.hpp"
#include "vuln/vuln_db.hpp"
#include "vuln/vuln_db_codec.hpp"

namespace bulwark::vuln {
namespace {

using sqlite_util::Statement;

constexpr int kSchemaVersion = 1;
constexpr const char* kFormat = "bulwark-vulndb";
constexpr const char* kRebuildHint = "run bulwark db import/update to rebuild it";

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,
                     advisories INTEGER NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE advisories(id INTEGER PRIMARY KEY, source INTEGER NOT NULL, vuln_id TEXT NOT NULL,
                        kind TEXT NOT NULL, severity TEXT NOT NULL, cvss REAL NOT NULL, data TEXT NOT NULL);
CREATE TABLE affected(advisory INTEGER NOT NULL, source INTEGER NOT NULL, ecosystem TEXT NOT NULL,
                      name TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX affected_by_package ON affected(ecosystem, name);
CREATE INDEX affected_by_source ON affected(source);
CREATE INDEX advisories_by_source ON advisories(source);
)sql";

constexpr const char* kDropAll = R"sql(
DROP TABLE IF EXISTS affected; DROP TABLE IF EXISTS advisories;
DROP TABLE IF EXISTS sources; DROP TABLE IF EXISTS meta;
)sql";

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

double HoursSince(const std::string& rfc3339) {
  std::tm tm{};
  if (!strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return std::difftime(std::time(nullptr), timegm(&tm)) / 3600.0;
}

class SqliteVulnDb final : public VulnDb {
 public:
  SqliteVulnDb(std::filesystem::path path, sqlite3* db, bool writable)
      : path_(std::move(path)), db_(db), writable_(writable) {}
  ~SqliteVulnDb() override {
    query_ = Statement();
    sqlite3_close_v2(db_);
  }

  core::Status Init();
  core::Status ReplaceSource(const SourceStatus& source, const std::vector<Advisory>& advisories) override;
  core::Result<std::vector<Candidate>> Query(std::string_view ecosystem, std::string_view name) const override;
  core::Result<DbStatus> Status() const override;

 private:
  core::Status Error(std::string_view what) const {
    return core::Error(core::ErrorCode::kIoError,
                       path_.string() + ": " + std::string(what) + ": " + sqlite3_errmsg(db_));
  }
  core::Status Exec(const char* sql) const;
  core::Result<std::string> Meta(const char* key) const;
  core::Status SetMeta(const char* key, const std::string& value);
  core::Status CheckFormat();
  core::Status CreateSchema();
  core::Result<int64_t> UpsertSource(const SourceStatus& source, int64_t count);
  core::Status InsertAll(int64_t source_id, const std::vector<Advisory>& advisories);

  std::filesystem::path path_;
  sqlite3* db_;
  bool writable_;
  mutable Statement query_;  // cached: the matcher queries once per package name
};

core::Status SqliteVulnDb::Exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return core::Status::Ok();
  std::string text = message ? message : "error";
  sqlite3_free(message);
  return core::Error(core::ErrorCode::kIoError, path_.string() + ": " + text);
}

core::Result<std::string> SqliteVulnDb::Meta(const char* key) const {
  Statement stmt(db_, "SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return Error("reading meta");
  stmt.Bind(1, key);
  int rc = stmt.Step();
  if (rc == SQLITE_ROW) return stmt.Text(0);
  if (rc == SQLITE_DONE) return std::string();
  return Error("reading meta");
}

core::Status SqliteVulnDb::SetMeta(const char* key, const std::string& value) {
  Statement stmt(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!stmt) return Error("writing meta");
  stmt.Bind(1, key);
  stmt.Bind(2, value);
  return stmt.Step() == SQLITE_DONE ? core::Status::Ok() : Error("writing meta");
}

core::Status SqliteVulnDb::CreateSchema() {
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  core::Status status = Exec(kDropAll);
  if (status.ok()) status = Exec(kSchema);
  if (status.ok()) status = SetMeta("format", kFormat);
  if (status.ok()) status = SetMeta("schema_version", std::to_string(kSchemaVersion));
  if (!status.ok()) {
    (void)Exec("ROLLBACK");
    return status;
  }
  return Exec("COMMIT");
}

// A new (empty) file gets the schema; our own file of another schema
// version is rebuilt when writable; anything else is refused, never
// overwritten: it may be somebody else's database.
core::Status SqliteVulnDb::CheckFormat() {
  Statement tables(db_, "SELECT count(*) FROM sqlite_master");
  if (!tables || tables.Step() != SQLITE_ROW) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       path_.string() + " is not a bulwark vulnerability DB (" + sqlite3_errmsg(db_) + "); " +
                           kRebuildHint + " (move the file away first)");
  }
  bool empty = tables.Int64(0) == 0;
  tables.Reset();
  if (writable_) {
    // Rollback journal, not WAL: no -wal/-shm files beside a DB that is
    // copied around and opened read-only elsewhere.
    RETURN_IF_ERROR(Exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL"));
  }
  if (empty && writable_) return CreateSchema();
  auto format = Meta("format");
  if (empty || !format.ok() || *format != kFormat) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       path_.string() + " is not a bulwark vulnerability DB (no bulwark meta table); " +
                           kRebuildHint + " (move the file away first)");
  }
  ASSIGN_OR_RETURN(std::string version, Meta("schema_version"));
  if (version == std::to_string(kSchemaVersion)) return core::Status::Ok();
  if (writable_) return CreateSchema();
  return core::Error(core::ErrorCode::kInvalidArgument,
                     path_.string() + " has DB schema version " + version + ", this bulwark reads version " +
                         std::to_string(kSchemaVersion) + "; " + kRebuildHint);
}

core::Status SqliteVulnDb::Init() {
  sqlite3_busy_timeout(db_, 5000);
  // Reads straight from the page cache, no copy per page: the matcher
  // reads most of the DB once per scan.
  RETURN_IF_ERROR(Exec("PRAGMA mmap_size=1073741824"));
  return CheckFormat();
}

core::Result<int64_t> SqliteVulnDb::UpsertSource(const SourceStatus& source, int64_t count) {
  Statement stmt(db_,
                 "INSERT INTO sources(name, origin, advisories, imported_at) VALUES(?1, ?2, ?3, ?4) "
                 "ON CONFLICT(name) DO UPDATE SET origin = excluded.origin, "
                 "advisories = excluded.advisories, imported_at = excluded.imported_at RETURNING id");
  if (!stmt) return Error("writing sources");
  stmt.Bind(1, source.source);
  stmt.Bind(2, source.origin);
  stmt.Bind(3, count);
  stmt.Bind(4, source.imported_at.empty() ? NowRfc3339() : source.imported_at);
  if (stmt.Step() != SQLITE_ROW) return Error("writing sources");
  return stmt.Int64(0);
}

core::Status SqliteVulnDb::InsertAll(int64_t source_id, const std::vector<Advisory>& advisories) {
  for (const char* sql : {"DELETE FROM affected WHERE source = ?1", "DELETE FROM advisories WHERE source = ?1"}) {
    Statement del(db_, sql);
    if (!del) return Error("deleting the earlier import");
    del.Bind(1, source_id);
    if (del.Step() != SQLITE_DONE) return Error("deleting the earlier import");
  }
  Statement adv(db_,
                "INSERT INTO advisories(source, vuln_id, kind, severity, cvss, data) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  Statement aff(db_, "INSERT INTO affected(advisory, source, ecosystem, name, data) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!adv || !aff) return Error("preparing inserts");
  for (const Advisory& advisory : advisories) {
    if (!IsStored(advisory)) continue;  // nothing could ever match it
    adv.Bind(1, source_id);
    adv.Bind(2, advisory.id);
    adv.Bind(3, advisory.source);
    adv.Bind(4, advisory.severity);
    adv.Bind(5, advisory.cvss_score);
    adv.Bind(6, EncodeAdvisoryData(advisory));
    if (adv.Step() != SQLITE_DONE) return Error("inserting " + advisory.id);
    adv.Reset();
    int64_t advisory_row = sqlite3_last_insert_rowid(db_);
    for (const AffectedPackage& affected : advisory.affected) {
      if (!HasMatchData(affected)) continue;
      aff.Bind(1, advisory_row);
      aff.Bind(2, source_id);
      aff.Bind(3, affected.ecosystem);
      aff.Bind(4, affected.name);
      aff.Bind(5, EncodeAffectedData(affected));
      if (aff.Step() != SQLITE_DONE) return Error("inserting " + advisory.id);
      aff.Reset();
    }
  }
  return core::Status::Ok();
}

core::Status SqliteVulnDb::ReplaceSource(const SourceStatus& source, const std::vector<Advisory>& advisories) {
  if (!writable_) return core::Error(core::ErrorCode::kInvalidArgument, path_.string() + ": opened read-only");
  int64_t stored = 0;
  for (const Advisory& advisory : advisories) stored += IsStored(advisory) ? 1 : 0;
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> core::Status {
    ASSIGN_OR_RETURN(int64_t source_id, UpsertSource(source, stored));
    RETURN_IF_ERROR(InsertAll(source_id, advisories));
    std::string now = NowRfc3339();
    ASSIGN_OR_RETURN(std::string built, Meta("built_at"));
    if (built.empty()) RETURN_IF_ERROR(SetMeta("built_at", now));
    return SetMeta("updated_at", now);
  };
  core::Status status = body();
  if (!status.ok()) {
    (void)Exec("ROLLBACK");
    return status;
  }
  return Exec("COMMIT");
}

core::Result<std::vector<Candidate>> SqliteVulnDb::Query(std::string_view ecosystem, std::string_view name) const {
  if (!query_) {
    query_ = Statement(db_,
                       "SELECT a.vuln_id, a.kind, a.severity, a.cvss, a.data, f.data "
                       "FROM affected f JOIN advisories a ON a.id = f.advisory "
                       "WHERE f.ecosystem = ?1 AND f.name = ?2 ORDER BY a.vuln_id, a.id");
    if (!query_) return Error("preparing the package query");
  }
  query_.Bind(1, ecosystem);
  query_.Bind(2, name);
  std::vector<Candidate> out;
  int rc;
  while ((rc = query_.Step()) == SQLITE_ROW) {
    Candidate& candidate = out.emplace_back();
    candidate.advisory.id = query_.Text(0);
    candidate.advisory.source = query_.Text(1);
    candidate.advisory.severity = query_.Text(2);
    candidate.advisory.cvss_score = query_.Double(3);
    candidate.affected.ecosystem = std::string(ecosystem);
    candidate.affected.name = std::string(name);
    if (!DecodeAdvisoryData(query_.TextView(4), candidate.advisory) ||
        !DecodeAffectedData(query_.TextView(5), candidate.affected)) {
      query_.Reset();
      return core::Error(core::ErrorCode::kParseError, path_.string() + ": damaged record " +
                                                           candidate.advisory.id + "; " + kRebuildHint);
    }
  }
  query_.Reset();
  if (rc != SQLITE_DONE) return Error("querying advisories");
  return out;
}

core::Result<DbStatus> SqliteVulnDb::Status() const {
  DbStatus status;
  status.path = path_;
  status.schema_version = kSchemaVersion;
  for (auto [sql, field] : {std::pair{"SELECT count(*) FROM advisories", &status.advisories},
                            std::pair{"SELECT count(*) FROM affected", &status.affected_rows}}) {
    Statement stmt(db_, sql);
    if (!stmt || stmt.Step() != SQLITE_ROW) return Error("counting rows");
    *field = stmt.Int64(0);
  }
  ASSIGN_OR_RETURN(status.built_at, Meta("built_at"));
  ASSIGN_OR_RETURN(status.updated_at, Meta("updated_at"));
  status.age_hours = status.updated_at.empty() ? 0 : HoursSince(status.updated_at);
  Statement stmt(db_, "SELECT name, origin, advisories, imported_at FROM sources ORDER BY name");
  if (!stmt) return Error("reading sources");
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    status.sources.push_back({stmt.Text(0), stmt.Text(1), stmt.Int64(2), stmt.Text(3)});
  }
  if (rc != SQLITE_DONE) return Error("reading sources");
  return status;
}

}  // namespace

core::Result<std::unique_ptr<VulnDb>> VulnDb::Open(const std::filesystem::path& path, bool writable) {
  std::error_code ec;
  if (!writable && !std::filesystem::exists(path, ec)) {
    return core::Error(core::ErrorCode::kNotFound, "no vulnerability DB at " + path.string() +
                                                       "; run bulwark db update (or bulwark db import FILES) first");
  }
  if (writable && path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return core::Error(core::ErrorCode::kIoError, path.parent_path().string() + ": " + ec.message());
  }
  int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return core::Error(rc == SQLITE_CANTOPEN ? core::ErrorCode::kIoError : core::ErrorCode::kInvalidArgument,
                       path.string() + ": cannot open the vulnerability DB: " + message);
  }
  auto db = std::make_unique<SqliteVulnDb>(path, handle, writable);
  RETURN_IF_ERROR(db->Init());
  return std::unique_ptr<VulnDb>(std::move(db));
}

}  // namespace bulwark::vuln
