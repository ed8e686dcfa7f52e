// The compose fixer: exact before/after text of each fix, the lab compose
// golden, idempotency, byte-for-byte preservation of everything it does not
// fix (comments, anchors, odd quoting, flow style, CRLF), and for every
// fixable check: audit before has it, audit after lacks it, no new finding
// ID appears. The audit runs in process on a scratch directory, with the
// .env / .gitignore / .dockerignore the plan asks for written too.
// Set BULWARK_UPDATE_GOLDEN=1 to rewrite the goldens under
// tests/fix/golden/compose/.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "fix/fixer.hpp"
#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using testing::MakeTempDir;
using testing::ReadFile;
using testing::SourceDir;
using testing::WriteFile;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry r;
    EXPECT_TRUE(audit::RegisterAllChecks(r).ok());
    return r;
  }();
  return registry;
}

std::vector<core::Finding> Audit(const fs::path& dir) {
  auto suite = audit::MakeDefaultCheckSuite();
  EXPECT_TRUE(suite.ok());
  audit::AuditOptions options;
  options.root = dir;
  auto outcome = audit::RunAudit(options, Registry(), *suite);
  EXPECT_TRUE(outcome.ok()) << outcome.status().message();
  if (!outcome.ok()) return {};
  EXPECT_TRUE(outcome->report.diagnostics.empty())
      << outcome->report.diagnostics.front().location.path << ": "
      << outcome->report.diagnostics.front().message;
  return outcome->report.findings;
}

std::map<std::string, int> Ids(const std::vector<core::Finding>& findings) {
  std::map<std::string, int> ids;
  for (const auto& finding : findings) ++ids[finding.id];
  return ids;
}

