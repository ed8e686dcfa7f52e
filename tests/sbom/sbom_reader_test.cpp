// Reading SBOMs back: bulwark's own CycloneDX and SPDX (round trip), real
// Trivy output, Syft-shaped documents, nesting, and every kind of bad input.
#include "sbom/sbom_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sbom/cyclonedx_writer.hpp"
#include "sbom/fixtures/fmt/sample_sbom.hpp"
#include "sbom/spdx_writer.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests/sbom/fixtures/fmt" / name;
}

Sbom MustRead(const std::string& text, const std::string& name = "test.json") {
  auto sbom = ReadSbom(text, name);
  EXPECT_TRUE(sbom.ok()) << sbom.status().message();
  return sbom.ok() ? *sbom : Sbom{};
}

Sbom MustReadFixture(const std::string& name) {
  auto sbom = ReadSbomFile(Fixture(name));
  EXPECT_TRUE(sbom.ok()) << sbom.status().message();
  return sbom.ok() ? *sbom : Sbom{};
}

const Package* Find(const Sbom& s, const std::string& name, size_t nth = 0) {
  for (const Package& p : s.packages) {
    if (p.name == name && nth-- == 0) return &p;
  }
  ADD_FAILURE() << "no package " << name;
  return nullptr;
}

// The sample in the reader's order: type, name, version, first location.
std::vector<Package> Sorted(std::vector<Package> packages) {
  std::stable_sort(packages.begin(), packages.end(), [](const Package& a, const Package& b) {
    auto first = [](const Package& p) { return p.locations.empty() ? std::string() : p.locations.front(); };
    return std::tie(a.type, a.name, a.version) < std::tie(b.type, b.name, b.version) ||
           (std::tie(a.type, a.name, a.version) == std::tie(b.type, b.name, b.version) && first(a) < first(b));
  });
  return packages;
}

void ExpectSameImageAndOs(const Sbom& got, const Sbom& want) {
  EXPECT_EQ(got.target, want.target);
  EXPECT_EQ(got.image_id, want.image_id);
  EXPECT_EQ(got.repo_tags, want.repo_tags);
  EXPECT_EQ(got.layer_diff_ids, want.layer_diff_ids);
  EXPECT_EQ(got.os.id, want.os.id);
  EXPECT_EQ(got.os.version_id, want.os.version_id);
  EXPECT_EQ(got.os.version_codename, want.os.version_codename);
  EXPECT_EQ(got.os.point_release, want.os.point_release);
  EXPECT_EQ(got.os.pretty_name, want.os.pretty_name);
}

void ExpectSamePackage(const Package& got, const Package& want) {
  SCOPED_TRACE(want.name);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.purl, want.purl);
  EXPECT_EQ(got.group, want.group);
  EXPECT_EQ(got.locations, want.locations);
  EXPECT_EQ(got.arch, want.arch);
  EXPECT_EQ(got.source_name, want.source_name);
  EXPECT_EQ(got.source_version, want.source_version);
  EXPECT_EQ(got.os_owner, want.os_owner);
  EXPECT_EQ(got.layer, want.layer);
  EXPECT_EQ(got.cataloger, want.cataloger);
}

TEST(SbomReader, BulwarkCycloneDxRoundTripsEveryField) {
  Sbom want = testing::SampleSbom();
  Sbom got = MustRead(WriteCycloneDx(want));
  ExpectSameImageAndOs(got, want);
  EXPECT_EQ(got.notes, want.notes);
  std::vector<Package> sorted = Sorted(want.packages);
  ASSERT_EQ(got.packages.size(), sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    ExpectSamePackage(got.packages[i], sorted[i]);
    EXPECT_EQ(got.packages[i].licenses, sorted[i].licenses) << sorted[i].name;
    EXPECT_EQ(got.packages[i].metadata, sorted[i].metadata) << sorted[i].name;
  }
}

