#include "audit/audit_runner.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>
#include <tuple>

namespace bulwark::audit {
namespace {

core::Result<std::string> ReadWhole(const std::filesystem::path& path, uint64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error(core::ErrorCode::kIoError, "cannot open file for reading");
  // Chunked, so a small file costs a small buffer (not `limit` bytes), and
  // reading stops as soon as the file proves larger than the limit.
  std::string content;
  char chunk[64 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<size_t>(in.gcount()));
    if (content.size() > limit) {
      return core::Error(core::ErrorCode::kTooLarge, "file grew past the size limit while reading");
    }
  }
  if (in.bad()) return core::Error(core::ErrorCode::kIoError, "read failed");
  return content;
}

// What one worker produced; merged after all workers end.
struct WorkerOutput {
  explicit WorkerOutput(const core::CheckRegistry& registry) : sink(registry) {}
  core::FindingSink sink;
  std::vector<core::Diagnostic> read_problems;
  std::map<std::string, core::InlineIgnores> inline_ignores;
  std::map<FileKind, int> files_by_kind;
  int files = 0;
  // Files of whole-set kinds, analysed after the parallel phase in file
  // order, so results never depend on which worker read what first.
  std::vector<std::tuple<size_t, FileKind, core::SourceFile>> deferred;
};

void AnalyzeByKind(const core::SourceFile& file, FileKind kind, CheckSuite& suite, core::FindingSink& sink) {
  if (auto it = suite.by_kind.find(kind); it != suite.by_kind.end() && it->second) {
    it->second->Analyze(file, sink);
  }
}

void RunWorker(const AuditOptions& options, const std::vector<DiscoveredFile>& files,
               std::atomic<size_t>& next, CheckSuite& suite, WorkerOutput& out) {
  for (size_t i = next++; i < files.size(); i = next++) {
    const DiscoveredFile& df = files[i];
    auto content = ReadWhole(df.absolute_path, options.discovery.max_file_size);
    if (!content.ok()) {
      out.read_problems.push_back({core::Location{df.relative_path}, content.status().message()});
      continue;
    }
    std::optional<FileKind> kind = ClassifyFile(df.absolute_path.filename().string(), *content);
    if (!kind) continue;  // binary
    core::SourceFile file{df.relative_path, df.absolute_path, std::move(content).value()};
    ++out.files;
    ++out.files_by_kind[*kind];
    if (options.honour_inline_ignores) {
      core::InlineIgnores ignores = core::InlineIgnores::Scan(file.content);
      if (!ignores.empty()) out.inline_ignores.emplace(file.path, std::move(ignores));
    }
    if (suite.secrets) suite.secrets(file, *kind, out.sink);
    if (suite.whole_set_kinds.count(*kind)) {
      out.deferred.emplace_back(i, *kind, std::move(file));
    } else {
      AnalyzeByKind(file, *kind, suite, out.sink);
    }
  }
  // Per-file analyzers finish here; whole-set ones once, by the caller.
  for (auto& [kind, analyzer] : suite.by_kind) {
    if (analyzer && !suite.whole_set_kinds.count(kind)) analyzer->Finish(out.sink);
  }
}

void Suppress(const AuditOptions& options, const std::map<std::string, core::InlineIgnores>& inline_ignores,
              core::Report& report) {
  std::vector<core::Finding> kept;
  kept.reserve(report.findings.size());
  for (core::Finding& f : report.findings) {
    std::optional<core::SuppressedFinding> hidden;
    if (const core::IgnoreRule* rule = options.ignore_file ? options.ignore_file->Match(f) : nullptr) {
      hidden = core::SuppressedFinding{f, "ignorefile:" + std::to_string(rule->line), rule->reason};
    } else if (options.honour_inline_ignores) {
      auto it = inline_ignores.find(f.location.path);
      if (it != inline_ignores.end()) {
        if (auto reason = it->second.Match(f)) hidden = core::SuppressedFinding{f, "inline", *reason};
      }
    }
    if (hidden) {
      ++report.suppressed;
      report.suppressed_findings.push_back(std::move(*hidden));
    } else if (options.severities.empty() || options.severities.count(f.severity)) {
      kept.push_back(std::move(f));
    }
  }
  report.findings = std::move(kept);
}

void Merge(WorkerOutput& out, AuditOutcome& outcome, std::map<std::string, core::InlineIgnores>& ignores) {
  core::Report& report = outcome.report;
  for (auto& f : out.sink.findings()) report.findings.push_back(std::move(f));
  for (auto& d : out.read_problems) report.diagnostics.push_back(std::move(d));
  for (auto& d : out.sink.diagnostics()) report.diagnostics.push_back(std::move(d));
  for (auto& [path, ig] : out.inline_ignores) ignores.emplace(path, std::move(ig));
  for (auto [kind, n] : out.files_by_kind) report.files_by_kind[FileKindName(kind)] += n;
  report.files_examined += out.files;
}

void SortDiagnostics(std::vector<core::Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
    return std::tie(a.location.path, a.location.line, a.location.column) <
           std::tie(b.location.path, b.location.line, b.location.column);
  });
}

