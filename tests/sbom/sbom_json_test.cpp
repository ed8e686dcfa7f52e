// bulwark's own SBOM JSON: the CLI.md shape, stable order, optional fields
// only when set, hostile strings kept intact and valid JSON.
#include "sbom/sbom_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "sbom/fixtures/fmt/sample_sbom.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

TEST(SbomJson, CliShape) {
  Sbom s = testing::SampleSbom();
  json doc = json::parse(WriteSbomJson(s));
  EXPECT_EQ(doc["target"], "lab/vulnerable-app:1.0");
  EXPECT_EQ(doc["os"]["id"], "debian");
  EXPECT_EQ(doc["os"]["version"], "12");
  EXPECT_EQ(doc["os"]["codename"], "bookworm");
  EXPECT_EQ(doc["os"]["point_release"], "12.15");
  EXPECT_EQ(doc["image"]["id"], s.image_id);
  EXPECT_EQ(doc["image"]["repo_tags"], json::array({"lab/vulnerable-app:1.0"}));
  EXPECT_EQ(doc["image"]["layers"].size(), 2u);
  ASSERT_EQ(doc["packages"].size(), s.packages.size());
  const json& passwd = doc["packages"][0];
  EXPECT_EQ(passwd["name"], "passwd");
  EXPECT_EQ(passwd["version"], "1:4.13+dfsg1-1+deb12u1");
  EXPECT_EQ(passwd["type"], "deb");
  EXPECT_EQ(passwd["purl"], s.packages[0].purl);
  EXPECT_EQ(passwd["locations"], json::array({"/var/lib/dpkg/status"}));
  EXPECT_EQ(passwd["arch"], "amd64");
  EXPECT_EQ(passwd["source"], (json{{"name", "shadow"}, {"version", ""}}));
  EXPECT_EQ(passwd["layer"], 0);
  EXPECT_EQ(passwd["cataloger"], "dpkg-status");
  EXPECT_EQ(doc["notes"].size(), 1u);
}

TEST(SbomJson, OptionalFieldsOnlyWhenSet) {
  Sbom s = testing::SampleSbom();
  json doc = json::parse(WriteSbomJson(s));
  const json& requests = doc["packages"][5];
  ASSERT_EQ(requests["name"], "requests");
  for (const char* absent : {"arch", "source", "os_owner", "group"}) EXPECT_FALSE(requests.contains(absent)) << absent;
  EXPECT_EQ(requests["layer"], 1);
  const json& flask = doc["packages"][4];
  EXPECT_EQ(flask["os_owner"], "deb:python3-flask");
  const json& commons = doc["packages"][8];
  EXPECT_EQ(commons["group"], "org.apache.commons");
  EXPECT_EQ(commons["metadata"]["java.manifest.Implementation-Vendor"], "The Apache Software Foundation");
  const json& gcc = doc["packages"][2];
  EXPECT_FALSE(gcc.contains("layer"));  // -1 = unknown
}

TEST(SbomJson, StableKeyOrderAndIndent) {
  std::string text = WriteSbomJson(testing::SampleSbom());
  EXPECT_EQ(text.rfind("{\n  \"target\": ", 0), 0u) << text.substr(0, 40);
  EXPECT_LT(text.find("\"target\""), text.find("\"os\""));
  EXPECT_LT(text.find("\"os\""), text.find("\"image\""));
  EXPECT_LT(text.find("\"image\""), text.find("\"packages\""));
  EXPECT_LT(text.find("\"packages\""), text.find("\"notes\""));
  size_t name = text.find("\"name\": \"passwd\"");
  EXPECT_LT(name, text.find("\"version\": \"1:4.13", name));
  EXPECT_EQ(text, WriteSbomJson(testing::SampleSbom()));  // deterministic
}

TEST(SbomJson, HostileStringsStayDataAndInvalidUtf8IsReplaced) {
  Sbom s = testing::SampleSbom();
  s.packages.back().name += "\xff\xfe";
  std::string text = WriteSbomJson(s);
  json doc = json::parse(text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  std::string name = doc["packages"].back()["name"];
  EXPECT_NE(name.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(name.find("\"pkg\n"), std::string::npos);
  EXPECT_NE(name.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  EXPECT_EQ(text.find("pkg\n<script>"), std::string::npos);  // the newline is escaped in the text
}

TEST(SbomJson, EmptySbom) {
  json doc = json::parse(WriteSbomJson(Sbom{}));
  EXPECT_EQ(doc["os"], (json{{"id", ""}, {"version", ""}}));
  EXPECT_TRUE(doc["packages"].empty());
  EXPECT_TRUE(doc["notes"].is_array());
}

TEST(SbomWriterHelpers, UuidV4Shape) {
  std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::string a = RandomUuidV4();
  EXPECT_TRUE(std::regex_match(a, v4)) << a;
  EXPECT_NE(a, RandomUuidV4());
}

TEST(SbomWriterHelpers, TimestampShape) {
  EXPECT_TRUE(std::regex_match(UtcNowRfc3339(), std::regex("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")));
}

TEST(SbomWriterHelpers, OciPurlLikeTrivy) {
  Sbom s;
  s.image_id = "sha256:abc";
  s.repo_tags = {"nginx:1.25"};
  EXPECT_EQ(OciImagePurl(s), "pkg:oci/nginx@sha256%3Aabc?repository_url=index.docker.io%2Flibrary%2Fnginx");
  s.repo_tags = {"bitnami/redis:7"};
  EXPECT_EQ(OciImagePurl(s), "pkg:oci/redis@sha256%3Aabc?repository_url=index.docker.io%2Fbitnami%2Fredis");
  s.repo_tags = {"localhost:5000/team/App:dev"};
  EXPECT_EQ(OciImagePurl(s), "pkg:oci/app@sha256%3Aabc?repository_url=localhost%3A5000%2Fteam%2FApp");
  s.repo_tags = {"ghcr.io/org/tool"};
  EXPECT_EQ(OciImagePurl(s), "pkg:oci/tool@sha256%3Aabc?repository_url=ghcr.io%2Forg%2Ftool");
  s.repo_tags.clear();
  EXPECT_EQ(OciImagePurl(s), "");
}

}  // namespace
}  // namespace bulwark::sbom
