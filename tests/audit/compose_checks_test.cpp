#include "audit/compose_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "analyzer_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(RegisterComposeChecks(*r).ok());
    return r;
  }();
  return *registry;
}

using Audit = AnalyzerRun;

Audit AuditYaml(const std::string& yaml) {
  auto analyzer = MakeComposeAnalyzer();
  Audit audit = RunAnalyzer(*analyzer, Registry(), {core::SourceFile{"compose.yaml", {}, yaml}});
  for (const auto& f : audit.findings) EXPECT_EQ(f.location.path, "compose.yaml");
  return audit;
}

// A service that passes every check; tests add one line to break one.
std::string Hardened(const std::string& extra = "") {
  return "services:\n"
         "  api:\n"
         "    image: registry.example.com/api:1.4.2@sha256:"
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
         "    user: \"10001:10001\"\n"
         "    read_only: true\n"
         "    cap_drop: [ALL]\n"
         "    security_opt: [\"no-new-privileges:true\"]\n"
         "    mem_limit: 256m\n"
         "    cpus: 0.5\n"
         "    pids_limit: 100\n"
         "    healthcheck:\n"
         "      test: [\"CMD\", \"/app/health\"]\n"
         "    restart: on-failure:5\n"
         "    ports:\n"
         "      - \"127.0.0.1:8080:8080\"\n" +
         extra;  // line 16 onwards
}

TEST(ComposeChecks, RegistersAllChecksWithMetadata) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterComposeChecks(registry).ok());
  EXPECT_EQ(registry.size(), 34u);
  EXPECT_FALSE(RegisterComposeChecks(registry).ok());  // duplicates refused
  for (const auto* info : registry.All()) {
    EXPECT_EQ(info->category, core::Category::kCompose) << info->id;
    EXPECT_FALSE(info->rationale.empty()) << info->id;
    EXPECT_FALSE(info->remediation.empty()) << info->id;
    EXPECT_TRUE(!info->references.nist.empty()) << info->id;
    for (const auto& technique : info->references.attack) {
      EXPECT_EQ(technique.rfind("T1", 0), 0u) << info->id;
    }
  }
  EXPECT_EQ(registry.Find("BW-CO-017")->severity, core::Severity::kCritical);
  EXPECT_EQ(registry.Find("BW-CO-017")->references.cis, std::vector<std::string>{"5.32"});
}

TEST(ComposeChecks, HardenedServiceHasNoFindings) {
  Audit audit = AuditYaml(Hardened());
  for (const auto& f : audit.findings) ADD_FAILURE() << f.id << " " << f.message;
  EXPECT_THAT(audit.diagnostics, IsEmpty());
}

TEST(ComposeChecks, Privileged) {
  EXPECT_THAT(AuditYaml(Hardened("    privileged: true\n")).At("BW-CO-001"), ElementsAre("16:5"));
  EXPECT_THAT(AuditYaml(Hardened("    privileged: false\n")).At("BW-CO-001"), IsEmpty());
  EXPECT_THAT(AuditYaml(Hardened("    privileged: ${PRIV:-true}\n")).At("BW-CO-001"),
              ElementsAre("16:5"));
  EXPECT_THAT(AuditYaml(Hardened("    privileged: ${PRIV}\n")).At("BW-CO-001"), IsEmpty());
}

TEST(ComposeChecks, DangerousCapabilities) {
  Audit audit = AuditYaml(
      Hardened("    cap_add:\n      - NET_BIND_SERVICE\n      - SYS_ADMIN\n      - cap_net_raw\n"));
  EXPECT_THAT(audit.At("BW-CO-002"), ElementsAre("18:9", "19:9"));
  EXPECT_EQ(audit.Of("BW-CO-002")[0].severity, core::Severity::kCritical);
  EXPECT_EQ(audit.Of("BW-CO-002")[1].severity, core::Severity::kMedium);
  EXPECT_NE(audit.Of("BW-CO-002")[0].message.find("SYS_ADMIN"), std::string::npos);
  EXPECT_THAT(AuditYaml(Hardened("    cap_add: [NET_BIND_SERVICE, CHOWN]\n")).At("BW-CO-002"),
              IsEmpty());
}

