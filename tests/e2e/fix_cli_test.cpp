// End-to-end tests of `bulwark fix` as users and scripts drive it: the diff
// applies with git and equals what --write does, --write keeps backups and
// is idempotent, a broken file is never touched while the others are fixed,
// --only/--skip choose checks, --daemon creates a missing daemon.json, and
// JSON output is a document scripts can read.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Bulwark(std::vector<std::string> args, const fs::path& cwd = {}) {
  args.insert(args.begin(), BulwarkBinary().string());
  return RunCommand(args, cwd);
}

// A copy of the lab's vulnerable service (Dockerfile, compose, code).
fs::path CopyLab() {
  fs::path dir = MakeTempDir("bulwark-fix-e2e");
  fs::copy(SourceDir() / "lab/vulnerable-app", dir, fs::copy_options::recursive);
  return dir;
}

std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = ReadFile(entry.path());
  }
  return files;
}

unsigned ModeOf(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(FixCli, DefaultIsADiffThatChangesNothing) {
  fs::path dir = CopyLab();
  auto before = Snapshot(dir);
  auto r = Bulwark({"fix", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--- a/Dockerfile\n+++ b/Dockerfile\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--- a/docker-compose.yml\n"), std::string::npos);
  EXPECT_NE(r.err.find("run with --write to apply"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(dir), before) << "a dry run must not write";
  fs::remove_all(dir);
}

TEST(FixCli, TheDiffAppliedWithGitEqualsWrite) {
  fs::path by_diff = CopyLab();
  fs::path by_write = CopyLab();
  auto diff = Bulwark({"fix", by_diff.string(), "--no-digests"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  WriteFile(by_diff / "fix.patch", diff.out);
  auto applied = RunCommand({"/usr/bin/git", "apply", "--unsafe-paths", "-p1", "fix.patch"}, by_diff);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  fs::remove(by_diff / "fix.patch");

  auto write = Bulwark({"fix", by_write.string(), "--write", "--no-backup", "--no-digests"});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(Snapshot(by_diff), Snapshot(by_write));
  // --write creates the .env owner-only; git only knows 644/755 modes, so the
  // summary of a dry run tells the user to chmod it.
  ASSERT_TRUE(fs::exists(by_write / ".env"));
  EXPECT_EQ(ModeOf(by_write / ".env"), 0600u);
  EXPECT_NE(diff.err.find("chmod 600 .env"), std::string::npos) << diff.err;
  ::chmod((by_diff / ".env").c_str(), 0600);
  fs::remove_all(by_diff);
  fs::remove_all(by_write);
}

TEST(FixCli, WriteKeepsBackupsReportsBeforeAfterAndIsIdempotent) {
  fs::path dir = CopyLab();
  std::string original = ReadFile(dir / "Dockerfile");
  auto r = Bulwark({"fix", dir.string(), "--write"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir / "Dockerfile.bulwark.bak"), original);
  EXPECT_NE(ReadFile(dir / "Dockerfile"), original);
  EXPECT_NE(r.err.find("audit before: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("audit after:  "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("second fix run would still change"), std::string::npos) << r.err;

  auto snapshot = Snapshot(dir);
  auto again = Bulwark({"fix", dir.string(), "--write"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_NE(again.err.find("nothing to change"), std::string::npos) << again.err;
  EXPECT_EQ(Snapshot(dir), snapshot);
  fs::remove_all(dir);
}

TEST(FixCli, ABrokenFileIsNeverTouchedAndTheOthersAreFixed) {
  fs::path dir = CopyLab();
  fs::create_directories(dir / "broken");
  // Unterminated flow sequence: not YAML.
  const std::string broken = "services:\n  web:\n    image: x\n    cap_add: [SYS_ADMIN\n";
  WriteFile(dir / "broken/docker-compose.yml", broken);
  std::string dockerfile = ReadFile(dir / "Dockerfile");
  auto r = Bulwark({"fix", dir.string(), "--write", "--no-backup"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("error: broken/docker-compose.yml: not checked or changed: "), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(dir / "broken/docker-compose.yml"), broken);
  EXPECT_NE(ReadFile(dir / "Dockerfile"), dockerfile);
  fs::remove_all(dir);
}

TEST(FixCli, OnlyAndSkipChooseChecks) {
  fs::path dir = CopyLab();
  auto only = Bulwark({"fix", dir.string(), "--only", "BW-DF-001", "--format", "json"});
  ASSERT_EQ(only.exit_code, 0) << only.err;
  auto doc = nlohmann::json::parse(only.out);
  ASSERT_EQ(doc["changes"].size(), 1u) << only.out;
  EXPECT_EQ(doc["changes"][0]["path"], "Dockerfile");
  EXPECT_EQ(doc["changes"][0]["fixed"].size(), 1u);
  EXPECT_EQ(doc["changes"][0]["fixed"]["BW-DF-001"], 1);
  EXPECT_FALSE(doc["write"].get<bool>());
  EXPECT_TRUE(doc["after"].is_null());

  auto skip = Bulwark({"fix", dir.string(), "--skip", "BW-DF-001,BW-DF-002", "--format", "json"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  const nlohmann::json skipped = nlohmann::json::parse(skip.out);  // kept: the loop must not walk a temporary
  for (const auto& change : skipped["changes"]) {
    EXPECT_EQ(change["fixed"].count("BW-DF-001"), 0u);
    EXPECT_EQ(change["fixed"].count("BW-DF-002"), 0u);
  }
  EXPECT_EQ(Bulwark({"fix", dir.string(), "--only", "BW-PY-005"}).exit_code, 2) << "code is not fixable";
  EXPECT_EQ(Bulwark({"fix", dir.string(), "--only", "BW-NOPE-1"}).exit_code, 2);
  EXPECT_EQ(Bulwark({"fix", dir.string(), "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(Bulwark({"fix", "/nonexistent/bulwark/target"}).exit_code, 3);
  fs::remove_all(dir);
}

TEST(FixCli, OneFileFixesThatFileAndItsSiblingsOnly) {
  fs::path dir = CopyLab();
  std::string compose = ReadFile(dir / "docker-compose.yml");
  auto r = Bulwark({"fix", (dir / "Dockerfile").string(), "--write", "--no-backup", "--no-digests"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(dir / "Dockerfile").find("USER 10001:10001"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / ".dockerignore"));
  EXPECT_EQ(ReadFile(dir / "docker-compose.yml"), compose);
  EXPECT_FALSE(fs::exists(dir / ".env"));
  fs::remove_all(dir);
}

TEST(FixCli, ExitCodeGatesPendingFixes) {
  fs::path dir = CopyLab();
  EXPECT_EQ(Bulwark({"fix", dir.string(), "--exit-code", "9", "-q"}).exit_code, 9);
  ASSERT_EQ(Bulwark({"fix", dir.string(), "--write", "-q"}).exit_code, 0);
  EXPECT_EQ(Bulwark({"fix", dir.string(), "--exit-code", "9", "-q"}).exit_code, 0);
  fs::remove_all(dir);
}

TEST(FixCli, DaemonCreatesAMissingFileAndSaysARestartIsNeeded) {
  fs::path dir = MakeTempDir("bulwark-fix-daemon");
  fs::path daemon = dir / "etc/docker/daemon.json";
  auto dry = Bulwark({"fix", "--daemon", daemon.string()});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("new file mode 100644"), std::string::npos) << dry.out;
  EXPECT_FALSE(fs::exists(daemon));

  auto r = Bulwark({"fix", "--daemon", daemon.string(), "--write"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(daemon));
  auto config = nlohmann::json::parse(ReadFile(daemon));
  EXPECT_EQ(config["icc"], false);
  EXPECT_EQ(config["no-new-privileges"], true);
  EXPECT_EQ(config["live-restore"], true);
  EXPECT_NE(r.err.find("restart"), std::string::npos) << r.err;
  auto again = Bulwark({"fix", "--daemon", daemon.string()});
  EXPECT_EQ(again.out, "") << "idempotent";
  fs::remove_all(dir);
}

TEST(FixCli, DaemonKeepsUnknownKeysAndTheOriginalInTheBackup) {
  fs::path dir = MakeTempDir("bulwark-fix-daemon");
  fs::path daemon = dir / "daemon.json";
  const std::string original = "{\n  \"data-root\": \"/srv/docker\",\n  \"x-site-note\": {\"owner\": \"ops\"}\n}\n";
  WriteFile(daemon, original);
  auto r = Bulwark({"fix", "--daemon", daemon.string(), "--write"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto config = nlohmann::json::parse(ReadFile(daemon));
  EXPECT_EQ(config["data-root"], "/srv/docker");
  EXPECT_EQ(config["x-site-note"]["owner"], "ops");
  EXPECT_EQ(ReadFile(dir / "daemon.json.bulwark.bak"), original);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::testing