std::string Join(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

struct Outcome {
  std::string before, after;
  FixPlan plan;
  std::string notes;  // one line each: "ID line: message"
};

// Plans the compose fixes of `file` in `dir` from an in-process audit.
Outcome Plan(const fs::path& dir, const std::string& file = "docker-compose.yml",
             const FixOptions& options = {}, const std::set<std::string>& only = {}) {
  Outcome out;
  out.before = ReadFile(dir / file);
  auto fixer = MakeComposeFixer();
  FixRequest request;
  request.path = fs::absolute(dir / file);
  request.text = out.before;
  request.options = &options;
  for (const core::Finding& finding : Audit(dir)) {
    if (!only.empty() && only.count(finding.id) == 0) continue;
    if (fixer->FixableChecks().count(finding.id) != 0 &&
        fs::path(finding.location.path).filename() == file) {
      request.findings.push_back(finding);
    }
  }
  auto plan = fixer->Plan(request);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return out;
  out.plan = std::move(plan).value();
  auto after = ApplyEdits(out.before, out.plan.edits);
  EXPECT_TRUE(after.ok()) << after.status().message();
  out.after = after.ok() ? *after : out.before;
  for (const auto& note : out.plan.notes) {
    out.notes += note.check_id + " " + std::to_string(note.line) + ": " + note.message + "\n";
  }
  return out;
}

// Writes the fixed file and the sibling lines as the runner would.
void Apply(const fs::path& dir, const std::string& file, const Outcome& outcome) {
  WriteFile(dir / file, outcome.after);
  for (const EnsureLines& lines : outcome.plan.sibling_lines) {
    const fs::path path = dir / lines.relative_path;
    const bool existed = fs::exists(path);
    std::string text = existed ? ReadFile(path) : "";
    for (const std::string& line : lines.lines) {
      if (("\n" + text).find("\n" + line + "\n") != std::string::npos) continue;
      if (!text.empty() && text.back() != '\n') text += "\n";
      text += line + "\n";
    }
    WriteFile(path, text);
    if (!existed) ::chmod(path.c_str(), lines.mode);
  }
}

fs::path Scratch(const std::string& compose, const std::string& file = "docker-compose.yml") {
  fs::path dir = MakeTempDir("bulwark-cfix");
  WriteFile(dir / file, compose);
  return dir;
}

// Audit, fix, apply, audit again: the fixed IDs are gone and nothing new
// appears; a second plan changes nothing.
struct RoundTrip {
  Outcome first;
  std::map<std::string, int> before, after;  // finding counts by ID
  std::string second_after;
};

RoundTrip FixAndReaudit(const fs::path& dir, const std::string& file = "docker-compose.yml",
                        const FixOptions& options = {}) {
  RoundTrip trip;
  trip.before = Ids(Audit(dir));
  trip.first = Plan(dir, file, options);
  Apply(dir, file, trip.first);
  trip.after = Ids(Audit(dir));
  Outcome second = Plan(dir, file, options);
  trip.second_after = second.after;
  EXPECT_TRUE(second.plan.edits.empty()) << "not idempotent:\n" << second.after;
  std::set<std::string> added;
  for (const auto& [id, count] : trip.after) {
    if (trip.before.count(id) == 0) added.insert(id);
  }
  EXPECT_TRUE(added.empty()) << "new findings: " << Join(added) << "\n" << trip.first.after;
  // Every ID an edit addresses has fewer findings (the caller checks exact
  // counts where a service keeps one on purpose).
  for (const std::string& id : trip.first.plan.fixed_ids) {
    EXPECT_LT(trip.after[id], trip.before[id]) << id << " not reduced:\n" << trip.first.after;
  }
  return trip;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  const fs::path path = SourceDir() / "tests/fix/golden/compose" / name;
  if (std::getenv("BULWARK_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(path.parent_path());
    WriteFile(path, actual);
  }
  EXPECT_EQ(actual, ReadFile(path))
      << "golden " << name << " (BULWARK_UPDATE_GOLDEN=1 rewrites it)";
}

// ---- the lab ----

TEST(ComposeFixer, LabGolden) {
  fs::path dir = MakeTempDir("bulwark-cfix-lab");
  fs::copy(SourceDir() / "lab/vulnerable-app", dir, fs::copy_options::recursive);
  RoundTrip trip = FixAndReaudit(dir);
  ExpectGolden("lab.after.yml", trip.first.after);
  ExpectGolden("lab.notes", trip.first.notes);
  EXPECT_EQ(ReadFile(dir / ".env"), "DB_PASSWORD=password\nPOSTGRES_PASSWORD=password\n");
  struct stat info {};
  ASSERT_EQ(::stat((dir / ".env").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(dir / ".gitignore"), ".env\n");
  EXPECT_EQ(ReadFile(dir / ".dockerignore"), ".env\n");
  // Secrets never show in notes.
  EXPECT_EQ(trip.first.notes.find("password\n"), std::string::npos);
  for (const char* id : {"BW-CO-003", "BW-CO-004", "BW-CO-005", "BW-CO-006", "BW-CO-007",
                         "BW-CO-008", "BW-CO-009", "BW-CO-021", "BW-CO-023", "BW-CO-034"}) {
    EXPECT_GT(trip.before[id], 0) << id;
    EXPECT_EQ(trip.after[id], 0) << id;
  }
  // db keeps its root start (its entrypoint needs it: see lab.notes).
  EXPECT_EQ(trip.after["BW-CO-024"], 1);
  std::string remaining;
  for (const auto& [id, count] : trip.after) {
    if (count > 0) remaining += id + "=" + std::to_string(count) + " ";
  }
  ExpectGolden("lab.remaining", remaining + "\n");
  fs::remove_all(dir);
}

// ---- every fixable check, on its case directory ----

std::vector<std::string> ComposeCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(SourceDir() / "tests/fix/cases")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("BW-CO-", 0) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ComposeFixer, EveryFixableCheckHasACaseThatItFixes) {
  const std::set<std::string> fixable = MakeComposeFixer()->FixableChecks();
  const std::vector<std::string> cases = ComposeCases();
  EXPECT_EQ(std::set<std::string>(cases.begin(), cases.end()), fixable);
  for (const std::string& id : cases) {
    SCOPED_TRACE(id);
    fs::path dir = MakeTempDir("bulwark-cfix-case");
    fs::copy(SourceDir() / "tests/fix/cases" / id, dir, fs::copy_options::recursive);
    RoundTrip trip = FixAndReaudit(dir);
    EXPECT_GT(trip.before[id], 0) << "the case does not trigger " << id;
    EXPECT_EQ(trip.after[id], 0) << id << " is still reported:\n" << trip.first.after;
    EXPECT_EQ(trip.first.plan.fixed_ids.count(id), 1u);
    fs::remove_all(dir);
  }
}

TEST(ComposeFixer, RegistryMarksExactlyTheFixableComposeChecks) {
  const std::set<std::string> fixable = MakeComposeFixer()->FixableChecks();
  for (const core::CheckInfo* info : Registry().All()) {
    if (info->category != core::Category::kCompose) continue;
    EXPECT_EQ(info->fixable, fixable.count(info->id) == 1) << info->id;
  }
}

// ---- each fix, exact text ----

std::string FixOnly(const std::string& compose, const std::set<std::string>& only,
                    const FixOptions& options = {}, std::string* notes = nullptr) {
  fs::path dir = Scratch(compose);
  Outcome outcome = Plan(dir, "docker-compose.yml", options, only);
  if (notes != nullptr) *notes = outcome.notes;
  fs::remove_all(dir);
  return outcome.after;
}

TEST(ComposeFixer, PrivilegedCapabilitiesAndSecurityOptions) {
  const std::string before =
      "services:\n"
      "  app:\n"
      "    image: nginx:1.27\n"
      "    privileged: true  # for the old monitor\n"
      "    cap_add:\n"
      "      - SYS_ADMIN\n"
      "      - NET_BIND_SERVICE\n"
      "    security_opt:\n"
      "      - seccomp:unconfined\n"
      "      - \"no-new-privileges:false\"\n"
      "      - apparmor=unconfined\n"
      "      - label:disable\n"
      "      - systempaths=unconfined\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-001", "BW-CO-002", "BW-CO-003", "BW-CO-004", "BW-CO-025",
                             "BW-CO-026", "BW-CO-027", "BW-CO-033"}),
            "services:\n"
            "  app:\n"
            "    image: nginx:1.27\n"
            "    cap_add:\n"
            "      - NET_BIND_SERVICE\n"
            "      - CHOWN\n"
            "      - SETUID\n"
            "      - SETGID\n"
            "    security_opt:\n"
            "      - \"no-new-privileges:true\"\n"
            "    cap_drop:\n"
            "      - ALL\n");
}

