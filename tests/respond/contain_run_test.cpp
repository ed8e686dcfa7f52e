// bulwark contain against a fake Docker Engine (tests/respond/fake_engine.hpp):
// the exact calls and their order, the action log, dry runs that change
// nothing, the daemon's refusals (404, 409, 500), a truncated and a stalled
// export, a --pid outside the container, a pre-existing evidence path.
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <map>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "docker/engine_client.hpp"
#include "fake_engine.hpp"
#include "respond/contain.hpp"
#include "respond/contain_render.hpp"
#include "respond/hashes.hpp"
#include "test_support.hpp"

extern char** environ;

namespace bulwark::respond {
namespace {

namespace fs = std::filesystem;
using testing::FakeReply;
using testing::FakeRequest;
using Json = nlohmann::json;

const std::string kId(64, 'a');
const std::string kExport = "fake tar bytes: the container's file system";

pid_t SpawnSleep() {
  pid_t pid = 0;
  const char* argv[] = {"sleep", "60", nullptr};
  if (posix_spawnp(&pid, "sleep", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) return -1;
  return pid;
}

std::string Sha256(const std::string& text) {
  return HashBytes({reinterpret_cast<const uint8_t*>(text.data()), text.size()}).sha256;
}

class ContainRun : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = testing::MakeTempDir("contain_run");
    root_ = work_ / "root";
    testing::WriteFile(root_ / "tmp/.evil", "dropped payload\n");
    target_pid_ = SpawnSleep();
    ASSERT_GT(target_pid_, 0);
    engine_ = std::make_unique<testing::FakeEngine>([this](const FakeRequest& r) { return Answer(r); });
    options_.container = "web";
    options_.evidence_dir = (work_ / "evidence").string();
    options_.container_root = root_.string();
    options_.pids = {target_pid_};
    options_.quarantine = {"/tmp/.evil"};
  }

  void TearDown() override {
    if (target_pid_ > 0) {
      kill(target_pid_, SIGKILL);
      waitpid(target_pid_, nullptr, 0);
    }
    engine_.reset();
    fs::remove_all(work_);
  }

  FakeReply Answer(const FakeRequest& request) {
    std::string key = request.method + " " + request.Path();
    if (auto it = overrides_.find(key); it != overrides_.end()) return it->second;
    if (key == "GET /containers/web/json") return {200, InspectJson()};
    if (key == "GET /containers/" + kId + "/top") return {200, TopJson()};
    if (key == "GET /containers/" + kId + "/export") return {200, kExport};
    if (key == "POST /commit") return {201, R"({"Id":"sha256:feed"})"};
    if (key == "GET /images/bulwark-lab/hardened-app:1.0/json") return {200, R"({"Id":"sha256:beef"})"};
    if (request.method == "POST") return {204, ""};
    return {404, R"({"message":"no such object"})"};
  }

  std::string InspectJson() const {
    Json doc = {{"Id", kId},
                {"Name", "/web"},
                {"Image", "sha256:0123"},
                {"State", {{"Running", true}, {"Paused", false}, {"Pid", 1}}},
                {"Config",
                 {{"Image", "bulwark-lab/vulnerable-app:1.0"},
                  {"Env", {"PATH=/usr/bin", "DB_PASSWORD=hunter2", "SECRET_KEY=s3cr3t-value", "LANG=C"}}}},
                {"NetworkSettings", {{"Networks", {{"frontend", {{"NetworkID", "net1"}}}, {"backend", {{"NetworkID", "net2"}}}}}}}};
    return doc.dump();
  }

  std::string TopJson() const {
    Json rows = Json::array();
    rows.push_back({"root", "1", "0", "python app.py"});
    if (pid_in_top_) rows.push_back({"root", std::to_string(target_pid_), "1", "sleep 60"});
    return Json{{"Titles", {"UID", "PID", "PPID", "CMD"}}, {"Processes", rows}}.dump();
  }

  core::Result<ContainReport> Run(long stall_seconds = 120) {
    docker::EngineClient client(engine_->socket_path());
    client.set_stall_timeout_seconds(stall_seconds);
    return Contain(client, options_);
  }

  std::vector<Json> LogLines() const {
    std::ifstream in(fs::path(options_.evidence_dir) / "actions.jsonl");
    std::vector<Json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
    return lines;
  }

  static std::vector<std::string> Actions(const ContainReport& report) {
    std::vector<std::string> out;
    for (const auto& a : report.actions) out.push_back(a.action + ":" + ActionResultName(a.result));
    return out;
  }