TEST(ComposeChecks, CapabilitiesNotDropped) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-003"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    cap_drop: [NET_RAW]\n").At("BW-CO-003"),
              ElementsAre("3:5"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    cap_drop: [all]\n").At("BW-CO-003"), IsEmpty());
}

TEST(ComposeChecks, NoNewPrivileges) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-004"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    security_opt: [\"no-new-privileges:false\"]\n")
                  .At("BW-CO-004"),
              ElementsAre("3:20"));
  for (const char* accepted :
       {"no-new-privileges:true", "no-new-privileges=true", "no-new-privileges"}) {
    EXPECT_THAT(
        AuditYaml(std::string("services:\n  web:\n    security_opt:\n      - ") + accepted + "\n")
            .At("BW-CO-004"),
        IsEmpty())
        << accepted;
  }
}

TEST(ComposeChecks, WritableRootFilesystem) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-005"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    read_only: false\n").At("BW-CO-005"),
              ElementsAre("3:5"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    read_only: true\n").At("BW-CO-005"), IsEmpty());
}

TEST(ComposeChecks, MemoryLimit) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-006"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    mem_limit: 0\n").At("BW-CO-006"),
              ElementsAre("3:5"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    mem_limit: 1g\n").At("BW-CO-006"), IsEmpty());
  EXPECT_THAT(AuditYaml("services:\n  web:\n    deploy:\n      resources:\n        limits:\n       "
                        "   memory: 50M\n")
                  .At("BW-CO-006"),
              IsEmpty());
  EXPECT_THAT(AuditYaml("services:\n  web:\n    mem_limit: ${MEM}\n").At("BW-CO-006"), IsEmpty());
}

TEST(ComposeChecks, CpuLimit) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-007"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    cpus: 0\n").At("BW-CO-007"), ElementsAre("3:5"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    cpu_shares: 512\n").At("BW-CO-007"), IsEmpty());
  EXPECT_THAT(AuditYaml("services:\n  web:\n    deploy:\n      resources:\n        limits:\n       "
                        "   cpus: '0.5'\n")
                  .At("BW-CO-007"),
              IsEmpty());
}

TEST(ComposeChecks, PidsLimit) {
  EXPECT_THAT(AuditYaml("services:\n  web:\n    image: a:1\n").At("BW-CO-008"), ElementsAre("2:3"));
  EXPECT_THAT(AuditYaml("services:\n  web:\n    pids_limit: -1\n").At("BW-CO-008"),
              ElementsAre("3:5"));
  EXPECT_THAT(
      AuditYaml(
          "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          pids: 64\n")
          .At("BW-CO-008"),
      IsEmpty());
}

TEST(ComposeChecks, PortsOnAllInterfaces) {
  Audit audit =
      AuditYaml(Hardened("      - \"8081:80\"\n"
                         "      - \"9000\"\n"
                         "      - \"0.0.0.0:9001:9001\"\n"
                         "      - \"[::1]:9002:9002\"\n"
                         "      - target: 80\n"
                         "        published: 9003\n"
                         "        host_ip: 0.0.0.0\n"
                         "      - \"${BIND:-127.0.0.1}:9004:9004\"\n"));
  EXPECT_THAT(audit.At("BW-CO-009"), ElementsAre("16:9", "17:9", "18:9", "22:9"));
  EXPECT_NE(audit.Of("BW-CO-009")[1].message.find("ephemeral"), std::string::npos);
}

TEST(ComposeChecks, PrivilegedHostPort) {
  Audit audit =
      AuditYaml(Hardened("      - \"127.0.0.1:80:8080\"\n      - \"127.0.0.1:1024:1024\"\n"));
  EXPECT_THAT(audit.At("BW-CO-010"), ElementsAre("16:9"));
}