TEST(ComposeFixer, FlowListsStayFlow) {
  const std::string before =
      "services:\n"
      "  app: {image: \"redis:7.2\", cap_add: [SYS_PTRACE, CHOWN], cap_drop: [NET_RAW],\n"
      "        security_opt: [seccomp=unconfined]}\n";
  EXPECT_EQ(
      FixOnly(before, {"BW-CO-002", "BW-CO-003", "BW-CO-004", "BW-CO-025"}),
      "services:\n"
      "  app: {image: \"redis:7.2\", cap_add: [CHOWN, SETUID, SETGID], cap_drop: [NET_RAW, ALL],\n"
      "        security_opt: [\"no-new-privileges:true\"]}\n");
}

TEST(ComposeFixer, HostNamespacesAndCgroup) {
  const std::string before =
      "services:\n"
      "  agent:\n"
      "    image: redis:7.2\n"
      "    pid: host\n"
      "    ipc: host\n"
      "    # keep this comment\n"
      "    uts: host\n"
      "    userns_mode: host\n"
      "    cgroup_parent: /system.slice\n"
      "    cgroup: host\n"
      "    command: [redis-server]\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-012", "BW-CO-013", "BW-CO-014", "BW-CO-015", "BW-CO-016"}),
            "services:\n"
            "  agent:\n"
            "    image: redis:7.2\n"
            "    # keep this comment\n"
            "    command: [redis-server]\n");
}

TEST(ComposeFixer, ReadOnlyWithTheTmpfsTheImageNeeds) {
  const std::string before =
      "services:\n"
      "  db:\n"
      "    image: postgres:16-alpine\n"
      "    tmpfs: /tmp\n"
      "  cache:\n"
      "    image: redis:7.2\n"
      "    read_only: false\n"
      "    volumes:\n"
      "      - /tmp\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-005"}),
            "services:\n"
            "  db:\n"
            "    image: postgres:16-alpine\n"
            "    tmpfs: [/tmp, /var/run/postgresql]\n"
            "    read_only: true\n"
            "  cache:\n"
            "    image: redis:7.2\n"
            "    read_only: true\n"
            "    volumes:\n"
            "      - /tmp\n");
}

TEST(ComposeFixer, Limits) {
  const std::string before =
      "services:\n"
      "  a:\n"
      "    image: redis:7.2\n"
      "    mem_limit: 0\n"
      "    cpu_shares: 0\n"
      "    pids_limit: -1\n"
      "  b:\n"
      "    image: redis:7.2\n"
      "    deploy:\n"
      "      resources:\n"
      "        limits:\n"
      "          cpus: '0'\n"
      "  c:\n"
      "    image: redis:7.2\n"
      "    memswap_limit: 1g\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-006", "BW-CO-007", "BW-CO-008"}, {}, &notes),
            "services:\n"
            "  a:\n"
            "    image: redis:7.2\n"
            "    mem_limit: 512m\n"
            "    cpu_shares: 0\n"
            "    pids_limit: 200\n"
            "    cpus: 1.0\n"
            "  b:\n"
            "    image: redis:7.2\n"
            "    deploy:\n"
            "      resources:\n"
            "        limits:\n"
            "          cpus: 1.0\n"
            "          memory: 512m\n"
            "    pids_limit: 200\n"
            "  c:\n"
            "    image: redis:7.2\n"
            "    memswap_limit: 1g\n"
            "    cpus: 1.0\n"
            "    pids_limit: 200\n");
  EXPECT_NE(notes.find("memswap_limit is set"), std::string::npos) << notes;
}

