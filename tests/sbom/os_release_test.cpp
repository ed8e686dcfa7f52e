#include <gtest/gtest.h>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

constexpr char kDebianOsRelease[] =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
    "NAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\n"
    "VERSION=\"12 (bookworm)\"\n"
    "VERSION_CODENAME=bookworm\n"
    "ID=debian\n"
    "HOME_URL=\"https://www.debian.org/\"\n";

TEST(OsRelease, DebianThroughTheEtcSymlinkWithPointRelease) {
  auto view =
      MemoryView({{"usr/lib/os-release", kDebianOsRelease}, {"etc/debian_version", "12.15\n"}},
                 {{"etc/os-release", "../usr/lib/os-release"}});
  OsRelease os = DetectOsRelease(view);
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.version_id, "12");
  EXPECT_EQ(os.version_codename, "bookworm");
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os.point_release, "12.15");
}

TEST(OsRelease, AbsoluteSymlinkAndQuoting) {
  auto view = MemoryView({{"usr/lib/os-release",
                           "# comment\nID='alpine'\nVERSION_ID=3.19.1\n"
                           "PRETTY_NAME=\"Alpine \\\"Linux\\\" v3.19\"\r\n"},
                          {"etc/alpine-release", "3.19.1\n"}},
                         {{"etc/os-release", "/usr/lib/os-release"}});
  OsRelease os = DetectOsRelease(view);
  EXPECT_EQ(os.id, "alpine");
  EXPECT_EQ(os.version_id, "3.19.1");
  EXPECT_EQ(os.pretty_name, "Alpine \"Linux\" v3.19");
  EXPECT_EQ(os.point_release, "3.19.1");
}

TEST(OsRelease, UbuntuIgnoresItsDebianVersion) {
  auto view = MemoryView({{"etc/os-release", "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n"},
                          {"etc/debian_version", "bookworm/sid\n"}});
  OsRelease os = DetectOsRelease(view);
  EXPECT_EQ(os.id, "ubuntu");
  EXPECT_EQ(os.id_like, "debian");
  EXPECT_EQ(os.point_release, "");
}

TEST(OsRelease, RedhatReleaseGivesThePointRelease) {
  auto view = MemoryView({{"etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\n"},
                          {"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n"}},
                         {{"etc/redhat-release", "centos-release"}});
  OsRelease os = DetectOsRelease(view);
  EXPECT_EQ(os.id, "centos");
  EXPECT_EQ(os.version_id, "7");
  EXPECT_EQ(os.point_release, "7.9.2009");
}

TEST(OsRelease, ReleaseFilesAloneWhenOsReleaseIsMissing) {
  OsRelease debian = DetectOsRelease(MemoryView({{"etc/debian_version", "11.9\n"}}));
  EXPECT_EQ(debian.id, "debian");
  EXPECT_EQ(debian.version_id, "11");
  EXPECT_EQ(debian.point_release, "11.9");
  OsRelease alpine = DetectOsRelease(MemoryView({{"etc/alpine-release", "3.11.13\n"}}));
  EXPECT_EQ(alpine.id, "alpine");
  EXPECT_EQ(alpine.version_id, "3.11.13");
}

TEST(OsRelease, UsrLibWhenEtcIsDangling) {
  auto view = MemoryView({{"usr/lib/os-release", "ID=fedora\nVERSION_ID=39\n"}},
                         {{"etc/os-release", "../run/os-release"}});
  EXPECT_EQ(DetectOsRelease(view).id, "fedora");
}

TEST(OsRelease, EmptyViewAndGarbage) {
  EXPECT_TRUE(DetectOsRelease(MemoryView({})).Empty());
  EXPECT_TRUE(DetectOsRelease(MemoryView({{"etc/os-release", std::string("\0\0=\n==\nID\n", 10)}}))
                  .Empty());
  // A symlink loop resolves to nothing.
  EXPECT_TRUE(DetectOsRelease(MemoryView({}, {{"etc/os-release", "os-release"}})).Empty());
}

TEST(OsRelease, WantsOnlyTheReleaseFiles) {
  image::FileEntry entry;
  for (const char* path : {"etc/os-release", "usr/lib/os-release", "etc/debian_version",
                           "etc/alpine-release", "etc/redhat-release", "etc/centos-release"}) {
    entry.path = path;
    EXPECT_TRUE(WantsOsReleaseFile(entry)) << path;
  }
  entry.path = "etc/passwd";
  EXPECT_FALSE(WantsOsReleaseFile(entry));
  entry.path = "etc/os-release";
  entry.size = 1 << 20;
  EXPECT_FALSE(WantsOsReleaseFile(entry));
}

}  // namespace
}  // namespace bulwark::sbom