TEST(ComposeChecks, HostNamespaces) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    network_mode: host\n"
      "    pid: host\n"
      "    ipc: host\n"
      "    uts: host\n"
      "    userns_mode: host\n"
      "    cgroup_parent: /custom\n"
      "    cgroup: host\n"
      "    ports: [\"80:80\"]\n");
  EXPECT_THAT(audit.At("BW-CO-011"), ElementsAre("3:5"));
  EXPECT_THAT(audit.At("BW-CO-012"), ElementsAre("4:5"));
  EXPECT_THAT(audit.At("BW-CO-013"), ElementsAre("5:5"));
  EXPECT_THAT(audit.At("BW-CO-014"), ElementsAre("6:5"));
  EXPECT_THAT(audit.At("BW-CO-015"), ElementsAre("7:5"));
  EXPECT_THAT(audit.At("BW-CO-016"), ElementsAre("8:5", "9:5"));
  EXPECT_THAT(audit.At("BW-CO-009"), IsEmpty());  // ports are ignored with host networking
  Audit negative = AuditYaml(
      "services:\n  a:\n    network_mode: \"service:b\"\n    pid: \"service:b\"\n    ipc: "
      "shareable\n"
      "  b:\n    image: x:1\n");
  for (const char* id :
       {"BW-CO-011", "BW-CO-012", "BW-CO-013", "BW-CO-014", "BW-CO-015", "BW-CO-016"}) {
    EXPECT_THAT(negative.At(id), IsEmpty()) << id;
  }
}

TEST(ComposeChecks, DockerSocket) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    volumes:\n"
      "      - /var/run/docker.sock:/var/run/docker.sock:ro\n"
      "      - /run/containerd/containerd.sock:/c.sock\n"
      "      - type: bind\n"
      "        source: /run/podman/podman.sock\n"
      "        target: /p.sock\n"
      "      - /var/run:/host-run\n"
      "    use_api_socket: true\n");
  EXPECT_THAT(audit.At("BW-CO-017"), ElementsAre("4:9", "5:9", "6:9", "9:9", "10:5"));
  EXPECT_NE(audit.Of("BW-CO-017")[0].message.find("read-only does not restrict"),
            std::string::npos);
  EXPECT_EQ(audit.Of("BW-CO-017")[0].severity, core::Severity::kCritical);
  EXPECT_THAT(
      AuditYaml(
          "services:\n  a:\n    volumes: [\"./docker.sock.txt:/x\", \"data:/var/run/docker\"]\n"
          "    use_api_socket: false\n")
          .At("BW-CO-017"),
      IsEmpty());
}

TEST(ComposeChecks, SensitiveHostPaths) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    volumes:\n"
      "      - /:/host\n"
      "      - /etc:/host-etc:ro\n"
      "      - /proc/sys:/p\n"
      "      - /etc/localtime:/etc/localtime:ro\n"
      "      - ~/.ssh:/root/.ssh:ro\n"
      "      - ./src:/app\n"
      "      - dbdata:/var/lib/postgresql/data\n"
      "      - /srv/app-data:/data\n"
      "      - /var/lib/docker:/docker\n");
  EXPECT_THAT(audit.At("BW-CO-018"), ElementsAre("4:9", "5:9", "6:9", "8:9", "12:9"));
  const auto found = audit.Of("BW-CO-018");
  EXPECT_EQ(found[0].severity, core::Severity::kCritical);  // / read-write
  EXPECT_EQ(found[1].severity, core::Severity::kMedium);    // /etc read-only
  EXPECT_NE(found[1].message.find("read-only"), std::string::npos);
  EXPECT_EQ(found[2].severity, core::Severity::kMedium);  // under /proc, read-write
  EXPECT_EQ(found[4].severity, core::Severity::kHigh);
}

TEST(ComposeChecks, SharedPropagation) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    volumes:\n"
      "      - ./data:/data:rshared\n"
      "      - type: bind\n"
      "        source: ./b\n"
      "        target: /b\n"
      "        bind:\n"
      "          propagation: shared\n"
      "      - ./c:/c:rslave\n");
  EXPECT_THAT(audit.At("BW-CO-019"), ElementsAre("4:9", "9:11"));
}

TEST(ComposeChecks, Devices) {
  Audit audit = AuditYaml(
      "services:\n  a:\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n      - /dev/sda\n");
  EXPECT_THAT(audit.At("BW-CO-020"), ElementsAre("4:9", "5:9"));
  EXPECT_EQ(audit.Of("BW-CO-020")[1].severity, core::Severity::kHigh);
  EXPECT_THAT(AuditYaml(Hardened()).At("BW-CO-020"), IsEmpty());
}

