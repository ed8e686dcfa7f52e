#include "audit/audit_runner.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace bulwark::audit {
namespace {

core::Result<std::string> ReadWhole(const std::filesystem::path& path, uint64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error(core::ErrorCode::kIoError, "cannot open file for reading");
  std::string content;
  content.resize(static_cast<size_t>(limit) + 1);
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) return core::Error(core::ErrorCode::kIoError, "read failed");
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > limit) return core::Error(core::ErrorCode::kTooLarge, "file grew past the size limit while reading");
  return content;
}

struct FileRecord {
  std::string path;
  core::InlineIgnores ignores;
};

void Analyze(const core::SourceFile& file, FileKind kind, CheckSuite& suite, core::FindingSink& sink) {
  if (auto it = suite.by_kind.find(kind); it != suite.by_kind.end() && it->second) {
    it->second->Analyze(file, sink);
  }
  if (suite.secrets) suite.secrets(file, kind, sink);
}

void Suppress(const AuditOptions& options, const std::map<std::string, core::InlineIgnores>& inline_ignores,
              core::Report& report) {
  std::vector<core::Finding> kept;
  kept.reserve(report.findings.size());
  for (core::Finding& f : report.findings) {
    bool hidden = options.ignore_file && options.ignore_file->Matches(f);
    if (!hidden && options.honour_inline_ignores) {
      auto it = inline_ignores.find(f.location.path);
      hidden = it != inline_ignores.end() && it->second.Matches(f);
    }
    if (hidden) {
      ++report.suppressed;
    } else if (options.severities.empty() || options.severities.count(f.severity)) {
      kept.push_back(std::move(f));
    }
  }
  report.findings = std::move(kept);
}

}  // namespace

core::Result<AuditOutcome> RunAudit(const AuditOptions& options, const core::CheckRegistry& registry,
                                    CheckSuite& suite) {
  AuditOutcome outcome;
  core::Report& report = outcome.report;
  report.target = options.root.string();
  ASSIGN_OR_RETURN(std::vector<DiscoveredFile> files,
                   DiscoverFiles(options.root, options.discovery, report.diagnostics));

  core::FindingSink sink(registry);
  std::map<std::string, core::InlineIgnores> inline_ignores;
  for (const DiscoveredFile& df : files) {
    auto content = ReadWhole(df.absolute_path, options.discovery.max_file_size);
    if (!content.ok()) {
      report.diagnostics.push_back({core::Location{df.relative_path}, content.status().message()});
      continue;
    }
    std::string name = df.absolute_path.filename().string();
    std::optional<FileKind> kind = ClassifyFile(name, *content);
    if (!kind) continue;  // binary
    core::SourceFile file{df.relative_path, df.absolute_path, std::move(content).value()};
    ++report.files_examined;
    ++outcome.files_by_kind[*kind];
    ++report.files_by_kind[FileKindName(*kind)];
    if (options.honour_inline_ignores) {
      core::InlineIgnores ignores = core::InlineIgnores::Scan(file.content);
      if (!ignores.empty()) inline_ignores.emplace(file.path, std::move(ignores));
    }
    Analyze(file, *kind, suite, sink);
  }
  for (auto& [kind, analyzer] : suite.by_kind) {
    if (analyzer) analyzer->Finish(sink);
  }
  report.findings = std::move(sink.findings());
  for (auto& d : sink.diagnostics()) report.diagnostics.push_back(std::move(d));
  Suppress(options, inline_ignores, report);
  core::SortFindings(report.findings);
  return outcome;
}

}  // namespace bulwark::audit
