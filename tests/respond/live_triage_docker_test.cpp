// `bulwark triage --container` against the lab's intruder in a real
// container: the payload (lab/payload/kworker.c, built here) is copied into
// a container of the lab's base image, the stand-in pool (pool.py) started
// first so the stratum connection exists, and the payload run with a short
// --max-seconds. Triage must find the disguised process and call the
// container malicious with the stratum IOC, the YARA miner rule, the
// kernel-thread masquerade and the mining connection; a file inside the
// container is triaged through its root, and a symlink planted there to a
// host-only file must not reach the host. The kill switch stops the
// payload and the container is removed, also when an assertion fails.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "docker/engine_client.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

using bulwark::testing::BulwarkBinary;
using bulwark::testing::RunCommand;
using nlohmann::json;

constexpr const char* kImage = "bulwark-lab/python-flask:bookworm";

// Stops the payload with its kill switch and removes the container.
struct ContainerGuard {
  std::string name;
  ~ContainerGuard() {
    RunCommand({"docker", "exec", name, "touch", "/tmp/.bulwark-lab-stop"});
    RunCommand({"docker", "rm", "-f", name});
  }
};

bool Contains(const json& list, const std::string& value) {
  return std::any_of(list.begin(), list.end(), [&](const json& v) { return v == value; });
}

// The full report of the disguised process, or null.
json PayloadReport(const json& container_report) {
  for (const auto& r : container_report["suspicious"]) {
    if (r["process"]["comm"] == "kworker/0:1") return r;
  }
  return nullptr;
}

bool HasMiningConnection(const json& report) {
  for (const auto& s : report["process"]["sockets"]) {
    if (s["remote"] == "127.0.0.1:3333" && s["state"] == "ESTABLISHED") return true;
  }
  return false;
}

