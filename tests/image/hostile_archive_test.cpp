// Hostile and broken archives: traversal, absolute paths, links out of the
// root, oversized captures, a gzip bomb, truncation, too many entries,
// missing layers, junk. None may crash, write outside the temp directory or
// pass silently.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

using testing::ArchiveOptions;
using testing::Compression;
using testing::TarWriter;

class HostileArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir("bulwark-hostile");
    std::filesystem::create_directories(dir_ / "work" / "tmp");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The archive lives in dir_/work, captures go to dir_/work/tmp: anything
  // escaping would land in dir_ or dir_/work.
  std::string Write(const std::string& bytes) {
    auto path = dir_ / "work" / "image.tar";
    bulwark::testing::WriteFile(path, bytes);
    return path.string();
  }

  core::Result<std::unique_ptr<Image>> Open(const std::string& bytes, OpenOptions options = {}) {
    std::string path = Write(bytes);
    if (!options.wants) options.wants = [](const FileEntry&) { return true; };
    options.temp_parent = dir_ / "work" / "tmp";
    return OpenImage("docker-archive:" + path, options);
  }

  static bool NotesMention(const Image& image, const std::string& text) {
    for (const std::string& note : image.Notes()) {
      if (note.find(text) != std::string::npos) return true;
    }
    return false;
  }

  void ExpectNothingOutsideTheTempDir() {
    for (const std::string& path : testing::ListTree(dir_)) {
      bool expected = path == "work" || path == "work/image.tar" || path.rfind("work/tmp", 0) == 0;
      EXPECT_TRUE(expected) << "unexpected file " << path;
    }
  }

  std::filesystem::path dir_;
};

TEST_F(HostileArchiveTest, TraversalAndAbsolutePathsAreNormalisedIntoTheRootAndNoted) {
  OpenOptions options;
  options.limits.max_memory_capture_file = 0;  // every capture goes to disk
  auto image = Open(testing::DockerArchive({TarWriter()
                                                .File("../../../../escaped", "e")
                                                .File("/etc/absolute", "a")
                                                .File("usr/../../../lib/x", "x")
                                                .File("./ok/../fine", "f")
                                                .Finish()}),
                    options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_EQ(files.Read(*files.Find("escaped")).value(), "e");
  EXPECT_EQ(files.Read(*files.Find("etc/absolute")).value(), "a");
  EXPECT_EQ(files.Read(*files.Find("lib/x")).value(), "x");
  EXPECT_NE(files.Find("fine"), nullptr);
  EXPECT_TRUE(NotesMention(**image, "'../../../../escaped' leaves the root"));
  EXPECT_TRUE(NotesMention(**image, "'/etc/absolute'"));
  EXPECT_TRUE(NotesMention(**image, "'usr/../../../lib/x'"));
  EXPECT_FALSE(NotesMention(**image, "fine")) << "'..' that stays inside is not hostile";
  ExpectNothingOutsideTheTempDir();
  for (const std::string& path : testing::ListTree(dir_ / "work" / "tmp")) {
    EXPECT_EQ(path.find("escaped"), std::string::npos);
    EXPECT_EQ(path.find("etc"), std::string::npos);
  }
}

TEST_F(HostileArchiveTest, SymlinkOutOfTheRootResolvesInsideIt) {
  auto image = Open(testing::DockerArchive({TarWriter()
                                                .Dir("etc")
                                                .File("etc/passwd", "image-passwd")
                                                .Symlink("link", "../../../../../etc/passwd")
                                                .Symlink("abs", "/etc/passwd")
                                                .Finish()}));
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_EQ(files.Find("link")->link_target, "../../../../../etc/passwd") << "kept as data";
  for (const char* path : {"link", "abs"}) {
    const FileEntry* target = files.Resolve(path);
    ASSERT_NE(target, nullptr) << path;
    EXPECT_EQ(files.Read(*target).value(), "image-passwd") << path;
  }
  EXPECT_TRUE(NotesMention(**image, "points above the root"));
}

TEST_F(HostileArchiveTest, HardlinkOutOfTheRootIsNormalisedAndNeverReadsTheHost) {
  auto image = Open(testing::DockerArchive({TarWriter()
                                                .File("etc/hostname", "image-hostname")
                                                .Hardlink("inside", "../../../etc/hostname")
                                                .Hardlink("nowhere", "/../etc/shadow")
                                                .Finish()}));
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  const FileEntry* inside = files.Find("inside");
  ASSERT_NE(inside, nullptr);
  EXPECT_EQ(inside->link_target, "etc/hostname");
  EXPECT_EQ(files.Read(*inside).value(), "image-hostname");
  const FileEntry* nowhere = files.Find("nowhere");
  ASSERT_NE(nowhere, nullptr);
  EXPECT_EQ(nowhere->link_target, "etc/shadow");
  auto read = files.Read(*nowhere);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), core::ErrorCode::kNotFound);
  EXPECT_TRUE(NotesMention(**image, "hard link 'inside' -> '../../../etc/hostname' leaves the root"));
}

