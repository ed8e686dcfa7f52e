// Expected purls are the ones the Trivy binary in bench/peer printed for the
// same packages (trivy rootfs --format cyclonedx on hand-made root
// filesystems), except where a comment says otherwise.
#include "sbom/purl.hpp"

#include <gtest/gtest.h>

namespace bulwark::sbom {
namespace {

OsRelease Debian() {
  OsRelease os;
  os.id = "debian";
  os.version_id = "12";
  os.point_release = "12.15";
  return os;
}

Package Make(PackageType type, std::string name, std::string version, std::string arch = "") {
  Package p;
  p.type = type;
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  return p;
}

TEST(Purl, DebEpochBecomesAQualifierInTrivysOrder) {
  EXPECT_EQ(
      MakePurl(Make(PackageType::kDeb, "passwd", "1:4.13+dfsg1-1+deb12u2", "amd64"), Debian()),
      "pkg:deb/debian/passwd@4.13+dfsg1-1+deb12u2?arch=amd64&epoch=1&distro=debian-12.15");
}

TEST(Purl, DebWithoutEpochAndWithPlusInName) {
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "libfoo", "1.2-3+b1", "amd64"), Debian()),
            "pkg:deb/debian/libfoo@1.2-3+b1?arch=amd64&distro=debian-12.15");
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "libstdc++6", "12.2.0-14~deb12u1", "amd64"), Debian()),
            "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14~deb12u1?arch=amd64&distro=debian-12.15");
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "tzdata", "2024a-0+deb12u1", "all"), Debian()),
            "pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=all&distro=debian-12.15");
}

TEST(Purl, DebZeroEpochIsDroppedAndColonsStayInTheVersion) {
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "b", "0:1.0", "amd64"), Debian()),
            "pkg:deb/debian/b@1.0?arch=amd64&distro=debian-12.15");
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "a", "1:2:3-4", "amd64"), Debian()),
            "pkg:deb/debian/a@2:3-4?arch=amd64&epoch=1&distro=debian-12.15");
}

TEST(Purl, UbuntuUsesVersionIdWhenNoPointRelease) {
  OsRelease os;
  os.id = "ubuntu";
  os.version_id = "22.04";
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "bash", "5.1-6ubuntu1", "amd64"), os),
            "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04");
}

TEST(Purl, NoOsKeepsArchOnly) {
  EXPECT_EQ(MakePurl(Make(PackageType::kDeb, "bash", "5.2-1", "amd64"), OsRelease()),
            "pkg:deb/debian/bash@5.2-1?arch=amd64");
}

TEST(Purl, Apk) {
  OsRelease os;
  os.id = "alpine";
  os.version_id = "3.19.1";
  os.point_release = "3.19.1";
  EXPECT_EQ(MakePurl(Make(PackageType::kApk, "busybox", "1.36.1-r15", "x86_64"), os),
            "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=3.19.1");
}

TEST(Purl, RpmNamespacesFollowTrivysFamilies) {
  Package bash = Make(PackageType::kRpm, "hello-bulwark", "1:2.10-3.fc39", "x86_64");
  OsRelease os;
  os.version_id = "9.2";
  os.id = "rhel";
  EXPECT_EQ(MakePurl(bash, os),
            "pkg:rpm/redhat/hello-bulwark@2.10-3.fc39?arch=x86_64&epoch=1&distro=redhat-9.2");
  os.id = "almalinux";
  os.version_id = "9.3";
  EXPECT_EQ(MakePurl(bash, os),
            "pkg:rpm/alma/hello-bulwark@2.10-3.fc39?arch=x86_64&epoch=1&distro=alma-9.3");
  os.id = "ol";
  EXPECT_EQ(MakePurl(bash, os),
            "pkg:rpm/oracle/hello-bulwark@2.10-3.fc39?arch=x86_64&epoch=1&distro=oracle-9.3");
  os.id = "opensuse-leap";
  os.version_id = "15.5";
  EXPECT_EQ(MakePurl(bash, os),
            "pkg:rpm/opensuse.leap/"
            "hello-bulwark@2.10-3.fc39?arch=x86_64&epoch=1&distro=opensuse.leap-15.5");
  os.id = "centos";
  os.version_id = "7";
  os.point_release = "7.9.2009";
  EXPECT_EQ(MakePurl(Make(PackageType::kRpm, "python3-tinylib", "0.4.1-1.el9", "noarch"), os),
            "pkg:rpm/centos/python3-tinylib@0.4.1-1.el9?arch=noarch&distro=centos-7.9.2009");
}

TEST(Purl, RpmModularityLabelComesLast) {
  Package p = Make(PackageType::kRpm, "nodejs", "1:16.20.2-1.module+el8.8.0+1", "x86_64");
  p.metadata["rpm.modularitylabel"] = "nodejs:16:8080020230101:abc";
  OsRelease os;
  os.id = "rhel";
  os.version_id = "8.8";
  EXPECT_EQ(MakePurl(p, os),
            "pkg:rpm/redhat/nodejs@16.20.2-1.module+el8.8.0+1?arch=x86_64&epoch=1&distro=redhat-8.8"
            "&modularitylabel=nodejs:16:8080020230101:abc");
}

