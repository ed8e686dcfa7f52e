// The CycloneDX 1.5 vulnerabilities array: one entry per ID, ratings by CVSS
// version, CWEs as numbers, recommendations, aliases, affects by bom-ref;
// and the whole document validated against the official schema.
#include "vuln/cyclonedx_vulns.hpp"

#include <gtest/gtest.h>

#include "sbom/cyclonedx_writer.hpp"
#include "sbom/fixtures/fmt/sample_sbom.hpp"
#include "test_support.hpp"

namespace bulwark::vuln {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Package indexes in SampleSbom: 0 passwd, 1 libc6, 4 Flask, 5 and 6 requests.
std::vector<VulnMatch> SampleMatches() {
  VulnMatch werkzeug;
  werkzeug.package_index = 5;
  werkzeug.id = "CVE-2024-35195";
  werkzeug.aliases = {"GHSA-9wx4-h78v-vm56", "PYSEC-2024-60"};
  werkzeug.summary = "Requests `Session` object does not verify requests after making first request with verify=False";
  werkzeug.severity = "medium";
  werkzeug.cvss_score = 5.6;
  werkzeug.cvss_vector = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N";
  werkzeug.installed = "2.31.0";
  werkzeug.fixed = "2.32.0";
  werkzeug.ecosystem = "PyPI";
  werkzeug.sources = {"osv"};
  werkzeug.urls = {"https://github.com/psf/requests/pull/6655", "not a url with spaces"};
  werkzeug.cwes = {"CWE-670", "NVD-CWE-noinfo"};
  VulnMatch same_in_venv = werkzeug;  // the second copy of requests
  same_in_venv.package_index = 6;
  VulnMatch glibc;
  glibc.package_index = 1;
  glibc.id = "CVE-2023-4911";
  glibc.summary = "Looney Tunables";
  glibc.severity = "high";
  glibc.cvss_score = 7.8;
  glibc.cvss_vector = "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H";
  glibc.installed = "2.36-9+deb12u1";
  glibc.fixed = "2.36-9+deb12u3";
  glibc.ecosystem = "Debian:12";
  glibc.sources = {"debian-tracker"};
  glibc.cwes = {"CWE-787", "CWE-122"};
  VulnMatch unrated;
  unrated.package_index = 0;
  unrated.id = "CVE-2023-4641";
  unrated.installed = "1:4.13+dfsg1-1+deb12u1";
  unrated.sources = {"debian-tracker"};
  VulnMatch out_of_range = unrated;
  out_of_range.package_index = 999;
  out_of_range.id = "CVE-0000-0001";
  return {werkzeug, glibc, same_in_venv, unrated, out_of_range};
}

json BomWithVulns() {
  sbom::Sbom s = testing::SampleSbom();
  json bom = sbom::CycloneDxDocument(s);
  AddVulnerabilities(bom, SampleMatches(), s);
  return bom;
}

const json& Vuln(const json& bom, const std::string& id) {
  for (const json& v : bom["vulnerabilities"]) {
    if (v["id"] == id) return v;
  }
  static const json kNone;
  ADD_FAILURE() << "no vulnerability " << id;
  return kNone;
}

TEST(CycloneDxVulns, OneEntryPerIdSortedAndUnknownPackagesDropped) {
  json bom = BomWithVulns();
  ASSERT_EQ(bom["vulnerabilities"].size(), 3u);
  EXPECT_EQ(bom["vulnerabilities"][0]["id"], "CVE-2023-4641");
  EXPECT_EQ(bom["vulnerabilities"][1]["id"], "CVE-2023-4911");
  EXPECT_EQ(bom["vulnerabilities"][2]["id"], "CVE-2024-35195");
}

TEST(CycloneDxVulns, AffectsEveryMatchedPackageByBomRef) {
  sbom::Sbom s = testing::SampleSbom();
  std::vector<std::string> refs = sbom::PackageBomRefs(s);
  json bom = BomWithVulns();
  const json& v = Vuln(bom, "CVE-2024-35195");
  ASSERT_EQ(v["affects"].size(), 2u);
  EXPECT_EQ(v["affects"][0]["ref"], refs[5]);
  EXPECT_EQ(v["affects"][1]["ref"], refs[6]);
  EXPECT_NE(refs[5], refs[6]);
  EXPECT_EQ(v["affects"][0]["versions"], json::parse(R"([{"version":"2.31.0","status":"affected"}])"));
  EXPECT_EQ(v["recommendation"], "Upgrade requests to 2.32.0");  // once, not per copy
}

TEST(CycloneDxVulns, RatingsSourceCwesAdvisoriesAliases) {
  json bom = BomWithVulns();
  const json& requests = Vuln(bom, "CVE-2024-35195");
  EXPECT_EQ(requests["source"], (json{{"name", "osv"}, {"url", "https://osv.dev/vulnerability/CVE-2024-35195"}}));
  const json& rating = requests["ratings"][0];
  EXPECT_EQ(rating["severity"], "medium");
  EXPECT_EQ(rating["score"], 5.6);
  EXPECT_EQ(rating["method"], "CVSSv31");
  EXPECT_EQ(rating["vector"], "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N");
  EXPECT_EQ(requests["cwes"], json::array({670}));
  EXPECT_EQ(requests["advisories"], json::parse(R"([{"url":"https://github.com/psf/requests/pull/6655"}])"));
  EXPECT_EQ(requests["description"].get<std::string>().rfind("Requests `Session`", 0), 0u);
  ASSERT_EQ(requests["properties"].size(), 2u);
  EXPECT_EQ(requests["properties"][0], (json{{"name", "bulwark:vulnerability:alias"}, {"value", "GHSA-9wx4-h78v-vm56"}}));
  EXPECT_EQ(requests["references"][0]["source"]["url"], "https://github.com/advisories/GHSA-9wx4-h78v-vm56");
  const json& glibc = Vuln(bom, "CVE-2023-4911");
  EXPECT_EQ(glibc["ratings"][0]["method"], "CVSSv3");
  EXPECT_EQ(glibc["cwes"], json::array({122, 787}));
  EXPECT_EQ(glibc["source"]["url"], "https://security-tracker.debian.org/tracker/CVE-2023-4911");
  EXPECT_EQ(glibc["recommendation"], "Upgrade libc6 to 2.36-9+deb12u3");
  const json& unrated = Vuln(bom, "CVE-2023-4641");
  EXPECT_EQ(unrated["ratings"][0], (json{{"severity", "unknown"}, {"source", {{"name", "debian-tracker"}}}}));
  EXPECT_FALSE(unrated.contains("recommendation"));
  EXPECT_FALSE(unrated.contains("cwes"));
}

TEST(CycloneDxVulns, NoMatchesGivesAnEmptyArray) {
  sbom::Sbom s = testing::SampleSbom();
  json bom = sbom::CycloneDxDocument(s);
  AddVulnerabilities(bom, {}, s);
  EXPECT_TRUE(bom["vulnerabilities"].is_array());
  EXPECT_TRUE(bom["vulnerabilities"].empty());
}

TEST(CycloneDxVulns, DocumentWithVulnerabilitiesValidatesAgainstTheSchema) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  if (!fs::exists(testing::SourceDir() / "tools/npm/node_modules/ajv") ||
      testing::RunCommand({"node", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "SKIPPED: Ajv not installed in tools/npm (run `make test-deps`)";
  }
  fs::path dir = testing::MakeTempDir("bulwark-cdx-vulns");
  testing::WriteFile(dir / "bom.json", sbom::DumpCycloneDx(BomWithVulns()));
  fs::path schemas = data / "schemas";
  auto r = testing::RunCommand({"node", (testing::SourceDir() / "tools/validate-json-schema.cjs").string(),
                                (schemas / "bom-1.5.schema.json").string(), (dir / "bom.json").string(),
                                (schemas / "spdx.schema.json").string(), (schemas / "jsf-0.82.schema.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  json broken = BomWithVulns();
  broken["vulnerabilities"][0]["ratings"][0]["method"] = "CVSSv9";
  testing::WriteFile(dir / "broken.json", broken.dump());
  auto bad = testing::RunCommand({"node", (testing::SourceDir() / "tools/validate-json-schema.cjs").string(),
                                  (schemas / "bom-1.5.schema.json").string(), (dir / "broken.json").string(),
                                  (schemas / "spdx.schema.json").string(), (schemas / "jsf-0.82.schema.json").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::vuln
