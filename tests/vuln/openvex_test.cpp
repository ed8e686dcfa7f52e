// OpenVEX: reading 0.2.0 and 0.0.x documents, and applying statements to
// vulnerability findings by ID/alias and purl, latest statement winning.
#include "vuln/openvex.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bulwark::vuln {
namespace {

VexDocument MustRead(const std::string& text, const std::string& name = "vex.json") {
  auto doc = ReadOpenVex(text, name);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? *doc : VexDocument{};
}

VexDocument Fixture(const std::string& name) {
  return MustRead(testing::ReadFile(testing::SourceDir() / "tests/vuln/fixtures/fmt" / name), name);
}

core::Finding Vuln(std::string id, std::string purl, std::vector<std::string> aliases = {}) {
  core::Finding f;
  f.id = std::move(id);
  f.category = core::Category::kVulnerability;
  f.package.purl = std::move(purl);
  f.aliases = std::move(aliases);
  return f;
}

const char* kRequests = "pkg:pypi/requests@2.31.0";
const char* kLibc = "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12.15";
const char* kPasswd = "pkg:deb/debian/passwd@4.13+dfsg1-1+deb12u1?arch=amd64&epoch=1&distro=debian-12.15";

TEST(OpenVexRead, Version020) {
  VexDocument doc = Fixture("openvex-0.2.0.json");
  EXPECT_EQ(doc.author, "Lab Security Team <security@lab.example>");
  ASSERT_EQ(doc.statements.size(), 4u);
  const VexStatement& first = doc.statements[0];
  EXPECT_EQ(first.vulnerability, "CVE-2024-35195");
  EXPECT_EQ(first.aliases, std::vector<std::string>{"GHSA-9wx4-h78v-vm56"});
  EXPECT_EQ(first.status, VexStatus::kNotAffected);
  EXPECT_EQ(first.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(first.impact_statement, "The app never creates a Session with verify=False.");
  ASSERT_EQ(first.products.size(), 1u);
  EXPECT_EQ(first.products[0].purl.rfind("pkg:oci/vulnerable-app", 0), 0u);
  EXPECT_EQ(first.products[0].subcomponents, std::vector<std::string>{"pkg:pypi/requests@2.31.0"});
  EXPECT_EQ(first.timestamp, "2024-05-01T12:00:00Z");  // the document's
  EXPECT_EQ(first.time, 1714564800);
  EXPECT_EQ(doc.statements[1].action_statement, "Rebuild on a newer base image.");
  EXPECT_EQ(doc.statements[3].status, VexStatus::kFixed);
  EXPECT_EQ(doc.statements[3].time, 1717221600);  // +02:00 applied
}

TEST(OpenVexRead, Version00x) {
  VexDocument doc = Fixture("openvex-0.0.2.json");
  ASSERT_EQ(doc.statements.size(), 2u);
  EXPECT_EQ(doc.statements[0].vulnerability, "CVE-2023-4911");
  EXPECT_EQ(doc.statements[0].products[0].purl, "pkg:deb/debian/libc6@2.36-9+deb12u4");
  EXPECT_EQ(doc.statements[1].products[0].subcomponents, std::vector<std::string>{"pkg:pypi/Requests"});
  EXPECT_EQ(doc.statements[0].time, 1673917636);  // -06:00, fraction ignored
}

TEST(OpenVexRead, ErrorsNameTheFileAndStatement) {
  struct Case {
    std::string text, fragment;
  };
  std::vector<Case> cases = {
      {"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"statements":[]})", "not an OpenVEX document"},
      {R"({"@context":"https://cyclonedx.org","statements":[]})", "not an OpenVEX document"},
      {R"({"@context":"https://openvex.dev/ns/v0.2.0"})", "no \"statements\""},
      {R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"status":"fixed"}]})", "statement 1: no vulnerability"},
      {R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"X"},"status":"fixed"},
          {"vulnerability":{"name":"Y"},"status":"maybe"}]})", "statement 2: unknown status \"maybe\""},
      {R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":7,"status":"fixed"}]})", "no vulnerability"},
  };
  for (const Case& c : cases) {
    auto doc = ReadOpenVex(c.text, "my.vex.json");
    ASSERT_FALSE(doc.ok()) << c.text;
    EXPECT_EQ(doc.status().message().rfind("my.vex.json: ", 0), 0u) << doc.status().message();
    EXPECT_NE(doc.status().message().find(c.fragment), std::string::npos) << doc.status().message();
  }
  std::string huge(kMaxVexBytes + 1, ' ');
  auto too_large = ReadOpenVex(huge, "big.json");
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.status().code(), core::ErrorCode::kTooLarge);
}

TEST(OpenVexRead, ContextAsArrayAndOddProductsAccepted) {
  VexDocument doc = MustRead(R"({"@context":["https://www.w3.org/ns/x","https://openvex.dev/ns/v0.2.0"],
    "statements":[{"vulnerability":{"@id":"CVE-1"},"status":"affected","products":[7,{"@id":"https://x"},"pkg:npm/a@1"]}]})");
  ASSERT_EQ(doc.statements.size(), 1u);
  EXPECT_EQ(doc.statements[0].vulnerability, "CVE-1");
  ASSERT_EQ(doc.statements[0].products.size(), 3u);
  EXPECT_EQ(doc.statements[0].products[1].purl, "");  // not a purl
  EXPECT_EQ(doc.statements[0].products[2].purl, "pkg:npm/a@1");
}

