// Layer stacking: whiteouts, opaque directories, replacement, layer order,
// hard and symbolic links, compressed layers — through docker-archive files
// built in the test.
#include <gtest/gtest.h>

#include <filesystem>

#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

using testing::Compression;
using testing::TarWriter;

class LayerMergeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = bulwark::testing::MakeTempDir("bulwark-merge"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Image> Open(const std::vector<std::string>& layers) {
    auto path = dir_ / "image.tar";
    bulwark::testing::WriteFile(path, testing::DockerArchive(layers));
    OpenOptions options;
    options.wants = [](const FileEntry&) { return true; };
    options.temp_parent = dir_;
    auto image = OpenImage("docker-archive:" + path.string(), options);
    EXPECT_TRUE(image.ok()) << image.status().message();
    return image.ok() ? std::move(image).value() : nullptr;
  }

  static std::string Read(const Image& image, const std::string& path) {
    const FileEntry* entry = image.Files().Find(path);
    if (entry == nullptr) return "<missing>";
    auto content = image.Files().Read(*entry);
    return content.ok() ? *content : "<error: " + content.status().message() + ">";
  }

  std::filesystem::path dir_;
};

TEST_F(LayerMergeTest, WhiteoutRemovesTheFileAndEverythingUnderIt) {
  auto image = Open({TarWriter()
                         .Dir("etc")
                         .File("etc/keep", "k")
                         .File("etc/gone", "g")
                         .Dir("opt/app")
                         .File("opt/app/a", "a")
                         .File("opt/app/sub/b", "b")
                         .File("opt/apple", "p")
                         .Finish(),
                     TarWriter().File("etc/.wh.gone", "").File("opt/.wh.app", "").Finish()});
  ASSERT_NE(image, nullptr);
  const FileView& files = image->Files();
  EXPECT_NE(files.Find("etc/keep"), nullptr);
  EXPECT_EQ(files.Find("etc/gone"), nullptr);
  EXPECT_EQ(files.Find("opt/app"), nullptr);
  EXPECT_EQ(files.Find("opt/app/a"), nullptr);
  EXPECT_EQ(files.Find("opt/app/sub/b"), nullptr);
  EXPECT_NE(files.Find("opt/apple"), nullptr) << "a sibling sharing the prefix survives";
  for (const FileEntry& entry : files.Entries()) EXPECT_EQ(entry.path.find(".wh."), std::string::npos);
}

TEST_F(LayerMergeTest, OpaqueDirectoryHidesLowerContentsButKeepsItsOwn) {
  auto image = Open({TarWriter()
                         .Dir("var/lib/app")
                         .File("var/lib/app/old", "o")
                         .File("var/lib/app/d/x", "x")
                         .File("var/lib/other", "t")
                         .Finish(),
                     TarWriter()
                         .Dir("var/lib/app")
                         .File("var/lib/app/.wh..wh..opq", "")
                         .File("var/lib/app/new", "n")
                         .Finish()});
  ASSERT_NE(image, nullptr);
  const FileView& files = image->Files();
  EXPECT_NE(files.Find("var/lib/app"), nullptr);
  EXPECT_EQ(files.Find("var/lib/app/old"), nullptr);
  EXPECT_EQ(files.Find("var/lib/app/d/x"), nullptr);
  EXPECT_EQ(Read(*image, "var/lib/app/new"), "n") << "the opaque layer's own files stay";
  EXPECT_NE(files.Find("var/lib/other"), nullptr);
}

TEST_F(LayerMergeTest, WhiteoutThenRecreateAcrossThreeLayers) {
  auto image =
      Open({TarWriter().File("a/one", "1").File("a/two", "2").Finish(),
            TarWriter().File(".wh.a", "").Finish(), TarWriter().Dir("a").File("a/two", "2b").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->Files().Find("a/one"), nullptr);
  EXPECT_EQ(Read(*image, "a/two"), "2b");
  EXPECT_EQ(image->Files().Find("a/two")->layer, 2);
}

TEST_F(LayerMergeTest, LaterLayersReplaceEarlierOnesAndRecordTheLayer) {
  auto image = Open({TarWriter().File("etc/os-release", "v1").File("bin/sh", "sh").Finish(),
                     TarWriter().File("etc/os-release", "v2").Finish(),
                     TarWriter().File("etc/os-release", "v3", 0600).Finish()});
  ASSERT_NE(image, nullptr);
  const FileEntry* entry = image->Files().Find("etc/os-release");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->layer, 2);
  EXPECT_EQ(entry->mode, 0600u);
  EXPECT_EQ(Read(*image, "etc/os-release"), "v3");
  EXPECT_EQ(image->Files().Find("bin/sh")->layer, 0);
  EXPECT_EQ(image->Info().layers.size(), 3u);
}

