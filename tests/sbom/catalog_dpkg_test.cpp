#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::FileViewFromDir;
using testing::MemoryView;

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests/sbom/fixtures/dpkg" / name;
}

CatalogOutput RunDpkg(const image::FileView& view, OsRelease os = {}) {
  CatalogContext context;
  context.os = std::move(os);
  CatalogOutput out;
  MakeDpkgCataloger()->Catalog(view, context, out);
  return out;
}

const Package* FindPackage(const CatalogOutput& out, const std::string& name) {
  for (const Package& p : out.packages) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

OsRelease Debian() {
  OsRelease os;
  os.id = "debian";
  os.version_id = "12";
  os.point_release = "12.5";
  return os;
}

TEST(DpkgCataloger, StatusFileInstalledPackagesOnly) {
  CatalogOutput out = RunDpkg(FileViewFromDir(Fixture("rootfs")), Debian());
  std::set<std::string> names;
  for (const Package& p : out.packages) names.insert(p.name);
  EXPECT_EQ(names, (std::set<std::string>{"passwd", "libstdc++6", "tzdata", "python3-flask"}));

  const Package* passwd = FindPackage(out, "passwd");
  ASSERT_NE(passwd, nullptr);
  EXPECT_EQ(passwd->version, "1:4.13+dfsg1-1+b1");
  EXPECT_EQ(passwd->type, PackageType::kDeb);
  EXPECT_EQ(passwd->arch, "amd64");
  EXPECT_EQ(passwd->source_name, "shadow");
  EXPECT_EQ(passwd->source_version, "");
  EXPECT_EQ(passwd->cataloger, "dpkg-status");
  EXPECT_EQ(passwd->locations, std::vector<std::string>{"/var/lib/dpkg/status"});
  EXPECT_EQ(passwd->purl,
            "pkg:deb/debian/passwd@4.13+dfsg1-1+b1?arch=amd64&epoch=1&distro=debian-12.5");
  EXPECT_EQ(passwd->licenses, (std::vector<std::string>{"BSD-3-clause", "GPL-2+", "GPL-2"}));
  EXPECT_TRUE(passwd->os_owner.empty());

  const Package* flask = FindPackage(out, "python3-flask");
  ASSERT_NE(flask, nullptr);
  EXPECT_EQ(flask->source_name, "flask");
  EXPECT_EQ(flask->source_version, "");  // same as the binary's
  EXPECT_TRUE(flask->licenses.empty());  // no copyright file in the fixture
}

TEST(DpkgCataloger, SourceVersionMultiArchFileListAndSymlinkedDocs) {
  CatalogOutput out = RunDpkg(FileViewFromDir(Fixture("rootfs")), Debian());
  const Package* libstdcpp = FindPackage(out, "libstdc++6");
  ASSERT_NE(libstdcpp, nullptr);
  EXPECT_EQ(libstdcpp->source_name, "gcc-12");
  EXPECT_EQ(libstdcpp->source_version, "");  // "12.2.0-14" == Version
  EXPECT_EQ(libstdcpp->licenses, std::vector<std::string>{"GPL-3+ with GCC-exception"});
  EXPECT_EQ(libstdcpp->purl,
            "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12.5");

  const Package* tzdata = FindPackage(out, "tzdata");
  ASSERT_NE(tzdata, nullptr);
  EXPECT_EQ(tzdata->source_name, "tzdata");
  EXPECT_EQ(tzdata->licenses, std::vector<std::string>{"GPL-2"});

  EXPECT_EQ(out.owned_files.at("usr/bin/passwd"), "deb:passwd");
  EXPECT_EQ(out.owned_files.at("usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"), "deb:libstdc++6");
  EXPECT_EQ(out.owned_files.at("usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO"),
            "deb:python3-flask");
  EXPECT_EQ(out.owned_files.size(), 5u);
}

TEST(DpkgCataloger, NotesNameFileAndLine) {
  CatalogOutput out = RunDpkg(FileViewFromDir(Fixture("rootfs")));
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0], "var/lib/dpkg/status: line 60: not a \"Field: value\" line");
  EXPECT_EQ(out.notes[1],
            "var/lib/dpkg/status: line 62: paragraph without Package or Version, skipped");
}

TEST(DpkgCataloger, DistrolessStatusD) {
  CatalogOutput out = RunDpkg(FileViewFromDir(Fixture("distroless")), Debian());
  ASSERT_EQ(out.packages.size(), 2u);
  const Package* base = FindPackage(out, "base-files");
  ASSERT_NE(base, nullptr);
  EXPECT_EQ(base->version, "12.4+deb12u5");
  EXPECT_EQ(base->locations, std::vector<std::string>{"/var/lib/dpkg/status.d/base-files"});
  EXPECT_EQ(out.owned_files.at("etc/debian_version"), "deb:base-files");
  EXPECT_NE(FindPackage(out, "tzdata"), nullptr);
  EXPECT_TRUE(out.notes.empty());
}

