// Conformance: bulwark's CycloneDX 1.5 and SPDX 2.3 validate against the
// official JSON schemas (../shared/data/schemas) with the project's real
// validator (tools/validate-json-schema.cjs, Ajv from tools/npm), and the
// validator rejects broken documents. Skips loudly when either is absent.
// (CycloneDX with vulnerabilities: tests/vuln/cyclonedx_vulns_test.cpp.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "sbom/cyclonedx_writer.hpp"
#include "sbom/fixtures/fmt/sample_sbom.hpp"
#include "sbom/spdx_writer.hpp"
#include "test_support.hpp"

namespace bulwark::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool ValidatorInstalled() {
  return fs::exists(SourceDir() / "tools/npm/node_modules/ajv") && RunCommand({"node", "--version"}).exit_code == 0;
}

CommandResult Validate(const fs::path& schemas, const std::string& schema, const std::string& document,
                       const std::vector<std::string>& refs = {}) {
  fs::path dir = MakeTempDir("bulwark-sbom-schema");
  WriteFile(dir / "doc.json", document);
  std::vector<std::string> argv{"node", (SourceDir() / "tools/validate-json-schema.cjs").string(),
                                (schemas / schema).string(), (dir / "doc.json").string()};
  for (const std::string& ref : refs) argv.push_back((schemas / ref).string());
  CommandResult r = RunCommand(argv);
  fs::remove_all(dir);
  return r;
}

CommandResult ValidateCycloneDx(const fs::path& schemas, const std::string& document) {
  return Validate(schemas, "bom-1.5.schema.json", document, {"spdx.schema.json", "jsf-0.82.schema.json"});
}

sbom::Sbom BareSbom() {
  sbom::Sbom s;  // no OS, no tags, no image ID, one package without a version or purl
  s.target = "dir:/tmp/rootfs";
  s.packages.push_back(MakePackage(sbom::PackageType::kGo, "example.com/m", "", ""));
  return s;
}

#define REQUIRE_VALIDATOR(var)                                                                      \
  BULWARK_REQUIRE_SHARED_DATA(var##_data);                                                          \
  if (!ValidatorInstalled()) GTEST_SKIP() << "SKIPPED: Ajv not installed in tools/npm (run `make test-deps`)"; \
  const fs::path var = var##_data / "schemas"

TEST(SbomSchema, CycloneDxValidates) {
  REQUIRE_VALIDATOR(schemas);
  for (const sbom::Sbom& s : {SampleSbom(), BareSbom(), sbom::Sbom{}}) {
    CommandResult r = ValidateCycloneDx(schemas, sbom::WriteCycloneDx(s));
    EXPECT_EQ(r.exit_code, 0) << s.target << ":\n" << r.out << r.err;
  }
}

TEST(SbomSchema, SpdxValidates) {
  REQUIRE_VALIDATOR(schemas);
  for (const sbom::Sbom& s : {SampleSbom(), BareSbom(), sbom::Sbom{}}) {
    CommandResult r = Validate(schemas, "spdx-schema-2.3.json", sbom::WriteSpdx(s));
    EXPECT_EQ(r.exit_code, 0) << s.target << ":\n" << r.out << r.err;
  }
}

TEST(SbomSchema, ValidatorRejectsBrokenDocuments) {
  REQUIRE_VALIDATOR(schemas);
  json bom = sbom::CycloneDxDocument(SampleSbom());
  bom["components"][1]["licenses"] = json::parse(R"([{"license":{"id":"Not-A-Licence"}}])");
  CommandResult bad_licence = ValidateCycloneDx(schemas, bom.dump());
  EXPECT_EQ(bad_licence.exit_code, 1) << bad_licence.out << bad_licence.err;
  EXPECT_NE(bad_licence.out.find("/components/1/licenses"), std::string::npos) << bad_licence.out;
  json no_serial = sbom::CycloneDxDocument(SampleSbom());
  no_serial["serialNumber"] = "12345";
  EXPECT_EQ(ValidateCycloneDx(schemas, no_serial.dump()).exit_code, 1);
  // SPDX: the spec text's "OPERATING-SYSTEM" is not the 2.3 JSON schema's spelling.
  nlohmann::ordered_json spdx = sbom::SpdxDocument(SampleSbom());
  spdx["packages"][1]["primaryPackagePurpose"] = "OPERATING-SYSTEM";
  EXPECT_EQ(Validate(schemas, "spdx-schema-2.3.json", spdx.dump()).exit_code, 1);
  nlohmann::ordered_json no_id = sbom::SpdxDocument(SampleSbom());
  no_id["packages"][2].erase("SPDXID");
  EXPECT_EQ(Validate(schemas, "spdx-schema-2.3.json", no_id.dump()).exit_code, 1);
}

TEST(SbomSchema, UnresolvableRefIsALoadErrorNotInvalid) {
  REQUIRE_VALIDATOR(schemas);
  CommandResult r = Validate(schemas, "bom-1.5.schema.json", sbom::WriteCycloneDx(SampleSbom()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
}

TEST(SbomSchema, EveryKnownLicenceIdIsOnTheOfficialList) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  json list = json::parse(ReadFile(data / "schemas/spdx.schema.json"), nullptr, false);
  ASSERT_TRUE(list.contains("enum"));
  std::set<std::string> official(list["enum"].begin(), list["enum"].end());
  for (const std::string& id : sbom::KnownSpdxIds()) EXPECT_TRUE(official.count(id)) << id;
}

TEST(SbomSchema, SpdxLicenceRefsAreAllDeclaredAndExpressionsParse) {
  // What the schema cannot check: every LicenseRef used is extracted, and
  // every licenseDeclared is a valid expression or NOASSERTION.
  nlohmann::ordered_json doc = sbom::SpdxDocument(SampleSbom());
  std::set<std::string> declared;
  for (const auto& info : doc["hasExtractedLicensingInfos"]) declared.insert(info["licenseId"].get<std::string>());
  for (const auto& p : doc["packages"]) {
    std::string license = p["licenseDeclared"];
    if (license == "NOASSERTION") continue;
    EXPECT_NE(sbom::ClassifyLicense(license).kind, sbom::SpdxLicense::Kind::kOther) << license;
    for (size_t at = license.find("LicenseRef-"); at != std::string::npos; at = license.find("LicenseRef-", at + 1)) {
      size_t end = license.find_first_of(" )", at);
      EXPECT_TRUE(declared.count(license.substr(at, end - at))) << license;
    }
  }
}

}  // namespace
}  // namespace bulwark::testing
