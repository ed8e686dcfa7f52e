// The built `bulwark triage` end to end: /bin/ls and a crafted miner-like
// file as JSON, the other formats, --output, and the exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "elf_builder.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

using bulwark::testing::BulwarkBinary;
using bulwark::testing::RunCommand;

nlohmann::json TriageJsonOf(const std::string& path) {
  auto r = RunCommand({BulwarkBinary().string(), "triage", path, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(TriageCli, SystemBinary) {
  const std::string path = std::filesystem::exists("/bin/ls") ? "/bin/ls" : "/usr/bin/ls";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no ls";
  auto j = TriageJsonOf(path);
  EXPECT_EQ(j["target"]["path"], path);
  EXPECT_EQ(j["file_type"]["kind"], "elf");
  EXPECT_EQ(j["hashes"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["hashes"]["md5"].get<std::string>().size(), 32u);
  EXPECT_EQ(j["elf"]["linking"], "dynamic");
  EXPECT_FALSE(j["elf"]["interpreter"].get<std::string>().empty());
  EXPECT_FALSE(j["elf"]["needed"].empty());
  EXPECT_FALSE(j["elf"]["imports"].empty());
  EXPECT_FALSE(j["elf"]["sections"].empty());
  std::string verdict = j["assessment"]["verdict"];
  EXPECT_TRUE(verdict == "clean" || verdict == "unknown") << verdict;
}

TEST(TriageCli, MinerLikeFile) {
  auto dir = bulwark::testing::MakeTempDir("triage-cli");
  testing::ElfBuilder b;
  std::string rodata = std::string("stratum+tcp://127.0.0.1:3333") + '\0' + "xmrig --donate-level 1" + '\0' +
                       "/etc/cron.d/kthreadd" + '\0' + "/var/run/docker.sock" + '\0';
  b.AddSection({".rodata", 1, 2, rodata});
  bulwark::testing::WriteFile(dir / "kworker", b.Build());
  auto j = TriageJsonOf((dir / "kworker").string());
  EXPECT_EQ(j["assessment"]["verdict"], "malicious");
  EXPECT_GE(j["assessment"]["score"].get<int>(), 70);
  bool stratum = false;
  for (const auto& ioc : j["iocs"]) stratum = stratum || (ioc["kind"] == "stratum_url" && ioc["value"] == "stratum+tcp://127.0.0.1:3333");
  EXPECT_TRUE(stratum);
  auto attack = j["assessment"]["attack"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(attack.begin(), attack.end(), "T1496"), attack.end());
  EXPECT_NE(std::find(attack.begin(), attack.end(), "T1611"), attack.end());

  // bulwark's YARA rules run by default when the build has libyara.
  if (j["yara"]["ran"].get<bool>()) {
    bool pool_rule = false;
    for (const auto& m : j["yara"]["matches"]) pool_rule = pool_rule || m["rule"] == "BULWARK_Miner_Pool_Or_Options";
    EXPECT_TRUE(pool_rule);
    bulwark::testing::WriteFile(dir / "rules" / "bad.yar", "rule {");
    auto bad = RunCommand({BulwarkBinary().string(), "triage", (dir / "kworker").string(), "--yara-rules",
                           (dir / "rules").string()});
    EXPECT_EQ(bad.exit_code, 3);
    EXPECT_NE(bad.err.find("bad.yar"), std::string::npos) << bad.err;
    auto off = RunCommand({BulwarkBinary().string(), "triage", (dir / "kworker").string(), "--no-yara",
                           "--format", "json"});
    EXPECT_EQ(off.exit_code, 0);
    EXPECT_FALSE(nlohmann::json::parse(off.out)["yara"]["ran"].get<bool>());
  }

  auto md = RunCommand({BulwarkBinary().string(), "triage", (dir / "kworker").string(), "--format", "markdown",
                        "--output", (dir / "report.md").string()});
  EXPECT_EQ(md.exit_code, 0) << md.err;
  EXPECT_TRUE(md.out.empty());
  EXPECT_NE(bulwark::testing::ReadFile(dir / "report.md").find("**Verdict: malicious**"), std::string::npos);
  auto text = RunCommand({BulwarkBinary().string(), "triage", (dir / "kworker").string()});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Verdict:    malicious"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(TriageCli, ExitCodes) {
  auto dir = bulwark::testing::MakeTempDir("triage-cli-exit");
  auto missing = RunCommand({BulwarkBinary().string(), "triage", (dir / "nope").string()});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("nope"), std::string::npos);
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", dir.string()}).exit_code, 2);  // a directory
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage", "/bin/sh", "--format", "sarif"}).exit_code, 2);
  EXPECT_EQ(RunCommand({BulwarkBinary().string(), "triage"}).exit_code, 2);
  auto help = RunCommand({BulwarkBinary().string(), "triage", "--help"});
  EXPECT_NE(help.out.find("--container"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::respond