TEST(ComposeChecks, SecretsInEnvironment) {
  Audit audit = AuditYaml(
      "services:\n"
      "  db:\n"
      "    environment:\n"
      "      - POSTGRES_PASSWORD=hunter2\n"
      "      - POSTGRES_PASSWORD_FILE=/run/secrets/db\n"
      "      - API_TOKEN=${API_TOKEN}\n"
      "      - MYSQL_ALLOW_EMPTY_PASSWORD=yes\n"
      "      - PUBLIC_KEY=ssh-ed25519 AAAA\n"
      "      - DATABASE_URL=postgres://app:s3cret@db/app\n"
      "      - CACHE_URL=redis://:${REDIS_PASSWORD}@cache\n"
      "  api:\n"
      "    environment:\n"
      "      JWT_SECRET: \"change-me\"\n"
      "      AWS_SECRET_ACCESS_KEY: abc123\n"
      "      AWS_ACCESS_KEY_ID: AKIAEXAMPLE\n"
      "      SECRET_KEY: ${SECRET_KEY:?set it}\n"
      "      PWD: /app\n"
      "      DB_PASSWORD:\n");
  EXPECT_THAT(audit.At("BW-CO-021"), ElementsAre("4:9", "9:9", "13:7", "14:7"));
  for (const auto& f : audit.Of("BW-CO-021")) {
    EXPECT_EQ(f.message.find("hunter2"), std::string::npos);  // never echo the secret
    EXPECT_EQ(f.message.find("s3cret"), std::string::npos);
  }
}

TEST(ComposeChecks, UnpinnedImage) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n    image: nginx\n"
      "  b:\n    image: nginx:latest\n"
      "  c:\n    image: localhost:5000/app\n"
      "  d:\n    image: nginx:1.27\n"
      "  e:\n    image: nginx@sha256:0123\n"
      "  f:\n    build: .\n    image: myapp\n"
      "  g:\n    build: ./g\n"
      "  h:\n    image: app:${TAG:-latest}\n"
      "  i:\n    image: app:${TAG}\n");
  EXPECT_THAT(audit.At("BW-CO-022"), ElementsAre("3:12", "5:12", "7:12", "9:12", "18:12"));
  EXPECT_EQ(audit.Of("BW-CO-022")[0].severity, core::Severity::kMedium);
  EXPECT_EQ(audit.Of("BW-CO-022")[3].severity, core::Severity::kLow);
}

TEST(ComposeChecks, Healthcheck) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n    image: x:1\n"
      "  b:\n    healthcheck:\n      disable: true\n"
      "  c:\n    healthcheck:\n      test: [\"NONE\"]\n"
      "  d:\n    healthcheck:\n      test: curl -f localhost\n");
  EXPECT_THAT(audit.At("BW-CO-023"), ElementsAre("2:3", "6:7", "9:13"));
}

TEST(ComposeChecks, RootUser) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n    image: x:1\n"
      "  b:\n    user: root\n"
      "  c:\n    user: \"0:0\"\n"
      "  d:\n    user: \"1000\"\n"
      "  e:\n    user: ${UID}\n");
  EXPECT_THAT(audit.At("BW-CO-024"), ElementsAre("2:3", "5:11", "7:11"));
  EXPECT_EQ(audit.Of("BW-CO-024")[0].severity, core::Severity::kLow);
  EXPECT_NE(audit.Of("BW-CO-024")[0].message.find("image's USER"), std::string::npos);
  EXPECT_EQ(audit.Of("BW-CO-024")[1].severity, core::Severity::kMedium);
}

TEST(ComposeChecks, SecurityOptionsThatDisableConfinement) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    security_opt:\n"
      "      - seccomp:unconfined\n"
      "      - apparmor=unconfined\n"
      "      - label:disable\n"
      "      - label=disable\n"
      "      - systempaths=unconfined\n"
      "      - seccomp=./profile.json\n"
      "      - apparmor:my-profile\n"
      "      - label:type:svirt_apache_t\n");
  EXPECT_THAT(audit.At("BW-CO-025"), ElementsAre("4:9"));
  EXPECT_THAT(audit.At("BW-CO-026"), ElementsAre("5:9"));
  EXPECT_THAT(audit.At("BW-CO-027"), ElementsAre("6:9", "7:9"));
  EXPECT_THAT(audit.At("BW-CO-033"), ElementsAre("8:9"));
}