TEST_F(LayerMergeTest, NonDirectoryReplacingADirectoryHidesWhatWasBelowIt) {
  auto image = Open({TarWriter().Dir("usr/lib/py").File("usr/lib/py/mod.py", "m").Finish(),
                     TarWriter().Symlink("usr/lib/py", "/opt/py").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->Files().Find("usr/lib/py/mod.py"), nullptr);
  ASSERT_NE(image->Files().Find("usr/lib/py"), nullptr);
  EXPECT_EQ(image->Files().Find("usr/lib/py")->type, FileType::kSymlink);
}

TEST_F(LayerMergeTest, WhiteoutOnlyHidesLowerLayersNotItsOwn) {
  auto image = Open(
      {TarWriter().File("x/old", "o").Finish(),
       TarWriter().File("x/.wh..wh..opq", "").File("x/new", "n").File(".wh.y", "").File("y", "y").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->Files().Find("x/old"), nullptr);
  EXPECT_EQ(Read(*image, "x/new"), "n");
  EXPECT_EQ(Read(*image, "y"), "y");
}

TEST_F(LayerMergeTest, HardlinkReadsTheSameContentAsItsTarget) {
  auto image = Open({TarWriter()
                         .File("usr/bin/python3.11", "ELF-python")
                         .Hardlink("usr/bin/python3", "usr/bin/python3.11")
                         .Finish()});
  ASSERT_NE(image, nullptr);
  const FileEntry* link = image->Files().Find("usr/bin/python3");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, FileType::kHardlink);
  EXPECT_EQ(link->link_target, "usr/bin/python3.11");
  EXPECT_EQ(Read(*image, "usr/bin/python3"), "ELF-python");
}

TEST_F(LayerMergeTest, HardlinkKeepsItsContentWhenALaterLayerDeletesTheTarget) {
  auto image =
      Open({TarWriter().File("a/orig", "shared").Hardlink("b/link", "a/orig").Finish(),
            TarWriter().File("a/.wh.orig", "").Finish(), TarWriter().File("c/unrelated", "u").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->Files().Find("a/orig"), nullptr);
  const FileEntry* link = image->Files().Find("b/link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, FileType::kRegular);
  EXPECT_EQ(link->size, 6u);
  EXPECT_EQ(Read(*image, "b/link"), "shared");
}

TEST_F(LayerMergeTest, HardlinkKeepsItsContentWhenALaterLayerReplacesTheTarget) {
  auto image = Open({TarWriter().File("a/orig", "old").Hardlink("b/link", "a/orig").Finish(),
                     TarWriter().File("a/orig", "new").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(Read(*image, "a/orig"), "new");
  EXPECT_EQ(Read(*image, "b/link"), "old");
}

TEST_F(LayerMergeTest, SymlinksAreDataAndResolveInsideTheImage) {
  auto image = Open({TarWriter()
                         .File("usr/lib/os-release", "ID=debian")
                         .Symlink("etc/os-release", "../usr/lib/os-release")
                         .Symlink("lib", "usr/lib")
                         .Finish()});
  ASSERT_NE(image, nullptr);
  const FileEntry* link = image->Files().Find("etc/os-release");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, FileType::kSymlink);
  EXPECT_EQ(link->link_target, "../usr/lib/os-release");
  const FileEntry* resolved = image->Files().Resolve("/lib/os-release");
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ(resolved->path, "usr/lib/os-release");
  EXPECT_EQ(image->Files().Read(*resolved).value(), "ID=debian");
}

TEST_F(LayerMergeTest, GzipAndZstdLayersMixWithPlainOnes) {
  auto image = Open({TarWriter(Compression::kGzip).File("a", "gzip").File("same", "1").Finish(),
                     TarWriter(Compression::kZstd).File("b", "zstd").File("same", "2").Finish(),
                     TarWriter().File("c", "plain").Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(Read(*image, "a"), "gzip");
  EXPECT_EQ(Read(*image, "b"), "zstd");
  EXPECT_EQ(Read(*image, "c"), "plain");
  EXPECT_EQ(Read(*image, "same"), "2");
}

TEST_F(LayerMergeTest, ModesTypesAndDotSlashPathsAreNormalised) {
  auto image =
      Open({TarWriter().Dir("./usr/").File("./usr/bin/sudo", "s", 04755).Fifo("./run/fifo").Finish()});
  ASSERT_NE(image, nullptr);
  const FileEntry* sudo = image->Files().Find("usr/bin/sudo");
  ASSERT_NE(sudo, nullptr);
  EXPECT_EQ(sudo->mode, 04755u);
  EXPECT_EQ(sudo->size, 1u);
  ASSERT_NE(image->Files().Find("usr"), nullptr);
  EXPECT_EQ(image->Files().Find("usr")->type, FileType::kDirectory);
  EXPECT_EQ(image->Files().Find("run/fifo")->type, FileType::kOther);
  EXPECT_TRUE(image->Notes().empty()) << image->Notes()[0];
}

TEST_F(LayerMergeTest, WantedHardlinkWhoseTargetWasNotWantedIsNoted) {
  auto path = dir_ / "links.tar";
  bulwark::testing::WriteFile(
      path,
      testing::DockerArchive(
          {testing::TarWriter().File("data/blob", "x").Hardlink("pkg/METADATA", "data/blob").Finish()}));
  OpenOptions options;
  options.wants = [](const FileEntry& entry) { return entry.path == "pkg/METADATA"; };
  options.temp_parent = dir_;
  auto image = OpenImage("docker-archive:" + path.string(), options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  ASSERT_EQ((*image)->Notes().size(), 1u);
  EXPECT_NE((*image)->Notes()[0].find("'pkg/METADATA' -> 'data/blob': its content was not kept"),
            std::string::npos)
      << (*image)->Notes()[0];
}

TEST_F(LayerMergeTest, NonAsciiNamesSurviveTheCLocale) {
  auto image = Open({testing::TarWriter()
                         .File("usr/share/naïve/日本.txt", "utf8")
                         .File("long/" + std::string(300, 'n'), "l")
                         .Finish()});
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(Read(*image, "usr/share/naïve/日本.txt"), "utf8");
  EXPECT_EQ(Read(*image, "long/" + std::string(300, 'n')), "l");
}

}  // namespace
}  // namespace bulwark::image
