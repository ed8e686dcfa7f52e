#include "audit/daemon_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer_test_util.hpp"

namespace bulwark::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(RegisterDaemonChecks(*r).ok());
    return r;
  }();
  return *registry;
}

using Audit = AnalyzerRun;

Audit AuditJson(const std::string& json) {
  auto analyzer = MakeDaemonAnalyzer();
  return RunAnalyzer(*analyzer, Registry(), {core::SourceFile{"etc/docker/daemon.json", {}, json}});
}

// Passes every check: each test changes one line.
constexpr const char* kHardened = R"({
  "icc": false,
  "userns-remap": "default",
  "live-restore": true,
  "userland-proxy": false,
  "no-new-privileges": true,
  "log-driver": "journald",
  "log-level": "info",
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
  "authorization-plugins": ["authz-broker"],
  "storage-driver": "overlay2"
})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(DaemonChecks, RegistersAllChecks) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterDaemonChecks(registry).ok());
  EXPECT_EQ(registry.size(), 17u);
  for (const auto* info : registry.All()) {
    EXPECT_EQ(info->category, core::Category::kDaemon);
    ASSERT_EQ(info->references.cis.size(), 1u) << info->id;
    EXPECT_EQ(info->references.cis[0].rfind("2.", 0), 0u) << info->id;
    EXPECT_FALSE(info->references.nist.empty()) << info->id;
  }
  EXPECT_EQ(registry.Find("BW-DJ-006")->severity, core::Severity::kCritical);
}

TEST(DaemonChecks, HardenedConfigHasNoFindings) {
  Audit audit = AuditJson(kHardened);
  for (const auto& f : audit.findings) ADD_FAILURE() << f.id << " " << f.message;
  EXPECT_THAT(audit.diagnostics, IsEmpty());
}

TEST(DaemonChecks, EmptyConfigReportsMissingSettingsAtLineOne) {
  Audit audit = AuditJson("{}");
  for (const char* id : {"BW-DJ-001", "BW-DJ-007", "BW-DJ-008", "BW-DJ-011", "BW-DJ-012",
                         "BW-DJ-013", "BW-DJ-014", "BW-DJ-015"}) {
    EXPECT_THAT(audit.At(id), ElementsAre("1:1")) << id;
  }
  for (const char* id : {"BW-DJ-002", "BW-DJ-003", "BW-DJ-004", "BW-DJ-005", "BW-DJ-006",
                         "BW-DJ-009", "BW-DJ-010", "BW-DJ-016", "BW-DJ-017"}) {
    EXPECT_THAT(audit.At(id), IsEmpty()) << id;  // defaults are fine
  }
  // An empty file is dockerd's defaults too; the brace's line when indented.
  EXPECT_THAT(AuditJson("").At("BW-DJ-001"), ElementsAre("1:1"));
  EXPECT_THAT(AuditJson("\n\n  {\n  }\n").At("BW-DJ-001"), ElementsAre("3:3"));
}

TEST(DaemonChecks, Icc) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"icc\": false", "\"icc\": true")).At("BW-DJ-001"),
              ElementsAre("2:3"));
}

TEST(DaemonChecks, LogLevel) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"info\"", "\"debug\"")).At("BW-DJ-002"),
              ElementsAre("8:16"));
}

TEST(DaemonChecks, Iptables) {
  std::string json = Replace(kHardened, "\"icc\": false,", "\"icc\": false, \"iptables\": false,");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-003"), ElementsAre("2:17"));
  json = Replace(kHardened, "\"icc\": false,", "\"icc\": false, \"iptables\": true,");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-003"), IsEmpty());
}

TEST(DaemonChecks, InsecureRegistries) {
  std::string json = Replace(kHardened, "\"icc\": false,",
                             "\"icc\": false,\n  \"insecure-registries\": [\"registry.corp:5000\", "
                             "\"127.0.0.1:5000\", \"10.0.0.0/8\"],");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-004"), ElementsAre("3:27", "3:67"));
}