TEST_F(HostileArchiveTest, FileOverTheCaptureLimitIsNotedAndTheRestStillReads) {
  OpenOptions options;
  options.limits.max_capture_file = 1000;
  auto image = Open(
      testing::DockerArchive(
          {TarWriter().File("before", "b").File("huge", std::string(5000, 'h')).File("after", "a").Finish()}),
      options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_EQ(files.Find("huge")->size, 5000u);
  EXPECT_FALSE(files.Read(*files.Find("huge")).ok());
  EXPECT_EQ(files.Read(*files.Find("after")).value(), "a");
  EXPECT_TRUE(NotesMention(**image, "'huge': content not kept: 5000 bytes, over the capture limit of 1000"));
}

TEST_F(HostileArchiveTest, TotalCaptureLimitStopsCapturingWithANote) {
  OpenOptions options;
  options.limits.max_capture_total = 250;
  std::string hundred(100, 'x');
  auto image = Open(
      testing::DockerArchive(
          {TarWriter().File("a", hundred).File("b", hundred).File("c", hundred).File("d", "small").Finish()}),
      options);
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_TRUE(files.HasContent(*files.Find("b")));
  EXPECT_FALSE(files.HasContent(*files.Find("c")));
  EXPECT_TRUE(files.HasContent(*files.Find("d")));
  EXPECT_TRUE(NotesMention(**image, "'c': content not kept: the capture limit of 250 bytes"));
}

TEST_F(HostileArchiveTest, GzipBombLayerIsStoppedByMaxLayerBytes) {
  std::string bomb = TarWriter(Compression::kGzip).File("small", "s").Filled("bomb", 64ull << 20).Finish();
  ASSERT_LT(bomb.size(), 1u << 20) << "small compressed";
  OpenOptions options;
  options.limits.max_layer_bytes = 4 << 20;
  for (Compression outer : {Compression::kNone, Compression::kGzip}) {
    ArchiveOptions archive;
    archive.outer = outer;
    auto image = Open(testing::DockerArchive({bomb}, archive), options);
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.status().code(), core::ErrorCode::kTooLarge);
    EXPECT_NE(image.status().message().find("max_layer_bytes"), std::string::npos)
        << image.status().message();
    EXPECT_NE(image.status().message().find("'bomb'"), std::string::npos) << image.status().message();
    EXPECT_NE(image.status().message().find("layer"), std::string::npos) << image.status().message();
  }
  ExpectNothingOutsideTheTempDir();
  EXPECT_TRUE(testing::ListTree(dir_ / "work" / "tmp").empty()) << "temp dir removed on error";
}

TEST_F(HostileArchiveTest, TruncatedArchiveNamesTheArchiveAndTheLayer) {
  std::string layer = TarWriter().Filled("data", 200000, 'd').File("after", "a").Finish();
  for (bool oci : {false, true}) {
    ArchiveOptions options;
    options.manifest_first = true;
    options.oci_style = oci;
    std::string full = testing::DockerArchive({TarWriter().File("x", "1").Finish(), layer}, options);
    std::string path = Write(full.substr(0, full.size() - 150000));
    OpenOptions open;
    open.temp_parent = dir_ / "work" / "tmp";
    auto image = OpenImage("docker-archive:" + path, open);
    ASSERT_FALSE(image.ok());
    const std::string& message = image.status().message();
    EXPECT_EQ(image.status().code(), core::ErrorCode::kParseError) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    EXPECT_NE(message.find("layer"), std::string::npos) << message;
  }
}

TEST_F(HostileArchiveTest, TruncatedCompressedArchiveIsAnError) {
  ArchiveOptions options;
  options.outer = Compression::kZstd;
  std::string full = testing::DockerArchive({TarWriter().Filled("data", 300000, 'q').Finish()}, options);
  auto image = Open(full.substr(0, full.size() / 2));
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("image.tar"), std::string::npos) << image.status().message();
}

TEST_F(HostileArchiveTest, TooManyEntriesIsAnError) {
  TarWriter layer;
  for (int i = 0; i < 50; ++i) layer.File("f" + std::to_string(i), "");
  OpenOptions options;
  options.limits.max_entries = 30;
  auto image = Open(testing::DockerArchive({layer.Finish()}), options);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_NE(image.status().message().find("max_entries"), std::string::npos);
}