TEST(Purl, PypiLowerCasesAndDashesUnderscores) {
  EXPECT_EQ(MakePurl(Make(PackageType::kPython, "Foo_Bar", "1.0"), Debian()),
            "pkg:pypi/foo-bar@1.0");
  EXPECT_EQ(MakePurl(Make(PackageType::kPython, "zope.interface", "6.0"), Debian()),
            "pkg:pypi/zope.interface@6.0");
  EXPECT_EQ(MakePurl(Make(PackageType::kPython, "P1+x_y.z", "1.0+local"), Debian()),
            "pkg:pypi/p1%2Bx-y.z@1.0+local");
}

TEST(Purl, VersionsEncodeWhatWouldBreakThePurl) {
  // Trivy: "a b" -> a%20b, "x#y" -> x%23y, "x?y" -> x%3Fy, "x/y" -> x%2Fy,
  // "x%y" -> x%25y, "1:2" -> 1:2. (Trivy keeps '@' in versions; we encode it.)
  auto purl = [](std::string version) {
    return MakePurl(Make(PackageType::kPython, "p", version), Debian());
  };
  EXPECT_EQ(purl("a b"), "pkg:pypi/p@a%20b");
  EXPECT_EQ(purl("x#y"), "pkg:pypi/p@x%23y");
  EXPECT_EQ(purl("x?y"), "pkg:pypi/p@x%3Fy");
  EXPECT_EQ(purl("x/y"), "pkg:pypi/p@x%2Fy");
  EXPECT_EQ(purl("x%y"), "pkg:pypi/p@x%25y");
  EXPECT_EQ(purl("1:2"), "pkg:pypi/p@1:2");
  EXPECT_EQ(purl("x@y"), "pkg:pypi/p@x%40y");
  EXPECT_EQ(purl("\xc3\xa9"), "pkg:pypi/p@%C3%A9");
}

TEST(Purl, NpmScopeIsTheNamespaceAndNamesAreLowerCase) {
  EXPECT_EQ(MakePurl(Make(PackageType::kNpm, "@types/node", "20.1.0+meta"), Debian()),
            "pkg:npm/%40types/node@20.1.0+meta");
  EXPECT_EQ(MakePurl(Make(PackageType::kNpm, "Bar", "2.0.0"), Debian()), "pkg:npm/bar@2.0.0");
  EXPECT_EQ(MakePurl(Make(PackageType::kNpm, "@Scope/Na.me_x~y", "1.0.0-rc.1+build"), Debian()),
            "pkg:npm/%40scope/na.me_x~y@1.0.0-rc.1+build");
  EXPECT_EQ(MakePurl(Make(PackageType::kNpm, "a+b", "1.0.0"), Debian()), "pkg:npm/a%2Bb@1.0.0");
}

TEST(Purl, OtherEcosystems) {
  EXPECT_EQ(MakePurl(Make(PackageType::kGem, "rack", "3.0.8"), Debian()), "pkg:gem/rack@3.0.8");
  EXPECT_EQ(MakePurl(Make(PackageType::kNuget, "Newtonsoft.Json", "13.0.1"), Debian()),
            "pkg:nuget/Newtonsoft.Json@13.0.1");
  EXPECT_EQ(MakePurl(Make(PackageType::kComposer, "monolog/monolog", "v2.9.1"), Debian()),
            "pkg:composer/monolog/monolog@v2.9.1");
  EXPECT_EQ(
      MakePurl(Make(PackageType::kGo, "github.com/Azure/go-autorest/v14", "v14.2.0"), Debian()),
      "pkg:golang/github.com/azure/go-autorest/v14@v14.2.0");
  EXPECT_EQ(MakePurl(Make(PackageType::kCargo, "serde", "1.0.190"), Debian()),
            "pkg:cargo/serde@1.0.190");
  Package jar = Make(PackageType::kJava, "commons-lang3", "3.12.0");
  jar.group = "org.apache.commons";
  EXPECT_EQ(MakePurl(jar, Debian()), "pkg:maven/org.apache.commons/commons-lang3@3.12.0");
}

TEST(Purl, EmptyVersionHasNoAt) {
  EXPECT_EQ(MakePurl(Make(PackageType::kGem, "rack", ""), Debian()), "pkg:gem/rack");
}

TEST(Purl, PurlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PurlEncode("aZ09.-_~"), "aZ09.-_~");
  EXPECT_EQ(PurlEncode("a:b@c&d=e/f+g h"), "a%3Ab%40c%26d%3De%2Ff%2Bg%20h");
  EXPECT_EQ(PurlEncode(""), "");
}

}  // namespace
}  // namespace bulwark::sbom