TEST(DaemonChecks, Aufs) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"overlay2\"", "\"aufs\"")).At("BW-DJ-005"),
              ElementsAre("11:21"));
}

TEST(DaemonChecks, TcpHostsWithoutTlsVerify) {
  std::string json = Replace(kHardened, "\"icc\": false,",
                             "\"icc\": false,\n  \"hosts\": [\"unix:///var/run/docker.sock\", "
                             "\"tcp://0.0.0.0:2375\", \"127.0.0.1:2375\"],");
  Audit audit = AuditJson(json);
  EXPECT_THAT(audit.At("BW-DJ-006"), ElementsAre("3:44", "3:66"));
  EXPECT_EQ(audit.Of("BW-DJ-006")[0].severity, core::Severity::kCritical);
  EXPECT_EQ(audit.Of("BW-DJ-006")[1].severity, core::Severity::kHigh);  // loopback only
  std::string tls_only = Replace(json, "\"icc\": false,", "\"icc\": false, \"tls\": true,");
  EXPECT_NE(AuditJson(tls_only).Of("BW-DJ-006")[0].message.find("without tlsverify"),
            std::string::npos);
  std::string verified = Replace(json, "\"icc\": false,", "\"icc\": false, \"tlsverify\": true,");
  EXPECT_THAT(AuditJson(verified).At("BW-DJ-006"), IsEmpty());
  std::string unix_only =
      Replace(kHardened, "\"icc\": false,",
              "\"icc\": false, \"hosts\": [\"unix:///run/d.sock\", \"fd://\"],");
  EXPECT_THAT(AuditJson(unix_only).At("BW-DJ-006"), IsEmpty());
}

TEST(DaemonChecks, DefaultUlimits) {
  std::string json = Replace(
      kHardened, "{\"nofile\": {\"Name\": \"nofile\", \"Hard\": 64000, \"Soft\": 64000}}", "{}");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-007"), ElementsAre("9:3"));
}

TEST(DaemonChecks, UsernsRemap) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"default\"", "\"\"")).At("BW-DJ-008"),
              ElementsAre("3:3"));
}

TEST(DaemonChecks, CgroupParent) {
  std::string json =
      Replace(kHardened, "\"icc\": false,", "\"icc\": false,\n  \"cgroup-parent\": \"/custom\",");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-009"), ElementsAre("3:3"));
}

TEST(DaemonChecks, StorageOptsBaseSize) {
  std::string json = Replace(
      kHardened, "\"icc\": false,",
      "\"icc\": false,\n  \"storage-opts\": [\"dm.thinpooldev=/dev/x\", \"dm.basesize=50G\"],");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-010"), ElementsAre("3:45"));
}

TEST(DaemonChecks, AuthorizationPlugins) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "[\"authz-broker\"]", "[]")).At("BW-DJ-011"),
              ElementsAre("10:3"));
}

TEST(DaemonChecks, Logging) {
  // json-file without max-size: at log-driver, or at log-opts when present.
  Audit json_file = AuditJson(Replace(kHardened, "\"journald\"", "\"json-file\""));
  EXPECT_THAT(json_file.At("BW-DJ-012"), ElementsAre("7:3"));
  std::string without_size =
      Replace(kHardened, "\"log-driver\": \"journald\"",
              "\"log-driver\": \"json-file\", \"log-opts\": {\"max-file\": \"3\"}");
  EXPECT_THAT(AuditJson(without_size).At("BW-DJ-012"), ElementsAre("7:30"));
  std::string rotated =
      Replace(kHardened, "\"log-driver\": \"journald\"",
              "\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\"}");
  EXPECT_THAT(AuditJson(rotated).At("BW-DJ-012"), IsEmpty());
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"journald\"", "\"none\"")).At("BW-DJ-012"),
              ElementsAre("7:17"));
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"journald\"", "\"local\"")).At("BW-DJ-012"),
              IsEmpty());
}