TEST(ComposeFixer, Ports) {
  const std::string before =
      "services:\n"
      "  web:\n"
      "    image: nginx:1.27\n"
      "    ports:\n"
      "      - \"8080:80\"\n"
      "      - 8081:81\n"
      "      - '0.0.0.0:8443:443'\n"
      "      - \"[::]:9443:9443\"\n"
      "      - \"5000\"\n"
      "      - 9000:9000/udp  # kept public below\n"
      "      - target: 7000\n"
      "        published: 7000\n"
      "      - target: 7001\n"
      "        host_ip: 0.0.0.0\n"
      "        published: \"7001\"\n"
      "  db:\n"
      "    image: postgres:16\n"
      "    ports: [\"5432:5432\"]\n"
      "  cache:\n"
      "    image: redis:7.2\n"
      "    ports:\n"
      "      - 6379:6379\n"
      "      - 16379:16379\n";
  FixOptions options;
  options.public_ports = {9000};
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-009", "BW-CO-032"}, options, &notes),
            "services:\n"
            "  web:\n"
            "    image: nginx:1.27\n"
            "    ports:\n"
            "      - \"127.0.0.1:8080:80\"\n"
            "      - \"127.0.0.1:8081:81\"\n"
            "      - '127.0.0.1:8443:443'\n"
            "      - \"127.0.0.1:9443:9443\"\n"
            "      - \"127.0.0.1::5000\"\n"
            "      - 9000:9000/udp  # kept public below\n"
            "      - target: 7000\n"
            "        published: 7000\n"
            "        host_ip: 127.0.0.1\n"
            "      - target: 7001\n"
            "        host_ip: 127.0.0.1\n"
            "        published: \"7001\"\n"
            "  db:\n"
            "    image: postgres:16\n"
            "  cache:\n"
            "    image: redis:7.2\n"
            "    ports:\n"
            "      - \"127.0.0.1:16379:16379\"\n");
  EXPECT_NE(notes.find("port 9000 stays on all interfaces (--public)"), std::string::npos) << notes;
  EXPECT_NE(notes.find("no longer publishes database port 5432"), std::string::npos) << notes;
}

TEST(ComposeFixer, RestartOomAndPropagation) {
  const std::string before =
      "services:\n"
      "  a:\n"
      "    image: nginx:1.27\n"
      "    restart: always   # never give up\n"
      "    oom_kill_disable: true\n"
      "    volumes:\n"
      "      - ./site:/usr/share/nginx/html:ro,rshared\n"
      "      - ./logs:/var/log/nginx:shared\n"
      "      - type: bind\n"
      "        source: ./conf\n"
      "        target: /etc/nginx/conf.d\n"
      "        bind:\n"
      "          propagation: rshared\n"
      "          create_host_path: true\n"
      "      - type: bind\n"
      "        source: ./x\n"
      "        target: /x\n"
      "        bind:\n"
      "          propagation: shared\n"
      "  b:\n"
      "    image: redis:7.2\n"
      "    deploy:\n"
      "      restart_policy:\n"
      "        condition: on-failure\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-019", "BW-CO-028", "BW-CO-030"}),
            "services:\n"
            "  a:\n"
            "    image: nginx:1.27\n"
            "    restart: \"on-failure:5\"   # never give up\n"
            "    volumes:\n"
            "      - \"./site:/usr/share/nginx/html:ro\"\n"
            "      - \"./logs:/var/log/nginx\"\n"
            "      - type: bind\n"
            "        source: ./conf\n"
            "        target: /etc/nginx/conf.d\n"
            "        bind:\n"
            "          create_host_path: true\n"
            "      - type: bind\n"
            "        source: ./x\n"
            "        target: /x\n"
            "  b:\n"
            "    image: redis:7.2\n"
            "    deploy:\n"
            "      restart_policy:\n"
            "        condition: on-failure\n"
            "        max_attempts: 5\n");
}

TEST(ComposeFixer, HealthchecksForKnownImagesAndANoteOtherwise) {
  const std::string before =
      "services:\n"
      "  cache:\n"
      "    image: redis:7.2\n"
      "  other:\n"
      "    image: example/thing:1.0\n"
      "  off:\n"
      "    image: redis:7.2\n"
      "    healthcheck:\n"
      "      disable: true\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-023"}, {}, &notes),
            "services:\n"
            "  cache:\n"
            "    image: redis:7.2\n"
            "    healthcheck:\n"
            "      test:\n"
            "        - CMD\n"
            "        - redis-cli\n"
            "        - ping\n"
            "      interval: 30s\n"
            "      timeout: 5s\n"
            "      retries: 3\n"
            "      start_period: 30s\n"
            "  other:\n"
            "    image: example/thing:1.0\n"
            "  off:\n"
            "    image: redis:7.2\n"
            "    healthcheck:\n"
            "      disable: true\n");
  EXPECT_NE(notes.find("'other': no healthcheck added: bulwark does not know a health command"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("'off': not fixed: its healthcheck is disabled"), std::string::npos)
      << notes;
}

