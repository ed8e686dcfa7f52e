// Reading a process from procfs. On a fake tree: every fact, hostile comm,
// socket resolution through the process's own net tables, a parent chain
// that loops or vanishes, a missing process. Live: a copy of `sleep` in a
// hidden temporary directory, started with a kernel-thread argv and an
// inherited TCP connection to a loopback listener this test made, then
// deleted; `bulwark triage` (library and CLI) must find the deleted exe
// and hash it, the disguise, this test in its parent chain and the socket.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "respond/live_process.hpp"
#include "respond/live_triage.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::WriteFile;

fs::path FakeTree() {
  fs::path root = bulwark::testing::MakeTempDir("live-proc-fake");
  fs::path p = root / "4242";
  WriteFile(p / "stat", "4242 (a) (b) S 77 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0\n");
  WriteFile(p / "status", "Name:\ta) (b\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
  WriteFile(p / "cmdline", std::string("[kworker/0:1-events]\0--stage2\0", 30));
  WriteFile(p / "maps", "1000-2000 r-xp 00000000 08:01 5 /tmp/.x/kw (deleted)\n3000-4000 rwxp 00000000 00:00 0\n"
                        "5000-60\n");
  WriteFile(p / "cgroup", "0::/docker/" + std::string(64, 'a') + "\n");
  WriteFile(p / "net" / "tcp",
            "  sl  local_address rem_address   st tx rx tr tm uid to inode\n"
            "   0: 0100007F:A2B4 0100007F:0D05 01 00000000:00000000 00:00000000 00000000 0 0 2222 1\n");
  WriteFile(p / "net" / "unix", "Num RefCount Protocol Flags Type St Inode Path\n"
                                "0000000000000000: 00000003 00000000 00000000 0001 03 3333 /run/x.sock\n");
  fs::create_directories(p / "fd");
  fs::create_symlink("socket:[2222]", p / "fd" / "3");
  fs::create_symlink("socket:[3333]", p / "fd" / "4");
  fs::create_symlink("socket:[9999]", p / "fd" / "5");  // in no table
  fs::create_symlink("/etc/shadow", p / "fd" / "6");
  fs::create_symlink("/tmp/.x/kw (deleted)", p / "exe");
  fs::create_symlink("/", p / "cwd");
  WriteFile(root / "77" / "stat", "77 (sh) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n");
  fs::create_symlink("/bin/sh", root / "77" / "exe");
  WriteFile(root / "1" / "stat", "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n");
  WriteFile(root / "stat", "cpu 1\nbtime 1700000000\n");
  return root;
}

TEST(LiveProcess, FakeTree) {
  fs::path root = FakeTree();
  auto p = ReadProcess(4242, ProcReadOptions{root.string()});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->comm, "a) (b");
  EXPECT_EQ(p->ppid, 77);
  ASSERT_EQ(p->argv.size(), 2u);
  EXPECT_EQ(p->argv[0], "[kworker/0:1-events]");
  EXPECT_TRUE(p->has_exe);
  EXPECT_TRUE(p->exe_deleted);
  EXPECT_EQ(p->exe, "/tmp/.x/kw");
  EXPECT_EQ(p->cwd, "/");
  EXPECT_EQ(p->uid.real, 1000);
  EXPECT_EQ(p->uid.effective, 0);
  EXPECT_EQ(p->start_time_unix, 1700000000 + 500 / sysconf(_SC_CLK_TCK));
  ASSERT_EQ(p->parents.size(), 2u);
  EXPECT_EQ(p->parents[0].pid, 77);
  EXPECT_EQ(p->parents[0].exe, "/bin/sh");
  EXPECT_EQ(p->parents[1].pid, 1);
  EXPECT_EQ(p->fd_count, 4u);
  ASSERT_EQ(p->sockets.size(), 3u);
  EXPECT_EQ(p->sockets[0].proto, "tcp");
  EXPECT_EQ(p->sockets[0].remote, "127.0.0.1:3333");
  EXPECT_EQ(p->sockets[1].proto, "unix");
  EXPECT_EQ(p->sockets[1].local, "/run/x.sock");
  EXPECT_EQ(p->sockets[2].proto, "socket");
  ASSERT_EQ(p->files.size(), 1u);
  EXPECT_EQ(p->files[0].target, "/etc/shadow");
  EXPECT_EQ(p->maps.malformed, 1u);
  EXPECT_EQ(p->maps.anon_exec.size(), 1u);
  ASSERT_TRUE(p->container);
  EXPECT_EQ(p->container->id, std::string(64, 'a'));
  fs::remove_all(root);
}

