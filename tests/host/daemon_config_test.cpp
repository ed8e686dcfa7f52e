// DaemonConfig: dockerd's command line parsed as pflag parses it, merged with
// daemon.json; never throws on odd input.
#include "host/daemon_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bulwark::host {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kFile = "/etc/docker/daemon.json";

DaemonConfig FromArgv(std::vector<std::string> argv) {
  return DaemonConfig::From(argv, json(), kFile);
}

std::vector<std::string> ValuesOf(const DaemonConfig& config, std::string_view key) {
  const DaemonOption* option = config.Find(key);
  return option == nullptr ? std::vector<std::string>{} : option->values;
}

TEST(DaemonConfigArgv, EqualsAndSpaceForms) {
  DaemonConfig config =
      FromArgv({"dockerd", "--log-level", "debug", "--icc=false", "--insecure-registry",
                "a.test:5000", "--insecure-registry=b.test:5000", "--live-restore", "--tlsverify",
                "--userland-proxy=false"});
  EXPECT_EQ(config.Value("log-level"), "debug");
  EXPECT_EQ(config.Bool("icc"), false);
  EXPECT_EQ(config.Bool("live-restore"), true);
  EXPECT_EQ(config.Bool("tlsverify"), true);
  EXPECT_EQ(config.Bool("userland-proxy"), false);
  EXPECT_THAT(ValuesOf(config, "insecure-registries"), ElementsAre("a.test:5000", "b.test:5000"));
  EXPECT_EQ(config.Find("icc")->source, "dockerd --icc=false");
  EXPECT_EQ(config.Find("log-level")->source, "dockerd --log-level debug");
  EXPECT_EQ(config.Find("insecure-registries")->source,
            "dockerd --insecure-registry a.test:5000 --insecure-registry=b.test:5000");
  EXPECT_TRUE(config.conflicts().empty());
}

TEST(DaemonConfigArgv, BooleanFlagAloneIsTrueAndTakesNoValue) {
  // pflag: "--icc false" is --icc (true) plus a stray positional argument.
  DaemonConfig config = FromArgv({"dockerd", "--icc", "false", "--debug", "-l", "warn"});
  EXPECT_EQ(config.Bool("icc"), true);
  EXPECT_EQ(config.Bool("debug"), true);
  EXPECT_EQ(config.Value("log-level"), "warn");
}

TEST(DaemonConfigArgv, GoBooleanSpellings) {
  EXPECT_EQ(FromArgv({"dockerd", "--icc=0"}).Bool("icc"), false);
  EXPECT_EQ(FromArgv({"dockerd", "--icc=F"}).Bool("icc"), false);
  EXPECT_EQ(FromArgv({"dockerd", "--icc=True"}).Bool("icc"), true);
  EXPECT_EQ(FromArgv({"dockerd", "--icc=t"}).Bool("icc"), true);
  EXPECT_EQ(FromArgv({"dockerd", "--icc=maybe"}).Bool("icc"), std::nullopt);
  EXPECT_EQ(FromArgv({"dockerd"}).Bool("icc"), std::nullopt);
  EXPECT_EQ(FromArgv({"dockerd", "--log-level=info"}).Bool("log-level"), std::nullopt);
}

TEST(DaemonConfigArgv, ShortForms) {
  DaemonConfig config = FromArgv({"dockerd", "-H", "fd://", "-Htcp://0.0.0.0:2375",
                                  "-H=unix:///x.sock", "-Dl", "debug", "-p", "/run/x.pid", "-G",
                                  "docker2", "-g", "/data", "-s", "overlay2", "-b", "none"});
  EXPECT_THAT(ValuesOf(config, "hosts"),
              ElementsAre("fd://", "tcp://0.0.0.0:2375", "unix:///x.sock"));
  EXPECT_EQ(config.Find("hosts")->source,
            "dockerd -H fd:// -Htcp://0.0.0.0:2375 -H=unix:///x.sock");
  EXPECT_EQ(config.Bool("debug"), true);
  EXPECT_EQ(config.Value("log-level"), "debug");
  EXPECT_EQ(config.Value("pidfile"), "/run/x.pid");
  EXPECT_EQ(config.Value("group"), "docker2");
  EXPECT_EQ(config.Value("data-root"), "/data");
  EXPECT_EQ(config.Value("storage-driver"), "overlay2");
  EXPECT_EQ(config.Value("bridge"), "none");
}

