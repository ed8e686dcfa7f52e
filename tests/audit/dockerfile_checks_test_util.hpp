// Helpers shared by the Dockerfile check tests: audit a text with every
// Dockerfile check and pick findings by ID, line and column.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/dockerfile_checks.hpp"

namespace bulwark::audit::dftest {

struct Audited {
  std::vector<core::Finding> findings;
  std::vector<core::Diagnostic> diagnostics;
};

inline const core::CheckRegistry& Registry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry r;
    core::Status status = RegisterDockerfileChecks(r);
    EXPECT_TRUE(status.ok()) << status.message();
    return r;
  }();
  return registry;
}

inline Audited Audit(const std::string& text, const std::filesystem::path& absolute = {}) {
  core::FindingSink sink(Registry());
  core::SourceFile file{"Dockerfile", absolute, text};
  MakeDockerfileAnalyzer()->Analyze(file, sink);
  return Audited{sink.findings(), sink.diagnostics()};
}

inline std::vector<const core::Finding*> Of(const Audited& a, std::string_view id) {
  std::vector<const core::Finding*> out;
  for (const core::Finding& f : a.findings) {
    if (f.id == id) out.push_back(&f);
  }
  return out;
}

inline std::vector<int> Lines(const Audited& a, std::string_view id) {
  std::vector<int> out;
  for (const core::Finding* f : Of(a, id)) out.push_back(f->location.line);
  return out;
}

inline std::vector<std::pair<int, int>> Places(const Audited& a, std::string_view id) {
  std::vector<std::pair<int, int>> out;
  for (const core::Finding* f : Of(a, id)) out.emplace_back(f->location.line, f->location.column);
  return out;
}

using V = std::vector<int>;
using P = std::vector<std::pair<int, int>>;

}  // namespace bulwark::audit::dftest