TEST(ComposeFixer, UserFromTheDockerfileOrTheOptions) {
  fs::path dir = Scratch(
      "services:\n"
      "  api:\n"
      "    build: ./api\n"
      "  worker:\n"
      "    build:\n"
      "      context: ./worker\n"
      "      dockerfile: Dockerfile.prod\n"
      "    user: root\n"
      "  db:\n"
      "    image: postgres:16\n");
  WriteFile(dir / "api/Dockerfile", "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\n");
  WriteFile(dir / "worker/Dockerfile.prod", "FROM debian:12\nRUN apt-get install -y curl\n");
  FixOptions options;
  options.uid = 2000;
  options.gid = 3000;
  Outcome outcome = Plan(dir, "docker-compose.yml", options, {"BW-CO-024"});
  EXPECT_EQ(outcome.after,
            "services:\n"
            "  api:\n"
            "    build: ./api\n"
            "    user: app\n"
            "  worker:\n"
            "    build:\n"
            "      context: ./worker\n"
            "      dockerfile: Dockerfile.prod\n"
            "    user: \"2000:3000\"\n"
            "  db:\n"
            "    image: postgres:16\n");
  EXPECT_NE(outcome.notes.find("'db': no user set: its entrypoint starts as root"),
            std::string::npos)
      << outcome.notes;
  fs::remove_all(dir);
}

TEST(ComposeFixer, HealthcheckFromDockerfileEvidence) {
  fs::path dir = Scratch(
      "services:\n"
      "  py:\n"
      "    build: ./py\n"
      "    ports: [\"127.0.0.1:8000:8000\"]\n"
      "  curl:\n"
      "    build: ./curl\n"
      "  none:\n"
      "    build: ./none\n"
      "    expose: [\"80\"]\n");
  WriteFile(dir / "py/Dockerfile",
            "FROM python:3.12-slim\nCMD [\"python\", \"-m\", \"http.server\"]\n");
  WriteFile(dir / "curl/Dockerfile", "FROM debian:12\nRUN apt-get install -y curl\nEXPOSE 3000\n");
  WriteFile(dir / "none/Dockerfile", "FROM scratch\nCOPY app /app\n");
  Outcome outcome = Plan(dir, "docker-compose.yml", {}, {"BW-CO-023"});
  EXPECT_EQ(
      outcome.after,
      "services:\n"
      "  py:\n"
      "    build: ./py\n"
      "    ports: [\"127.0.0.1:8000:8000\"]\n"
      "    healthcheck:\n"
      "      test:\n"
      "        - CMD\n"
      "        - python3\n"
      "        - \"-c\"\n"
      "        - \"import socket; socket.create_connection(('127.0.0.1', 8000), 3).close()\"\n"
      "      interval: 30s\n"
      "      timeout: 5s\n"
      "      retries: 3\n"
      "      start_period: 30s\n"
      "  curl:\n"
      "    build: ./curl\n"
      "    healthcheck:\n"
      "      test:\n"
      "        - CMD\n"
      "        - curl\n"
      "        - \"-sS\"\n"
      "        - \"-o\"\n"
      "        - /dev/null\n"
      "        - \"http://127.0.0.1:3000/\"\n"
      "      interval: 30s\n"
      "      timeout: 5s\n"
      "      retries: 3\n"
      "      start_period: 30s\n"
      "  none:\n"
      "    build: ./none\n"
      "    expose: [\"80\"]\n");
  EXPECT_NE(outcome.notes.find("'none': no healthcheck added: no published or exposed port"),
            std::string::npos)
      << outcome.notes;
  fs::remove_all(dir);
}

