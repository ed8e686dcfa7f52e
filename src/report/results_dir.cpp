// LoadResults: walk one directory (not its subdirectories), read each
// *.json within bounds and import it; every file that cannot be used becomes
// a diagnostic naming it.
#include "report/results_dir.hpp"

#include <algorithm>
#include <tuple>

#include "report/bounded_read.hpp"
#include "report/result_time.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;

// Directory entries looked at, JSON or not: a directory of millions of
// files is not read to the end.
constexpr size_t kMaxEntriesScanned = 100'000;
// Findings and alerts kept across all files (each costs about a kilobyte).
constexpr size_t kMaxTotalEntries = 500'000;

bool Inside(const fs::path& root, const fs::path& path) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

core::Status Refuse(core::ErrorCode code, const std::string& message) {
  return core::Error(code, message);
}

// A link is followed only when it stays in the directory; FIFOs, devices and
// subdirectories are never opened.
core::Result<fs::path> ResolveEntry(const fs::path& root, const fs::path& path) {
  std::error_code ec;
  fs::file_status link = fs::symlink_status(path, ec);
  if (ec) return Refuse(core::ErrorCode::kIoError, "cannot be examined: " + ec.message());
  fs::path real = path;
  if (fs::is_symlink(link)) {
    real = fs::canonical(path, ec);
    if (ec) return Refuse(core::ErrorCode::kNotFound, "is a broken symbolic link");
    if (!Inside(root, real)) {
      return Refuse(core::ErrorCode::kPermissionDenied,
                    "is a symbolic link out of the results directory: not followed");
    }
  }
  if (!fs::is_regular_file(fs::symlink_status(real, ec))) {
    return Refuse(core::ErrorCode::kInvalidArgument, "is not a regular file");
  }
  return real;
}

// *.json names, not hidden (SaveResult's temporary files are), sorted.
std::vector<std::string> ListJsonFiles(const fs::path& root, ResultSet& set, std::error_code& ec) {
  std::vector<std::string> names;
  size_t scanned = 0;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (++scanned > kMaxEntriesScanned) {
      set.diagnostics.push_back({{set.dir.string()},
                                 "more than " + std::to_string(kMaxEntriesScanned) +
                                     " entries: the rest were not looked at"});
      break;
    }
    std::string name = it->path().filename().string();
    if (name.size() > 5 && name[0] != '.' && name.compare(name.size() - 5, 5, ".json") == 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  if (names.size() > kMaxResultFiles) {
    set.diagnostics.push_back({{set.dir.string()},
                               std::to_string(names.size()) + " JSON files: only the first " +
                                   std::to_string(kMaxResultFiles) + " (by name) were read"});
    names.resize(kMaxResultFiles);
  }
  return names;
}

size_t EntryCount(const LoadedResult& r) {
  size_t n =
      r.report.findings.size() + r.report.fixed.size() + r.alerts.size() + r.model.threats.size();
  if (r.fix.before) n += r.fix.before->findings.size();
  if (r.fix.after) n += r.fix.after->findings.size();
  return n;
}

core::Result<LoadedResult> LoadOne(const fs::path& root, const std::string& name) {
  ASSIGN_OR_RETURN(fs::path real, ResolveEntry(root, root / name));
  ASSIGN_OR_RETURN(BoundedFile file, ReadBoundedFile(real, kMaxResultFileBytes, SymlinkPolicy::kRefuse));
  ASSIGN_OR_RETURN(LoadedResult result, ImportResultJson(file.text, name));
  if (result.run.time.empty()) {
    result.time_seconds = file.mtime;
    result.run.time = FormatIsoTime(file.mtime);
  }
  return result;
}

}  // namespace

core::Result<ResultSet> LoadResults(const std::filesystem::path& dir) {
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec)
    return core::Error(core::ErrorCode::kNotFound,
                       "results directory " + dir.string() + ": " + ec.message());
  if (!fs::is_directory(root, ec)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "results directory " + dir.string() + " is not a directory");
  }
  ResultSet set;
  set.dir = dir;
  std::vector<std::string> names = ListJsonFiles(root, set, ec);
  if (ec)
    return core::Error(core::ErrorCode::kIoError,
                       "cannot read " + dir.string() + ": " + ec.message());
  size_t total = 0;
  for (const std::string& name : names) {
    std::string where = (dir / name).string();
    auto loaded = LoadOne(root, name);
    if (!loaded.ok()) {
      std::string message = loaded.status().message();
      // Import errors name the file already; reading errors say what it is.
      if (message.rfind(name, 0) == 0) {
        message.erase(0, name.size());
        message.erase(0, message.find_first_not_of(": "));
      }
      set.diagnostics.push_back({{where}, "skipped: " + message});
      continue;
    }
    for (const std::string& w : loaded->warnings) set.diagnostics.push_back({{where}, w});
    total += EntryCount(*loaded);
    if (total > kMaxTotalEntries) {
      set.diagnostics.push_back(
          {{where},
           "more than " + std::to_string(kMaxTotalEntries) +
               " findings in the directory: this and later files were not read"});
      break;
    }
    set.results.push_back(std::move(loaded).value());
  }
  std::stable_sort(set.results.begin(), set.results.end(),
                   [](const LoadedResult& a, const LoadedResult& b) {
                     return std::tie(a.time_seconds, a.file) < std::tie(b.time_seconds, b.file);
                   });
  return set;
}

}  // namespace bulwark::report
