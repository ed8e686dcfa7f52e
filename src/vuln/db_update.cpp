#include "vuln/db_update.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "vuln/http_download.hpp"
#include "vuln/importers.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOsvBase = "https://osv-vulnerabilities.storage.googleapis.com";
constexpr const char* kAlpineBase = "https://secdb.alpinelinux.org";
constexpr const char* kDebianUrl = "https://security-tracker.debian.org/tracker/data/json";
constexpr uint64_t kMaxCheckedEntryBytes = 64ull << 20;
constexpr uint64_t kMaxJsonBytes = 1ull << 30;

struct Job {
  std::string name;  // "osv:PyPI"
  std::string url;
  std::string file;  // "osv-PyPI-all.zip"
  bool zip = false;
};

// Path segments and file names from user-given names ("Rocky Linux").
std::string UrlEscape(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

std::string FileSafe(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out.push_back(std::isalnum(c) || c == '.' || c == '-' ? static_cast<char>(c) : '_');
  return out;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::vector<Job> Jobs(const UpdateOptions& options) {
  std::string mirror = TrimSlash(options.mirror);
  std::string osv = mirror.empty() ? kOsvBase : mirror + "/osv";
  std::string alpine = mirror.empty() ? kAlpineBase : mirror + "/alpine";
  std::string debian = mirror.empty() ? kDebianUrl : mirror + "/debian/json";
  std::vector<Job> jobs;
  for (const std::string& eco : options.ecosystems) {
    std::string url = osv + "/" + UrlEscape(eco) + "/all.zip";
    jobs.push_back({"osv:" + eco, url, "osv-" + FileSafe(eco) + "-all.zip", true});
  }
  for (const std::string& branch : options.alpine_branches) {
    for (const std::string& repo : options.alpine_repos) {
      std::string url = alpine + "/" + UrlEscape(branch) + "/" + UrlEscape(repo) + ".json";
      std::string file = "alpine-" + FileSafe(branch) + "-" + FileSafe(repo) + ".json";
      jobs.push_back({"alpine-secdb:" + branch + "/" + repo, url, file, false});
    }
  }
  if (options.debian) jobs.push_back({"debian-tracker", debian, "debian-tracker.json", false});
  return jobs;
}

// "PK\5\6" within the last 64 KiB + 22 bytes (the record plus the longest
// archive comment).
bool HasEndOfCentralDirectory(const fs::path& zip, uint64_t size) {
  uint64_t tail = std::min<uint64_t>(size, 65535 + 22);
  std::ifstream in(zip, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(size - tail));
  std::string bytes(tail, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(tail))) return false;
  size_t at = bytes.rfind(std::string_view("PK\x05\x06", 4));
  return at != std::string::npos && at + 22 <= bytes.size();
}

// What arrived is whole: a zip whose every entry reads back (CRC checked
// by libarchive), or non-empty, well-formed JSON.
core::Status CheckDownload(const fs::path& part, const Job& job) {
  std::error_code ec;
  auto size = fs::file_size(part, ec);
  if (ec || size == 0) return core::Error(core::ErrorCode::kParseError, "the file is empty");
  if (job.zip) {
    // A zip ends with its central directory; libarchive's streaming reader
    // would not miss it, so look for the end record first.
    if (!HasEndOfCentralDirectory(part, size)) {
      return core::Error(core::ErrorCode::kParseError, "cut short (no end of central directory)");
    }
    int64_t entries = 0;
    RETURN_IF_ERROR(ForEachZipEntry(part, kMaxCheckedEntryBytes, [&](std::string_view, std::string_view) {
      ++entries;
      return core::Status::Ok();
    }));
    if (entries == 0) return core::Error(core::ErrorCode::kParseError, "the zip holds no files");
    return core::Status::Ok();
  }
  if (size > kMaxJsonBytes) return core::Error(core::ErrorCode::kTooLarge, "larger than 1 GiB");
  std::ifstream in(part, std::ios::binary);
  if (!nlohmann::json::accept(in)) {
    return core::Error(core::ErrorCode::kParseError, "not well-formed JSON");
  }
  return core::Status::Ok();
}

// Downloads one job into DIR/NAME.part, resuming over several attempts.
DownloadOutcome Fetch(const Job& job, const fs::path& part, const UpdateOptions& options) {
  DownloadRequest request;
  request.url = job.url;
  request.part = part;
  request.ca_file = options.ca_file;
  if (options.progress) {
    request.progress = [&](int64_t bytes, int64_t total) { options.progress({job.name, job.url, bytes, total}); };
  }
  DownloadOutcome outcome;
  bool resumed = false;
  for (int attempt = 0; attempt < std::max(1, options.attempts); ++attempt) {
    outcome = Download(request);
    resumed = resumed || outcome.resumed;
    if (outcome.status.ok() || !outcome.retryable) break;
  }
  outcome.resumed = resumed;
  return outcome;
}

// Check, import, then rename NAME.part -> NAME.
core::Status Install(VulnDb& db, const Job& job, const fs::path& part, const fs::path& final_path,
                     UpdateResult& result) {
  core::Status checked = CheckDownload(part, job);
  if (!checked.ok()) {
    std::error_code ec;
    fs::remove(part, ec);  // damaged: the next run starts over
    return core::Error(checked.code(), "rejected the download of " + job.url + ": " + checked.message());
  }
  ASSIGN_OR_RETURN(ImportSummary summary, ImportFileAs(db, part, job.url));
  for (ImportCount& count : summary.sources) result.imported.sources.push_back(std::move(count));
  std::error_code ec;
  fs::rename(part, final_path, ec);
  if (ec) return core::Error(core::ErrorCode::kIoError, final_path.string() + ": " + ec.message());
  return core::Status::Ok();
}

}  // namespace

core::Result<UpdateResult> UpdateDb(VulnDb& db, const UpdateOptions& options) {
  fs::path dir = options.download_dir;
  if (dir.empty()) {
    ASSIGN_OR_RETURN(DbStatus status, db.Status());
    dir = status.path.parent_path() / "downloads";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return core::Error(core::ErrorCode::kIoError, dir.string() + ": " + ec.message());
  std::vector<Job> jobs = Jobs(options);
  if (jobs.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "nothing to update: no sources selected");
  UpdateResult result;
  std::set<std::string> unreachable;
  core::Status first_error;
  size_t installed = 0;
  for (const Job& job : jobs) {
    std::string host = UrlHost(job.url);
    if (unreachable.count(host)) continue;  // offline: do not wait for each file
    fs::path part = dir / (job.file + ".part");
    DownloadOutcome outcome = Fetch(job, part, options);
    core::Status status = outcome.status;
    if (status.ok()) status = Install(db, job, part, dir / job.file, result);
    if (status.ok()) {
      ++installed;
      result.resumed += outcome.resumed ? 1 : 0;
      continue;
    }
    if (outcome.unreachable) unreachable.insert(host);
    if (first_error.ok()) first_error = status;
    result.failures.push_back(status.message());
  }
  if (installed == 0) return first_error;
  return result;
}

}  // namespace bulwark::vuln
