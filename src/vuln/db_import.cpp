// `bulwark db import`: files -> parsers -> one ReplaceSource per DB source.
#include "vuln/db_import.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "vuln/importers.hpp"
#include "vuln/vuln_db_codec.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxFileBytes = 1ull << 30;       // the whole Debian tracker is ~60 MB today
constexpr uint64_t kMaxZipEntryBytes = 64ull << 20;  // one OSV record

struct Pending {
  std::set<std::string> origins;
  std::vector<Advisory> advisories;
  int64_t skipped = 0;
  int64_t files = 0;
};

// Everything the paths hold, grouped by DB source before anything is written.
struct Collector {
  std::map<std::string, Pending> by_source;
  int64_t ignored_files = 0;

  void Add(ParsedSource parsed, const fs::path& origin, int64_t files = 1) {
    Pending& pending = by_source[parsed.source];
    pending.origins.insert(origin.string());
    pending.skipped += parsed.skipped;
    pending.files += files;
    for (Advisory& advisory : parsed.advisories) pending.advisories.push_back(std::move(advisory));
  }
};

core::Status FileError(const fs::path& path, const core::Status& status) {
  return core::Error(status.code(), path.string() + ": " + status.message());
}

core::Result<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error(core::ErrorCode::kIoError, path.string() + ": cannot open");
  in.seekg(0, std::ios::end);
  auto size = static_cast<uint64_t>(std::max<std::streamoff>(in.tellg(), 0));
  if (size > kMaxFileBytes) {
    return core::Error(core::ErrorCode::kTooLarge, path.string() + ": larger than " + std::to_string(kMaxFileBytes) +
                                                       " bytes");
  }
  in.seekg(0);
  std::string data(size, '\0');
  if (!in.read(data.data(), static_cast<std::streamsize>(size))) {
    return core::Error(core::ErrorCode::kIoError, path.string() + ": read failed");
  }
  return data;
}

bool IsZip(const fs::path& path) {
  if (path.extension() == ".zip") return true;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "PK\x03\x04";
}

// A parsed OSV record into its source; withdrawn ones are only counted.
void AddOsvRecord(Advisory record, std::map<std::string, ParsedSource>& by_source) {
  ParsedSource& parsed = by_source[OsvSourceFor(record)];
  if (record.withdrawn) {
    ++parsed.skipped;
  } else {
    parsed.advisories.push_back(std::move(record));
  }
}

void AddAll(std::map<std::string, ParsedSource>& by_source, const fs::path& origin, int64_t files,
            Collector& collector) {
  for (auto& [source, parsed] : by_source) {
    parsed.source = source;
    collector.Add(std::move(parsed), origin, files);
    files = 0;  // counted once
  }
}

core::Status ImportZip(const fs::path& path, const fs::path& origin, Collector& collector) {
  std::map<std::string, ParsedSource> by_source;
  int64_t records = 0;
  RETURN_IF_ERROR(ForEachZipEntry(path, kMaxZipEntryBytes, [&](std::string_view name, std::string_view data) {
    if (!name.ends_with(".json")) return core::Status::Ok();
    auto record = ParseOsvRecord(data);
    if (!record.ok()) {
      return core::Error(record.status().code(), path.string() + ": " + std::string(name) + ": " +
                                                     record.status().message());
    }
    ++records;
    AddOsvRecord(std::move(*record), by_source);
    return core::Status::Ok();
  }));
  if (records == 0) {
    return core::Error(core::ErrorCode::kParseError, path.string() + ": no OSV records (*.json) in the zip");
  }
  AddAll(by_source, origin, records, collector);
  return core::Status::Ok();
}

core::Status ImportOsv(const fs::path& path, const fs::path& origin, std::string_view data,
                       Collector& collector) {
  auto record = ParseOsvRecord(data);
  if (!record.ok()) return FileError(path, record.status());
  std::map<std::string, ParsedSource> by_source;
  AddOsvRecord(std::move(*record), by_source);
  AddAll(by_source, origin, 1, collector);
  return core::Status::Ok();
}

