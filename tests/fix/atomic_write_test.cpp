#include "fix/atomic_write.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::ReadFile;
using bulwark::testing::WriteFile;

unsigned ModeOf(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

size_t EntriesIn(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicWriteFile, ReplacesContentAndKeepsTheMode) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  fs::path file = dir / "Dockerfile";
  WriteFile(file, "old\n");
  ::chmod(file.c_str(), 0640);
  ASSERT_TRUE(AtomicWriteFile(file, "new\n").ok());
  EXPECT_EQ(ReadFile(file), "new\n");
  EXPECT_EQ(ModeOf(file), 0640u);
  EXPECT_EQ(EntriesIn(dir), 1u) << "no temporary file left behind";
  fs::remove_all(dir);
}

TEST(AtomicWriteFile, KeepsTheOwnerWhenRunAsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "NOT ROOT: owner preservation needs root to chown the fixture";
  fs::path dir = MakeTempDir("bulwark-atomic");
  fs::path file = dir / "compose.yml";
  WriteFile(file, "services: {}\n");
  ASSERT_EQ(::chown(file.c_str(), 4242, 4343), 0);
  ASSERT_TRUE(AtomicWriteFile(file, "services:\n  web: {}\n").ok());
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 4242u);
  EXPECT_EQ(info.st_gid, 4343u);
  fs::remove_all(dir);
}

TEST(AtomicWriteFile, NewFilesGetTheRequestedModeNotTheUmask) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  mode_t old = ::umask(0);
  WriteOptions options;
  options.new_file_mode = 0600;
  core::Status st = AtomicWriteFile(dir / ".env", "K=V\n", options);
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(ModeOf(dir / ".env"), 0600u);
  fs::remove_all(dir);
}

TEST(AtomicWriteFile, RefusesSymlinks) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  WriteFile(dir / "target", "x\n");
  fs::create_symlink(dir / "target", dir / "link");
  core::Status st = AtomicWriteFile(dir / "link", "y\n");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("symbolic link"), std::string::npos);
  EXPECT_EQ(ReadFile(dir / "target"), "x\n");
  EXPECT_FALSE(ReadRegularFile(dir / "link").ok());
  fs::remove_all(dir);
}

// A write that fails half-way (the file size limit stops it, even for root)
// leaves the original intact and no temporary file behind. Runs in a child
// so the limit does not touch the test runner.
TEST(AtomicWriteFile, AFailingWriteLeavesTheOriginalIntact) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  fs::path file = dir / "docker-compose.yml";
  const std::string original = "services:\n  web:\n    image: x\n";
  WriteFile(file, original);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {1024, 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    core::Status st = AtomicWriteFile(file, std::string(64 * 1024, 'x'));
    ::_exit(st.ok() ? 0 : (st.code() == core::ErrorCode::kIoError ? 42 : 43));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42) << "the write should fail with an I/O error";
  EXPECT_EQ(ReadFile(file), original);
  EXPECT_EQ(EntriesIn(dir), 1u) << "the temporary file must be removed";
  fs::remove_all(dir);
}

TEST(WriteBackup, CopiesContentAndMode) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  fs::path file = dir / "daemon.json";
  WriteFile(file, "{}\n");
  ::chmod(file.c_str(), 0600);
  ASSERT_TRUE(WriteBackup(file).ok());
  EXPECT_EQ(ReadFile(dir / "daemon.json.bulwark.bak"), "{}\n");
  EXPECT_EQ(ModeOf(dir / "daemon.json.bulwark.bak"), 0600u);
  fs::remove_all(dir);
}

TEST(ReadRegularFile, NotFoundAndTooLarge) {
  fs::path dir = MakeTempDir("bulwark-atomic");
  EXPECT_EQ(ReadRegularFile(dir / "missing").status().code(), core::ErrorCode::kNotFound);
  WriteFile(dir / "big", std::string(100, 'x'));
  EXPECT_EQ(ReadRegularFile(dir / "big", 10).status().code(), core::ErrorCode::kTooLarge);
  EXPECT_EQ(*ReadRegularFile(dir / "big"), std::string(100, 'x'));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::fix