TEST(LiveTriageDocker, FindsTheLabIntruder) {
  docker::EngineClient client;
  core::Status ping = client.Ping();
  if (!ping.ok()) GTEST_SKIP() << "NO DOCKER DAEMON, test not run: " << ping.message();
  ASSERT_TRUE(client.InspectImage(kImage).ok()) << kImage << " is missing (scripts/build-base-images.sh)";
  auto dir = bulwark::testing::MakeTempDir("live-triage-docker");
  std::string payload = (dir / "kworker").string();
  auto cc = RunCommand({"cc", "-O2", "-o", payload, (bulwark::testing::SourceDir() / "lab/payload/kworker.c").string()});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;

  ContainerGuard guard{"respond_live_triage_docker-" + std::to_string(getpid())};
  RunCommand({"docker", "rm", "-f", guard.name});
  auto run = RunCommand({"docker", "run", "-d", "--name", guard.name, "--label", "bulwark.test=live-triage", kImage,
                         "sleep", "300"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(RunCommand({"docker", "cp", payload, guard.name + ":/tmp/kworker"}).exit_code, 0);
  ASSERT_EQ(RunCommand({"docker", "cp", (bulwark::testing::SourceDir() / "lab/payload/pool.py").string(),
                        guard.name + ":/tmp/pool.py"}).exit_code, 0);
  ASSERT_EQ(RunCommand({"docker", "exec", "-d", guard.name, "python3", "/tmp/pool.py", "--max-seconds", "90"}).exit_code, 0);
  bool listening = false;
  for (int i = 0; i < 50 && !listening; ++i) {
    listening = RunCommand({"docker", "exec", guard.name, "python3", "-c",
                            "import socket; socket.create_connection(('127.0.0.1', 3333), 1).close()"}).exit_code == 0;
    if (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(listening) << "pool.py did not listen on 3333";
  auto attack = RunCommand({"docker", "exec", guard.name, "/tmp/kworker", "--max-seconds", "60"});
  ASSERT_EQ(attack.exit_code, 0) << attack.err;

  json report, kworker;
  for (int i = 0; i < 40; ++i) {  // until the disguised stage is up and connected
    auto triage = RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name, "--format", "json"});
    ASSERT_EQ(triage.exit_code, 0) << triage.err;
    report = json::parse(triage.out);
    kworker = PayloadReport(report);
    if (!kworker.is_null() && HasMiningConnection(kworker)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_FALSE(kworker.is_null()) << report.dump(2).substr(0, 4000);
  EXPECT_EQ(report["target"]["name"], guard.name);
  EXPECT_EQ(report["target"]["image"], kImage);
  EXPECT_EQ(report["assessment"]["verdict"], "malicious");
  EXPECT_EQ(kworker["assessment"]["verdict"], "malicious");
  EXPECT_EQ(kworker["process"]["exe"]["path"], "/tmp/.ICE-unix/.kworker");
  EXPECT_EQ(kworker["process"]["argv"][0], "[kworker/0:1-events]");
  EXPECT_TRUE(HasMiningConnection(kworker)) << kworker["process"]["sockets"].dump();
  EXPECT_EQ(kworker["process"]["container"]["name"], guard.name);
  std::vector<std::string> signals;
  for (const auto& r : kworker["assessment"]["reasons"]) signals.push_back(r["signal"]);
  for (const char* id : {"proc-kernel-thread-name", "proc-mining-connection", "proc-exe-temp-dir",
                         "proc-exe-hidden-dir", "proc-exe-not-in-image", "miner-stratum-url"}) {
    EXPECT_NE(std::find(signals.begin(), signals.end(), id), signals.end()) << id;
  }
  bool stratum = false;
  for (const auto& ioc : kworker["iocs"]) stratum = stratum || (ioc["kind"] == "stratum_url" && ioc["value"] == "stratum+tcp://127.0.0.1:3333");
  EXPECT_TRUE(stratum);
  EXPECT_TRUE(Contains(kworker["assessment"]["attack"], "T1496"));
  EXPECT_TRUE(Contains(kworker["assessment"]["attack"], "T1036.004"));
  if (kworker["yara"]["ran"].get<bool>()) {
    bool miner_rule = false;
    for (const auto& m : kworker["yara"]["matches"]) miner_rule = miner_rule || m["rule"] == "BULWARK_Miner_Pool_Or_Options";
    EXPECT_TRUE(miner_rule);
  }
  // The pool and the sleeping init are listed but not out of place.
  bool sleep_listed = false;
  for (const auto& p : report["processes"]) {
    if (p["comm"] == "sleep") {
      sleep_listed = true;
      EXPECT_TRUE(p["why"].empty()) << p.dump();
    }
  }
  EXPECT_TRUE(sleep_listed);
  auto text = RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name, "--fail-on", "malicious",
                          "--exit-code", "7"});
  EXPECT_EQ(text.exit_code, 7);
  EXPECT_NE(text.out.find("kworker/0:1"), std::string::npos);

  // A file inside the container, and a symlink that points at a host-only file.
  auto file = RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name, "/tmp/.ICE-unix/.kworker",
                          "--format", "json"});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  auto fj = json::parse(file.out);
  EXPECT_EQ(fj["target"]["kind"], "container-file");
  EXPECT_EQ(fj["assessment"]["verdict"], "malicious");
  bulwark::testing::WriteFile(dir / "host-only-secret", "host secret");
  ASSERT_EQ(RunCommand({"docker", "exec", guard.name, "ln", "-s", (dir / "host-only-secret").string(),
                        "/tmp/escape"}).exit_code, 0);
  auto escape = RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name, "/tmp/escape"});
  EXPECT_EQ(escape.exit_code, 3) << escape.out;
  auto dots = RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name,
                          "../../../../.." + (dir / "host-only-secret").string()});
  EXPECT_EQ(dots.exit_code, 3) << dots.out;
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", "--container", guard.name + "-missing"}).exit_code, 3);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::respond
