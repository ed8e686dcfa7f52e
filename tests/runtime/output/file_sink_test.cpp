// The line sinks: stdout-style streams and the `-o FILE` appender (mode,
// append, flags, reopen after rotation by rename, delete, truncate and
// SIGHUP).
#include "runtime/output/file_sink.hpp"

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "runtime/output/stream_sink.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::output {
namespace {

namespace fs = std::filesystem;

Alert MakeAlert(const std::string& rule, uint64_t n = 0) {
  Alert a;
  a.time_ns = 1795428000000000000ULL + n;
  a.rule = rule;
  a.output = "output of " + rule;
  a.hostname = "h";
  return a;
}

std::vector<std::string> Lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(testing::ReadFile(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("bulwark-file-sink"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(StreamSink, WritesOneJsonLinePerAlert) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  StreamSink sink(fds[1], AlertFormat::kJson);
  EXPECT_EQ(sink.Name(), "stdout");
  ASSERT_TRUE(sink.Write(MakeAlert("a")).ok());
  ASSERT_TRUE(sink.Write(MakeAlert("b")).ok());
  close(fds[1]);
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, n);
  close(fds[0]);
  EXPECT_EQ(got, FormatAlertJson(MakeAlert("a")) + "\n" + FormatAlertJson(MakeAlert("b")) + "\n");
}

TEST(StreamSink, TextFormatAndWriteErrors) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  StreamSink sink(fds[1], AlertFormat::kText, "stderr");
  ASSERT_TRUE(sink.Write(MakeAlert("a")).ok());
  char buf[256] = {};
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  EXPECT_EQ(std::string(buf, n), "2026-11-23T10:00:00.000000000Z: Warning output of a\n");
  close(fds[0]);
  close(fds[1]);
  EXPECT_FALSE(sink.Write(MakeAlert("b")).ok());  // a closed descriptor is an error value
}

TEST_F(FileSinkTest, CreatesWithMode0600AndAppendsLines) {
  fs::path path = dir_ / "alerts.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  struct stat st = {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE((*sink)->Write(MakeAlert("one")).ok());
  // Each line is in the file as soon as Write returns: nothing is buffered.
  EXPECT_EQ(Lines(path).size(), 1u);
  ASSERT_TRUE((*sink)->Write(MakeAlert("two")).ok());
  EXPECT_EQ(Lines(path), (std::vector<std::string>{FormatAlertJson(MakeAlert("one")),
                                                   FormatAlertJson(MakeAlert("two"))}));
  EXPECT_EQ((*sink)->reopen_count(), 0u);
}

TEST_F(FileSinkTest, KeepsExistingContentAndMode) {
  fs::path path = dir_ / "alerts.log";
  testing::WriteFile(path, "earlier line\n");
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  auto sink = FileSink::Open(path, AlertFormat::kText);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write(MakeAlert("x")).ok());
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "earlier line");
  EXPECT_EQ(lines[1], FormatAlertText(MakeAlert("x")));
  struct stat st = {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(FileSinkTest, OpensWithAppendAndCloexec) {
  fs::path path = dir_ / "flags.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  // Find our descriptor in /proc/self/fd and read its flags from fdinfo.
  bool found = false;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (fs::read_symlink(entry.path(), ec) != path) continue;
    std::string info = testing::ReadFile("/proc/self/fdinfo/" + entry.path().filename().string());
    size_t at = info.find("flags:");
    ASSERT_NE(at, std::string::npos);
    unsigned long flags = std::stoul(info.substr(at + 6), nullptr, 8);
    EXPECT_TRUE(flags & O_APPEND);
    EXPECT_TRUE(flags & O_CLOEXEC);
    EXPECT_EQ(flags & O_ACCMODE, static_cast<unsigned long>(O_WRONLY));
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(FileSinkTest, ReopensAfterRotationByRename) {
  fs::path path = dir_ / "alerts.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write(MakeAlert("before")).ok());
  fs::rename(path, dir_ / "alerts.jsonl.1");  // logrotate's default
  ASSERT_TRUE((*sink)->Write(MakeAlert("after")).ok());
  EXPECT_EQ(Lines(dir_ / "alerts.jsonl.1"),
            std::vector<std::string>{FormatAlertJson(MakeAlert("before"))});
  EXPECT_EQ(Lines(path), std::vector<std::string>{FormatAlertJson(MakeAlert("after"))});
  EXPECT_EQ((*sink)->reopen_count(), 1u);
  struct stat st = {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileSinkTest, RecreatesADeletedFile) {
  fs::path path = dir_ / "alerts.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  fs::remove(path);
  ASSERT_TRUE((*sink)->Write(MakeAlert("again")).ok());
  EXPECT_EQ(Lines(path).size(), 1u);
}

TEST_F(FileSinkTest, CopyTruncateRotationWritesAtTheNewEnd) {
  fs::path path = dir_ / "alerts.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write(MakeAlert("old")).ok());
  fs::resize_file(path, 0);  // logrotate copytruncate
  ASSERT_TRUE((*sink)->Write(MakeAlert("new")).ok());
  // O_APPEND: no hole of NULs where the old line was.
  EXPECT_EQ(testing::ReadFile(path), FormatAlertJson(MakeAlert("new")) + "\n");
  EXPECT_EQ((*sink)->reopen_count(), 0u);
}

TEST_F(FileSinkTest, ReopensOnRequestAndOnSighup) {
  fs::path path = dir_ / "alerts.jsonl";
  auto sink = FileSink::Open(path, AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write(MakeAlert("a")).ok());
  RequestFileSinkReopen();
  ASSERT_TRUE((*sink)->Write(MakeAlert("b")).ok());
  EXPECT_EQ((*sink)->reopen_count(), 1u);

  ASSERT_TRUE(InstallSighupReopen().ok());
  // The file did not move: only the signal makes the sink reopen it.
  ASSERT_EQ(raise(SIGHUP), 0);
  ASSERT_TRUE((*sink)->Write(MakeAlert("c")).ok());
  EXPECT_EQ((*sink)->reopen_count(), 2u);
  ASSERT_TRUE((*sink)->Write(MakeAlert("d")).ok());
  EXPECT_EQ((*sink)->reopen_count(), 2u);  // one request, one reopen
  EXPECT_EQ(Lines(path).size(), 4u);
  signal(SIGHUP, SIG_DFL);
}

TEST_F(FileSinkTest, BadPathIsAnErrorNamingThePath) {
  auto sink = FileSink::Open(dir_ / "missing" / "alerts.jsonl", AlertFormat::kJson);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.status().message().find("missing/alerts.jsonl"), std::string::npos);
}

TEST_F(FileSinkTest, WriteAfterTheDirectoryVanishedIsAnErrorThenRecovers) {
  fs::path sub = dir_ / "logs";
  fs::create_directory(sub);
  auto sink = FileSink::Open(sub / "a.jsonl", AlertFormat::kJson);
  ASSERT_TRUE(sink.ok());
  fs::remove_all(sub);
  EXPECT_FALSE((*sink)->Write(MakeAlert("lost")).ok());
  fs::create_directory(sub);
  EXPECT_TRUE((*sink)->Write(MakeAlert("back")).ok());
  EXPECT_EQ(Lines(sub / "a.jsonl").size(), 1u);
}

}  // namespace
}  // namespace bulwark::runtime::output