TEST(LiveProcess, BrokenTrees) {
  fs::path root = FakeTree();
  EXPECT_EQ(ReadProcess(5, ProcReadOptions{root.string()}).status().code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(ReadProcess(-1, ProcReadOptions{root.string()}).ok());
  // A parent loop (77's parent is 77) ends; a vanished parent becomes a note.
  WriteFile(root / "77" / "stat", "77 (sh) S 77 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n");
  auto loop = ReadProcess(4242, ProcReadOptions{root.string()});
  ASSERT_TRUE(loop.ok());
  EXPECT_EQ(loop->parents.size(), 1u);
  WriteFile(root / "77" / "stat", "garbage");
  auto gone = ReadProcess(4242, ProcReadOptions{root.string()});
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->parents.empty());
  EXPECT_FALSE(gone->notes.empty());
  // Missing files: still a report, with notes.
  fs::remove(root / "4242" / "maps");
  fs::remove_all(root / "4242" / "fd");
  fs::remove(root / "4242" / "exe");
  auto bare = ReadProcess(4242, ProcReadOptions{root.string()});
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->has_exe);
  EXPECT_GE(bare->notes.size(), 2u);
  WriteFile(root / "4242" / "stat", "4242 (x");
  EXPECT_EQ(ReadProcess(4242, ProcReadOptions{root.string()}).status().code(), core::ErrorCode::kParseError);
  fs::remove_all(root);
}

// A disguised, deleted copy of sleep holding a loopback TCP connection.
class Disguised : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir("live-proc") / ".hidden";
    fs::create_directories(dir_);
    exe_ = dir_ / "kworker";
    fs::copy_file(fs::exists("/bin/sleep") ? "/bin/sleep" : "/usr/bin/sleep", exe_);
    fs::permissions(exe_, fs::perms::owner_all);
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(listen(listener_, 1), 0);
    socklen_t len = sizeof(addr);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    int client = socket(AF_INET, SOCK_STREAM, 0);  // inherited by the child
    ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    std::string path = exe_.string();
    pid_ = fork();
    if (pid_ == 0) {
      char* argv[] = {const_cast<char*>("[kworker/0:1-events]"), const_cast<char*>("30"), nullptr};
      execv(path.c_str(), argv);
      _exit(127);
    }
    close(client);
    // Wait for the exec, then delete the file under the running process.
    for (int i = 0; i < 200 && ReadLink("/proc/" + std::to_string(pid_) + "/exe").value_or("") != path; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    fs::remove(exe_);
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (listener_ >= 0) close(listener_);
    fs::remove_all(dir_.parent_path());
  }
  fs::path dir_, exe_;
  int listener_ = -1;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(Disguised, TriagedAsAProcess) {
  auto sleep_file = TriageFile(fs::exists("/bin/sleep") ? "/bin/sleep" : "/usr/bin/sleep");
  ASSERT_TRUE(sleep_file.ok());
  LiveTriageOptions options;
  options.use_engine = false;
  auto r = TriagePid(pid_, options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->process);
  const ProcessFacts& p = *r->process;
  EXPECT_TRUE(p.exe_deleted);
  EXPECT_EQ(p.exe, exe_.string());
  EXPECT_EQ(r->hashes.sha256, sleep_file->hashes.sha256);  // read through /proc/PID/exe after deletion
  EXPECT_EQ(p.argv.at(0), "[kworker/0:1-events]");
  auto parent = std::find_if(p.parents.begin(), p.parents.end(), [](const ParentLink& l) { return l.pid == getpid(); });
  EXPECT_NE(parent, p.parents.end());
  EXPECT_EQ(p.parents.back().pid, 1);
  std::string remote = "127.0.0.1:" + std::to_string(port_);
  auto sock = std::find_if(p.sockets.begin(), p.sockets.end(), [&](const SocketInfo& s) { return s.remote == remote; });
  ASSERT_NE(sock, p.sockets.end());
  EXPECT_EQ(sock->proto, "tcp");
  EXPECT_EQ(sock->state, "ESTABLISHED");
  std::vector<std::string> signals;
  for (const auto& reason : r->assessment.reasons) signals.push_back(reason.signal);
  for (const char* id : {"proc-kernel-thread-name", "proc-exe-deleted", "proc-exe-hidden-dir"}) {
    EXPECT_NE(std::find(signals.begin(), signals.end(), id), signals.end()) << id;
  }
  EXPECT_EQ(r->assessment.verdict, Verdict::kMalicious);
}

TEST_F(Disguised, Cli) {
  using bulwark::testing::BulwarkBinary;
  using bulwark::testing::RunCommand;
  std::string pid = std::to_string(pid_);
  auto json = RunCommand({BulwarkBinary().string(), "triage", pid, "--format", "json"}, dir_.parent_path());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["target"]["kind"], "process");
  EXPECT_EQ(j["process"]["exe"]["deleted"], true);
  EXPECT_EQ(j["assessment"]["verdict"], "malicious");
  auto gate = RunCommand({BulwarkBinary().string(), "triage", "--pid", pid, "--fail-on", "suspicious",
                          "--exit-code", "9", "--format", "markdown"});
  EXPECT_EQ(gate.exit_code, 9);
  EXPECT_NE(gate.out.find("## Process"), std::string::npos);
  EXPECT_NE(gate.out.find("\\[kworker/0:1-events\\]"), std::string::npos) << "argv escaped in Markdown";
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", pid, "--exit-code", "4"}).exit_code, 4);
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", "/bin/true", "--exit-code", "4"}).exit_code, 0);
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", pid, "--fail-on", "bad"}).exit_code, 2);
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", "--pid", pid, "--container", "x"}).exit_code, 2);
  auto missing = RunCommand({BulwarkBinary().string(), "triage", "999999999"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("no such process"), std::string::npos) << missing.err;
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", "--pid", "4194304"}).exit_code, 3);  // no such process
}

}  // namespace
}  // namespace bulwark::respond