TEST(SbomReader, BulwarkSpdxRoundTripsPackagesAndLicencesAsOneExpression) {
  Sbom want = testing::SampleSbom();
  Sbom got = MustRead(WriteSpdx(want));
  ExpectSameImageAndOs(got, want);
  std::vector<Package> sorted = Sorted(want.packages);
  ASSERT_EQ(got.packages.size(), sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) ExpectSamePackage(got.packages[i], sorted[i]);
  // SPDX has one licenseDeclared: several licences come back as one AND expression.
  EXPECT_EQ(Find(got, "passwd")->licenses, std::vector<std::string>{"GPL-2.0-or-later AND BSD-3-Clause"});
  EXPECT_EQ(Find(got, "requests")->licenses, std::vector<std::string>{"Apache 2.0"});  // LicenseRef resolved
  EXPECT_EQ(Find(got, "libgcc-s1")->licenses, std::vector<std::string>{"GPL-3.0+ AND LicenseRef-Artistic"});
  EXPECT_TRUE(Find(got, "python3-flask")->licenses.empty());
}

TEST(SbomReader, TrivyImageCycloneDx) {
  Sbom s = MustReadFixture("trivy-image.cdx.json");
  EXPECT_EQ(s.os.id, "debian");
  EXPECT_EQ(s.os.version_id, "12");
  EXPECT_EQ(s.os.point_release, "12.15");
  EXPECT_EQ(s.image_id, "sha256:dc3a626204ef7989d8680dd5dcb1d7f4bcfefb6461c108261a27ca64c0205fa9");
  ASSERT_EQ(s.layer_diff_ids.size(), 1u);
  ASSERT_EQ(s.packages.size(), 7u);
  const Package* passwd = Find(s, "passwd");
  ASSERT_NE(passwd, nullptr);
  EXPECT_EQ(passwd->version, "1:4.13+dfsg1-1+deb12u1");  // epoch qualifier folded back
  EXPECT_EQ(passwd->source_name, "shadow");
  EXPECT_EQ(passwd->source_version, "");  // SrcEpoch:SrcVersion-SrcRelease equals the version
  EXPECT_EQ(passwd->arch, "amd64");
  EXPECT_EQ(passwd->layer, 0);
  EXPECT_EQ(Find(s, "libc6")->source_name, "glibc");
  const Package* requests = Find(s, "requests");
  EXPECT_EQ(requests->type, PackageType::kPython);
  EXPECT_EQ(requests->locations,
            std::vector<std::string>{"/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"});
  EXPECT_EQ(requests->licenses, std::vector<std::string>{"Apache-2.0"});
  EXPECT_EQ(Find(s, "typing_extensions")->purl, "pkg:pypi/typing-extensions@4.9.0");
  EXPECT_EQ(Find(s, "@types/node")->type, PackageType::kNpm);
  EXPECT_TRUE(s.notes.empty()) << s.notes.front();
}

TEST(SbomReader, TrivyImageSpdx) {
  Sbom s = MustReadFixture("trivy-image.spdx.json");
  EXPECT_EQ(s.os.id, "debian");
  EXPECT_EQ(s.os.version_id, "12");
  EXPECT_EQ(s.os.point_release, "12.15");
  EXPECT_EQ(s.image_id, "sha256:dc3a626204ef7989d8680dd5dcb1d7f4bcfefb6461c108261a27ca64c0205fa9");
  EXPECT_EQ(s.layer_diff_ids.size(), 1u);
  ASSERT_EQ(s.packages.size(), 7u);
  const Package* passwd = Find(s, "passwd");
  EXPECT_EQ(passwd->version, "1:4.13+dfsg1-1+deb12u1");
  EXPECT_EQ(passwd->source_name, "shadow");
  EXPECT_EQ(passwd->source_version, "");
  const Package* gcc = Find(s, "libgcc-s1");
  EXPECT_EQ(gcc->source_name, "gcc-12");
  EXPECT_TRUE(gcc->licenses.empty());  // "NONE"
  EXPECT_EQ(Find(s, "requests")->licenses, std::vector<std::string>{"Apache-2.0"});
}