TEST(OpenVexApply, StatusesPurlsAliasesAndLatestWins) {
  VexDocument doc = Fixture("openvex-0.2.0.json");
  std::vector<core::Finding> findings = {
      Vuln("CVE-2024-35195", kRequests),                                      // not_affected
      Vuln("PYSEC-2024-60", kRequests, {"GHSA-9wx4-h78v-vm56"}),             // alias -> not_affected
      Vuln("CVE-2023-4911", kLibc),                                           // affected, kept
      Vuln("CVE-2023-4911", "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=arm64"),  // qualifier differs
      Vuln("CVE-2023-4641", kPasswd),                                         // fixed (later timestamp)
      Vuln("CVE-2024-0001", kRequests),                                       // no statement
      Vuln("CVE-2024-35195", "pkg:pypi/requests@2.30.0"),                     // other version
  };
  std::vector<core::Finding> suppressed = ApplyVex(doc, findings);
  ASSERT_EQ(suppressed.size(), 3u);
  EXPECT_EQ(suppressed[0].id, "CVE-2024-35195");
  EXPECT_EQ(suppressed[0].vex_status, "not_affected");
  EXPECT_EQ(suppressed[1].id, "PYSEC-2024-60");
  EXPECT_EQ(suppressed[2].id, "CVE-2023-4641");
  EXPECT_EQ(suppressed[2].vex_status, "fixed");
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].id, "CVE-2023-4911");
  EXPECT_EQ(findings[0].vex_status, "affected");
  EXPECT_EQ(findings[1].vex_status, "");
  EXPECT_EQ(findings[2].id, "CVE-2024-0001");
  EXPECT_EQ(findings[3].package.purl, "pkg:pypi/requests@2.30.0");
}

TEST(OpenVexApply, LegacyDocumentMatchesWithoutVersionAndNormalisedPypiNames) {
  VexDocument doc = Fixture("openvex-0.0.2.json");
  std::vector<core::Finding> findings = {Vuln("CVE-2023-4911", kLibc), Vuln("GHSA-9wx4-h78v-vm56", "pkg:pypi/requests@2.30.0"),
                                         Vuln("GHSA-9wx4-h78v-vm56", "pkg:npm/requests@1.0.0")};
  std::vector<core::Finding> suppressed = ApplyVex(doc, findings);
  ASSERT_EQ(suppressed.size(), 2u);
  EXPECT_EQ(suppressed[0].vex_status, "not_affected");
  EXPECT_EQ(suppressed[1].vex_status, "fixed");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].package.purl, "pkg:npm/requests@1.0.0");
}

TEST(OpenVexApply, TimestampBeatsDocumentOrderAndOrderBreaksTies) {
  VexDocument doc = MustRead(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[
    {"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"not_affected","timestamp":"2024-02-01T00:00:00Z"},
    {"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"affected","timestamp":"2024-01-01T00:00:00Z"},
    {"vulnerability":{"name":"CVE-2"},"products":[{"@id":"pkg:npm/a@1"}],"status":"not_affected"},
    {"vulnerability":{"name":"CVE-2"},"products":[{"@id":"pkg:npm/a"}],"status":"under_investigation"}]})");
  std::vector<core::Finding> findings = {Vuln("CVE-1", "pkg:npm/a@1"), Vuln("cve-2", "pkg:npm/a@1")};
  std::vector<core::Finding> suppressed = ApplyVex(doc, findings);
  ASSERT_EQ(suppressed.size(), 1u);
  EXPECT_EQ(suppressed[0].id, "CVE-1");  // the later timestamp, though earlier in the file
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].vex_status, "under_investigation");  // same (no) time: the later statement
}

TEST(OpenVexApply, ImageProductWithoutSubcomponentsCoversEveryPackage) {
  VexDocument doc = MustRead(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[
    {"vulnerability":{"name":"CVE-9"},"products":[{"@id":"pkg:oci/app@sha256%3Aab"}],"status":"not_affected"}]})");
  std::vector<core::Finding> findings = {Vuln("CVE-9", kLibc), Vuln("CVE-9", ""), Vuln("CVE-8", kLibc)};
  EXPECT_EQ(ApplyVex(doc, findings).size(), 2u);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "CVE-8");
}

TEST(OpenVexApply, EpochQualifierAndEpochInVersionAreTheSame) {
  VexDocument doc = MustRead(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[
    {"vulnerability":{"name":"CVE-5"},"products":[{"@id":"pkg:deb/debian/passwd@1:4.13%2Bdfsg1-1%2Bdeb12u1"}],"status":"fixed"},
    {"vulnerability":{"name":"CVE-6"},"products":[{"@id":"pkg:deb/debian/passwd@4.13%2Bdfsg1-1%2Bdeb12u1"}],"status":"fixed"}]})");
  std::vector<core::Finding> findings = {Vuln("CVE-5", kPasswd), Vuln("CVE-6", kPasswd)};
  EXPECT_EQ(ApplyVex(doc, findings).size(), 1u);  // CVE-6 names epoch 0, not 1
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "CVE-6");
}

TEST(OpenVexApply, BadPurlsMatchNothing) {
  VexDocument doc = MustRead(R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":[
    {"vulnerability":{"name":"CVE-7"},"products":[{"@id":"pkg:npm/%zz@1"},{"@id":"pkg:"}],"status":"not_affected"}]})");
  std::vector<core::Finding> findings = {Vuln("CVE-7", "pkg:npm/%zz@1"), Vuln("CVE-7", "garbage")};
  EXPECT_TRUE(ApplyVex(doc, findings).empty());
  EXPECT_EQ(findings.size(), 2u);
}

}  // namespace
}  // namespace bulwark::vuln
