// ParsePurl and the Package / OsRelease a purl implies, on purls as
// bulwark, Trivy and Syft write them, and on malformed ones.
#include "sbom/purl_parse.hpp"

#include <gtest/gtest.h>

namespace bulwark::sbom {
namespace {

Purl MustParse(std::string_view text) {
  auto purl = ParsePurl(text);
  EXPECT_TRUE(purl.ok()) << text << ": " << purl.status().message();
  return purl.ok() ? *purl : Purl{};
}

TEST(PurlParse, AllComponentsDecoded) {
  Purl p = MustParse("pkg:deb/debian/passwd@1:4.13%2Bdfsg1-1?arch=amd64&distro=debian-12.15#usr/share/doc");
  EXPECT_EQ(p.type, "deb");
  EXPECT_EQ(p.name_space, "debian");
  EXPECT_EQ(p.name, "passwd");
  EXPECT_EQ(p.version, "1:4.13+dfsg1-1");
  EXPECT_EQ(p.qualifiers.at("arch"), "amd64");
  EXPECT_EQ(p.qualifiers.at("distro"), "debian-12.15");
  EXPECT_EQ(p.subpath, "usr/share/doc");
}

TEST(PurlParse, NpmScopeEncodedOrNot) {
  Purl encoded = MustParse("pkg:npm/%40types/node@20.1.0");
  EXPECT_EQ(encoded.name_space, "@types");
  EXPECT_EQ(encoded.name, "node");
  EXPECT_EQ(encoded.version, "20.1.0");
  Purl literal = MustParse("pkg:npm/@types/node@20.1.0");
  EXPECT_EQ(literal.name_space, "@types");
  EXPECT_EQ(literal.version, "20.1.0");
  Purl no_version = MustParse("pkg:npm/@types/node");
  EXPECT_EQ(no_version.name_space, "@types");
  EXPECT_EQ(no_version.name, "node");
  EXPECT_EQ(no_version.version, "");
}

TEST(PurlParse, TypeLowerCasedQualifierKeysLowerCasedEmptyValuesDropped) {
  Purl p = MustParse("PKG:PyPI/Flask@2.2.2?Arch=&VCS_URL=git%2Bhttps://x");
  EXPECT_EQ(p.type, "pypi");
  EXPECT_EQ(p.name, "Flask");
  EXPECT_EQ(p.qualifiers.count("arch"), 0u);
  EXPECT_EQ(p.qualifiers.at("vcs_url"), "git+https://x");
}

TEST(PurlParse, GolangNamespaceKeepsEverySegment) {
  Purl p = MustParse("pkg:golang/github.com/gorilla/mux@v1.8.0");
  EXPECT_EQ(p.name_space, "github.com/gorilla");
  EXPECT_EQ(p.name, "mux");
  EXPECT_EQ(p.version, "v1.8.0");
}

TEST(PurlParse, SubpathDropsDotSegments) {
  EXPECT_EQ(MustParse("pkg:golang/x/y@1#./a/../b//c").subpath, "a/b/c");
}

TEST(PurlParse, MalformedPurlsAreErrors) {
  for (std::string_view bad : {"", "pkg", "npm/left-pad@1", "pkg:", "pkg:npm", "pkg:npm/", "pkg:1npm/x",
                               "pkg:np m/x", "pkg:npm/x@%zz", "pkg:npm/%4", "pkg:npm/x?a", "pkg:npm/x?=1",
                               "pkg:npm/x?a=1&a=2", "pkg:npm/x?a=%g0", "pkg:npm/x#%"}) {
    auto p = ParsePurl(bad);
    EXPECT_FALSE(p.ok()) << "accepted: " << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), core::ErrorCode::kParseError) << bad;
    }
  }
}

TEST(PurlParse, HugePurlIsTooLarge) {
  std::string huge = "pkg:npm/" + std::string(70000, 'a');
  auto p = ParsePurl(huge);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), core::ErrorCode::kTooLarge);
}