TEST(DaemonConfigArgv, RepeatableFlagsUseDaemonJsonKeys) {
  DaemonConfig config = FromArgv({"dockerd",
                                  "--host=unix:///a.sock",
                                  "--authorization-plugin",
                                  "authz",
                                  "--default-ulimit",
                                  "nofile=64000:64000",
                                  "--default-ulimit=nproc=1024",
                                  "--storage-opt",
                                  "dm.basesize=20G",
                                  "--log-opt",
                                  "max-size=10m",
                                  "--log-opt=max-file=3",
                                  "--exec-opt",
                                  "native.cgroupdriver=systemd",
                                  "--label",
                                  "a=b",
                                  "--dns",
                                  "1.1.1.1",
                                  "--dns",
                                  "8.8.8.8",
                                  "--registry-mirror",
                                  "https://m.test"});
  EXPECT_THAT(ValuesOf(config, "hosts"), ElementsAre("unix:///a.sock"));
  EXPECT_THAT(ValuesOf(config, "authorization-plugins"), ElementsAre("authz"));
  EXPECT_THAT(ValuesOf(config, "default-ulimits"), ElementsAre("nofile=64000:64000", "nproc=1024"));
  EXPECT_THAT(ValuesOf(config, "storage-opts"), ElementsAre("dm.basesize=20G"));
  EXPECT_THAT(ValuesOf(config, "log-opts"), ElementsAre("max-size=10m", "max-file=3"));
  EXPECT_THAT(ValuesOf(config, "exec-opts"), ElementsAre("native.cgroupdriver=systemd"));
  EXPECT_THAT(ValuesOf(config, "labels"), ElementsAre("a=b"));
  EXPECT_THAT(ValuesOf(config, "dns"), ElementsAre("1.1.1.1", "8.8.8.8"));
  EXPECT_THAT(ValuesOf(config, "registry-mirrors"), ElementsAre("https://m.test"));
  EXPECT_EQ(config.Find("insecure-registry"), nullptr);
  EXPECT_EQ(config.Find("host"), nullptr);
}

TEST(DaemonConfigArgv, ScalarGivenTwiceKeepsTheLast) {
  DaemonConfig config = FromArgv({"dockerd", "--log-level=debug", "--log-level", "info"});
  EXPECT_THAT(ValuesOf(config, "log-level"), ElementsAre("info"));
  EXPECT_EQ(config.Find("log-level")->source, "dockerd --log-level info");
}

TEST(DaemonConfigArgv, ValueFlagTakesTheNextArgumentWhateverItLooksLike) {
  DaemonConfig config = FromArgv({"dockerd", "--log-level", "--icc=false"});
  EXPECT_EQ(config.Value("log-level"), "--icc=false");
  EXPECT_EQ(config.Find("icc"), nullptr);
}

TEST(DaemonConfigArgv, TlsFlags) {
  DaemonConfig config =
      FromArgv({"dockerd", "--tls", "--tlscacert", "/certs/ca.pem", "--tlscert=/certs/cert.pem",
                "--tlskey", "/certs/key.pem", "--tlsverify=false"});
  EXPECT_EQ(config.Bool("tls"), true);
  EXPECT_EQ(config.Bool("tlsverify"), false);
  EXPECT_EQ(config.Value("tlscacert"), "/certs/ca.pem");
  EXPECT_EQ(config.Value("tlscert"), "/certs/cert.pem");
  EXPECT_EQ(config.Value("tlskey"), "/certs/key.pem");
}

TEST(DaemonConfigArgv, DoubleDashEndsTheFlags) {
  DaemonConfig config = FromArgv({"dockerd", "--debug", "--", "--icc=false"});
  EXPECT_EQ(config.Bool("debug"), true);
  EXPECT_EQ(config.Find("icc"), nullptr);
}

TEST(DaemonConfigArgv, UnknownFlagsAreKeptUnderTheirOwnName) {
  DaemonConfig config = FromArgv(
      {"dockerd", "--future-flag=x", "--future-bool", "--icc=false", "--future-value", "v", "-Z"});
  EXPECT_EQ(config.Value("future-flag"), "x");
  EXPECT_EQ(config.Bool("future-bool"), true);
  EXPECT_EQ(config.Bool("icc"), false);
  EXPECT_EQ(config.Value("future-value"), "v");
}

