// The lab's seeded weaknesses (lab/vulnerable-app/WEAKNESSES.md) are each
// found by `bulwark audit` at exactly the documented line and column.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

struct Expected {
  const char* path;
  int line;
  int column;  // 0: not asserted
  const char* id;
  const char* severity;  // minimum severity expected
};

// IDs: BW-PY-020 hard-coded credential, BW-PY-001 shell command injection,
// BW-PY-005 eval, BW-PY-010 listen on all interfaces, BW-DF-001 no USER,
// BW-DF-002 no HEALTHCHECK, BW-DF-025 COPY . without .dockerignore,
// BW-CO-003 no cap_drop ALL, BW-CO-004 no no-new-privileges, BW-CO-005 writable
// root fs, BW-CO-006/007/008 no memory/CPU/PIDs limit, BW-CO-009 port on all
// interfaces, BW-CO-021 literal secret in environment.
constexpr Expected kSeeded[] = {
    {"app.py", 13, 1, "BW-PY-020", "high"},
    {"app.py", 33, 18, "BW-PY-001", "critical"},
    {"app.py", 42, 14, "BW-PY-005", "critical"},
    {"app.py", 47, 0, "BW-PY-010", "low"},
    {"Dockerfile", 3, 1, "BW-DF-001", "medium"},
    {"Dockerfile", 3, 1, "BW-DF-002", "low"},
    {"Dockerfile", 6, 0, "BW-DF-025", "low"},
    {"docker-compose.yml", 8, 9, "BW-CO-009", "medium"},
    {"docker-compose.yml", 13, 7, "BW-CO-021", "high"},
    {"docker-compose.yml", 24, 7, "BW-CO-021", "high"},
    {"docker-compose.yml", 4, 3, "BW-CO-003", "low"},
    {"docker-compose.yml", 4, 3, "BW-CO-004", "medium"},
    {"docker-compose.yml", 4, 3, "BW-CO-005", "medium"},
    {"docker-compose.yml", 4, 3, "BW-CO-006", "medium"},
    {"docker-compose.yml", 4, 3, "BW-CO-007", "low"},
    {"docker-compose.yml", 4, 3, "BW-CO-008", "medium"},
    {"docker-compose.yml", 20, 3, "BW-CO-003", "low"},
    {"docker-compose.yml", 20, 3, "BW-CO-004", "medium"},
    {"docker-compose.yml", 20, 3, "BW-CO-005", "medium"},
    {"docker-compose.yml", 20, 3, "BW-CO-006", "medium"},
    {"docker-compose.yml", 20, 3, "BW-CO-008", "medium"},
};

int Rank(const std::string& severity) {
  const char* order[] = {"info", "low", "medium", "high", "critical"};
  for (int i = 0; i < 5; ++i) {
    if (severity == order[i]) return i;
  }
  return -1;
}

nlohmann::json AuditLab() {
  auto r = RunCommand({BulwarkBinary().string(), "audit", (SourceDir() / "lab/vulnerable-app").string(),
                       "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST(LabAudit, EverySeededWeaknessAtItsExactLine) {
  nlohmann::json doc = AuditLab();
  for (const Expected& e : kSeeded) {
    bool found = false;
    for (const auto& f : doc["findings"]) {
      const auto& loc = f["location"];
      if (f["id"] != e.id || loc["path"] != e.path || loc["line"] != e.line) continue;
      if (e.column != 0 && loc["column"] != e.column) continue;
      EXPECT_GE(Rank(f["severity"]), Rank(e.severity)) << e.id << " at " << e.path << ":" << e.line;
      found = true;
    }
    EXPECT_TRUE(found) << "missing " << e.id << " at " << e.path << ":" << e.line << ":" << e.column;
  }
  EXPECT_TRUE(doc["diagnostics"].empty()) << doc["diagnostics"].dump(1);
}

TEST(LabAudit, WeaknessesDocumentMatchesTheTest) {
  // Every asserted row's file:line appears in WEAKNESSES.md, so the two stay in sync.
  std::string doc = ReadFile(SourceDir() / "lab/vulnerable-app/WEAKNESSES.md");
  for (const Expected& e : kSeeded) {
    std::string row = std::string("| ") + e.path + " | " + std::to_string(e.line) + " |";
    if (std::string(e.id) == "BW-PY-010" || std::string(e.id) == "BW-DF-025") continue;  // "also present" table
    EXPECT_NE(doc.find(row), std::string::npos) << row;
  }
}

TEST(LabAudit, NoFindingInsideCommentsOrDocstrings) {
  nlohmann::json doc = AuditLab();
  for (const auto& f : doc["findings"]) {
    if (f["location"]["path"] == "app.py") {
      int line = f["location"]["line"];
      EXPECT_GT(line, 6) << "finding in the module docstring: " << f.dump();
    }
  }
}

}  // namespace bulwark::testing
