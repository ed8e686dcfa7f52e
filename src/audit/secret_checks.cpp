#include "audit/secret_checks.hpp"
#include "audit/secret_store.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "audit/secret_patterns.hpp"

namespace bulwark::audit {
namespace {

using secrets::SecretHit;
using secrets::SecretPattern;

constexpr size_t kBinaryProbeBytes = 8192;
// A file with more confirmed secrets than this is a dump, not a config.
constexpr size_t kMaxHitsPerFile = 1000;

struct ScanState {
  std::string_view text;
  FileKind kind;
  const std::vector<SecretPattern>* patterns;
  std::vector<size_t> skip_until;  // per pattern, see SecretHit::skip_until
  std::vector<SecretHit> hits;
  bool truncated = false;
};

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/,
            void* context) {
  auto* state = static_cast<ScanState*>(context);
  const SecretPattern& pattern = (*state->patterns)[id];
  if (pattern.generic && state->kind != FileKind::kText) return 0;
  if (from < state->skip_until[id]) return 0;
  SecretHit hit;
  bool confirmed =
      pattern.confirm(state->text, static_cast<size_t>(from), static_cast<size_t>(to), &hit);
  state->skip_until[id] = std::max(state->skip_until[id], hit.skip_until);
  if (!confirmed) return 0;
  state->hits.push_back(std::move(hit));
  if (state->hits.size() >= kMaxHitsPerFile) {
    state->truncated = true;
    return 1;  // stop the scan
  }
  return 0;
}

// One finding per secret: overlapping candidates (two keywords of one key,
// a known token inside a generic value) keep the most specific one.
std::vector<SecretHit> ResolveOverlaps(std::vector<SecretHit> hits) {
  std::sort(hits.begin(), hits.end(), [](const SecretHit& a, const SecretHit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.generic != b.generic) return !a.generic;
    return a.end > b.end;
  });
  std::vector<SecretHit> kept;
  for (SecretHit& hit : hits) {
    if (!kept.empty() && hit.begin < kept.back().end) {
      if (kept.back().generic && !hit.generic) kept.back() = std::move(hit);
      continue;
    }
    kept.push_back(std::move(hit));
  }
  return kept;
}

bool LooksBinary(std::string_view content) {
  return content.substr(0, kBinaryProbeBytes).find('\0') != std::string_view::npos;
}

class SecretAnalyzer : public Analyzer {
 public:
  SecretAnalyzer(FileKind kind, std::shared_ptr<const SecretScanner> scanner, core::Status status)
      : kind_(kind), scanner_(std::move(scanner)), status_(std::move(status)) {}

  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    if (scanner_ != nullptr) {
      scanner_->Scan(file, kind_, sink);
    } else if (!reported_) {
      sink.Diagnose(core::Location{file.path, 0, 0, 0, 0},
                    "secrets scanner unavailable: " + status_.message());
      reported_ = true;
    }
  }

 private:
  FileKind kind_;
  std::shared_ptr<const SecretScanner> scanner_;
  core::Status status_;
  bool reported_ = false;
};

}  // namespace

core::Result<std::unique_ptr<SecretScanner>> SecretScanner::Create() {
  const std::vector<SecretPattern>& patterns = secrets::SecretPatterns();
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].expression);
    flags.push_back(patterns[i].flags | HS_FLAG_SOM_LEFTMOST);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &database,
                       &error) != HS_SUCCESS) {
    std::string message = "compiling secret patterns failed";
    if (error != nullptr) {
      message += " (pattern " + std::to_string(error->expression) + "): " + error->message;
      hs_free_compile_error(error);
    }
    return core::Error(core::ErrorCode::kInternal, message);
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(database, &scratch) != HS_SUCCESS) {
    hs_free_database(database);
    return core::Error(core::ErrorCode::kInternal, "allocating Hyperscan scratch space failed");
  }
  return std::unique_ptr<SecretScanner>(new SecretScanner(database, scratch));
}

SecretScanner::~SecretScanner() {
  hs_free_scratch(scratch_);
  hs_free_database(database_);
}

void SecretScanner::Scan(const core::SourceFile& file, FileKind kind,
                         core::FindingSink& sink) const {
  std::string_view text = file.content;
  if (text.empty() || LooksBinary(text) || IsProtectedSecretStore(file)) return;
  if (text.size() > UINT_MAX) {
    sink.Diagnose(core::Location{file.path, 0, 0, 0, 0}, "secrets: file too large to scan");
    return;
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(scratch_, &scratch) != HS_SUCCESS) {
    sink.Diagnose(core::Location{file.path, 0, 0, 0, 0}, "secrets: out of scratch memory");
    return;
  }
  const std::vector<SecretPattern>& patterns = secrets::SecretPatterns();
  ScanState state{text, kind, &patterns, std::vector<size_t>(patterns.size(), 0), {}, false};
  hs_scan(database_, text.data(), static_cast<unsigned>(text.size()), 0, scratch, OnMatch, &state);
  hs_free_scratch(scratch);
  if (state.truncated) {
    sink.Diagnose(core::Location{file.path, 0, 0, 0, 0},
                  "secrets: more than " + std::to_string(kMaxHitsPerFile) +
                      " secrets found; the rest of the file was not scanned");
  }
  if (state.hits.empty()) return;
  core::LineIndex index(text);
  for (SecretHit& hit : ResolveOverlaps(std::move(state.hits))) {
    auto [line, column] = index.Position(hit.begin);
    auto [end_line, end_column] = index.Position(hit.end);
    core::Location loc{file.path, line, column, end_line, end_column};
    if (hit.severity) {
      sink.ReportWithSeverity(hit.check_id, *hit.severity, std::move(loc), std::move(hit.message));
    } else {
      sink.Report(hit.check_id, std::move(loc), std::move(hit.message));
    }
  }
}

std::unique_ptr<Analyzer> MakeSecretAnalyzer(FileKind kind) {
  auto scanner = SecretScanner::Create();
  if (!scanner.ok()) return std::make_unique<SecretAnalyzer>(kind, nullptr, scanner.status());
  return MakeSecretAnalyzer(kind, std::shared_ptr<const SecretScanner>(std::move(scanner).value()));
}

std::unique_ptr<Analyzer> MakeSecretAnalyzer(FileKind kind,
                                             std::shared_ptr<const SecretScanner> scanner) {
  return std::make_unique<SecretAnalyzer>(kind, std::move(scanner), core::Status::Ok());
}

}  // namespace bulwark::audit
