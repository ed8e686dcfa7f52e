// Shared by the vulnerability-DB tests: the hand-made fixtures under
// tests/vuln/fixtures/vulndb/ and a fresh DB built from them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "test_support.hpp"
#include "vuln/db_import.hpp"
#include "vuln/vuln_db.hpp"

namespace bulwark::vuln::testing {

inline std::filesystem::path Fixtures() {
  return ::bulwark::testing::SourceDir() / "tests" / "vuln" / "fixtures" / "vulndb";
}

// A fresh temp dir, removed when the test program ends.
inline std::filesystem::path TempDir(const std::string& prefix) {
  struct Cleanup {
    std::vector<std::filesystem::path> dirs;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& dir : dirs) std::filesystem::remove_all(dir, ec);
    }
  };
  static Cleanup cleanup;
  cleanup.dirs.push_back(::bulwark::testing::MakeTempDir(prefix));
  return cleanup.dirs.back();
}

// A writable DB in a fresh temp dir.
inline std::unique_ptr<VulnDb> NewDb(const std::string& prefix, std::filesystem::path* path_out = nullptr) {
  std::filesystem::path path = TempDir(prefix) / "vuln.db";
  if (path_out) *path_out = path;
  auto db = VulnDb::Open(path, true);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// Every fixture (OSV PyPI/npm, OSV Debian, Alpine secdb, Debian tracker).
inline std::unique_ptr<VulnDb> FixtureDb(const std::string& prefix) {
  auto db = NewDb(prefix);
  if (!db) return nullptr;
  auto summary = ImportPaths(*db, {Fixtures() / "osv", Fixtures() / "osv-debian", Fixtures() / "alpine",
                                   Fixtures() / "debian" / "tracker.json"});
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return db;
}

}  // namespace bulwark::vuln::testing
