// Finding, Location, Diagnostic: the data every checker produces and every
// renderer consumes. Plain value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/severity.hpp"

namespace bulwark::core {

enum class Category {
  kDockerfile,
  kCompose,
  kDaemon,
  kKubernetes,
  kCode,
  kSecret,
  kHost,
  kVulnerability,
};

std::string_view CategoryName(Category category);

// A position in a file. Lines and columns are 1-based; 0 means "unknown"
// (a finding about the whole file has line 0).
struct Location {
  std::string path;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;
};

struct References {
  std::vector<std::string> cis;     // CIS Docker Benchmark numbers, e.g. "4.1"
  std::vector<std::string> attack;  // MITRE ATT&CK technique IDs, e.g. "T1611"
  std::vector<std::string> nist;    // NIST SP 800-53 rev5 controls, e.g. "AC-6"
  std::vector<std::string> cwe;     // e.g. "CWE-250"
  std::vector<std::string> urls;
};

struct Finding {
  std::string id;
  std::string title;
  Severity severity = Severity::kInfo;
  Category category = Category::kCode;
  Location location;
  std::string message;
  std::string remediation;
  References references;
  bool fixable = false;
  std::string snippet;  // the source line, for renderers; may be empty
};

// Input bulwark could not fully read or understand. Never fatal for a run.
struct Diagnostic {
  Location location;
  std::string message;
};

}  // namespace bulwark::core
