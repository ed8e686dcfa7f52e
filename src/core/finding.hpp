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
// The inverse, for reports read back; an unknown name reads as kCode.
Category ParseCategory(std::string_view name);

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

// The CIS verdict of a host check (`audit --host`), docker-bench's statuses.
// kNone for findings of file audits and scans, which have no verdict.
enum class Verdict { kNone, kPass, kWarn, kInfo, kNote };

std::string_view VerdictName(Verdict verdict);  // "pass", "warn", "info", "note"; "" for kNone
// The inverse, any case; anything else reads as kNone.
Verdict ParseVerdict(std::string_view text);

// What a host check judged: the host, the daemon, a file, an image or a
// container (name and ID). Empty kind for findings that are about a file's
// content (their location says where).
struct Subject {
  std::string kind;  // "host" | "daemon" | "file" | "image" | "container" | ""
  std::string name;
  std::string id;
};

// Vulnerability findings (`scan`): the package found vulnerable.
struct PackageRef {
  std::string name;
  std::string version;
  std::string type;  // purl type: "deb", "pypi", ...
  std::string purl;
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
  // Host checks only (see Verdict and Subject above).
  Verdict verdict = Verdict::kNone;
  Subject subject;
  std::string evidence;  // the value or file that decided the verdict
  // With --baseline: "new" or "unchanged" (fixed ones are Report::fixed).
  std::string change;
  // Vulnerability findings only.
  PackageRef package;
  std::string installed;
  std::string fixed;                 // empty when no fix is known
  std::vector<std::string> aliases;  // other IDs (CVE, GHSA, PYSEC, DSA...)
  double cvss_score = 0;
  // With --vex: the VEX status that applied ("not_affected" findings are
  // dropped; "affected"/"under_investigation" are kept and marked).
  std::string vex_status;
};

// Input bulwark could not fully read or understand. Never fatal for a run.
struct Diagnostic {
  Location location;
  std::string message;
};

}  // namespace bulwark::core