TEST(DaemonChecks, NoNewPrivileges) {
  EXPECT_THAT(
      AuditJson(Replace(kHardened, "\"no-new-privileges\": true", "\"no-new-privileges\": false"))
          .At("BW-DJ-013"),
      ElementsAre("6:3"));
}

TEST(DaemonChecks, LiveRestore) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"live-restore\": true", "\"live-restore\": false"))
                  .At("BW-DJ-014"),
              ElementsAre("4:3"));
}

TEST(DaemonChecks, UserlandProxy) {
  EXPECT_THAT(AuditJson(Replace(kHardened, "\"userland-proxy\": false", "\"userland-proxy\": true"))
                  .At("BW-DJ-015"),
              ElementsAre("5:3"));
}

TEST(DaemonChecks, SeccompProfile) {
  std::string json = Replace(kHardened, "\"icc\": false,",
                             "\"icc\": false,\n  \"seccomp-profile\": \"unconfined\",");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-016"), ElementsAre("3:22"));
  json = Replace(kHardened, "\"icc\": false,",
                 "\"icc\": false,\n  \"seccomp-profile\": \"/etc/docker/strict.json\",");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-016"), IsEmpty());
}

TEST(DaemonChecks, Experimental) {
  std::string json =
      Replace(kHardened, "\"icc\": false,", "\"icc\": false,\n  \"experimental\": true,");
  EXPECT_THAT(AuditJson(json).At("BW-DJ-017"), ElementsAre("3:3"));
}

TEST(DaemonChecks, DuplicateKeyIsDiagnosedAndLastValueChecked) {
  std::string json = Replace(kHardened, "\"icc\": false,", "\"icc\": false,\n  \"icc\": true,");
  Audit audit = AuditJson(json);
  EXPECT_THAT(audit.At("BW-DJ-001"), ElementsAre("3:3"));
  ASSERT_EQ(audit.diagnostics.size(), 1u);
  EXPECT_EQ(audit.diagnostics[0].location.line, 3);
  EXPECT_NE(audit.diagnostics[0].message.find("duplicate key 'icc'"), std::string::npos);
}

TEST(DaemonChecks, InvalidInputBecomesADiagnosticWithLine) {
  Audit audit = AuditJson("{\n  \"icc\": false,\n  \"live-restore\": true,\n}\n");
  EXPECT_THAT(audit.findings, IsEmpty());
  ASSERT_EQ(audit.diagnostics.size(), 1u);
  EXPECT_EQ(audit.diagnostics[0].location.path, "etc/docker/daemon.json");
  EXPECT_EQ(audit.diagnostics[0].location.line, 4);
  EXPECT_EQ(audit.diagnostics[0].location.column, 1);
  EXPECT_NE(audit.diagnostics[0].message.find("trailing comma"), std::string::npos);
  EXPECT_EQ(audit.diagnostics[0].message.find("4:1"), std::string::npos);  // the location says it
  for (const std::string& bad :
       {std::string("\x7f"
                    "ELF\x02\x01\x01\0\0\0",
                    10),
        std::string("{\"a\": \"\xFF\"}"), std::string(300000, '{'), std::string("[1, 2]")}) {
    Audit result = AuditJson(bad);
    EXPECT_THAT(result.findings, IsEmpty());
    ASSERT_EQ(result.diagnostics.size(), 1u);
    EXPECT_GT(result.diagnostics[0].location.line, 0) << result.diagnostics[0].message;
  }
}

TEST(DaemonChecks, WrongTypeIsDiagnosedAndNotMisread) {
  Audit audit = AuditJson(Replace(kHardened, "\"icc\": false", "\"icc\": \"false\""));
  ASSERT_EQ(audit.diagnostics.size(), 1u);
  EXPECT_EQ(audit.diagnostics[0].location.line, 2);
  EXPECT_THAT(audit.At("BW-DJ-001"), ElementsAre("1:1"));  // dockerd would not take the string
}

}  // namespace
}  // namespace bulwark::audit