TEST(PurlToPackage, TrivyDebEpochQualifierFoldedIntoVersion) {
  auto p = PackageFromPurl(MustParse("pkg:deb/debian/passwd@4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&epoch=1&distro=debian-12.15"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->type, PackageType::kDeb);
  EXPECT_EQ(p->name, "passwd");
  EXPECT_EQ(p->version, "1:4.13+dfsg1-1+deb12u1");
  EXPECT_EQ(p->arch, "amd64");
}

TEST(PurlToPackage, BulwarkEpochInVersionKeptOnce) {
  auto p = PackageFromPurl(MustParse("pkg:deb/debian/passwd@1:4.13?epoch=1"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->version, "1:4.13");
  auto rpm = PackageFromPurl(MustParse("pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&epoch=0"));
  EXPECT_EQ(rpm->version, "5.1.8-6.el9");  // epoch 0 is no epoch
}

TEST(PurlToPackage, NamesJoinedPerEcosystem) {
  EXPECT_EQ(PackageFromPurl(MustParse("pkg:npm/%40types/node@1"))->name, "@types/node");
  EXPECT_EQ(PackageFromPurl(MustParse("pkg:golang/github.com/gorilla/mux@v1"))->name, "github.com/gorilla/mux");
  EXPECT_EQ(PackageFromPurl(MustParse("pkg:composer/symfony/console@6"))->name, "symfony/console");
  auto maven = PackageFromPurl(MustParse("pkg:maven/org.apache.commons/commons-lang3@3.12.0"));
  EXPECT_EQ(maven->type, PackageType::kJava);
  EXPECT_EQ(maven->name, "commons-lang3");
  EXPECT_EQ(maven->group, "org.apache.commons");
  EXPECT_EQ(PackageFromPurl(MustParse("pkg:deb/debian/libc6@2"))->name, "libc6");
  EXPECT_FALSE(PackageFromPurl(MustParse("pkg:oci/nginx@sha256%3Aab")).has_value());
  EXPECT_FALSE(PackageFromPurl(MustParse("pkg:generic/openssl@3")).has_value());
}

TEST(PurlToPackage, SyftUpstreamQualifierIsTheSourcePackage) {
  auto deb = PackageFromPurl(MustParse("pkg:deb/debian/libc6@2.36-9?upstream=glibc%402.36-8&distro=debian-12"));
  EXPECT_EQ(deb->source_name, "glibc");
  EXPECT_EQ(deb->source_version, "2.36-8");
  auto same = PackageFromPurl(MustParse("pkg:deb/debian/libc6@2.36-9?upstream=glibc%402.36-9"));
  EXPECT_EQ(same->source_version, "");  // equal to the version
  auto apk = PackageFromPurl(MustParse("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl"));
  EXPECT_EQ(apk->source_name, "openssl");
  auto rpm = PackageFromPurl(MustParse("pkg:rpm/redhat/bash@5.1.8-6.el9?upstream=bash-5.1.8-6.el9.src.rpm"));
  EXPECT_EQ(rpm->source_name, "bash");
  EXPECT_EQ(rpm->source_version, "");
  auto rpm2 = PackageFromPurl(MustParse("pkg:rpm/redhat/openssl-libs@3.0.7-1.el9?upstream=openssl-3.0.7-2.el9.src.rpm"));
  EXPECT_EQ(rpm2->source_name, "openssl");
  EXPECT_EQ(rpm2->source_version, "3.0.7-2.el9");
}

TEST(PurlToOs, DistroQualifierShapes) {
  OsRelease trivy = OsFromPurl(MustParse("pkg:deb/debian/libc6@2?distro=debian-12.15"));
  EXPECT_EQ(trivy.id, "debian");
  EXPECT_EQ(trivy.version_id, "12");
  EXPECT_EQ(trivy.point_release, "12.15");
  OsRelease syft = OsFromPurl(MustParse("pkg:deb/debian/libc6@2?distro=debian-12"));
  EXPECT_EQ(syft.version_id, "12");
  EXPECT_EQ(syft.point_release, "");
  OsRelease apk = OsFromPurl(MustParse("pkg:apk/alpine/busybox@1?distro=3.19.1"));
  EXPECT_EQ(apk.id, "alpine");
  EXPECT_EQ(apk.version_id, "3.19.1");
  EXPECT_EQ(apk.point_release, "3.19.1");
  OsRelease syft_apk = OsFromPurl(MustParse("pkg:apk/alpine/busybox@1?distro=alpine-3.19.1"));
  EXPECT_EQ(syft_apk.id, "alpine");
  EXPECT_EQ(syft_apk.version_id, "3.19.1");
  OsRelease rhel = OsFromPurl(MustParse("pkg:rpm/redhat/bash@5?distro=redhat-9.2"));
  EXPECT_EQ(rhel.id, "rhel");
  EXPECT_EQ(rhel.version_id, "9.2");
  OsRelease ubuntu = OsFromPurl(MustParse("pkg:deb/ubuntu/bash@5?distro=ubuntu-22.04"));
  EXPECT_EQ(ubuntu.id, "ubuntu");
  EXPECT_EQ(ubuntu.version_id, "22.04");
  EXPECT_TRUE(OsFromPurl(MustParse("pkg:pypi/flask@2")).Empty());
}

}  // namespace
}  // namespace bulwark::sbom