TEST(DaemonConfigArgv, OddCommandLinesDoNotCrash) {
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {},
           {"dockerd"},
           {"dockerd", "-"},
           {"dockerd", "--"},
           {"dockerd", "--="},
           {"dockerd", "--=x"},
           {"dockerd", "---"},
           {"dockerd", "--log-level"},
           {"dockerd", "-H"},
           {"dockerd", "-Dl"},
           {"dockerd", "-D=false"},
           {"dockerd", std::string(1 << 20, 'x')},
           {"dockerd", "--label=" + std::string(1 << 20, 'y')},
           {"dockerd", std::string("--icc\0=false", 12)},
       }) {
    DaemonConfig config = FromArgv(argv);
    (void)config.Value("log-level");
  }
  EXPECT_EQ(FromArgv({"dockerd", "--log-level"}).Value("log-level"), "");
  EXPECT_EQ(FromArgv({"dockerd", "-D=false"}).Bool("debug"), false);
  DaemonConfig big = FromArgv({"dockerd", "--label=" + std::string(1 << 20, 'y')});
  EXPECT_EQ(big.Value("labels").size(), size_t{1} << 20);
  EXPECT_LT(big.Find("labels")->source.size(), 300u);  // evidence stays readable
}

TEST(DaemonConfigPath, DefaultAndFlagForms) {
  EXPECT_EQ(DaemonConfig::ConfigFilePath({}), "/etc/docker/daemon.json");
  EXPECT_EQ(DaemonConfig::ConfigFilePath({"dockerd", "-H", "fd://"}), "/etc/docker/daemon.json");
  EXPECT_EQ(DaemonConfig::ConfigFilePath({"dockerd", "--config-file", "/etc/x.json"}),
            "/etc/x.json");
  EXPECT_EQ(DaemonConfig::ConfigFilePath({"dockerd", "--config-file=/y.json", "--debug"}),
            "/y.json");
  EXPECT_EQ(DaemonConfig::ConfigFilePath({"dockerd", "--config-file="}), "/etc/docker/daemon.json");
}

TEST(DaemonConfigFile, ValuesKeepTheirSourceAndObjectsSplitPerKey) {
  json file = json::parse(R"({
    "icc": false,
    "log-level": "info",
    "log-opts": {"max-size": "10m", "max-file": "3"},
    "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
    "insecure-registries": ["a.test:5000", "b.test:5000"],
    "shutdown-timeout": 30,
    "debug": true,
    "cgroup-parent": null
  })");
  DaemonConfig config = DaemonConfig::From({"dockerd"}, file, kFile);
  EXPECT_EQ(config.Bool("icc"), false);
  EXPECT_EQ(config.Find("icc")->source, "/etc/docker/daemon.json \"icc\": false");
  EXPECT_EQ(config.Value("log-level"), "info");
  EXPECT_EQ(config.Find("log-level")->source, "/etc/docker/daemon.json \"log-level\": \"info\"");
  EXPECT_THAT(ValuesOf(config, "log-opts"), ElementsAre("max-file=3", "max-size=10m"));
  EXPECT_THAT(ValuesOf(config, "default-ulimits"),
              ElementsAre("nofile={\"Hard\":64000,\"Name\":\"nofile\",\"Soft\":64000}"));
  EXPECT_THAT(ValuesOf(config, "insecure-registries"), ElementsAre("a.test:5000", "b.test:5000"));
  EXPECT_EQ(config.Value("shutdown-timeout"), "30");
  EXPECT_EQ(config.Bool("debug"), true);
  EXPECT_EQ(config.Find("cgroup-parent"), nullptr);  // null is "not set" for dockerd
  EXPECT_TRUE(config.conflicts().empty());
}

