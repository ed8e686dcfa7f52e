// Gathers the incident report's inputs from the files the user named and
// from the results directory. Reads are bounded; a directory's entries are
// never followed through symbolic links; anything unreadable is a warning.
#include <algorithm>
#include <set>
#include <tuple>

#include "report/bounded_read.hpp"
#include "report/incident.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxEvidenceDirs = 200;

// The file's text, or nullopt (with a warning) when it cannot be read or
// is too large. `optional_file`: a missing file is not worth a warning.
// Files the user named are followed through links; files found inside an
// evidence directory are not (contain never writes links there).
std::optional<std::string> ReadBounded(const fs::path& path, std::vector<std::string>& warnings,
                                       SymlinkPolicy links, bool optional_file = false) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    if (!optional_file) warnings.push_back(path.string() + ": not found");
    return std::nullopt;
  }
  auto file = ReadBoundedFile(path, kMaxIncidentFileBytes, links);
  if (!file.ok()) {
    warnings.push_back(path.string() + ": " + file.status().message() + ", skipped");
    return std::nullopt;
  }
  return std::move(file->text);
}

bool IsRealDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(fs::symlink_status(path, ec)) && !ec;
}

void LoadEvidenceDir(const fs::path& dir, IncidentInputs& in) {
  auto contain = ReadBounded(dir / "contain.json", in.warnings, SymlinkPolicy::kRefuse, true);
  auto actions = ReadBounded(dir / "actions.jsonl", in.warnings, SymlinkPolicy::kRefuse, true);
  if (contain || actions) {
    auto c = ParseContainment(contain.value_or(""), actions.value_or(""), dir.string(), in.warnings);
    if (c) {
      in.containments.push_back(std::move(*c));
      in.sources.push_back((dir / (contain ? "contain.json" : "actions.jsonl")).string());
    }
  }
  // Triage reports saved beside the evidence (triage*.json).
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("triage", 0) != 0 || entry.path().extension() != ".json") continue;
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    if (auto text = ReadBounded(entry.path(), in.warnings, SymlinkPolicy::kRefuse)) {
      for (auto& t : ParseTriage(*text, entry.path().string(), in.warnings)) in.triages.push_back(std::move(t));
      in.sources.push_back(entry.path().string());
    }
  }
}

// results/incident/<container>-<time>/ directories, oldest name first.
std::vector<fs::path> IncidentSubdirs(const fs::path& results) {
  std::vector<fs::path> dirs;
  fs::path root = results / "incident";
  if (!IsRealDirectory(root)) return dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (dirs.size() >= kMaxEvidenceDirs) break;
    if (IsRealDirectory(entry.path())) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

void AddAlerts(std::vector<IncidentAlert> alerts, IncidentInputs& in) {
  for (auto& a : alerts) {
    if (in.alerts.size() >= kMaxIncidentAlerts) {
      in.warnings.push_back("more than " + std::to_string(kMaxIncidentAlerts) + " alerts: the rest were left out");
      return;
    }
    in.alerts.push_back(std::move(a));
  }
}

// The same alert may be both in watch's -o file and in its saved result.
void SortAndDeduplicate(std::vector<IncidentAlert>& alerts) {
  std::stable_sort(alerts.begin(), alerts.end(),
                   [](const IncidentAlert& a, const IncidentAlert& b) { return a.time_ns < b.time_ns; });
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::vector<IncidentAlert> unique;
  unique.reserve(alerts.size());
  for (auto& a : alerts) {
    if (seen.emplace(a.time, a.rule, a.output).second) unique.push_back(std::move(a));
  }
  alerts = std::move(unique);
}

void LoadResultsDir(const fs::path& dir, IncidentInputs& in) {
  auto loaded = LoadResults(dir);
  if (!loaded.ok()) {
    in.warnings.push_back(loaded.status().message());
    return;
  }
  for (const core::Diagnostic& d : loaded->diagnostics) {
    if (in.warnings.size() < 50) in.warnings.push_back(d.location.path + ": " + d.message);
  }
  // Watch results keep every field of their alerts in the file itself.
  for (const LoadedResult& r : loaded->results) {
    if (r.kind != ResultKind::kWatch) continue;
    fs::path file = dir / r.file;
    if (auto text = ReadBounded(file, in.warnings, SymlinkPolicy::kFollow)) {
      AddAlerts(ParseAlertLines(*text, file.string(), in.warnings), in);
      in.sources.push_back(file.string());
    }
  }
  for (const fs::path& sub : IncidentSubdirs(dir)) LoadEvidenceDir(sub, in);
  in.results = std::move(*loaded);
}

}  // namespace

IncidentInputs LoadIncidentInputs(const IncidentSources& sources) {
  IncidentInputs in;
  for (const std::string& file : sources.alert_files) {
    if (auto text = ReadBounded(file, in.warnings, SymlinkPolicy::kFollow)) {
      AddAlerts(ParseAlertLines(*text, file, in.warnings), in);
      in.sources.push_back(file);
    }
  }
  for (const std::string& dir : sources.evidence_dirs) {
    if (!fs::is_directory(dir)) {
      in.warnings.push_back(dir + ": not a directory (give contain's evidence directory)");
      continue;
    }
    LoadEvidenceDir(dir, in);
  }
  for (const std::string& file : sources.triage_files) {
    if (auto text = ReadBounded(file, in.warnings, SymlinkPolicy::kFollow)) {
      for (auto& t : ParseTriage(*text, file, in.warnings)) in.triages.push_back(std::move(t));
      in.sources.push_back(file);
    }
  }
  if (!sources.results_dir.empty() && IsRealDirectory(sources.results_dir)) {
    LoadResultsDir(sources.results_dir, in);
  }
  if (!sources.container_scope.empty()) {
    size_t before = in.alerts.size();
    std::erase_if(in.alerts, [&](const IncidentAlert& a) {
      std::string name = a.Field("container.name");
      return std::none_of(sources.container_scope.begin(), sources.container_scope.end(),
                          [&](const std::string& prefix) { return name.rfind(prefix, 0) == 0; });
    });
    if (before != in.alerts.size()) {
      in.sources.push_back(std::to_string(before - in.alerts.size()) +
                           " alert(s) outside the scope (containers named " + sources.container_scope.front() +
                           "...) left out");
    }
  }
  SortAndDeduplicate(in.alerts);
  // An evidence directory named with --evidence may also sit in results/incident/.
  std::set<std::string> dirs;
  std::erase_if(in.containments, [&](const Containment& c) {
    std::error_code ec;
    return !dirs.insert(fs::weakly_canonical(c.evidence_dir, ec).string()).second;
  });
  return in;
}

}  // namespace bulwark::report
