// FindDaemonProcess and ReadDaemonConfigFile against a fake host root:
// proc/<pid>/{comm,cmdline,status} for several daemons, daemon.json files,
// zombies and garbage.
#include "host/daemon_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_support.hpp"

namespace bulwark::host {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::MakeTempDir;
using testing::WriteFile;

class FakeRoot : public ::testing::Test {
 protected:
  void SetUp() override { root_ = MakeTempDir("bulwark-daemon-process"); }
  void TearDown() override { fs::remove_all(root_); }

  // A process: comm, NUL-separated cmdline, status with state and uid.
  void AddProcess(int pid, const std::string& comm, const std::vector<std::string>& argv,
                  uint32_t uid = 0, const std::string& state = "S (sleeping)") {
    fs::path dir = root_ / "proc" / std::to_string(pid);
    WriteFile(dir / "comm", comm + "\n");
    std::string cmdline;
    for (const std::string& arg : argv) cmdline += arg + '\0';
    WriteFile(dir / "cmdline", cmdline);
    std::string id = std::to_string(uid);
    WriteFile(dir / "status", "Name:\t" + comm + "\nState:\t" + state + "\nPid:\t" +
                                  std::to_string(pid) + "\nUid:\t" + id + "\t" + id + "\t" + id +
                                  "\t" + id + "\n");
  }
  void SetMountNamespace(int pid, const std::string& ns) {
    fs::path dir = root_ / "proc" / std::to_string(pid) / "ns";
    fs::create_directories(dir);
    fs::create_symlink(ns, dir / "mnt");
  }
  std::string root() const { return root_.string(); }

