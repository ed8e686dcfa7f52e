#include <gtest/gtest.h>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::FileViewFromDir;
using testing::MemoryView;

CatalogOutput RunApk(const image::FileView& view) {
  CatalogContext context;
  context.os = DetectOsRelease(view);
  CatalogOutput out;
  MakeApkCataloger()->Catalog(view, context, out);
  return out;
}

image::FileView FixtureView() {
  return FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/apk/rootfs");
}

TEST(ApkCataloger, ReadsEveryPackage) {
  CatalogOutput out = RunApk(FixtureView());
  ASSERT_EQ(out.packages.size(), 4u);
  const Package& musl = out.packages[0];
  EXPECT_EQ(musl.name, "musl");
  EXPECT_EQ(musl.version, "1.2.4_git20230717-r4");
  EXPECT_EQ(musl.arch, "x86_64");
  EXPECT_EQ(musl.type, PackageType::kApk);
  EXPECT_EQ(musl.source_name, "musl");
  EXPECT_EQ(musl.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(musl.locations, std::vector<std::string>{"/lib/apk/db/installed"});
  EXPECT_EQ(musl.cataloger, "apk-db");
  EXPECT_EQ(musl.purl, "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1");

  const Package& binsh = out.packages[1];
  EXPECT_EQ(binsh.name, "busybox-binsh");
  EXPECT_EQ(binsh.source_name, "busybox");
  EXPECT_EQ(binsh.purl, "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=3.19.1");

  EXPECT_EQ(out.packages[2].licenses, std::vector<std::string>{"Apache-2.0 AND BSD-3-Clause"});
  EXPECT_EQ(out.packages[2].source_name, "openssl");
  EXPECT_EQ(out.packages[3].licenses, (std::vector<std::string>{"MIT", "BSD", "GPL2+"}));
  EXPECT_EQ(out.packages[3].source_name, "legacy");  // no o: line
}

TEST(ApkCataloger, FileListsBecomeOwnedFiles) {
  CatalogOutput out = RunApk(FixtureView());
  EXPECT_EQ(out.owned_files.size(), 4u);
  EXPECT_EQ(out.owned_files.at("lib/ld-musl-x86_64.so.1"), "apk:musl");
  EXPECT_EQ(out.owned_files.at("lib/libc.musl-x86_64.so.1"), "apk:musl");
  EXPECT_EQ(out.owned_files.at("bin/sh"), "apk:busybox-binsh");
  EXPECT_EQ(out.owned_files.at("usr/lib/python3.11/site-packages/tinypkg-1.0.dist-info/METADATA"),
            "apk:ssl_client");
}

TEST(ApkCataloger, NotesNameFileAndLine) {
  CatalogOutput out = RunApk(FixtureView());
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0], "lib/apk/db/installed: line 57: not an \"X:value\" line");
  EXPECT_EQ(out.notes[1], "lib/apk/db/installed: line 58: package without P: or V:, skipped");
}

TEST(ApkCataloger, UsrLibDatabaseAndSymlinkedLibDir) {
  auto view = MemoryView({{"usr/lib/apk/db/installed", "P:zlib\nV:1.3.1-r0\nA:aarch64\n"}},
                         {{"lib/apk/db", "../../usr/lib/apk/db"}});
  CatalogOutput out = RunApk(view);
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].locations, std::vector<std::string>{"/usr/lib/apk/db/installed"});
  EXPECT_EQ(out.packages[0].purl, "pkg:apk/alpine/zlib@1.3.1-r0?arch=aarch64");
}

TEST(ApkCataloger, LayerComesFromTheDatabase) {
  auto view = MemoryView({{"lib/apk/db/installed", "P:zlib\nV:1.3.1-r0\n"}}, {}, 2);
  CatalogOutput out = RunApk(view);
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].layer, 2);
}

TEST(ApkCataloger, Wants) {
  auto cataloger = MakeApkCataloger();
  image::FileEntry entry;
  entry.path = "lib/apk/db/installed";
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.path = "usr/lib/apk/db/installed";
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.path = "lib/apk/db/triggers";
  EXPECT_FALSE(cataloger->Wants(entry));
}

TEST(ApkCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string(":"), std::string("R:x\nF:\nR:..\nR:../../etc/passwd\n"),
        std::string("P:\nV:\n"), std::string(5000, 'P'), std::string("P:a\nV:1\nF:/\nR:\n")}) {
    CatalogOutput out = RunApk(MemoryView({{"lib/apk/db/installed", text}}));
    for (const auto& [path, owner] : out.owned_files) {
      EXPECT_EQ(path.find(".."), std::string::npos) << path;
      EXPECT_FALSE(path.empty());
    }
  }
}

}  // namespace
}  // namespace bulwark::sbom