TEST(SbomReader, TrivyAlpineOsFromTheOsComponent) {
  Sbom s = MustReadFixture("trivy-alpine.cdx.json");
  EXPECT_EQ(s.os.id, "alpine");
  EXPECT_EQ(s.os.version_id, "3.19.1");
  EXPECT_EQ(s.os.point_release, "3.19.1");
  const Package* crypto = Find(s, "libcrypto3");
  EXPECT_EQ(crypto->type, PackageType::kApk);
  EXPECT_EQ(crypto->source_name, "openssl");
  EXPECT_EQ(crypto->source_version, "");
  EXPECT_EQ(Find(s, "busybox")->licenses, std::vector<std::string>{"GPL-2.0"});
}

TEST(SbomReader, SyftCycloneDx16) {
  Sbom s = MustReadFixture("syft-debian.cdx.json");
  EXPECT_EQ(s.target, "lab/app");
  EXPECT_EQ(s.os.id, "debian");
  EXPECT_EQ(s.os.version_id, "12");
  EXPECT_EQ(s.os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  ASSERT_EQ(s.packages.size(), 4u);
  const Package* passwd = Find(s, "passwd");
  EXPECT_EQ(passwd->version, "1:4.13+dfsg1-1+deb12u1");  // "%3A" decoded
  EXPECT_EQ(passwd->source_name, "shadow");
  EXPECT_EQ(passwd->cataloger, "dpkg-db-cataloger");
  EXPECT_EQ(passwd->locations, (std::vector<std::string>{"/var/lib/dpkg/status", "/usr/share/doc/passwd/copyright"}));
  EXPECT_EQ(passwd->licenses, (std::vector<std::string>{"GPL-2.0-only", "BSD-3-clause"}));
  const Package* gcc = Find(s, "libgcc-s1");
  EXPECT_EQ(gcc->source_name, "gcc-12");
  EXPECT_EQ(gcc->source_version, "");  // same as the version
  EXPECT_EQ(Find(s, "Flask")->licenses, std::vector<std::string>{"BSD-3-Clause"});
  // The file component is not counted; the purl-less and the github one are.
  EXPECT_EQ(s.notes.size(), 2u);
  for (const std::string& note : s.notes) EXPECT_NE(note.find("syft-debian.cdx.json"), std::string::npos) << note;
}

TEST(SbomReader, SyftSpdx22) {
  Sbom s = MustReadFixture("syft-debian.spdx.json");
  EXPECT_EQ(s.target, "lab/app");  // the document name
  EXPECT_EQ(s.os.id, "debian");  // from the purls' distro qualifier
  EXPECT_EQ(s.os.version_id, "12");
  ASSERT_EQ(s.packages.size(), 2u);
  const Package* passwd = Find(s, "passwd");
  EXPECT_EQ(passwd->source_name, "shadow");
  EXPECT_EQ(passwd->locations, (std::vector<std::string>{"/var/lib/dpkg/status", "/usr/share/doc/passwd/copyright"}));
  EXPECT_EQ(passwd->licenses, std::vector<std::string>{"GPL-2.0-only AND LicenseRef-BSD-3-clause"});
  const Package* requests = Find(s, "requests");
  EXPECT_EQ(requests->licenses, std::vector<std::string>{"Apache 2.0"});
  EXPECT_EQ(requests->locations.size(), 2u);
  EXPECT_EQ(s.notes.size(), 1u);  // the package without a purl
}

TEST(SbomReader, NestedComponentsAndMetadataComponentChildren) {
  std::string doc = R"({"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"component":{"type":"application",
    "name":"app","components":[{"type":"library","name":"a","purl":"pkg:npm/a@1"}]}},
    "components":[{"type":"library","name":"b","purl":"pkg:npm/b@1","components":[
      {"type":"library","name":"c","purl":"pkg:npm/c@1","components":[{"type":"library","name":"d","purl":"pkg:npm/d@1"}]}]}]})";
  Sbom s = MustRead(doc);
  ASSERT_EQ(s.packages.size(), 4u);
  EXPECT_EQ(s.packages[0].name, "a");
  EXPECT_EQ(s.packages[3].name, "d");
  EXPECT_EQ(s.target, "app");
}