  fs::path root_;
};

TEST_F(FakeRoot, TwoDaemonsPicksTheOneServingTheSocketNotTheNewest) {
  // The host's daemon (default socket) and a newer test daemon on its own
  // socket: docker-bench's `pgrep -n dockerd` would take pid 200 for both.
  AddProcess(100, "dockerd", {"/usr/bin/dockerd", "--containerd=/run/containerd/containerd.sock"});
  AddProcess(200, "dockerd",
             {"dockerd", "-H", "unix:///tmp/test/docker.sock", "--data-root", "/tmp/test/data"});
  std::string why;
  auto host = FindDaemonProcess(root(), "/var/run/docker.sock", &why);
  ASSERT_TRUE(host) << why;
  EXPECT_EQ(host->pid, 100);
  EXPECT_EQ(host->argv.front(), "/usr/bin/dockerd");
  auto test = FindDaemonProcess(root(), "/tmp/test/docker.sock", &why);
  ASSERT_TRUE(test) << why;
  EXPECT_EQ(test->pid, 200);
  EXPECT_EQ(test->argv.size(), 5u);
}

TEST_F(FakeRoot, VarRunAndRunAreOneDirectory) {
  AddProcess(100, "dockerd", {"dockerd", "-H", "unix:///run/docker.sock"});
  AddProcess(200, "dockerd", {"dockerd", "-H", "unix:///var/run/other.sock"});
  EXPECT_EQ(FindDaemonProcess(root(), "/var/run/docker.sock", nullptr)->pid, 100);
  EXPECT_EQ(FindDaemonProcess(root(), "/run/docker.sock", nullptr)->pid, 100);
  EXPECT_EQ(FindDaemonProcess(root(), "/run/other.sock", nullptr)->pid, 200);
  EXPECT_EQ(FindDaemonProcess(root(), "//var/run//other.sock/", nullptr)->pid, 200);
}

TEST_F(FakeRoot, HostsOnlyInTheDaemonsOwnConfigFile) {
  AddProcess(100, "dockerd", {"dockerd", "-H", "fd://"});
  AddProcess(300, "dockerd", {"dockerd", "--config-file", "/etc/docker/other.json"});
  WriteFile(
      root_ / "etc/docker/other.json",
      R"({"hosts": ["unix:///run/other/docker.sock", "tcp://127.0.0.1:2375"], "debug": true})");
  // The host's daemon.json must not be taken for pid 300's.
  WriteFile(root_ / "etc/docker/daemon.json", R"({"hosts": ["unix:///run/wrong.sock"]})");
  std::string why;
  auto other = FindDaemonProcess(root(), "/var/run/other/docker.sock", &why);
  ASSERT_TRUE(other) << why;
  EXPECT_EQ(other->pid, 300);
  // fd:// is the socket systemd hands over: the default one.
  auto host = FindDaemonProcess(root(), "/var/run/docker.sock", &why);
  ASSERT_TRUE(host) << why;
  EXPECT_EQ(host->pid, 100);
  EXPECT_FALSE(FindDaemonProcess(root(), "/run/wrong.sock", nullptr));
}

TEST_F(FakeRoot, ZombiesAndGarbageAreSkipped) {
  AddProcess(50, "dockerd", {}, 0, "Z (zombie)");           // no command line
  AddProcess(60, "dockerd", {"dockerd"}, 0, "Z (zombie)");  // a zombie all the same
  AddProcess(70, "containerd", {"containerd", "-H", "unix:///var/run/docker.sock"});
  AddProcess(80, "dockerd-rootless", {"dockerd"});  // another program
  fs::create_directories(root_ / "proc/90");        // vanished mid-scan
  WriteFile(root_ / "proc/91", "a file, not a process");
  WriteFile(root_ / "proc/self/comm", "dockerd\n");
  WriteFile(root_ / "proc/99999999999999/comm", "dockerd\n");  // out of range
  WriteFile(root_ / "proc/-5/comm", "dockerd\n");
  WriteFile(root_ / "proc/92/comm", std::string(1 << 20, 'x'));
  AddProcess(93, "dockerd", {"dockerd", std::string("--config-file=/etc/docker/\xff.json")});
  WriteFile(root_ / "proc/93/status", "garbage\nUid:\tnot-a-number\n");
  AddProcess(100, "dockerd", {"dockerd"});
  std::string why;
  auto found = FindDaemonProcess(root(), "/var/run/docker.sock", &why);
  ASSERT_TRUE(found) << why;
  EXPECT_EQ(found->pid, 93);  // the lowest live dockerd on the default socket
  EXPECT_EQ(found->uid, 0u);
}

TEST_F(FakeRoot, NoMatchSaysWhichDaemonsListenWhere) {
  AddProcess(100, "dockerd", {"dockerd"});
  AddProcess(200, "dockerd", {"dockerd", "-H", "unix:///tmp/a.sock", "-H", "tcp://0.0.0.0:2375"});
  std::string why;
  EXPECT_FALSE(FindDaemonProcess(root(), "/tmp/nope.sock", &why));
  EXPECT_THAT(why, HasSubstr("no dockerd listens on unix:///tmp/nope.sock"));
  EXPECT_THAT(why, HasSubstr("pid 100 listens on unix:///var/run/docker.sock (default)"));
  EXPECT_THAT(why, HasSubstr("pid 200 listens on unix:///tmp/a.sock, tcp://0.0.0.0:2375"));
}

TEST_F(FakeRoot, NoDockerdAtAll) {
  AddProcess(1, "systemd", {"/sbin/init"});
  std::string why;
  EXPECT_FALSE(FindDaemonProcess(root(), "/var/run/docker.sock", &why));
  EXPECT_THAT(why, HasSubstr("/proc (the daemon may run in another PID namespace"));
}

TEST_F(FakeRoot, UnreadableProc) {
  std::string why;
  EXPECT_FALSE(FindDaemonProcess((root_ / "missing").string(), "/var/run/docker.sock", &why));
  EXPECT_THAT(why, HasSubstr("cannot read"));
}

TEST_F(FakeRoot, RootlessDaemonOnItsRuntimeDirSocket) {
  AddProcess(100, "dockerd", {"dockerd"});
  AddProcess(400, "dockerd", {"dockerd", "--rootless"}, 1000);
  WriteFile(root_ / "proc/400/environ",
            std::string("HOME=/home/u\0XDG_RUNTIME_DIR=/run/user/1000\0", 44));
  AddProcess(500, "dockerd", {"dockerd"}, 1001);  // no environ readable: /run/user/<uid>
  std::string why;
  auto rootless = FindDaemonProcess(root(), "/run/user/1000/docker.sock", &why);
  ASSERT_TRUE(rootless) << why;
  EXPECT_EQ(rootless->pid, 400);
  EXPECT_EQ(rootless->uid, 1000u);
  auto other = FindDaemonProcess(root(), "/run/user/1001/docker.sock", &why);
  ASSERT_TRUE(other) << why;
  EXPECT_EQ(other->pid, 500);
  EXPECT_EQ(FindDaemonProcess(root(), "/var/run/docker.sock", &why)->pid, 100);
}

TEST_F(FakeRoot, RootlessDaemonReadsItsOwnConfigFile) {
  // /etc/docker/daemon.json is the root daemon's; the rootless one reads
  // ~/.config/docker/daemon.json and listens where that says.
  WriteFile(root_ / "etc/docker/daemon.json", R"({"hosts": ["unix:///run/root.sock"]})");
  WriteFile(root_ / "etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nu:x:1000:1000::/home/u:/bin/sh\n");
  WriteFile(root_ / "home/u/.config/docker/daemon.json",
            R"({"hosts": ["unix:///run/user/1000/d.sock"]})");
  AddProcess(400, "dockerd", {"dockerd"}, 1000);  // environ unreadable: home from /etc/passwd
  DaemonProcess process{400, {"dockerd"}, 1000};
  EXPECT_EQ(DaemonConfigFilePath(root(), process), "/home/u/.config/docker/daemon.json");
  std::string why;
  auto found = FindDaemonProcess(root(), "/run/user/1000/d.sock", &why);
  ASSERT_TRUE(found) << why;
  EXPECT_EQ(found->pid, 400);

  WriteFile(root_ / "proc/400/environ", std::string("HOME=/home/v\0", 13));
  EXPECT_EQ(DaemonConfigFilePath(root(), process), "/home/v/.config/docker/daemon.json");
  WriteFile(root_ / "proc/400/environ", std::string("HOME=/home/v\0XDG_CONFIG_HOME=/cfg\0", 34));
  EXPECT_EQ(DaemonConfigFilePath(root(), process), "/cfg/docker/daemon.json");
  process.argv = {"dockerd", "--config-file=/etc/explicit.json"};
  EXPECT_EQ(DaemonConfigFilePath(root(), process), "/etc/explicit.json");
  EXPECT_EQ(DaemonConfigFilePath(root(), DaemonProcess{100, {"dockerd"}, 0}),
            "/etc/docker/daemon.json");
  EXPECT_EQ(DaemonConfigFilePath(root(), DaemonProcess{500, {"dockerd"}, 4242}),
            "/etc/docker/daemon.json");  // nothing known about uid 4242
}

TEST_F(FakeRoot, DockerInDockerPrefersTheHostsMountNamespace) {
  // Both listen on /var/run/docker.sock, in their own mount namespaces.
  AddProcess(1, "systemd", {"/sbin/init"});
  SetMountNamespace(1, "mnt:[4026531841]");
  AddProcess(800, "dockerd", {"dockerd", "--host=unix:///var/run/docker.sock"});
  SetMountNamespace(800, "mnt:[4026532999]");
  AddProcess(900, "dockerd", {"dockerd", "-H", "fd://"});
  SetMountNamespace(900, "mnt:[4026531841]");
  EXPECT_EQ(FindDaemonProcess(root(), "/var/run/docker.sock", nullptr)->pid, 900);
}

TEST(DaemonSockets, NormalizeAndList) {
  EXPECT_EQ(NormalizeSocketPath("unix:///var/run/docker.sock"), "/run/docker.sock");
  EXPECT_EQ(NormalizeSocketPath("/var/run"), "/run");
  EXPECT_EQ(NormalizeSocketPath("/var/runner/x.sock"), "/var/runner/x.sock");
  EXPECT_EQ(NormalizeSocketPath("//tmp//a.sock//"), "/tmp/a.sock");
  EXPECT_EQ(NormalizeSocketPath(""), "");
  DaemonConfig config =
      DaemonConfig::From({"dockerd", "-H", "fd://", "-H", "unix://", "-H", "unix:///tmp/x.sock",
                          "-H", "tcp://0.0.0.0:2375", "-H", ":2376", "-H", ""},
                         nlohmann::json(), "/etc/docker/daemon.json");
  EXPECT_EQ(DaemonUnixSockets(config),
            (std::vector<std::string>{"/run/docker.sock", "/run/docker.sock", "/tmp/x.sock",
                                      "/run/docker.sock"}));
  EXPECT_EQ(DaemonUnixSockets(DaemonConfig::From({"dockerd"}, nlohmann::json(), "")),
            std::vector<std::string>{"/run/docker.sock"});
}

class ConfigFile : public FakeRoot {
 protected:
  DaemonConfigFile Read(const std::string& content) {
    WriteFile(root_ / "etc/docker/daemon.json", content);
    return ReadDaemonConfigFile(root(), "/etc/docker/daemon.json");
  }
};

TEST_F(ConfigFile, Absent) {
  DaemonConfigFile file = ReadDaemonConfigFile(root(), "/etc/docker/daemon.json");
  EXPECT_FALSE(file.exists);
  EXPECT_TRUE(file.error.empty());
  EXPECT_TRUE(file.json.is_null());
  EXPECT_EQ(file.path, "/etc/docker/daemon.json");
}

TEST_F(ConfigFile, ValidObject) {
  DaemonConfigFile file = Read(R"({"icc": false, "log-opts": {"max-size": "10m"}})");
  EXPECT_TRUE(file.exists);
  EXPECT_TRUE(file.error.empty());
  EXPECT_EQ(file.json["icc"], false);
}

TEST_F(ConfigFile, EmptyFileIsAnEmptyConfiguration) {
  for (const char* text : {"", "  \n\t\r\n"}) {
    DaemonConfigFile file = Read(text);
    EXPECT_TRUE(file.exists);
    EXPECT_TRUE(file.error.empty());
    EXPECT_TRUE(file.json.is_object());
    EXPECT_TRUE(file.json.empty());
  }
}

TEST_F(ConfigFile, ParseErrorsNameTheFileAndPlace) {
  DaemonConfigFile file = Read("{\n  \"icc\": false,\n}\n");
  EXPECT_TRUE(file.exists);
  EXPECT_TRUE(file.json.is_null());
  EXPECT_THAT(file.error, HasSubstr("/etc/docker/daemon.json: parse error at line 3"));
  EXPECT_THAT(Read("{\"a\": 1} // comment").error, HasSubstr("parse error"));
  EXPECT_THAT(Read("{\"a\": \"\xff\"}").error, HasSubstr("parse error"));
}

TEST_F(ConfigFile, TopLevelMustBeAnObject) {
  DaemonConfigFile file = Read(R"(["icc", false])");
  EXPECT_THAT(file.error,
              HasSubstr("/etc/docker/daemon.json: the top level is a JSON array, not an object"));
  EXPECT_TRUE(file.json.is_null());
  EXPECT_THAT(Read("null").error, HasSubstr("null, not an object"));
}

TEST_F(ConfigFile, DeepNestingIsRefusedWithoutRecursion) {
  DaemonConfigFile file = Read(std::string(500000, '['));
  EXPECT_THAT(file.error, HasSubstr("nested deeper than 64 levels"));
  file = Read("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}");
  EXPECT_THAT(file.error, HasSubstr("nested deeper"));
}

TEST_F(ConfigFile, LargerThanOneMebibyteIsNotRead) {
  DaemonConfigFile file = Read("{\"labels\": [\"" + std::string(1 << 20, 'x') + "\"]}");
  EXPECT_TRUE(file.exists);
  EXPECT_THAT(file.error, HasSubstr("larger than 1 MiB"));
  EXPECT_TRUE(file.json.is_null());
}

TEST_F(ConfigFile, DirectoryAndFifoAreErrorsNotHangs) {
  fs::create_directories(root_ / "etc/docker/daemon.json");
  DaemonConfigFile dir = ReadDaemonConfigFile(root(), "/etc/docker/daemon.json");
  EXPECT_TRUE(dir.exists);
  EXPECT_THAT(dir.error, HasSubstr("/etc/docker/daemon.json: "));
  fs::create_directories(root_ / "etc/fifo");
  ASSERT_EQ(mkfifo((root_ / "etc/fifo/daemon.json").c_str(), 0600), 0);
  DaemonConfigFile fifo = ReadDaemonConfigFile(root(), "/etc/fifo/daemon.json");
  EXPECT_THAT(fifo.error, HasSubstr("not a regular file"));
}

TEST_F(ConfigFile, RootWithTrailingSlash) {
  WriteFile(root_ / "etc/docker/daemon.json", R"({"debug": true})");
  DaemonConfigFile file = ReadDaemonConfigFile(root() + "/", "/etc/docker/daemon.json");
  EXPECT_EQ(file.json["debug"], true);
}

}  // namespace
}  // namespace bulwark::host