// `origin` is what the user named: the file itself or the directory walked.
core::Status ImportFile(const fs::path& path, const fs::path& origin, Collector& collector) {
  bool in_directory = path != origin;
  if (IsZip(path)) return ImportZip(path, origin, collector);
  ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  switch (SniffFormat(data)) {
    case DataFormat::kOsv:
      return ImportOsv(path, origin, data, collector);
    case DataFormat::kAlpineSecdb: {
      auto parsed = ParseAlpineSecdb(data);
      if (!parsed.ok()) return FileError(path, parsed.status());
      collector.Add(std::move(*parsed), origin);
      return core::Status::Ok();
    }
    case DataFormat::kDebianTracker: {
      auto parsed = ParseDebianTracker(data);
      if (!parsed.ok()) return FileError(path, parsed.status());
      collector.Add(std::move(*parsed), origin);
      return core::Status::Ok();
    }
    case DataFormat::kZip:
    case DataFormat::kUnknown:
      break;
  }
  if (in_directory) {
    ++collector.ignored_files;
    return core::Status::Ok();
  }
  return core::Error(core::ErrorCode::kParseError,
                     path.string() + ": not an OSV record, Alpine secdb document or Debian security tracker JSON");
}

core::Status ImportDirectory(const fs::path& dir, Collector& collector) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string ext = it->path().extension().string();
    if (ext == ".json" || ext == ".zip") files.push_back(it->path());
  }
  if (ec) return core::Error(core::ErrorCode::kIoError, dir.string() + ": " + ec.message());
  if (files.empty()) return core::Error(core::ErrorCode::kNotFound, dir.string() + ": no .json or .zip files in it");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) RETURN_IF_ERROR(ImportFile(file, dir, collector));
  return core::Status::Ok();
}

std::string JoinOrigins(const std::set<std::string>& origins) {
  std::string out;
  for (const std::string& origin : origins) out += (out.empty() ? "" : ", ") + origin;
  return out;
}

// Sorted by ID, one record per ID (the same file imported twice, or an ID
// in two directories), so the stored DB does not depend on walk order.
void SortUnique(std::vector<Advisory>& advisories) {
  std::stable_sort(advisories.begin(), advisories.end(),
                   [](const Advisory& a, const Advisory& b) { return a.id < b.id; });
  auto last = std::unique(advisories.begin(), advisories.end(),
                          [](const Advisory& a, const Advisory& b) { return a.id == b.id; });
  advisories.erase(last, advisories.end());
}

core::Result<ImportSummary> Write(VulnDb& db, Collector& collector) {
  ImportSummary summary;
  summary.ignored_files = collector.ignored_files;
  for (auto& [source, pending] : collector.by_source) {
    if (source == "osv:unknown" && pending.advisories.empty()) continue;  // only withdrawn records
    SortUnique(pending.advisories);
    ImportCount count{source, JoinOrigins(pending.origins), 0, pending.skipped, pending.files};
    for (const Advisory& advisory : pending.advisories) count.advisories += IsStored(advisory) ? 1 : 0;
    RETURN_IF_ERROR(db.ReplaceSource({source, count.origin, count.advisories, ""}, pending.advisories));
    summary.sources.push_back(std::move(count));
  }
  return summary;
}

}  // namespace

core::Result<ImportSummary> ImportPaths(VulnDb& db, const std::vector<fs::path>& paths) {
  Collector collector;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      RETURN_IF_ERROR(ImportDirectory(path, collector));
    } else if (fs::exists(path, ec)) {
      RETURN_IF_ERROR(ImportFile(path, path, collector));
    } else {
      return core::Error(core::ErrorCode::kNotFound, path.string() + ": no such file or directory");
    }
  }
  return Write(db, collector);
}

core::Result<ImportSummary> ImportPath(VulnDb& db, const fs::path& path) { return ImportPaths(db, {path}); }

core::Result<ImportSummary> ImportFileAs(VulnDb& db, const fs::path& file, const std::string& origin) {
  Collector collector;
  RETURN_IF_ERROR(ImportFile(file, file, collector));
  for (auto& [source, pending] : collector.by_source) pending.origins = {origin};
  return Write(db, collector);
}

}  // namespace bulwark::vuln