// The shared steps of both entry points; `suites` holds one suite per worker,
// the first of which owns the whole-set analyzers.
core::Result<AuditOutcome> Run(const AuditOptions& options, const core::CheckRegistry& registry,
                               std::vector<CheckSuite*> suites) {
  AuditOutcome outcome;
  core::Report& report = outcome.report;
  report.target = options.root.string();
  ASSIGN_OR_RETURN(std::vector<DiscoveredFile> files,
                   DiscoverFiles(options.root, options.discovery, report.diagnostics));
  std::atomic<size_t> next{0};
  std::vector<std::unique_ptr<WorkerOutput>> outputs;
  for (size_t i = 0; i < suites.size(); ++i) outputs.push_back(std::make_unique<WorkerOutput>(registry));
  if (suites.size() == 1) {
    RunWorker(options, files, next, *suites[0], *outputs[0]);
  } else {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < suites.size(); ++i) {
      threads.emplace_back(RunWorker, std::cref(options), std::cref(files), std::ref(next),
                           std::ref(*suites[i]), std::ref(*outputs[i]));
    }
    for (std::thread& t : threads) t.join();
  }
  CheckSuite& owner = *suites.front();
  std::vector<std::tuple<size_t, FileKind, core::SourceFile>> deferred;
  for (auto& out : outputs) {
    for (auto& d : out->deferred) deferred.push_back(std::move(d));
    out->deferred.clear();
  }
  std::sort(deferred.begin(), deferred.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  for (const auto& [index, kind, file] : deferred) AnalyzeByKind(file, kind, owner, outputs[0]->sink);
  for (FileKind kind : owner.whole_set_kinds) {
    if (auto& analyzer = owner.by_kind[kind]) analyzer->Finish(outputs[0]->sink);
  }
  std::map<std::string, core::InlineIgnores> inline_ignores;
  for (auto& out : outputs) Merge(*out, outcome, inline_ignores);
  Suppress(options, inline_ignores, report);
  core::SortFindings(report.findings);
  SortDiagnostics(report.diagnostics);
  outcome.files = std::move(files);
  return outcome;
}

}  // namespace

core::Result<AuditOutcome> RunAudit(const AuditOptions& options, const core::CheckRegistry& registry,
                                    CheckSuite& suite) {
  return Run(options, registry, {&suite});
}

core::Result<AuditOutcome> RunAuditParallel(const AuditOptions& options, const core::CheckRegistry& registry,
                                            const CheckSuiteFactory& factory, unsigned jobs) {
  jobs = std::clamp(jobs, 1u, 16u);
  std::vector<CheckSuite> suites;
  suites.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) {
    ASSIGN_OR_RETURN(CheckSuite suite, factory());
    suites.push_back(std::move(suite));
  }
  std::vector<CheckSuite*> pointers;
  for (CheckSuite& s : suites) pointers.push_back(&s);
  return Run(options, registry, pointers);
}

unsigned DefaultJobs() {
  unsigned n = std::thread::hardware_concurrency();
  return std::clamp(n == 0 ? 1u : n, 1u, 8u);
}

}  // namespace bulwark::audit
