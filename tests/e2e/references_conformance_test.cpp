// Conformance of the check registry's references against the real ATT&CK
// and NIST data in ../shared/data (skips loudly when absent): every ATT&CK ID
// is a technique of the Containers matrix (or a deliberately allowed
// Enterprise technique), every NIST control is a known SP 800-53 rev5
// control, every CIS number is a CIS Docker Benchmark 1.6.0 section 1-7 ID.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

// Enterprise techniques outside the Containers matrix that checks use on
// purpose: T1059 (command interpreter) is what code injection in a service enables.
const std::set<std::string> kAllowedEnterprise = {"T1059"};

nlohmann::json Checks() {
  auto r = RunCommand({BulwarkBinary().string(), "checks", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  return nlohmann::json::parse(r.out)["checks"];
}

std::set<std::string> KnownNistControls(const std::filesystem::path& data) {
  std::set<std::string> known;
  auto controls = nlohmann::json::parse(ReadFile(data / "nist-800-53-container-controls.json"));
  for (const auto& c : controls["controls"]) known.insert(c["id"].get<std::string>());
  auto mapping = nlohmann::json::parse(ReadFile(data / "attack-containers-to-nist-800-53-r5.json"));
  for (const auto& [control, techniques] : mapping["control_to_techniques"].items()) known.insert(control);
  return known;
}

}  // namespace

TEST(ReferencesConformance, AttackIdsAreContainerTechniques) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  auto attack = nlohmann::json::parse(ReadFile(data / "attack-containers.json"));
  std::set<std::string> known(kAllowedEnterprise);
  for (const auto& t : attack["techniques"]) known.insert(t["id"].get<std::string>());
  for (const auto& c : Checks()) {
    for (const auto& id : c["references"]["attack"]) {
      EXPECT_TRUE(known.count(id.get<std::string>())) << c["id"] << " references unknown technique " << id;
    }
  }
}

TEST(ReferencesConformance, NistControlsExist) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::set<std::string> known = KnownNistControls(data);
  std::regex shape(R"(([A-Z]{2})-(\d+)(\((\d+)\))?)");
  for (const auto& c : Checks()) {
    for (const auto& j : c["references"]["nist"]) {
      std::string id = j;
      std::smatch m;
      ASSERT_TRUE(std::regex_match(id, m, shape)) << c["id"] << " malformed NIST control " << id;
      // The exact control, or its base control when the data lists only the base.
      std::string base = m[1].str() + "-" + m[2].str();
      EXPECT_TRUE(known.count(id) || known.count(base))
          << c["id"] << " references unknown NIST control " << id;
    }
  }
}

TEST(ReferencesConformance, CisNumbersAreDockerBenchIds) {
  std::regex shape(R"([1-7]\.\d{1,2}(\.\d{1,2})?)");
  for (const auto& c : Checks()) {
    for (const auto& j : c["references"]["cis"]) {
      std::string id = j;
      EXPECT_TRUE(std::regex_match(id, shape)) << c["id"] << " malformed CIS Docker number " << id;
    }
  }
}

TEST(ReferencesConformance, CweIdsWellFormed) {
  std::regex shape(R"(CWE-\d+)");
  for (const auto& c : Checks()) {
    for (const auto& j : c["references"]["cwe"]) {
      EXPECT_TRUE(std::regex_match(j.get<std::string>(), shape)) << c["id"] << " " << j;
    }
  }
}

}  // namespace bulwark::testing