TEST(ComposeChecks, RestartPolicy) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n    restart: always\n"
      "  b:\n    restart: unless-stopped\n"
      "  c:\n    restart: on-failure\n"
      "  d:\n    restart: on-failure:5\n"
      "  e:\n    restart: \"no\"\n"
      "  f:\n    deploy:\n      restart_policy:\n        condition: on-failure\n"
      "  g:\n    deploy:\n      restart_policy:\n        condition: any\n        max_attempts: "
      "3\n");
  EXPECT_THAT(audit.At("BW-CO-028"), ElementsAre("3:5", "5:5", "7:5", "14:7"));
}

TEST(ComposeChecks, Sysctls) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n"
      "    sysctls:\n"
      "      net.ipv4.ip_forward: 1\n"
      "      net.core.somaxconn: 1024\n"
      "      net.ipv4.ip_unprivileged_port_start: 0\n"
      "  b:\n"
      "    sysctls:\n"
      "      - net.ipv4.conf.all.route_localnet=1\n");
  EXPECT_THAT(audit.At("BW-CO-029"), ElementsAre("4:7", "5:7", "9:9"));
  EXPECT_EQ(audit.Of("BW-CO-029")[0].severity, core::Severity::kMedium);
  EXPECT_EQ(audit.Of("BW-CO-029")[1].severity, core::Severity::kLow);
}

TEST(ComposeChecks, OomKillDisable) {
  EXPECT_THAT(AuditYaml("services:\n  a:\n    oom_kill_disable: true\n").At("BW-CO-030"),
              ElementsAre("3:5"));
  EXPECT_THAT(AuditYaml("services:\n  a:\n    oom_kill_disable: false\n").At("BW-CO-030"),
              IsEmpty());
}

TEST(ComposeChecks, DefaultNetworkOnly) {
  Audit audit = AuditYaml(
      "services:\n"
      "  a:\n    image: x:1\n"
      "  b:\n    networks: [back]\n"
      "  c:\n    networks: [default]\n"
      "  d:\n    network_mode: bridge\n"
      "networks:\n  back:\n    internal: true\n");
  EXPECT_THAT(audit.At("BW-CO-031"), ElementsAre("2:3", "6:3", "9:5"));
  EXPECT_THAT(AuditYaml("services:\n  only:\n    image: x:1\n").At("BW-CO-031"), IsEmpty());
}

TEST(ComposeChecks, DatabasePortPublished) {
  Audit audit = AuditYaml(
      "services:\n"
      "  db:\n    ports: [\"5432:5432\", \"127.0.0.1:3307:3306\"]\n"
      "  cache:\n    ports:\n      - target: 6379\n        published: 16379\n"
      "  web:\n    ports: [\"8080:80\"]\n");
  EXPECT_THAT(audit.At("BW-CO-032"), ElementsAre("3:13", "3:26", "6:9"));
  EXPECT_EQ(audit.Of("BW-CO-032")[0].severity, core::Severity::kMedium);
  EXPECT_EQ(audit.Of("BW-CO-032")[1].severity, core::Severity::kLow);
  EXPECT_NE(audit.Of("BW-CO-032")[0].message.find("PostgreSQL"), std::string::npos);
}

TEST(ComposeChecks, BackendNetworkNotInternal) {
  Audit audit = AuditYaml(
      "services:\n"
      "  web:\n    image: app:1\n    ports: [\"8080:80\"]\n    networks: [frontend, backend]\n"
      "  db:\n    image: bulwark-lab/postgres:15\n    networks: [backend]\n"
      "  cache:\n    image: redis:7\n    networks: [cachenet]\n"
      "  api:\n    image: api:1\n    ports: [\"9000:9000\"]\n    networks: [cachenet]\n"
      "networks:\n"
      "  frontend:\n"
      "  backend:\n"
      "  cachenet:\n"
      "  private:\n    internal: true\n");
  // cachenet is api's only network and api publishes a port: not flagged.
  EXPECT_THAT(audit.At("BW-CO-034"), ElementsAre("18:3"));
  EXPECT_NE(audit.Of("BW-CO-034")[0].message.find("'db'"), std::string::npos);
  Audit internal = AuditYaml(
      "services:\n  db:\n    image: mysql:8\n    networks: [backend]\n"
      "networks:\n  backend:\n    internal: true\n");
  EXPECT_THAT(internal.At("BW-CO-034"), IsEmpty());
}