  const ActionRecord* Find(const ContainReport& report, const std::string& action) const {
    for (const auto& a : report.actions) {
      if (a.action == action) return &a;
    }
    return nullptr;
  }

  std::vector<std::string> ChangingCalls() {
    std::vector<std::string> out;
    for (const auto& call : engine_->Calls()) {
      if (call.rfind("POST", 0) == 0) out.push_back(call);
    }
    return out;
  }

  fs::path work_, root_;
  pid_t target_pid_ = -1;
  bool pid_in_top_ = true;
  std::map<std::string, FakeReply> overrides_;
  std::unique_ptr<testing::FakeEngine> engine_;
  ContainOptions options_;
};

TEST_F(ContainRun, EvidenceFirstThenKillQuarantineIsolatePauseInThatOrder) {
  auto report = Run();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::vector<std::string> expected_calls = {
      "GET /containers/web/json",
      "GET /containers/" + kId + "/top",
      "GET /containers/" + kId + "/export",
      "POST /commit",
      "POST /networks/net2/disconnect",  // backend, frontend: the daemon's map order
      "POST /networks/net1/disconnect",
      "POST /containers/" + kId + "/pause",
      "GET /images/bulwark-lab/hardened-app:1.0/json",  // remediation lookups, read only
  };
  std::vector<std::string> calls = engine_->Calls();
  ASSERT_GE(calls.size(), expected_calls.size());
  EXPECT_EQ(std::vector<std::string>(calls.begin(), calls.begin() + 8), expected_calls);
  EXPECT_EQ(Actions(*report),
            (std::vector<std::string>{"inspect:ok", "top:ok", "export:ok", "commit:ok", "save-process:ok", "kill:ok",
                                      "quarantine:ok", "disconnect:ok", "disconnect:ok", "pause:ok"}));
  EXPECT_TRUE(report->AllSucceeded());

  // The commit names the evidence image and pauses for consistency; the
  // disconnect forces and names the container by its full ID.
  auto requests = engine_->Requests();
  EXPECT_NE(requests[3].target.find("repo=bulwark-evidence%2Fweb&tag=20"), std::string::npos) << requests[3].target;
  EXPECT_NE(requests[3].target.find("&pause=true"), std::string::npos);
  EXPECT_EQ(Json::parse(requests[4].body), (Json{{"Container", kId}, {"Force", true}}));
}

TEST_F(ContainRun, ActionLogLinesHaveTheSharedShapeAndHashes) {
  auto report = Run();
  ASSERT_TRUE(report.ok());
  std::vector<Json> lines = LogLines();
  ASSERT_EQ(lines.size(), report->actions.size());
  std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const Json& line : lines) {
    std::vector<std::string> keys;
    for (const auto& item : line.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"action", "detail", "evidence", "result", "target", "time"}));
    EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(), time)) << line["time"];
    for (const Json& file : line["evidence"]) {
      fs::path path = fs::path(options_.evidence_dir) / file["path"].get<std::string>();
      EXPECT_EQ(HashFile(path.string(), 1 << 30)->sha256, file["sha256"]) << path;
      EXPECT_EQ(fs::file_size(path), file["bytes"].get<uint64_t>());
    }
  }
  EXPECT_EQ(lines[2]["action"], "export");
  EXPECT_EQ(lines[2]["evidence"][0]["path"], "container-export.tar");
  EXPECT_EQ(lines[2]["evidence"][0]["sha256"], Sha256(kExport));
  EXPECT_EQ(lines[3]["detail"].get<std::string>().find("image bulwark-evidence/web:20"), 0u);
  EXPECT_NE(lines[3]["detail"].get<std::string>().find("sha256:feed"), std::string::npos);
  EXPECT_EQ(lines[5]["target"], std::to_string(target_pid_));
}

TEST_F(ContainRun, KillsThePidQuarantinesTheFileAndKeepsTheEvidencePrivate) {
  auto report = Run();
  ASSERT_TRUE(report.ok());
  int status = 0;
  ASSERT_EQ(waitpid(target_pid_, &status, 0), target_pid_);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  target_pid_ = -1;

  fs::path evidence(options_.evidence_dir);
  EXPECT_EQ(fs::status(evidence).permissions(), fs::perms::owner_all);
  const ActionRecord* saved = Find(*report, "save-process");
  ASSERT_NE(saved, nullptr);
  std::set<std::string> names;
  for (const auto& f : saved->evidence) names.insert(fs::path(f.path).filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"cmdline", "status", "exe.link", "cwd.link", "maps", "fd.links", "exe"}));

  EXPECT_FALSE(fs::exists(root_ / "tmp/.evil"));
  std::string sha = Sha256("dropped payload\n");
  fs::path quarantined = evidence / "quarantine" / sha;
  struct stat st {};
  ASSERT_EQ(stat(quarantined.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0u);
  Json sidecar = Json::parse(testing::ReadFile(quarantined.string() + ".json"));
  EXPECT_EQ(sidecar["original_path"], "/tmp/.evil");
  EXPECT_EQ(sidecar["sha256"], sha);
}

