// `bulwark contain` end to end against the real Docker engine: a container
// of bulwark-lab/python-flask:bookworm on its own network, with an extra
// `sleep` process and a dropped file, is contained with --pid and
// --quarantine; the engine then shows it paused with no network, the process
// is gone, the file is gone from the container and sits in quarantine with
// mode 000 and its SHA-256, the export's hash matches the action log, and the
// snapshot image exists. Names carry this program's prefix; cleanup always runs.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "docker/container_api.hpp"
#include "docker/engine_client.hpp"
#include "respond/hashes.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::RunCommand;

constexpr const char* kImage = "bulwark-lab/python-flask:bookworm";
constexpr const char* kContainer = "respond_contain_docker_web";
constexpr const char* kNetwork = "respond_contain_docker_net";
constexpr const char* kSnapshotRepo = "bulwark-evidence/respond-contain-docker-web";
const std::string kPayload = "evil-payload: pretend this is a miner\n";

void Cleanup() {
  RunCommand({"docker", "unpause", kContainer});
  RunCommand({"docker", "rm", "-f", kContainer});
  RunCommand({"docker", "network", "rm", kNetwork});
  auto images = RunCommand({"docker", "images", "-q", kSnapshotRepo});
  std::istringstream ids(images.out);
  for (std::string id; ids >> id;) RunCommand({"docker", "rmi", "-f", id});
}

class ContainDocker : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!client_.Ping().ok()) GTEST_SKIP() << "NO DOCKER DAEMON, test not run";
    if (!client_.InspectImage(kImage).ok()) GTEST_SKIP() << "SKIPPED: no " << kImage << " (make test-deps)";
    Cleanup();
    evidence_ = testing::MakeTempDir("contain_docker") / "evidence";
    ASSERT_EQ(RunCommand({"docker", "network", "create", kNetwork}).exit_code, 0);
    auto run = RunCommand({"docker", "run", "-d", "--name", kContainer, "--network", kNetwork, "-e",
                           "DB_PASSWORD=do-not-print-me", kImage, "sleep", "600"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_EQ(RunCommand({"docker", "exec", "-d", kContainer, "sleep", "4242"}).exit_code, 0);
    ASSERT_EQ(RunCommand({"docker", "exec", kContainer, "sh", "-c", "printf '%s' \"$0\" > /tmp/.evil", kPayload})
                  .exit_code,
              0);
  }

  void TearDown() override {
    Cleanup();
    if (!evidence_.empty()) fs::remove_all(evidence_.parent_path());
  }

  // The host PID of `sleep 4242`, from the container's process list.
  int SleepPid() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      auto top = docker::TopContainer(client_, kContainer);
      if (top.ok()) {
        for (size_t i = 0; i < top->processes.size() && i < top->pids.size(); ++i) {
          if (top->processes[i].back().find("sleep 4242") != std::string::npos) return top->pids[i];
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
  }

  static bool ProcessGone(int pid) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string text;
      if (!stat || !std::getline(stat, text)) return true;
      size_t close = text.rfind(')');
      if (close != std::string::npos && text.compare(close + 2, 1, "Z") == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  docker::EngineClient client_;
  fs::path evidence_;
};

TEST_F(ContainDocker, IsolatesPausesKillsQuarantinesAndKeepsTheEvidence) {
  int pid = SleepPid();
  ASSERT_GT(pid, 0) << "sleep 4242 not found in the container's top";
  auto result = RunCommand({testing::BulwarkBinary().string(), "contain", kContainer, "--pid", std::to_string(pid),
                            "--quarantine", "/tmp/.evil", "--evidence-dir", evidence_.string(), "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  Json out = Json::parse(result.out);
  EXPECT_EQ(out["container"]["name"], kContainer);
  EXPECT_EQ(result.out.find("do-not-print-me"), std::string::npos);
  EXPECT_EQ(out["remediation"][1]["items"], Json({"DB_PASSWORD"}));

  // The engine's view: paused, on no network.
  auto info = docker::InspectContainer(client_, kContainer);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_TRUE(info->paused);
  EXPECT_TRUE(info->networks.empty());
  // The process is gone, the file is gone from the container.
  EXPECT_TRUE(ProcessGone(pid));
  auto archive = client_.Get("/containers/" + info->id + "/archive?path=/tmp/.evil");
  ASSERT_TRUE(archive.ok());
  EXPECT_EQ(archive->status, 404);

  // Quarantined: mode 000, named by its SHA-256.
  std::string sha = HashBytes({reinterpret_cast<const uint8_t*>(kPayload.data()), kPayload.size()}).sha256;
  struct stat st {};
  ASSERT_EQ(stat((evidence_ / "quarantine" / sha).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0u);
  EXPECT_EQ(static_cast<size_t>(st.st_size), kPayload.size());

  // The action log: every action ok, the export's hash matches the file.
  std::ifstream log(evidence_ / "actions.jsonl");
  std::vector<std::string> actions;
  std::string commit_detail;
  for (std::string line; std::getline(log, line);) {
    Json action = Json::parse(line);
    actions.push_back(action["action"].get<std::string>() + ":" + action["result"].get<std::string>());
    if (action["action"] == "export") {
      ASSERT_EQ(action["evidence"].size(), 1u);
      fs::path tar = evidence_ / action["evidence"][0]["path"].get<std::string>();
      EXPECT_GT(fs::file_size(tar), 1u << 20);
      EXPECT_EQ(HashFile(tar.string(), uint64_t{1} << 40)->sha256, action["evidence"][0]["sha256"]);
    }
    if (action["action"] == "commit") commit_detail = action["detail"];
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"inspect:ok", "top:ok", "export:ok", "commit:ok", "save-process:ok",
                                               "kill:ok", "quarantine:ok", "disconnect:ok", "pause:ok"}));
  // The snapshot image exists: "image <repo>:<tag> sha256:...".
  std::string image = commit_detail.substr(6, commit_detail.find(' ', 6) - 6);
  EXPECT_EQ(image.rfind(std::string(kSnapshotRepo) + ":", 0), 0u) << commit_detail;
  EXPECT_TRUE(client_.InspectImage(image).ok()) << image;
  // The executable of the killed process was kept.
  EXPECT_GT(fs::file_size(evidence_ / ("process-" + std::to_string(pid)) / "exe"), 1000u);
}

TEST_F(ContainDocker, DryRunChangesNothing) {
  int pid = SleepPid();
  ASSERT_GT(pid, 0);
  auto result = RunCommand({testing::BulwarkBinary().string(), "contain", kContainer, "--pid", std::to_string(pid),
                            "--quarantine", "/tmp/.evil", "--evidence-dir", evidence_.string(), "--dry-run"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("planned"), std::string::npos);
  EXPECT_FALSE(fs::exists(evidence_));
  auto info = docker::InspectContainer(client_, kContainer);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->paused);
  EXPECT_EQ(info->networks.size(), 1u);
  EXPECT_EQ(kill(pid, 0), 0);
  EXPECT_EQ(RunCommand({"docker", "exec", kContainer, "test", "-f", "/tmp/.evil"}).exit_code, 0);
}

TEST_F(ContainDocker, UnknownContainerExitsThree) {
  auto result = RunCommand({testing::BulwarkBinary().string(), "contain", "respond_contain_docker_none",
                            "--evidence-dir", evidence_.string()});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("no container 'respond_contain_docker_none'"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(evidence_));
}

}  // namespace
}  // namespace bulwark::respond
