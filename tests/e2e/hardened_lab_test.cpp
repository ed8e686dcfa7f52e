// lab/hardened-app is what lab/harden.sh makes of lab/vulnerable-app
// (`bulwark fix --write` plus the hand-fixed code): regenerate it and compare,
// so the committed hardened service can never drift from what bulwark does.
// And the hardened service passes its own audit where the vulnerable one fails.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

TEST(HardenedLab, CommittedFilesAreWhatHardenProduces) {
  fs::path out = MakeTempDir("bulwark-hardened");
  auto r = RunCommand({(SourceDir() / "lab/harden.sh").string(), out.string()}, SourceDir(),
                      {"BULWARK=" + BulwarkBinary().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* file : {"Dockerfile", "docker-compose.yml", "app.py", ".gitignore", ".dockerignore"}) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(fs::exists(out / file));
    bool same = ReadFile(out / file) == ReadFile(SourceDir() / "lab/hardened-app" / file);
    EXPECT_TRUE(same) << "lab/hardened-app/" << file << " is stale: run `make -C lab harden` and commit it";
  }
  struct stat info {};
  ASSERT_EQ(::stat((out / ".env").c_str(), &info), 0) << "the secrets moved out of compose go to .env";
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  fs::remove_all(out);
}

std::map<std::string, int> Summary(const fs::path& dir) {
  auto r = RunCommand({BulwarkBinary().string(), "audit", dir.string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> counts;
  const nlohmann::json doc = nlohmann::json::parse(r.out);  // kept: the loop must not walk a temporary
  for (const auto& f : doc["findings"]) ++counts[f["severity"].get<std::string>()];
  return counts;
}

TEST(HardenedLab, NoCriticalOrHighFindingIsLeft) {
  fs::path out = MakeTempDir("bulwark-hardened");
  auto r = RunCommand({(SourceDir() / "lab/harden.sh").string(), out.string()}, SourceDir(),
                      {"BULWARK=" + BulwarkBinary().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto before = Summary(SourceDir() / "lab/vulnerable-app");
  auto after = Summary(out);
  EXPECT_GT(before["critical"] + before["high"], 0);
  EXPECT_EQ(after["critical"], 0);
  EXPECT_EQ(after["high"], 0);
  int total_before = 0, total_after = 0;
  for (const auto& [severity, n] : before) total_before += n;
  for (const auto& [severity, n] : after) total_after += n;
  EXPECT_LT(total_after * 3, total_before) << "hardening should remove most findings";
  fs::remove_all(out);
}

}  // namespace
}  // namespace bulwark::testing