TEST_F(ContainRun, ContainJsonNamesSecretsButNeverTheirValues) {
  auto report = Run();
  ASSERT_TRUE(report.ok());
  std::string text = testing::ReadFile(fs::path(options_.evidence_dir) / "contain.json");
  Json doc = Json::parse(text);
  EXPECT_EQ(doc["container"], (Json{{"id", kId}, {"name", "web"}, {"image", "bulwark-lab/vulnerable-app:1.0"}}));
  EXPECT_EQ(doc["actions"].size(), report->actions.size());
  EXPECT_EQ(doc["remediation"][0]["items"], Json({"bulwark-lab/hardened-app:1.0"}));
  EXPECT_EQ(doc["remediation"][1]["items"], Json({"DB_PASSWORD", "SECRET_KEY"}));
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(text.find("s3cr3t-value"), std::string::npos);
  EXPECT_EQ(ContainText(*report).find("hunter2"), std::string::npos);
}

TEST_F(ContainRun, DryRunOnlyReadsAndWritesNothing) {
  options_.dry_run = true;
  auto report = Run();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(ChangingCalls().empty());
  for (const auto& call : engine_->Calls()) EXPECT_EQ(call.find("/export"), std::string::npos) << call;
  EXPECT_FALSE(fs::exists(options_.evidence_dir));
  EXPECT_TRUE(fs::exists(root_ / "tmp/.evil"));
  EXPECT_EQ(kill(target_pid_, 0), 0);
  EXPECT_EQ(Actions(*report),
            (std::vector<std::string>{"inspect:ok", "top:ok", "export:planned", "commit:planned",
                                      "save-process:planned", "kill:planned", "quarantine:planned",
                                      "disconnect:planned", "disconnect:planned", "pause:planned"}));
}

TEST_F(ContainRun, FailedExportIsLoggedAndIsolationStillHappens) {
  overrides_["GET /containers/" + kId + "/export"] = {500, R"({"message":"export exploded"})"};
  auto report = Run();
  ASSERT_TRUE(report.ok());
  const ActionRecord* exported = Find(*report, "export");
  EXPECT_EQ(exported->result, ActionResult::kFailed);
  EXPECT_NE(exported->detail.find("HTTP 500: export exploded"), std::string::npos) << exported->detail;
  EXPECT_EQ(ChangingCalls(), (std::vector<std::string>{"POST /commit", "POST /networks/net2/disconnect",
                                                       "POST /networks/net1/disconnect",
                                                       "POST /containers/" + kId + "/pause"}));
  EXPECT_FALSE(report->AllSucceeded());
}

TEST_F(ContainRun, TruncatedExportFailsAndKeepsThePartReceived) {
  overrides_["GET /containers/" + kId + "/export"] = {200, kExport, FakeReply::Mode::kTruncate};
  auto report = Run();
  ASSERT_TRUE(report.ok());
  const ActionRecord* exported = Find(*report, "export");
  EXPECT_EQ(exported->result, ActionResult::kFailed);
  EXPECT_NE(exported->detail.find("broke off after " + std::to_string(kExport.size()) + " bytes"), std::string::npos)
      << exported->detail;
  ASSERT_EQ(exported->evidence.size(), 1u);
  EXPECT_EQ(exported->evidence[0].sha256, Sha256(kExport));
  EXPECT_EQ(Find(*report, "pause")->result, ActionResult::kOk);
}