TEST(ComposeChecks, LabComposeFileMatchesItsSeededWeaknesses) {
  const auto lab = testing::SourceDir() / "lab" / "vulnerable-app" / "docker-compose.yml";
  if (!std::filesystem::exists(lab)) GTEST_SKIP() << "no lab in this tree";
  Audit audit = AuditYaml(testing::ReadFile(lab));
  EXPECT_THAT(audit.At("BW-CO-009"), ElementsAre("8:9"));
  EXPECT_THAT(audit.At("BW-CO-021"), ElementsAre("13:7", "24:7"));
  for (const char* id :
       {"BW-CO-003", "BW-CO-004", "BW-CO-005", "BW-CO-006", "BW-CO-007", "BW-CO-008"}) {
    EXPECT_THAT(audit.At(id), ElementsAre("4:3", "20:3")) << id;
  }
  EXPECT_THAT(audit.At("BW-CO-034"), ElementsAre("31:3"));
}

TEST(ComposeChecks, FindingsThroughAnchorsPointAtTheAnchor) {
  Audit audit = AuditYaml(
      "x-base: &base\n"
      "  privileged: true\n"
      "services:\n"
      "  a:\n"
      "    <<: *base\n"
      "  b:\n"
      "    <<: *base\n"
      "    privileged: false\n");
  ASSERT_THAT(audit.At("BW-CO-001"), ElementsAre("2:3"));
  EXPECT_NE(audit.Of("BW-CO-001")[0].message.find("'a'"), std::string::npos);
}

TEST(ComposeChecks, BadInputBecomesDiagnostics) {
  const std::string inputs[] = {
      "services:\n  web:\n    image: [nginx\n",
      std::string("\x7f"
                  "ELF\0\0\0binary",
                  12),
      "services:\n  web:\n    image: caf\xC3\n",
      std::string(100000, '['),
      "- just\n- a list\n",
  };
  for (const auto& input : inputs) {
    Audit audit = AuditYaml(input);
    EXPECT_THAT(audit.findings, IsEmpty());
    ASSERT_EQ(audit.diagnostics.size(), 1u);
    EXPECT_EQ(audit.diagnostics[0].location.path, "compose.yaml");
    EXPECT_GT(audit.diagnostics[0].location.line, 0) << audit.diagnostics[0].message;
  }
  Audit huge = AuditYaml("services:\n" + std::string(size_t{33} << 20, '#'));
  ASSERT_EQ(huge.diagnostics.size(), 1u);
  EXPECT_EQ(huge.diagnostics[0].location.line, 0);  // the whole file
  EXPECT_NE(huge.diagnostics[0].message.find("limit"), std::string::npos);
  Audit first = AuditYaml("services:\n  web:\n    image: [nginx\n");
  // yaml-cpp notices the unclosed '[' at the end of the input.
  EXPECT_GE(first.diagnostics[0].location.line, 3);
  // Type errors are diagnostics and the rest of the file is still checked.
  Audit mixed = AuditYaml("services:\n  web:\n    ports: 80\n    privileged: true\n");
  EXPECT_EQ(mixed.diagnostics.size(), 1u);
  EXPECT_THAT(mixed.At("BW-CO-001"), ElementsAre("4:5"));
}

TEST(ComposeChecksConformance, AwesomeComposeCorpus) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto root = data / "corpus" / "awesome-compose";
  int files = 0;
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.rfind("compose.y", 0) != 0) continue;
    Audit audit = AuditYaml(testing::ReadFile(entry.path()));
    EXPECT_THAT(audit.diagnostics, IsEmpty()) << entry.path();
    for (const auto& f : audit.findings) {
      EXPECT_GT(f.location.line, 0) << entry.path() << " " << f.id;
      ids.insert(f.id);
    }
    ++files;
  }
  EXPECT_GE(files, 30);
  EXPECT_GE(ids.size(), 8u);
  Audit portainer = AuditYaml(testing::ReadFile(root / "portainer" / "compose.yaml"));
  ASSERT_FALSE(portainer.Of("BW-CO-017").empty());
  EXPECT_NE(portainer.Of("BW-CO-017")[0].message.find("docker.sock"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::audit
