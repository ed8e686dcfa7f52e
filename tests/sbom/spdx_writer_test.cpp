// SPDX 2.3 output and the licence classification both writers share.
// Schema validation is in sbom_schema_test.cpp.
#include "sbom/spdx_writer.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/version.hpp"
#include "sbom/fixtures/fmt/sample_sbom.hpp"

namespace bulwark::sbom {
namespace {

using Json = nlohmann::ordered_json;

const SpdxOptions kFixed{"2024-05-01T12:00:00Z", "3e671687-395b-41f5-a30f-a58921a69b79"};

const Json& PackageNamed(const Json& doc, const std::string& name, size_t nth = 0) {
  for (const Json& p : doc["packages"]) {
    if (p["name"] == name && nth-- == 0) return p;
  }
  static const Json kNone;
  ADD_FAILURE() << "no package " << name;
  return kNone;
}

std::vector<std::string> Annotations(const Json& package) {
  std::vector<std::string> out;
  for (const Json& a : package.value("annotations", Json::array())) out.push_back(a["comment"]);
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(SpdxWriter, DocumentFrame) {
  Json doc = SpdxDocument(testing::SampleSbom(), kFixed);
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["name"], "lab/vulnerable-app:1.0");
  EXPECT_EQ(doc["documentNamespace"],
            "https://bulwark.dev/spdx/lab%2Fvulnerable-app%3A1.0-3e671687-395b-41f5-a30f-a58921a69b79");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(doc["creationInfo"]["creators"][0], std::string("Tool: bulwark-") + core::kVersion);
  EXPECT_EQ(doc["comment"], "/usr/lib/jvm/broken.jar: truncated zip");
  std::string random_ns = SpdxDocument(testing::SampleSbom())["documentNamespace"];
  EXPECT_TRUE(std::regex_search(random_ns, std::regex("-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")));
}

TEST(SpdxWriter, ImageOsAndPackagesWithPurposes) {
  Sbom s = testing::SampleSbom();
  Json doc = SpdxDocument(s, kFixed);
  ASSERT_EQ(doc["packages"].size(), s.packages.size() + 2);
  const Json& image = doc["packages"][0];
  EXPECT_EQ(image["SPDXID"], "SPDXRef-Image-lab-vulnerable-app-1.0");
  EXPECT_EQ(image["primaryPackagePurpose"], "CONTAINER");
  EXPECT_EQ(image["versionInfo"], s.image_id);
  EXPECT_EQ(image["externalRefs"][0]["referenceLocator"].get<std::string>().rfind("pkg:oci/vulnerable-app@", 0), 0u);
  const Json& os = doc["packages"][1];
  EXPECT_EQ(os["primaryPackagePurpose"], "OPERATING_SYSTEM");  // the 2.3 JSON schema's spelling
  EXPECT_EQ(os["name"], "debian");
  EXPECT_EQ(os["versionInfo"], "12");
  EXPECT_TRUE(Has(Annotations(os), "bulwark:os:point-release: 12.15"));
  const Json& passwd = PackageNamed(doc, "passwd");
  EXPECT_EQ(passwd["versionInfo"], "1:4.13+dfsg1-1+deb12u1");
  EXPECT_EQ(passwd["downloadLocation"], "NOASSERTION");
  EXPECT_EQ(passwd["supplier"], "NOASSERTION");
  EXPECT_EQ(passwd["filesAnalyzed"], false);
  EXPECT_EQ(passwd["licenseConcluded"], "NOASSERTION");
  EXPECT_EQ(passwd["licenseDeclared"], "GPL-2.0-or-later AND BSD-3-Clause");
  EXPECT_EQ(passwd["primaryPackagePurpose"], "LIBRARY");
  EXPECT_EQ(passwd["externalRefs"],
            Json::parse(R"([{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":)"
                        R"("pkg:deb/debian/passwd@4.13+dfsg1-1+deb12u1?arch=amd64&epoch=1&distro=debian-12.15"}])"));
  EXPECT_EQ(passwd["sourceInfo"], "acquired package info from dpkg-status: /var/lib/dpkg/status");
  std::vector<std::string> notes = Annotations(passwd);
  EXPECT_TRUE(Has(notes, "bulwark:package:source-name: shadow"));
  EXPECT_TRUE(Has(notes, "bulwark:package:layer-diff-id: " + s.layer_diff_ids[0]));
  EXPECT_TRUE(Has(Annotations(PackageNamed(doc, "Flask")), "bulwark:package:os-owner: deb:python3-flask"));
}

TEST(SpdxWriter, IdsAreUniqueAndUseOnlyAllowedCharacters) {
  Json doc = SpdxDocument(testing::SampleSbom(), kFixed);
  std::set<std::string> ids{"SPDXRef-DOCUMENT"};
  std::regex allowed("^SPDXRef-[A-Za-z0-9.-]+$");
  for (const Json& p : doc["packages"]) {
    std::string id = p["SPDXID"];
    EXPECT_TRUE(std::regex_match(id, allowed)) << id;
    EXPECT_TRUE(ids.insert(id).second) << id;
  }
  EXPECT_TRUE(std::regex_match(PackageNamed(doc, "passwd")["SPDXID"].get<std::string>(),
                               std::regex("^SPDXRef-Package-deb-passwd-[0-9a-f]{16}$")));
  EXPECT_NE(PackageNamed(doc, "requests", 0)["SPDXID"], PackageNamed(doc, "requests", 1)["SPDXID"]);
  // Stable: the same Sbom gives the same IDs.
  EXPECT_EQ(SpdxDocument(testing::SampleSbom(), kFixed).dump(), doc.dump());
}

TEST(SpdxWriter, RelationshipsDescribeTheImageWhichContainsEverything) {
  Sbom s = testing::SampleSbom();
  Json doc = SpdxDocument(s, kFixed);
  const Json& rel = doc["relationships"];
  ASSERT_EQ(rel.size(), s.packages.size() + 2);
  std::string image = doc["packages"][0]["SPDXID"];
  EXPECT_EQ(rel[0], (Json{{"spdxElementId", "SPDXRef-DOCUMENT"}, {"relatedSpdxElement", image}, {"relationshipType", "DESCRIBES"}}));
  for (size_t i = 1; i < rel.size(); ++i) {
    EXPECT_EQ(rel[i]["spdxElementId"], image);
    EXPECT_EQ(rel[i]["relationshipType"], "CONTAINS");
    EXPECT_EQ(rel[i]["relatedSpdxElement"], doc["packages"][i]["SPDXID"]);
  }
}

TEST(SpdxWriter, FreeTextLicencesBecomeExtractedLicenseRefs) {
  Json doc = SpdxDocument(testing::SampleSbom(), kFixed);
  EXPECT_EQ(PackageNamed(doc, "requests")["licenseDeclared"], "LicenseRef-Apache-2.0");
  EXPECT_EQ(PackageNamed(doc, "requests", 1)["licenseDeclared"], "LicenseRef-Apache-2.0");  // listed once
  EXPECT_EQ(PackageNamed(doc, "libgcc-s1")["licenseDeclared"], "GPL-3.0+ AND LicenseRef-Artistic");
  EXPECT_EQ(PackageNamed(doc, "libc6")["licenseDeclared"],
            "LGPL-2.1-or-later AND GPL-2.0-or-later WITH GCC-exception-2.0");
  EXPECT_EQ(PackageNamed(doc, "@types/node")["licenseDeclared"], "(MIT OR Apache-2.0)");
  EXPECT_EQ(PackageNamed(doc, "python3-flask")["licenseDeclared"], "NOASSERTION");
  std::map<std::string, std::string> extracted;
  for (const Json& info : doc["hasExtractedLicensingInfos"]) extracted[info["licenseId"]] = info["extractedText"];
  EXPECT_EQ(extracted["LicenseRef-Apache-2.0"], "Apache 2.0");
  EXPECT_EQ(extracted["LicenseRef-Artistic"], "Artistic");
  std::string hostile = PackageNamed(doc, testing::SampleSbom().packages.back().name)["licenseDeclared"];
  EXPECT_TRUE(std::regex_match(hostile, std::regex("^LicenseRef-[A-Za-z0-9.-]+ AND LicenseRef-[A-Za-z0-9.-]+$"))) << hostile;
  EXPECT_EQ(extracted.size(), 4u);
}

TEST(SpdxWriter, NoExtractedInfosWithoutFreeText) {
  Sbom s = testing::SampleSbom();
  for (Package& p : s.packages) p.licenses = {"MIT"};
  EXPECT_FALSE(SpdxDocument(s, kFixed).contains("hasExtractedLicensingInfos"));
}

TEST(ClassifyLicense, IdsExpressionsAndText) {
  using Kind = SpdxLicense::Kind;
  auto check = [](std::string_view in, Kind kind, std::string_view text) {
    SpdxLicense l = ClassifyLicense(in);
    EXPECT_EQ(l.kind, kind) << in;
    EXPECT_EQ(l.text, text) << in;
  };
  check("MIT", Kind::kId, "MIT");
  check("apache-2.0", Kind::kId, "Apache-2.0");
  check("GPL-2.0+", Kind::kId, "GPL-2.0+");
  check("Apache-2.0+", Kind::kExpression, "Apache-2.0+");
  check("mit or  apache-2.0", Kind::kExpression, "MIT OR Apache-2.0");
  check("(MIT OR Apache-2.0) AND BSD-3-Clause", Kind::kExpression, "(MIT OR Apache-2.0) AND BSD-3-Clause");
  check("GPL-2.0-only WITH Classpath-exception-2.0", Kind::kExpression, "GPL-2.0-only WITH Classpath-exception-2.0");
  check("LicenseRef-my-licence", Kind::kExpression, "LicenseRef-my-licence");
  check("DocumentRef-x:LicenseRef-y", Kind::kExpression, "DocumentRef-x:LicenseRef-y");
  for (std::string_view text : {"BSD License", "GPL-2+", "Artistic", "MIT And Apache-2.0", "MIT WITH MIT",
                                "(MIT", "MIT)", "MIT OR", "AND", "", "LicenseRef-", "LicenseRef-a b",
                                "GPL-2.0 WITH", "Classpath-exception-2.0"}) {
    EXPECT_EQ(ClassifyLicense(text).kind, Kind::kOther) << text;
    EXPECT_EQ(ClassifyLicense(text).text, text);
  }
}

TEST(ClassifyLicense, DeepNestingIsBoundedNotACrash) {
  std::string deep = std::string(100000, '(') + "MIT" + std::string(100000, ')');
  EXPECT_EQ(ClassifyLicense(deep).kind, SpdxLicense::Kind::kOther);
  std::string ok = std::string(20, '(') + "MIT" + std::string(20, ')');
  EXPECT_EQ(ClassifyLicense(ok).kind, SpdxLicense::Kind::kExpression);
}

TEST(JoinWithAnd, ParenthesisesOnlyWhatNeedsIt) {
  EXPECT_EQ(JoinWithAnd({"MIT"}), "MIT");
  EXPECT_EQ(JoinWithAnd({"A OR B"}), "A OR B");
  EXPECT_EQ(JoinWithAnd({"MIT", "A OR B", "MIT"}), "MIT AND (A OR B)");
  EXPECT_EQ(JoinWithAnd({"(A OR B)", "C"}), "(A OR B) AND C");
  EXPECT_EQ(JoinWithAnd({"(A) OR (B)", "C"}), "((A) OR (B)) AND C");
}

TEST(SpdxIdSafe, ReplacesEverythingElse) {
  EXPECT_EQ(SpdxIdSafe("@types/node_x ü"), "-types-node-x---");
  EXPECT_EQ(SpdxIdSafe(""), "unknown");
}

}  // namespace
}  // namespace bulwark::sbom