TEST_F(ContainRun, StalledExportIsAbandonedAndTheRestRuns) {
  overrides_["GET /containers/" + kId + "/export"] = {200, kExport, FakeReply::Mode::kStall, 5000};
  auto start = std::chrono::steady_clock::now();
  auto report = Run(/*stall_seconds=*/1);
  ASSERT_TRUE(report.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  const ActionRecord* exported = Find(*report, "export");
  EXPECT_EQ(exported->result, ActionResult::kFailed);
  EXPECT_NE(exported->detail.find("stalled"), std::string::npos) << exported->detail;
  EXPECT_EQ(Find(*report, "disconnect")->result, ActionResult::kOk);
}

TEST_F(ContainRun, DaemonRefusalsAreLoggedWithTheirMessages) {
  overrides_["POST /networks/net2/disconnect"] = {409, R"({"message":"container is paused"})"};
  overrides_["POST /commit"] = {500, R"({"message":"disk full"})"};
  overrides_["POST /containers/" + kId + "/pause"] = {409, R"({"message":"Container web is already paused"})"};
  auto report = Run();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Actions(*report),
            (std::vector<std::string>{"inspect:ok", "top:ok", "export:ok", "commit:failed", "save-process:ok", "kill:ok",
                                      "quarantine:ok", "disconnect:failed", "disconnect:ok", "pause:ok"}));
  EXPECT_NE(Find(*report, "commit")->detail.find("HTTP 500: disk full"), std::string::npos);
  EXPECT_NE(Find(*report, "disconnect")->detail.find("HTTP 409: container is paused"), std::string::npos);
  EXPECT_EQ(Find(*report, "pause")->detail, "already paused");
  EXPECT_EQ(LogLines()[7]["result"], "failed");
}

TEST_F(ContainRun, UnknownContainerChangesNothing) {
  options_.container = "ghost";
  auto report = Run();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(engine_->Calls(), (std::vector<std::string>{"GET /containers/ghost/json"}));
  EXPECT_FALSE(fs::exists(options_.evidence_dir));
}

TEST_F(ContainRun, PidOutsideTheContainerIsRefusedAndLeftAlive) {
  pid_in_top_ = false;  // and its cgroup does not name the fake container
  auto report = Run();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Find(*report, "save-process")->result, ActionResult::kFailed);
  EXPECT_NE(Find(*report, "save-process")->detail.find("is not a process of this container"), std::string::npos);
  EXPECT_EQ(Find(*report, "kill")->result, ActionResult::kSkipped);
  EXPECT_EQ(kill(target_pid_, 0), 0);
  EXPECT_FALSE(fs::exists(fs::path(options_.evidence_dir) / ("process-" + std::to_string(target_pid_))));
  EXPECT_EQ(Find(*report, "pause")->result, ActionResult::kOk);
}

TEST_F(ContainRun, ExistingEvidencePathOrSymlinkIsRefusedBeforeAnyChange) {
  fs::create_directories(work_ / "elsewhere");
  fs::create_directory_symlink(work_ / "elsewhere", options_.evidence_dir);
  auto report = Run();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("already exists"), std::string::npos);
  EXPECT_TRUE(ChangingCalls().empty());
  EXPECT_TRUE(fs::is_empty(work_ / "elsewhere"));
}

TEST_F(ContainRun, DefaultEvidenceDirUsesTheSanitisedDaemonName) {
  Json inspect = Json::parse(InspectJson());
  inspect["Name"] = "/../\x1b[31mevil name";
  overrides_["GET /containers/web/json"] = {200, inspect.dump()};
  options_.evidence_dir.clear();
  options_.incident_root = (work_ / "incident").string();
  options_.dry_run = true;
  auto report = Run();
  ASSERT_TRUE(report.ok());
  std::string dir = fs::path(report->evidence_dir).filename().string();
  EXPECT_EQ(dir.rfind("_.___31mevil_name-20", 0), 0u) << dir;
  EXPECT_EQ(fs::path(report->evidence_dir).parent_path(), work_ / "incident");
  EXPECT_EQ(ContainText(*report).find('\x1b'), std::string::npos);
}

TEST_F(ContainRun, RemediationListsFixableEntryFindingsOfTheNewestAudit) {
  fs::path results = work_ / "results";
  Json finding = {{"id", "PY-EXEC-001"}, {"title", "subprocess with shell=True"}, {"category", "code"},
                  {"location", {{"path", "app.py"}, {"line", 12}}}, {"fixable", true}};
  Json host = {{"id", "CIS-2.1"}, {"title", "host"}, {"category", "host"}, {"fixable", true}};
  Json unfixable = finding;
  unfixable["fixable"] = false;
  unfixable["id"] = "PY-EVAL-001";
  Json result = {{"bulwark_result", 1}, {"run", {{"command", "audit"}}}, {"report", {{"findings", {finding, host, unfixable}}}}};
  testing::WriteFile(results / "audit-lab-20261124T000000Z.json", result.dump());
  options_.results_dir = results.string();
  options_.dry_run = true;
  auto report = Run();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->remediation[2].kind, "fix-findings");
  EXPECT_EQ(report->remediation[2].items, (std::vector<std::string>{"PY-EXEC-001 app.py:12: subprocess with shell=True"}));
}

}  // namespace
}  // namespace bulwark::respond
