// Helpers shared by all test programs: paths to the source tree, the shared
// data folder (absent on a user's clone: tests that need it skip loudly), and
// a scratch directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace bulwark::testing {

std::filesystem::path SourceDir();
// ../shared/data beside the checkout, or BULWARK_SHARED_DATA; nullopt when absent.
std::optional<std::filesystem::path> SharedData();
std::string ReadFile(const std::filesystem::path& path);
// A fresh directory under the system temp dir, removed by the caller if wanted.
std::filesystem::path MakeTempDir(const std::string& prefix);
void WriteFile(const std::filesystem::path& path, const std::string& content);

}  // namespace bulwark::testing

// Skips with a loud message when ../shared/data is missing.
#define BULWARK_REQUIRE_SHARED_DATA(var)                                              \
  auto var##_opt = ::bulwark::testing::SharedData();                                  \
  if (!var##_opt) {                                                                    \
    GTEST_SKIP() << "SKIPPED: ../shared/data not found (conformance data is only "    \
                    "present in the development workspace; set BULWARK_SHARED_DATA)"; \
  }                                                                                    \
  const std::filesystem::path var = *var##_opt

namespace bulwark::testing {
// The built bulwark program (build/bulwark for the tree under test).
inline std::filesystem::path BulwarkBinary() {
  return std::filesystem::path(BULWARK_BINARY_DIR) / "bulwark";
}
}  // namespace bulwark::testing

#include <vector>

namespace bulwark::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the program could not be started or was killed
  std::string out;
  std::string err;
};

// Runs argv[0] with the given arguments (no shell), optionally in `cwd` and
// with extra environment entries ("NAME=value"); captures stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
                         const std::vector<std::string>& extra_env = {});

}  // namespace bulwark::testing
