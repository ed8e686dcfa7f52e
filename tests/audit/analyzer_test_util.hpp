// For check tests: runs one analyzer over in-memory files (Analyze each, then
// Finish) and views the findings by check ID.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"

namespace bulwark::audit {

struct AnalyzerRun {
  std::vector<core::Finding> findings;
  std::vector<core::Diagnostic> diagnostics;

  std::vector<core::Finding> Of(std::string_view id) const {
    std::vector<core::Finding> out;
    for (const auto& f : findings) {
      if (f.id == id) out.push_back(f);
    }
    return out;
  }
  // "line:column" of each finding of a check.
  std::vector<std::string> At(std::string_view id) const {
    std::vector<std::string> out;
    for (const auto& f : Of(id)) {
      out.push_back(std::to_string(f.location.line) + ":" + std::to_string(f.location.column));
    }
    return out;
  }
};

inline AnalyzerRun RunAnalyzer(Analyzer& analyzer, const core::CheckRegistry& registry,
                               const std::vector<core::SourceFile>& files) {
  core::FindingSink sink(registry);
  for (const core::SourceFile& file : files) analyzer.Analyze(file, sink);
  analyzer.Finish(sink);
  return AnalyzerRun{sink.findings(), sink.diagnostics()};
}

}  // namespace bulwark::audit
