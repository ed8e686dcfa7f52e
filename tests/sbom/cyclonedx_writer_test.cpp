// CycloneDX 1.5 output: document frame, image and OS components, one library
// component per package with unique bom-refs, licences by kind, bulwark
// properties, and the dependency graph. Schema validation is in
// sbom_schema_test.cpp.
#include "sbom/cyclonedx_writer.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/version.hpp"
#include "sbom/fixtures/fmt/sample_sbom.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

std::vector<std::string> PropertyValues(const json& component, const std::string& name) {
  std::vector<std::string> out;
  for (const json& p : component.value("properties", json::array())) {
    if (p["name"] == name) out.push_back(p["value"]);
  }
  return out;
}

const json& ComponentNamed(const json& bom, const std::string& name, size_t nth = 0) {
  for (const json& c : bom["components"]) {
    if (c["name"] == name && nth-- == 0) return c;
  }
  static const json kNone;
  ADD_FAILURE() << "no component " << name;
  return kNone;
}

TEST(CycloneDxWriter, DocumentFrame) {
  json bom = CycloneDxDocument(testing::SampleSbom());
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.5");
  EXPECT_EQ(bom["version"], 1);
  std::string serial = bom["serialNumber"];
  EXPECT_TRUE(std::regex_match(serial, std::regex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")))
      << serial;
  EXPECT_NE(serial, CycloneDxDocument(testing::SampleSbom())["serialNumber"]);
  const json& tool = bom["metadata"]["tools"]["components"][0];
  EXPECT_EQ(tool, (json{{"type", "application"}, {"name", "bulwark"}, {"version", core::kVersion}}));
  EXPECT_TRUE(std::regex_match(bom["metadata"]["timestamp"].get<std::string>(),
                               std::regex("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")));
}

TEST(CycloneDxWriter, OptionsMakeItReproducible) {
  CycloneDxOptions options{"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "2024-05-01T12:00:00Z"};
  EXPECT_EQ(WriteCycloneDx(testing::SampleSbom(), options), WriteCycloneDx(testing::SampleSbom(), options));
  EXPECT_EQ(CycloneDxDocument(testing::SampleSbom(), options)["metadata"]["timestamp"], "2024-05-01T12:00:00Z");
}

TEST(CycloneDxWriter, ImageIsTheMetadataComponent) {
  Sbom s = testing::SampleSbom();
  json image = CycloneDxDocument(s)["metadata"]["component"];
  EXPECT_EQ(image["type"], "container");
  EXPECT_EQ(image["name"], "lab/vulnerable-app:1.0");
  EXPECT_EQ(image["version"], s.image_id);
  EXPECT_EQ(image["purl"],
            "pkg:oci/vulnerable-app@sha256%3A5b3c1f0e8d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"
            "?repository_url=index.docker.io%2Flab%2Fvulnerable-app");
  EXPECT_EQ(image["bom-ref"], image["purl"]);
  EXPECT_EQ(PropertyValues(image, "bulwark:image:layer-diff-id"), s.layer_diff_ids);
  s.repo_tags.clear();
  json untagged = CycloneDxDocument(s)["metadata"]["component"];
  EXPECT_FALSE(untagged.contains("purl"));
  EXPECT_EQ(untagged["bom-ref"], "bulwark:image:lab/vulnerable-app:1.0");
}

TEST(CycloneDxWriter, OperatingSystemComponent) {
  json os = CycloneDxDocument(testing::SampleSbom())["components"][0];
  EXPECT_EQ(os["type"], "operating-system");
  EXPECT_EQ(os["name"], "debian");
  EXPECT_EQ(os["version"], "12");
  EXPECT_EQ(os["description"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(PropertyValues(os, "bulwark:os:point-release"), std::vector<std::string>{"12.15"});
  EXPECT_EQ(PropertyValues(os, "bulwark:os:codename"), std::vector<std::string>{"bookworm"});
  Sbom no_os = testing::SampleSbom();
  no_os.os = {};
  EXPECT_EQ(CycloneDxDocument(no_os)["components"][0]["type"], "library");
}

TEST(CycloneDxWriter, LibraryComponentsCarryBulwarkFacts) {
  Sbom s = testing::SampleSbom();
  json bom = CycloneDxDocument(s);
  ASSERT_EQ(bom["components"].size(), s.packages.size() + 1);
  const json& passwd = ComponentNamed(bom, "passwd");
  EXPECT_EQ(passwd["type"], "library");
  EXPECT_EQ(passwd["version"], "1:4.13+dfsg1-1+deb12u1");
  EXPECT_EQ(passwd["purl"], s.packages[0].purl);
  EXPECT_EQ(passwd["bom-ref"], s.packages[0].purl);
  EXPECT_EQ(PropertyValues(passwd, "bulwark:package:type"), std::vector<std::string>{"deb"});
  EXPECT_EQ(PropertyValues(passwd, "bulwark:package:source-name"), std::vector<std::string>{"shadow"});
  EXPECT_EQ(PropertyValues(passwd, "bulwark:package:layer-diff-id"), std::vector<std::string>{s.layer_diff_ids[0]});
  EXPECT_EQ(PropertyValues(passwd, "bulwark:package:cataloger"), std::vector<std::string>{"dpkg-status"});
  const json& flask_deb = ComponentNamed(bom, "python3-flask");
  EXPECT_EQ(PropertyValues(flask_deb, "bulwark:package:source-version"), std::vector<std::string>{"2.2.2-3"});
  const json& flask = ComponentNamed(bom, "Flask");
  EXPECT_EQ(PropertyValues(flask, "bulwark:package:os-owner"), std::vector<std::string>{"deb:python3-flask"});
  const json& requests = ComponentNamed(bom, "requests");
  EXPECT_EQ(PropertyValues(requests, "bulwark:package:location"), s.packages[5].locations);
  const json& commons = ComponentNamed(bom, "commons-lang3");
  EXPECT_EQ(commons["group"], "org.apache.commons");
  EXPECT_FALSE(ComponentNamed(bom, "@types/node").contains("group"));
}

TEST(CycloneDxWriter, LicencesByKind) {
  json bom = CycloneDxDocument(testing::SampleSbom());
  EXPECT_EQ(ComponentNamed(bom, "Flask")["licenses"], json::parse(R"([{"license":{"id":"BSD-3-Clause"}}])"));
  EXPECT_EQ(ComponentNamed(bom, "passwd")["licenses"],
            json::parse(R"([{"license":{"id":"GPL-2.0-or-later"}},{"license":{"id":"BSD-3-Clause"}}])"));
  EXPECT_EQ(ComponentNamed(bom, "libc6")["licenses"],
            json::parse(R"([{"expression":"LGPL-2.1-or-later AND GPL-2.0-or-later WITH GCC-exception-2.0"}])"));
  EXPECT_EQ(ComponentNamed(bom, "@types/node")["licenses"], json::parse(R"j([{"expression":"(MIT OR Apache-2.0)"}])j"));
  EXPECT_EQ(ComponentNamed(bom, "requests")["licenses"], json::parse(R"([{"license":{"name":"Apache 2.0"}}])"));
  // A free-text licence beside an ID: each keeps its own form, nothing is lost.
  EXPECT_EQ(ComponentNamed(bom, "libgcc-s1")["licenses"],
            json::parse(R"([{"license":{"id":"GPL-3.0+"}},{"license":{"name":"Artistic"}}])"));
  EXPECT_FALSE(ComponentNamed(bom, "python3-flask").contains("licenses"));
}

TEST(CycloneDxWriter, BomRefsUniqueAndTheImageDependsOnEveryPackage) {
  Sbom s = testing::SampleSbom();
  json bom = CycloneDxDocument(s);
  std::set<std::string> refs{bom["metadata"]["component"]["bom-ref"]};
  for (const json& c : bom["components"]) EXPECT_TRUE(refs.insert(c["bom-ref"]).second) << c["bom-ref"];
  EXPECT_EQ(ComponentNamed(bom, "requests", 0)["bom-ref"], "pkg:pypi/requests@2.31.0");
  EXPECT_EQ(ComponentNamed(bom, "requests", 1)["bom-ref"], "pkg:pypi/requests@2.31.0?package-id=2");
  ASSERT_EQ(bom["dependencies"].size(), 1u);
  const json& graph = bom["dependencies"][0];
  EXPECT_EQ(graph["ref"], bom["metadata"]["component"]["bom-ref"]);
  EXPECT_EQ(graph["dependsOn"].size(), s.packages.size() + 1);
  std::vector<std::string> expected = PackageBomRefs(s);
  for (size_t i = 0; i < s.packages.size(); ++i) {
    EXPECT_EQ(bom["components"][i + 1]["bom-ref"], expected[i]);
  }
}

TEST(CycloneDxWriter, HostileStringsSurviveAsData) {
  Sbom s = testing::SampleSbom();
  std::string text = WriteCycloneDx(s);
  json bom = json::parse(text, nullptr, false);
  ASSERT_FALSE(bom.is_discarded());
  EXPECT_EQ(bom["components"].back()["name"], s.packages.back().name);
  EXPECT_EQ(bom["components"].back()["licenses"].size(), 2u);  // free text: names
  EXPECT_EQ(text.find("<script>alert(1)</script>\n"), std::string::npos);
}

TEST(CycloneDxWriter, EmptySbom) {
  json bom = CycloneDxDocument(Sbom{});
  EXPECT_TRUE(bom["components"].empty());
  EXPECT_TRUE(bom["dependencies"][0]["dependsOn"].empty());
}

}  // namespace
}  // namespace bulwark::sbom