TEST(DaemonConfigFile, CommandLineAndFileMerge) {
  json file = json::parse(R"({"log-driver": "syslog", "hosts": ["unix:///run/a.sock"]})");
  DaemonConfig config =
      DaemonConfig::From({"dockerd", "--icc=false"}, file, "/etc/docker/other.json");
  EXPECT_EQ(config.Bool("icc"), false);
  EXPECT_EQ(config.Value("log-driver"), "syslog");
  EXPECT_THAT(ValuesOf(config, "hosts"), ElementsAre("unix:///run/a.sock"));
  EXPECT_EQ(config.Find("hosts")->source,
            "/etc/docker/other.json \"hosts\": [\"unix:///run/a.sock\"]");
}

TEST(DaemonConfigFile, OptionsSetBothWaysAreConflicts) {
  json file = json::parse(R"({"icc": true, "log-level": "info", "hosts": ["unix:///x.sock"]})");
  DaemonConfig config = DaemonConfig::From({"dockerd", "--icc=false", "-H", "fd://"}, file, kFile);
  EXPECT_THAT(config.conflicts(), ElementsAre("hosts", "icc"));
  // The running daemon has what its command line says.
  EXPECT_EQ(config.Bool("icc"), false);
  EXPECT_THAT(ValuesOf(config, "hosts"), ElementsAre("fd://"));
  EXPECT_THAT(config.Find("icc")->source, HasSubstr("dockerd --icc=false"));
  EXPECT_THAT(config.Find("icc")->source, HasSubstr("/etc/docker/daemon.json \"icc\": true"));
  EXPECT_EQ(config.Value("log-level"), "info");
}

TEST(DaemonConfigFile, NonObjectFilesAreIgnored) {
  for (const json& file : {json(), json::array({1, 2}), json("text"), json(3), json(true)}) {
    DaemonConfig config = DaemonConfig::From({"dockerd", "--debug"}, file, kFile);
    EXPECT_EQ(config.Bool("debug"), true);
    EXPECT_TRUE(config.conflicts().empty());
  }
}

TEST(DaemonConfigFile, OddValuesNeverThrow) {
  json file = json::parse(R"({
    "dns": [["8.8.8.8"], 1, null, {"a": 1}, 2.5, true],
    "icc": "false",
    "live-restore": 1,
    "labels": {},
    "hosts": [],
    "log-opts": {"max-size": 10, "nested": {"deep": [1]}}
  })");
  DaemonConfig config = DaemonConfig::From({"dockerd"}, file, kFile);
  EXPECT_THAT(ValuesOf(config, "dns"),
              ElementsAre("[\"8.8.8.8\"]", "1", "null", "{\"a\":1}", "2.5", "true"));
  EXPECT_EQ(config.Bool("icc"), false);  // a string dockerd would refuse; read for what it says
  EXPECT_EQ(config.Bool("live-restore"), true);
  EXPECT_TRUE(ValuesOf(config, "labels").empty());
  EXPECT_EQ(config.Value("hosts"), "");
  EXPECT_EQ(config.Bool("hosts"), std::nullopt);
  EXPECT_THAT(ValuesOf(config, "log-opts"), ElementsAre("max-size=10", "nested={\"deep\":[1]}"));
}

TEST(DaemonConfigFile, HugeDeepAndInvalidUtf8ValuesNeverThrow) {
  json deep = json::array();
  json* cursor = &deep;
  for (int i = 0; i < 2000; ++i) {
    cursor->push_back(json::array());
    cursor = &cursor->back();
  }
  json file = json::object();
  file["deep"] = std::move(deep);
  file["huge"] = std::string(2 << 20, 'h');
  file["bad-utf8"] = std::string("\xff\xfe", 2);
  file[std::string("\xc3", 1)] = "bad key";
  DaemonConfig config = DaemonConfig::From({"dockerd"}, file, kFile);
  EXPECT_THAT(config.Find("deep")->source, HasSubstr("nested too deeply"));
  EXPECT_EQ(config.Value("huge").size(), size_t{2} << 20);
  EXPECT_LT(config.Find("huge")->source.size(), 300u);
  EXPECT_NE(config.Find("bad-utf8"), nullptr);
}

TEST(DaemonConfigSet, ReplacesAnOption) {
  DaemonConfig config = FromArgv({"dockerd", "--icc=false"});
  config.Set("icc", DaemonOption{{"true"}, "test"});
  EXPECT_EQ(config.Bool("icc"), true);
  EXPECT_EQ(config.Find("icc")->source, "test");
}

}  // namespace
}  // namespace bulwark::host