TEST(DpkgCataloger, LayerComesFromTheFileListWhenPresent) {
  image::FileView view;
  std::string status =
      "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nVersion: 2\n";
  view.Add({"var/lib/dpkg/status", image::FileType::kRegular, 0644, status.size(), "", 3},
           [status](uint64_t) { return core::Result<std::string>(status); });
  std::string md5 = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/a\n";
  view.Add({"var/lib/dpkg/info/a.md5sums", image::FileType::kRegular, 0644, md5.size(), "", 1},
           [md5](uint64_t) { return core::Result<std::string>(md5); });
  view.Finish();
  CatalogOutput out = RunDpkg(view);
  ASSERT_EQ(out.packages.size(), 2u);
  EXPECT_EQ(out.packages[0].layer, 1);
  EXPECT_EQ(out.packages[1].layer, 3);
}

TEST(DpkgCataloger, WantsOnlyItsFiles) {
  auto cataloger = MakeDpkgCataloger();
  image::FileEntry entry;
  for (const char* path :
       {"var/lib/dpkg/status", "var/lib/dpkg/status.d/base", "var/lib/dpkg/info/bash.md5sums",
        "var/lib/dpkg/info/libc6:amd64.md5sums", "usr/share/doc/bash/copyright"}) {
    entry.path = path;
    EXPECT_TRUE(cataloger->Wants(entry)) << path;
  }
  for (const char* path : {"var/lib/dpkg/status-old", "var/lib/dpkg/info/bash.list",
                           "var/lib/dpkg/info/x/y.md5sums", "usr/share/doc/bash/changelog.gz",
                           "usr/share/doc/a/b/copyright", "var/lib/dpkg/status.d/a/b"}) {
    entry.path = path;
    EXPECT_FALSE(cataloger->Wants(entry)) << path;
  }
  entry.path = "var/lib/dpkg/status";
  entry.size = 65ull << 20;
  EXPECT_FALSE(cataloger->Wants(entry));
}

TEST(DpkgCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("\n\n\n"), std::string(":\n:"), std::string("Package:"),
        std::string("Package: x\nVersion: 1\nSource: (", 34), std::string(1000, '\0'),
        std::string("Package: a\nVersion: 1\nSource: s (2\n")}) {
    CatalogOutput out = RunDpkg(
        MemoryView({{"var/lib/dpkg/status", text},
                    {"var/lib/dpkg/info/a.md5sums", text},
                    {"usr/share/doc/a/copyright", "License:\n/usr/share/common-licenses/"}}));
    (void)out;
  }
  CatalogOutput out =
      RunDpkg(MemoryView({{"var/lib/dpkg/status", "Package: a\nVersion: 1\nSource: s (2\n"}}));
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].source_name, "s");
  EXPECT_EQ(out.packages[0].source_version, "2");
}

// This machine's own dpkg database, read the way an image's would be: every
// installed package with its exact version, as dpkg-query lists them.
TEST(DpkgCataloger, ThisMachinesDpkgDatabaseMatchesDpkgQuery) {
  if (!std::filesystem::exists("/var/lib/dpkg/status"))
    GTEST_SKIP() << "SKIPPED: not a dpkg system";
  auto query = testing::RunCommand(
      {"dpkg-query", "-W", "-f", "${Package}\t${Architecture}\t${Version}\t${db:Status-Status}\n"});
  if (query.exit_code != 0) GTEST_SKIP() << "SKIPPED: dpkg-query failed: " << query.err;
  std::multiset<std::string> expected;
  std::istringstream lines(query.out);
  std::string line;
  while (std::getline(lines, line)) {
    size_t last_tab = line.rfind('\t');
    if (line.substr(last_tab + 1) != "installed") continue;
    expected.insert(line.substr(0, last_tab));
  }
  CatalogOutput out = RunDpkg(FileViewFromDir("/", {"var/lib/dpkg", "usr/share/doc"}));
  std::multiset<std::string> got;
  size_t with_licenses = 0;
  for (const Package& p : out.packages) {
    got.insert(p.name + "\t" + p.arch + "\t" + p.version);
    if (!p.licenses.empty()) ++with_licenses;
  }
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_EQ(got, expected);
  EXPECT_GT(with_licenses, out.packages.size() / 2);
  auto dpkg = out.owned_files.find("usr/bin/dpkg");
  ASSERT_NE(dpkg, out.owned_files.end());
  EXPECT_EQ(dpkg->second, "deb:dpkg");
  EXPECT_TRUE(out.notes.empty()) << out.notes.front();
}

}  // namespace
}  // namespace bulwark::sbom