TEST_F(HostileArchiveTest, LayerNamedByTheManifestButMissingIsAnError) {
  std::string config = testing::ConfigJson(2);
  std::string config_name = testing::FakeHex(config) + ".json";
  std::string archive =
      TarWriter()
          .File(config_name, config)
          .File("one/layer.tar", TarWriter().File("f", "1").Finish())
          .File("manifest.json",
                "[{\"Config\":\"" + config_name + "\",\"Layers\":[\"one/layer.tar\",\"two/layer.tar\"]}]")
          .Finish();
  auto image = Open(archive);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(image.status().message().find("layer 1 (two/layer.tar)"), std::string::npos)
      << image.status().message();
}

TEST_F(HostileArchiveTest, JunkEmptyAndBrokenManifestsAreErrors) {
  auto junk = Open(std::string("this is not a tar archive at all, just words and more words"));
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().code(), core::ErrorCode::kParseError);
  EXPECT_NE(junk.status().message().find("not a readable tar archive"), std::string::npos)
      << junk.status().message();

  auto empty = Open(TarWriter().Finish());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no manifest.json or index.json"), std::string::npos);

  auto bad_json = Open(TarWriter().File("manifest.json", "[{\"Config\": ").Finish());
  ASSERT_FALSE(bad_json.ok());
  EXPECT_NE(bad_json.status().message().find("manifest.json: not valid JSON"), std::string::npos);

  auto wrong_types = Open(TarWriter().File("manifest.json", "[{\"Config\": 3, \"Layers\": \"x\"}]").Finish());
  ASSERT_FALSE(wrong_types.ok());
  EXPECT_EQ(wrong_types.status().code(), core::ErrorCode::kParseError);
}

TEST_F(HostileArchiveTest, LayerThatIsNotATarNamesTheLayer) {
  std::string config = testing::ConfigJson(1);
  std::string config_name = testing::FakeHex(config) + ".json";
  std::string archive =
      TarWriter()
          .File(config_name, config)
          .File("bad/layer.tar", std::string(3000, '\x07'))
          .File("manifest.json", "[{\"Config\":\"" + config_name + "\",\"Layers\":[\"bad/layer.tar\"]}]")
          .Finish();
  auto image = Open(archive);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("layer 0 (bad/layer.tar)"), std::string::npos)
      << image.status().message();
}

TEST_F(HostileArchiveTest, OciIndexWithAPathInsteadOfADigestIsRejected) {
  std::string index = "{\"manifests\":[{\"digest\":\"sha256:../../../../etc/passwd\"}]}";
  auto image = Open(TarWriter().File("index.json", index).Finish());
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("bad manifest digest"), std::string::npos)
      << image.status().message();
}

TEST_F(HostileArchiveTest, WhiteoutsNamingDotOrDotDotRemoveNothing) {
  auto image =
      Open(testing::DockerArchive({TarWriter().File("dir/keep", "k").File("top", "t").Finish(),
                                   TarWriter().File("dir/.wh..", "").File("dir/.wh...", "").Finish()}));
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_NE((*image)->Files().Find("dir/keep"), nullptr);
  EXPECT_NE((*image)->Files().Find("top"), nullptr);
  EXPECT_TRUE(NotesMention(**image, "names no entry"));
}

TEST_F(HostileArchiveTest, ManyJsonDocumentsHitATotalBudget) {
  TarWriter archive(Compression::kGzip);  // compressed: read without a pre-pass, every *.json kept
  for (int i = 0; i < 20; ++i)
    archive.File("junk" + std::to_string(i) + ".json", "{" + std::string(800, ' ') + "}");
  archive.File("manifest.json", "[" + std::string(900, ' ') + "]");
  OpenOptions options;
  options.limits.max_json_bytes = 1000;
  auto image = Open(archive.Finish(), options);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_NE(image.status().message().find("in all"), std::string::npos) << image.status().message();
}

TEST_F(HostileArchiveTest, NotesAreBoundedOnAnArchiveFullOfBadEntries) {
  TarWriter layer;
  for (int i = 0; i < 1000; ++i) layer.File("../bad" + std::to_string(i), "");
  auto image = Open(testing::DockerArchive({layer.Finish()}));
  ASSERT_TRUE(image.ok()) << image.status().message();
  EXPECT_LE((*image)->Notes().size(), 201u);
  EXPECT_NE((*image)->Notes().back().find("more notes left out"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::image