TEST(ComposeFixer, SecretsMoveToAnEnvFile) {
  fs::path dir = Scratch(
      "services:\n"
      "  api:\n"
      "    image: example/api:1.0\n"
      "    env_file: common.env\n"
      "    environment:\n"
      "      - API_TOKEN=tok-9f8e7d6c5b4a\n"
      "      - LOG_LEVEL=info\n"
      "      - DATABASE_URL=postgres://app:Pw-1234-abcd@db/app\n"
      "      - ODD_SECRET=has space\n"
      "  db:\n"
      "    image: postgres:16\n"
      "    environment:\n"
      "      POSTGRES_PASSWORD: 'Pw-1234-abcd'\n"
      "  other:\n"
      "    image: example/other:1.0\n"
      "    env_file:\n"
      "      - .env\n"
      "    environment:\n"
      "      API_TOKEN: different-token-value\n");
  WriteFile(dir / "common.env", "LOG_FORMAT=json\n");
  Outcome outcome = Plan(dir, "docker-compose.yml", {}, {"BW-CO-021"});
  EXPECT_EQ(outcome.after,
            "services:\n"
            "  api:\n"
            "    image: example/api:1.0\n"
            "    env_file: [common.env, .env]\n"
            "    environment:\n"
            "      - LOG_LEVEL=info\n"
            "      - ODD_SECRET=has space\n"
            "  db:\n"
            "    image: postgres:16\n"
            "    env_file:\n"
            "      - .env\n"
            "  other:\n"
            "    image: example/other:1.0\n"
            "    env_file:\n"
            "      - .env\n"
            "    environment:\n"
            "      API_TOKEN: different-token-value\n");
  ASSERT_EQ(outcome.plan.sibling_lines.size(), 3u);
  EXPECT_EQ(outcome.plan.sibling_lines[0].relative_path, ".env");
  EXPECT_EQ(outcome.plan.sibling_lines[0].mode, 0600u);
  EXPECT_EQ(outcome.plan.sibling_lines[0].lines,
            (std::vector<std::string>{"API_TOKEN=tok-9f8e7d6c5b4a",
                                      "DATABASE_URL=postgres://app:Pw-1234-abcd@db/app",
                                      "POSTGRES_PASSWORD=Pw-1234-abcd"}));
  EXPECT_EQ(outcome.plan.sibling_lines[1].relative_path, ".gitignore");
  EXPECT_EQ(outcome.plan.sibling_lines[2].relative_path, ".dockerignore");
  for (const char* secret : {"tok-9f8e7d6c5b4a", "Pw-1234", "different-token", "has space"}) {
    EXPECT_EQ(outcome.notes.find(secret), std::string::npos) << outcome.notes;
  }
  EXPECT_NE(outcome.notes.find("ODD_SECRET has characters an env file would read differently"),
            std::string::npos)
      << outcome.notes;
  EXPECT_NE(outcome.notes.find("API_TOKEN is already in .env with another value"),
            std::string::npos)
      << outcome.notes;

  // Through an audit: the moved secrets are gone; a .env that is 0600 and
  // ignored by git adds no secret finding of its own.
  RoundTrip trip = FixAndReaudit(dir, "docker-compose.yml");
  EXPECT_EQ(trip.after["BW-CO-021"], 2);  // ODD_SECRET and other's API_TOKEN stay
  fs::remove_all(dir);
}

TEST(ComposeFixer, MovedTokenIsNoLongerASecretFinding) {
  const std::string token = "ghp_" + std::string("Zq7wLp2Vx9kT4mN8rB3cY6dF1gH5jK0sA2eW");
  fs::path dir = Scratch(
      "services:\n"
      "  bot:\n"
      "    image: example/bot:1.0\n"
      "    environment:\n"
      "      GITHUB_TOKEN: " +
      token + "\n");
  RoundTrip trip = FixAndReaudit(dir);
  std::set<std::string> secret_ids;
  for (const auto& [id, count] : trip.before) {
    if (id.rfind("BW-SE-", 0) == 0 && count > 0) secret_ids.insert(id);
  }
  ASSERT_FALSE(secret_ids.empty()) << "the token is not detected at all";
  EXPECT_EQ(ReadFile(dir / ".env"), "GITHUB_TOKEN=" + token + "\n");
  // In a 0600 .env listed by .gitignore and .dockerignore it is where it belongs...
  for (const std::string& id : secret_ids) EXPECT_EQ(trip.after[id], 0) << id;
  // ...which the scan does see otherwise.
  ::chmod((dir / ".env").c_str(), 0644);
  std::map<std::string, int> loose = Ids(Audit(dir));
  int found = 0;
  for (const std::string& id : secret_ids) found += loose[id];
  EXPECT_GT(found, 0);
  fs::remove_all(dir);
}

TEST(ComposeFixer, BackendNetworksBecomeInternal) {
  const std::string before =
      "services:\n"
      "  web:\n"
      "    image: nginx:1.27\n"
      "    ports: [\"127.0.0.1:80:80\"]\n"
      "    networks: [front, back, data]\n"
      "  db:\n"
      "    image: postgres:16\n"
      "    networks: [back, data]\n"
      "networks:\n"
      "  front: {}\n"
      "  back:   # the database's\n"
      "  data:\n"
      "    driver: bridge\n"
      "    internal: false\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-034"}),
            "services:\n"
            "  web:\n"
            "    image: nginx:1.27\n"
            "    ports: [\"127.0.0.1:80:80\"]\n"
            "    networks: [front, back, data]\n"
            "  db:\n"
            "    image: postgres:16\n"
            "    networks: [back, data]\n"
            "networks:\n"
            "  front: {}\n"
            "  back:   # the database's\n"
            "    internal: true\n"
            "  data:\n"
            "    driver: bridge\n"
            "    internal: true\n");
}

// ---- everything else stays byte for byte ----

