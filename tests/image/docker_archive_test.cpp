// docker-archive: legacy and OCI-style docker save layouts, manifest first
// or last, outer compression, image info, the capture temp directory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>

#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

using testing::ArchiveOptions;
using testing::Compression;
using testing::TarWriter;

std::vector<std::string> TwoLayers() {
  return {TarWriter().Dir("etc").File("etc/os-release", "ID=debian\n").File("usr/lib/a.py", "a").Finish(),
          TarWriter().File("usr/lib/b.py", "b").File("etc/.wh.os-release", "").Finish()};
}

class DockerArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = bulwark::testing::MakeTempDir("bulwark-darch"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  core::Result<std::unique_ptr<Image>> Open(const std::string& bytes, OpenOptions options = {}) {
    auto path = dir_ / ("image" + std::to_string(count_++) + ".tar");
    bulwark::testing::WriteFile(path, bytes);
    if (!options.wants) options.wants = [](const FileEntry&) { return true; };
    options.temp_parent = dir_ / "tmp";
    std::filesystem::create_directories(options.temp_parent);
    return OpenImage("docker-archive:" + path.string(), options);
  }

  // path -> content ("" when not captured) of every regular file.
  static std::map<std::string, std::string> Contents(const Image& image) {
    std::map<std::string, std::string> out;
    for (const FileEntry& entry : image.Files().Entries()) {
      if (entry.type != FileType::kRegular) continue;
      auto content = image.Files().Read(entry);
      out[entry.path] = content.ok() ? *content : "";
    }
    return out;
  }

  std::filesystem::path dir_;
  int count_ = 0;
};

TEST_F(DockerArchiveTest, ManifestLastAndManifestFirstGiveTheSameImage) {
  ArchiveOptions first;
  first.manifest_first = true;
  auto a = Open(testing::DockerArchive(TwoLayers()));
  auto b = Open(testing::DockerArchive(TwoLayers(), first));
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::map<std::string, std::string> expected = {{"usr/lib/a.py", "a"}, {"usr/lib/b.py", "b"}};
  EXPECT_EQ(Contents(**a), expected);
  EXPECT_EQ(Contents(**b), expected);
  EXPECT_EQ((*a)->Info().id, (*b)->Info().id);
}

TEST_F(DockerArchiveTest, InfoComesFromManifestAndConfig) {
  auto layers = TwoLayers();
  auto image = Open(testing::DockerArchive(layers));
  ASSERT_TRUE(image.ok()) << image.status().message();
  const ImageInfo& info = (*image)->Info();
  EXPECT_EQ(info.source, "docker-archive");
  EXPECT_EQ(info.id, "sha256:" + testing::FakeHex(testing::ConfigJson(2)));
  EXPECT_EQ(info.repo_tags, std::vector<std::string>{"bulwark-test/img:1"});
  EXPECT_EQ(info.os, "linux");
  EXPECT_EQ(info.architecture, "amd64");
  EXPECT_EQ(info.config_json, testing::ConfigJson(2));
  ASSERT_EQ(info.layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(info.layers[i].diff_id, "sha256:" + testing::FakeHex("diff" + std::to_string(i)));
    EXPECT_EQ(info.layers[i].digest, info.layers[i].diff_id) << "a legacy layer.tar is stored uncompressed";
    EXPECT_EQ(info.layers[i].size, layers[i].size());
    EXPECT_EQ(info.layers[i].created_by, "step " + std::to_string(i)) << "empty_layer history skipped";
  }
}

TEST_F(DockerArchiveTest, OciStyleDockerSaveUsesBlobDigests) {
  ArchiveOptions options;
  options.oci_style = true;
  auto layers = TwoLayers();
  auto image = Open(testing::DockerArchive(layers, options));
  ASSERT_TRUE(image.ok()) << image.status().message();
  const ImageInfo& info = (*image)->Info();
  ASSERT_EQ(info.layers.size(), 2u);
  EXPECT_EQ(info.layers[1].digest, "sha256:" + testing::FakeHex("layer1" + layers[1]));
  EXPECT_EQ(info.id, "sha256:" + testing::FakeHex(testing::ConfigJson(2)));
  EXPECT_EQ(Contents(**image).size(), 2u);
}

TEST_F(DockerArchiveTest, OciArchiveWithOnlyIndexJsonIsRead) {
  ArchiveOptions options;
  options.oci_style = true;
  options.with_manifest_json = false;
  options.tags = {"docker.io/library/app:2"};
  auto image = Open(testing::DockerArchive(TwoLayers(), options));
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_EQ((*image)->Info().repo_tags, std::vector<std::string>{"docker.io/library/app:2"});
  EXPECT_EQ(Contents(**image).at("usr/lib/b.py"), "b");
}

TEST_F(DockerArchiveTest, GzipAndZstdCompressedArchivesAreRead) {
  for (Compression outer : {Compression::kGzip, Compression::kZstd}) {
    for (bool oci : {false, true}) {
      ArchiveOptions options;
      options.outer = outer;
      options.oci_style = oci;
      options.manifest_first = oci;  // both orders, read without a pre-pass
      std::vector<std::string> layers = {TarWriter(Compression::kGzip).File("a", "1").Finish(),
                                         TarWriter(Compression::kZstd).File("b", "2").Finish()};
      auto image = Open(testing::DockerArchive(layers, options));
      ASSERT_TRUE(image.ok()) << image.status().message();
      std::map<std::string, std::string> expected = {{"a", "1"}, {"b", "2"}};
      EXPECT_EQ(Contents(**image), expected);
      EXPECT_EQ((*image)->Files().Find("b")->layer, 1);
    }
  }
}