TEST(SbomReader, DeepNestingDoesNotOverflowTheStack) {
  std::string doc = R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[)";
  const int depth = 20000;
  for (int i = 0; i < depth; ++i) doc += R"({"type":"library","name":"x","purl":"pkg:npm/x@1","components":[)";
  for (int i = 0; i < depth; ++i) doc += "]}";
  doc += "]}";
  EXPECT_EQ(MustRead(doc).packages.size(), static_cast<size_t>(depth));
}

TEST(SbomReader, InvalidPurlsAreNotedAndBounded) {
  std::string doc = R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[)";
  for (int i = 0; i < 50; ++i) doc += std::string(i ? "," : "") + R"({"type":"library","name":"x","purl":"pkg:npm/x@%zz"})";
  doc += R"(,{"type":"library","name":"ok","purl":"pkg:npm/ok@1"}]})";
  Sbom s = MustRead(doc, "bad-purls.cdx.json");
  EXPECT_EQ(s.packages.size(), 1u);
  EXPECT_EQ(s.notes.size(), 21u);  // 20 named, then a count
  EXPECT_NE(s.notes.back().find("30 more invalid purls"), std::string::npos) << s.notes.back();
}

TEST(SbomReader, WrongTypesAreIgnoredNotFatal) {
  std::string doc = R"({"bomFormat":"CycloneDX","specVersion":"1.5","metadata":[],"components":[1,"x",null,
    {"type":7,"name":["n"],"purl":"pkg:pypi/ok@1","licenses":[{"license":"MIT"},{"license":{"id":5}},{"expression":1}],
     "properties":[{"name":"bulwark:package:location","value":3},"x"]}]})";
  Sbom s = MustRead(doc);
  ASSERT_EQ(s.packages.size(), 1u);
  EXPECT_EQ(s.packages[0].name, "ok");
  EXPECT_TRUE(s.packages[0].licenses.empty());
}

TEST(SbomReader, UnknownSpecVersionIsANoteNotAnError) {
  Sbom s = MustRead(R"({"bomFormat":"CycloneDX","specVersion":"1.7","components":[]})", "new.cdx.json");
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("new.cdx.json"), std::string::npos);
}

TEST(SbomReader, ErrorsNameTheFile) {
  for (std::string_view bad : {"", "not json", "[]", "{\"bomFormat\":\"SPDX\"}", "{\"spdxVersion\":\"SPDX-3.0\"}",
                               "{\"spdxVersion\":2.3}", "{\"packages\":[]}"}) {
    auto s = ReadSbom(bad, "/tmp/in.json");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), core::ErrorCode::kParseError);
    EXPECT_EQ(s.status().message().rfind("/tmp/in.json: ", 0), 0u) << s.status().message();
  }
  auto xml = ReadSbom("\xEF\xBB\xBF <?xml version=\"1.0\"?><bom/>", "bom.xml");
  ASSERT_FALSE(xml.ok());
  EXPECT_NE(xml.status().message().find("XML"), std::string::npos);
}

TEST(SbomReader, FileErrors) {
  auto missing = ReadSbomFile("/nonexistent/sbom.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/sbom.json"), std::string::npos);
  auto dir = testing::MakeTempDir("bulwark-sbom-reader");
  auto huge = dir / "huge.json";
  { std::ofstream(huge) << "{"; }
  std::filesystem::resize_file(huge, kMaxSbomBytes + 1);  // sparse: nothing is written or read
  auto too_large = ReadSbomFile(huge);
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.status().code(), core::ErrorCode::kTooLarge);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::sbom