// CRLF, no final line break, comments everywhere, an anchor with a merge
// key, flow collections with odd spacing, every quote style, a block scalar.
constexpr const char* kKitchenSink =
    "# Top comment\r\n"
    "version: \"3.9\"   # obsolete but harmless\r\n"
    "\r\n"
    "x-defaults: &defaults\r\n"
    "  restart: always # anchor comment\r\n"
    "  logging:\r\n"
    "    driver: \"json-file\"\r\n"
    "\r\n"
    "services:\r\n"
    "  # the web front\r\n"
    "  web:\r\n"
    "    <<: *defaults\r\n"
    "    image: 'nginx:1.27'    # single quotes\r\n"
    "    ports: [ \"8080:80\" , '8443:443' ]   # flow, odd spacing\r\n"
    "    environment: {API_KEY: \"k-9f8e7d6c5b4a3\", MODE: prod}\r\n"
    "    command: >-\r\n"
    "      nginx -g\r\n"
    "      'daemon off;'\r\n"
    "\r\n"
    "  worker:\r\n"
    "    image: \"example/worker:2.1\"\r\n"
    "    privileged: yes\r\n"
    "    cap_add: [ SYS_ADMIN ]\r\n"
    "    security_opt:\r\n"
    "    - seccomp:unconfined   # indentless list\r\n"
    "    # trailing comment inside worker\r\n"
    "\r\n"
    "# networks below\r\n"
    "networks:\r\n"
    "  default:\r\n"
    "    name: sink";

TEST(ComposeFixer, KitchenSinkKeepsEverythingElse) {
  fs::path dir = Scratch(kKitchenSink);
  RoundTrip trip = FixAndReaudit(dir);
  ExpectGolden("kitchen_sink.after.yml", trip.first.after);
  ExpectGolden("kitchen_sink.notes", trip.first.notes);
  // Every line break is still CRLF, and the text still ends without one.
  for (size_t i = 0; i < trip.first.after.size(); ++i) {
    if (trip.first.after[i] == '\n') {
      ASSERT_EQ(trip.first.after[i - 1], '\r') << "LF at " << i;
    }
  }
  EXPECT_NE(trip.first.after.back(), '\n');
  // The anchor other services may use is untouched; web overrides it.
  EXPECT_NE(trip.first.after.find("  restart: always # anchor comment\r\n"), std::string::npos);
  for (const char* id :
       {"BW-CO-001", "BW-CO-002", "BW-CO-009", "BW-CO-021", "BW-CO-025", "BW-CO-028"}) {
    EXPECT_GT(trip.before[id], 0) << id;
    EXPECT_EQ(trip.after[id], 0) << id;
  }
  fs::remove_all(dir);
}

TEST(ComposeFixer, UnparsableTextIsRefused) {
  auto fixer = MakeComposeFixer();
  FixRequest request;
  request.path = "/nonexistent/docker-compose.yml";
  const std::string text = "services:\n  web:\n    image: [unclosed\n";
  request.text = text;
  core::Finding finding;
  finding.id = "BW-CO-005";
  finding.location = {"docker-compose.yml", 2, 3, 0, 0};
  request.findings.push_back(finding);
  EXPECT_FALSE(fixer->Plan(request).ok());
}

TEST(ComposeFixer, OnlyTheRequestedFindingsAreFixed) {
  const std::string before =
      "services:\n"
      "  a:\n"
      "    image: redis:7.2\n"
      "  b:\n"
      "    image: redis:7.2\n";
  fs::path dir = Scratch(before);
  auto fixer = MakeComposeFixer();
  FixRequest request;
  request.path = dir / "docker-compose.yml";
  request.text = before;
  for (const core::Finding& finding : Audit(dir)) {
    if (finding.id == "BW-CO-005" && finding.location.line == 4)
      request.findings.push_back(finding);
  }
  ASSERT_EQ(request.findings.size(), 1u);
  auto plan = fixer->Plan(request);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(*ApplyEdits(before, plan->edits),
            "services:\n"
            "  a:\n"
            "    image: redis:7.2\n"
            "  b:\n"
            "    image: redis:7.2\n"
            "    read_only: true\n"
            "    tmpfs:\n"
            "      - /tmp\n");
  EXPECT_EQ(plan->fixed_ids, std::set<std::string>{"BW-CO-005"});
  fs::remove_all(dir);
}

TEST(ComposeFixer, AliasedServicesAreLeftWithANote) {
  const std::string before =
      "services:\n"
      "  a: &svc\n"
      "    image: redis:7.2\n"
      "    pid: host\n"
      "  b: *svc\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-012"}, {}, &notes),
            "services:\n"
            "  a: &svc\n"
            "    image: redis:7.2\n"
            "  b: *svc\n");
  EXPECT_NE(notes.find("'b': not fixed: it is an alias"), std::string::npos) << notes;
}

TEST(ComposeFixer, MergedKeysAreOverriddenInTheService) {
  const std::string before =
      "x-base: &base\n"
      "  image: redis:7.2\n"
      "  privileged: true\n"
      "  cap_add: [SYS_ADMIN, CHOWN]\n"
      "  pid: host\n"
      "services:\n"
      "  a:\n"
      "    <<: *base\n"
      "    command: [redis-server]\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-001", "BW-CO-002", "BW-CO-012"}, {}, &notes),
            "x-base: &base\n"
            "  image: redis:7.2\n"
            "  privileged: true\n"
            "  cap_add: [SYS_ADMIN, CHOWN]\n"
            "  pid: host\n"
            "services:\n"
            "  a:\n"
            "    <<: *base\n"
            "    command: [redis-server]\n"
            "    cap_add:\n"
            "      - CHOWN\n"
            "    privileged: false\n");
  EXPECT_NE(notes.find("`pid` comes from a YAML merge"), std::string::npos) << notes;
}

