// oci-dir: an OCI image layout directory: index -> manifest (nested
// indexes, platform choice) -> config and layers from blobs/.
#include <gtest/gtest.h>

#include <filesystem>

#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

using testing::Compression;
using testing::TarWriter;
namespace fs = std::filesystem;

class OciLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = bulwark::testing::MakeTempDir("bulwark-oci"); }
  void TearDown() override { fs::remove_all(dir_); }

  core::Result<std::unique_ptr<Image>> Open(const fs::path& layout) {
    OpenOptions options;
    options.wants = [](const FileEntry&) { return true; };
    options.temp_parent = dir_;
    return OpenImage("oci-dir:" + layout.string(), options);
  }

  std::vector<std::string> Layers() {
    return {TarWriter(Compression::kGzip)
                .Dir("etc")
                .File("etc/os-release", "ID=alpine\n")
                .File("lib/x", "1")
                .Finish(),
            TarWriter(Compression::kZstd).File("lib/.wh.x", "").File("lib/y", "2").Finish()};
  }

  std::filesystem::path dir_;
};

TEST_F(OciLayoutTest, ReadsTheManifestConfigAndLayers) {
  auto layers = Layers();
  auto digests = testing::WriteOciLayout(dir_ / "layout", layers);
  auto image = Open(dir_ / "layout");
  ASSERT_TRUE(image.ok()) << image.status().message();
  const ImageInfo& info = (*image)->Info();
  EXPECT_EQ(info.source, "oci-dir");
  EXPECT_EQ(info.reference, (dir_ / "layout").string());
  EXPECT_EQ(info.id, "sha256:" + testing::FakeHex(testing::ConfigJson(2)));
  EXPECT_EQ(info.repo_tags, std::vector<std::string>{"oci-test:1"});
  ASSERT_EQ(info.layers.size(), 2u);
  EXPECT_EQ(info.layers[0].digest, digests[0]);
  EXPECT_EQ(info.layers[1].size, layers[1].size());
  EXPECT_EQ(info.layers[1].diff_id, "sha256:" + testing::FakeHex("diff1"));
  EXPECT_EQ(info.layers[1].created_by, "step 1");
  const FileView& files = (*image)->Files();
  EXPECT_EQ(files.Find("lib/x"), nullptr);
  EXPECT_EQ(files.Read(*files.Find("lib/y")).value(), "2");
  EXPECT_EQ(files.Find("lib/y")->layer, 1);
  EXPECT_EQ(files.Read(*files.Find("etc/os-release")).value(), "ID=alpine\n");
}

TEST_F(OciLayoutTest, NestedIndexPicksLinuxAmd64) {
  auto digests = testing::WriteOciLayout(dir_ / "layout", Layers());
  std::string amd64_manifest = digests.back();
  // Another image for arm64 (reusing a blob is fine: only the choice matters).
  std::string nested =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
      "{\"digest\":\"sha256:" +
      std::string(64, 'a') +
      "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
      "{\"digest\":\"" +
      amd64_manifest +
      "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
      "{\"digest\":\"sha256:" +
      std::string(64, 'b') + "\",\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}]}";
  std::string nested_hex = testing::FakeHex(nested);
  bulwark::testing::WriteFile(dir_ / "layout" / "blobs" / "sha256" / nested_hex, nested);
  bulwark::testing::WriteFile(
      dir_ / "layout" / "index.json",
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index."
      "v1+json\",\"digest\":\"sha256:" +
          nested_hex + "\"}]}");
  auto image = Open(dir_ / "layout");
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_NE((*image)->Files().Find("lib/y"), nullptr);
  ASSERT_FALSE((*image)->Notes().empty());
  EXPECT_NE((*image)->Notes()[0].find("linux/amd64"), std::string::npos) << (*image)->Notes()[0];
}

TEST_F(OciLayoutTest, WithoutLinuxAmd64AmongSeveralSaysWhatIsThere) {
  testing::WriteOciLayout(
      dir_ / "layout", Layers(),
      "{\"manifests\":[{\"digest\":\"sha256:" + std::string(64, 'a') +
          "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
          "{\"digest\":\"sha256:" +
          std::string(64, 'c') + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}}]}");
  auto image = Open(dir_ / "layout");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(image.status().message().find("linux/arm64/v8, linux/s390x"), std::string::npos)
      << image.status().message();
}

TEST_F(OciLayoutTest, MissingLayoutFileOrBlobIsAClearError) {
  auto digests = testing::WriteOciLayout(dir_ / "layout", Layers());
  fs::remove(dir_ / "layout" / "blobs" / "sha256" / digests[1].substr(7));
  auto missing_blob = Open(dir_ / "layout");
  ASSERT_FALSE(missing_blob.ok());
  EXPECT_EQ(missing_blob.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(missing_blob.status().message().find("layer 1"), std::string::npos)
      << missing_blob.status().message();

  fs::remove(dir_ / "layout" / "oci-layout");
  auto no_layout = Open(dir_ / "layout");
  ASSERT_FALSE(no_layout.ok());
  EXPECT_NE(no_layout.status().message().find("not an OCI image layout"), std::string::npos);
}

TEST_F(OciLayoutTest, BlobThatIsASymlinkIsNotFollowed) {
  auto digests = testing::WriteOciLayout(dir_ / "layout", Layers());
  fs::path blob = dir_ / "layout" / "blobs" / "sha256" / digests[0].substr(7);
  fs::rename(blob, dir_ / "outside.tar");
  fs::create_symlink(dir_ / "outside.tar", blob);
  auto image = Open(dir_ / "layout");
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("not followed"), std::string::npos) << image.status().message();
}

TEST_F(OciLayoutTest, TruncatedLayerBlobNamesTheLayer) {
  std::string big = TarWriter(Compression::kGzip).Filled("f", 1 << 20, 'z').Finish();
  auto digests = testing::WriteOciLayout(dir_ / "layout", {big});
  fs::resize_file(dir_ / "layout" / "blobs" / "sha256" / digests[0].substr(7), big.size() / 2);
  auto image = Open(dir_ / "layout");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kParseError);
  EXPECT_NE(image.status().message().find("layer 0 (blobs/sha256/"), std::string::npos)
      << image.status().message();
  for (const std::string& path : testing::ListTree(dir_)) {
    EXPECT_EQ(path.find("bulwark-image-"), std::string::npos) << "temp dir left behind: " << path;
  }
}

}  // namespace
}  // namespace bulwark::image