TEST_F(DockerArchiveTest, WantsSeesTheLayerIndexOfAPlainArchive) {
  std::map<std::string, int> seen;
  OpenOptions options;
  options.wants = [&seen](const FileEntry& entry) {
    seen[entry.path] = entry.layer;
    return false;
  };
  auto image = Open(testing::DockerArchive(TwoLayers()), options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  std::map<std::string, int> expected = {{"etc/os-release", 0}, {"usr/lib/a.py", 0}, {"usr/lib/b.py", 1}};
  EXPECT_EQ(seen, expected) << "called for regular files only, with the layer set";
  const FileEntry* a = (*image)->Files().Find("usr/lib/a.py");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE((*image)->Files().HasContent(*a));
  auto read = (*image)->Files().Read(*a);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("not read"), std::string::npos);
}

TEST_F(DockerArchiveTest, LegacyLayerStoredAsALinkToAnotherIsFollowed) {
  std::string layer = TarWriter().File("shared", "s").Finish();
  std::string other = TarWriter().File("top", "t").Finish();
  std::string config = testing::ConfigJson(3);
  std::string config_name = testing::FakeHex(config) + ".json";
  std::string manifest = "[{\"Config\":\"" + config_name +
                         "\",\"RepoTags\":null,\"Layers\":[\"aaa/layer.tar\","
                         "\"bbb/layer.tar\",\"ccc/layer.tar\"]}]";
  std::string archive = TarWriter()
                            .File("aaa/layer.tar", layer)
                            .File("ccc/layer.tar", other)
                            .Symlink("bbb/layer.tar", "../aaa/layer.tar")
                            .File(config_name, config)
                            .File("manifest.json", manifest)
                            .Finish();
  auto image = Open(archive);
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_EQ((*image)->Files().Find("shared")->layer, 1) << "the same blob as layers 0 and 1";
  EXPECT_EQ((*image)->Files().Find("top")->layer, 2);
  EXPECT_TRUE((*image)->Info().repo_tags.empty());
}

TEST_F(DockerArchiveTest, SeveralImagesInOneArchiveReadTheFirstWithANote) {
  std::string config = testing::ConfigJson(1);
  std::string config_name = testing::FakeHex(config) + ".json";
  std::string manifest = "[{\"Config\":\"" + config_name +
                         "\",\"RepoTags\":[\"one:1\"],\"Layers\":[\"l/layer.tar\"]},"
                         "{\"Config\":\"x.json\",\"RepoTags\":[\"two:1\"],\"Layers\":[]}]";
  std::string archive = TarWriter()
                            .File("manifest.json", manifest)
                            .File(config_name, config)
                            .File("l/layer.tar", TarWriter().File("f", "1").Finish())
                            .Finish();
  auto image = Open(archive);
  ASSERT_TRUE(image.ok()) << image.status().message();
  ASSERT_EQ((*image)->Notes().size(), 1u);
  EXPECT_NE((*image)->Notes()[0].find("holds 2 images"), std::string::npos);
  EXPECT_NE((*image)->Notes()[0].find("one:1"), std::string::npos);
}

TEST_F(DockerArchiveTest, LargeCapturesGoToAPrivateTempDirRemovedWithTheImage) {
  OpenOptions options;
  options.limits.max_memory_capture_file = 10;
  std::string big(1000, 'x');
  auto image = Open(
      testing::DockerArchive({TarWriter().File("big", big).File("small", "s").File("old", "1" + big).Finish(),
                              TarWriter().File("old", "2" + big).Finish()}),
      options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  auto tree = testing::ListTree(dir_ / "tmp");
  ASSERT_EQ(tree.size(), 3u) << "one directory, two files: the replaced capture was dropped";
  std::filesystem::path temp = dir_ / "tmp" / tree[0];
  struct stat st {};
  ASSERT_EQ(lstat(temp.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (size_t i = 1; i < tree.size(); ++i) {
    std::string name = std::filesystem::path(tree[i]).filename().string();
    EXPECT_EQ(name[0], 'c') << "names we chose, not the archive's: " << name;
  }
  EXPECT_EQ((*image)->Files().Read(*(*image)->Files().Find("big")).value(), big);
  EXPECT_EQ((*image)->Files().Read(*(*image)->Files().Find("old")).value(), "2" + big);
  FileView kept = (*image)->Files();
  image->reset();
  EXPECT_TRUE(testing::ListTree(dir_ / "tmp").empty()) << "removed with the image";
  auto late = kept.Read(*kept.Find("big"));
  ASSERT_FALSE(late.ok()) << "a reader kept past the image fails cleanly";
  EXPECT_NE(late.status().message().find("closed"), std::string::npos);
}

TEST_F(DockerArchiveTest, NothingIsWrittenWhenNothingIsWanted) {
  OpenOptions options;
  options.wants = [](const FileEntry&) { return false; };
  auto image = Open(testing::DockerArchive(TwoLayers()), options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_TRUE(testing::ListTree(dir_ / "tmp").empty());
}

}  // namespace
}  // namespace bulwark::image