TEST(ComposeFixer, SeveralDocumentsInOneFile) {
  const std::string before =
      "services:\n"
      "  a:\n"
      "    image: redis:7.2\n"
      "    ipc: host\n"
      "---\n"
      "services:\n"
      "  b:\n"
      "    image: redis:7.2\n"
      "    uts: host\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-013", "BW-CO-014"}),
            "services:\n"
            "  a:\n"
            "    image: redis:7.2\n"
            "---\n"
            "services:\n"
            "  b:\n"
            "    image: redis:7.2\n");
}

// Found by fuzzing: yaml-cpp reads `app:` + `  :` (same column) as a map
// nested in app; lines added at that column would be new services.
TEST(ComposeFixer, RegressionMapNoDeeperThanItsKeyIsLeftAlone) {
  const std::string before = "services:\n  app:\n  :\n     \x7f\x7f\x7f\x7findapp\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {}, {}, &notes), before);
  EXPECT_NE(notes.find("indented no deeper than its key"), std::string::npos) << notes;
}

// Found by fuzzing: an anchor on the line after `im:` belongs to its empty
// value; new keys must not go between them.
TEST(ComposeFixer, RegressionPropertiesOfAnEmptyValueOnTheNextLine) {
  const std::string before = "services:\n  cach:\n    im:\n    &&&&&&&MIN\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {}, {}, &notes), before);
  EXPECT_NE(notes.find("not fixed"), std::string::npos) << notes;
}

// Found by fuzzing: a scalar list written anew in flow style keeps every
// item readable (a '?' inside plain text is not plain in flow context).
TEST(ComposeFixer, RegressionScalarListBecomesAQuotedFlowList) {
  const std::string before =
      "services:\n"
      "  app:\n"
      "    image: redis:7.2\n"
      "    security_opt:\n"
      "     label=x sys?tempaths\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-004"}),
            "services:\n"
            "  app:\n"
            "    image: redis:7.2\n"
            "    security_opt:\n"
            "     [\"label=x sys?tempaths\", \"no-new-privileges:true\"]\n");
}

// Found by fuzzing: with `ports` written twice, compose reads the last one;
// fixing it would bring the first back. Docker compose refuses such a file,
// and so does the fixer.
TEST(ComposeFixer, RegressionDuplicateKeysAreRefused) {
  const std::string before =
      "services:\n"
      "  web:\n"
      "    image: nginx:1.27\n"
      "    ports: [\"8080:80\"]\n"
      "    ports:\n"
      "      - 5432:5432\n";
  auto fixer = MakeComposeFixer();
  FixRequest request;
  request.path = "/nonexistent/docker-compose.yml";
  request.text = before;
  core::Finding finding;
  finding.id = "BW-CO-032";
  finding.location = {"docker-compose.yml", 6, 9, 0, 0};
  request.findings.push_back(finding);
  auto plan = fixer->Plan(request);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("5:5: duplicate key 'ports'"), std::string::npos)
      << plan.status().message();
}

// Found by fuzzing: in `{propagation:"rshared}` the quote is part of a
// plain key (no space after the colon), not the start of a string that a
// later quote would close.
TEST(ComposeFixer, RegressionQuoteInsidePlainFlowKey) {
  const std::string before =
      "services:\n"
      "  web:\n"
      "    image: nginx:1.27\n"
      "    volumes:\n"
      "      - type: bind\n"
      "        source: ./x\n"
      "        target: /x\n"
      "        bind: {propagation:\"rshared}\n"
      "    ports: [\"8080:80\"]\n";
  EXPECT_EQ(FixOnly(before, {"BW-CO-009"}),
            "services:\n"
            "  web:\n"
            "    image: nginx:1.27\n"
            "    volumes:\n"
            "      - type: bind\n"
            "        source: ./x\n"
            "        target: /x\n"
            "        bind: {propagation:\"rshared}\n"
            "    ports: [\"127.0.0.1:8080:80\"]\n");
}

// Found by fuzzing: yaml-cpp takes a plain scalar on the next line, at the
// key's own column, as the key's value; lines added after it would join it.
TEST(ComposeFixer, RegressionValueNoDeeperThanItsKey) {
  const std::string before =
      "services:\n"
      "  web:\n"
      "    image: nginx:1.27\n"
      "    healthcheck:\n"
      "    t inside\n";
  std::string notes;
  EXPECT_EQ(FixOnly(before, {"BW-CO-005"}, {}, &notes), before);
  EXPECT_NE(notes.find("not fixed"), std::string::npos) << notes;
}

}  // namespace
}  // namespace bulwark::fix
