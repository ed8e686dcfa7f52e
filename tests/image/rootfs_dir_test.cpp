// dir: a root filesystem on disk: walked without following links, read
// lazily and never through a link, nothing outside the root is touched.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::WriteFile;

class RootfsDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir("bulwark-rootfs");
    root_ = dir_ / "root";
    fs::create_directories(root_ / "etc");
    fs::create_directories(root_ / "usr" / "lib" / "python3" / "site-packages" / "flask-2.2.2.dist-info");
    WriteFile(root_ / "etc" / "os-release", "ID=debian\n");
    WriteFile(root_ / "usr" / "lib" / "python3" / "site-packages" / "flask-2.2.2.dist-info" / "METADATA",
              "Name: Flask\n");
    WriteFile(dir_ / "secret", "host secret");
    fs::create_directories(dir_ / "outside-dir");
    WriteFile(dir_ / "outside-dir" / "file", "outside");
  }
  void TearDown() override { fs::remove_all(dir_); }

  core::Result<std::unique_ptr<Image>> Open(OpenOptions options = {}) {
    return OpenImage("dir:" + root_.string(), options);
  }

  fs::path dir_;
  fs::path root_;
};

TEST_F(RootfsDirTest, WalksEntriesAndReadsContentLazily) {
  chmod((root_ / "etc" / "os-release").c_str(), 0640);
  fs::create_symlink("../usr/lib", root_ / "etc" / "lib");
  auto image = Open();
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_EQ((*image)->Info().source, "dir");
  const FileEntry* os = files.Find("etc/os-release");
  ASSERT_NE(os, nullptr);
  EXPECT_EQ(os->type, FileType::kRegular);
  EXPECT_EQ(os->mode, 0640u);
  EXPECT_EQ(os->size, 10u);
  EXPECT_EQ(os->layer, -1);
  EXPECT_EQ(files.Read(*os).value(), "ID=debian\n");
  EXPECT_EQ(files.Find("usr/lib/python3")->type, FileType::kDirectory);
  const FileEntry* link = files.Find("etc/lib");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, FileType::kSymlink);
  EXPECT_EQ(link->link_target, "../usr/lib");
  const FileEntry* through = files.Resolve("etc/lib/python3/site-packages/flask-2.2.2.dist-info/METADATA");
  ASSERT_NE(through, nullptr);
  EXPECT_EQ(files.Read(*through).value(), "Name: Flask\n");
  EXPECT_TRUE((*image)->Notes().empty());
}

TEST_F(RootfsDirTest, LinksLeavingTheRootAreNeitherWalkedNorRead) {
  fs::create_symlink(dir_ / "outside-dir", root_ / "escape-dir");
  fs::create_symlink("../../secret", root_ / "etc" / "passwd");
  auto image = Open();
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  EXPECT_EQ(files.Find("escape-dir/file"), nullptr) << "a linked directory is not walked";
  EXPECT_EQ(files.Find("escape-dir")->type, FileType::kSymlink);
  EXPECT_EQ(files.Resolve("etc/passwd"), nullptr) << "resolves inside the root, where there is no 'secret'";
  EXPECT_FALSE(files.Read(*files.Find("etc/passwd")).ok());
}

TEST_F(RootfsDirTest, AFileSwappedForALinkAfterTheWalkIsNotFollowed) {
  auto image = Open();
  ASSERT_TRUE(image.ok()) << image.status().message();
  fs::remove(root_ / "etc" / "os-release");
  fs::create_symlink(dir_ / "secret", root_ / "etc" / "os-release");
  const FileView& files = (*image)->Files();
  auto read = files.Read(*files.Find("etc/os-release"));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("not followed"), std::string::npos) << read.status().message();
  // The same for a directory on the way.
  fs::rename(root_ / "usr", dir_ / "usr-moved");
  fs::create_symlink(dir_ / "usr-moved", root_ / "usr");
  auto through = files.Read(*files.Find("usr/lib/python3/site-packages/flask-2.2.2.dist-info/METADATA"));
  EXPECT_FALSE(through.ok());
}

TEST_F(RootfsDirTest, ReadsAreBoundedAndSpecialFilesAreOther) {
  WriteFile(root_ / "big", std::string(5000, 'b'));
  ASSERT_EQ(mkfifo((root_ / "fifo").c_str(), 0644), 0);
  auto image = Open();
  ASSERT_TRUE(image.ok()) << image.status().message();
  const FileView& files = (*image)->Files();
  auto read = files.Read(*files.Find("big"), 100);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_EQ(files.Find("fifo")->type, FileType::kOther);
  EXPECT_FALSE(files.HasContent(*files.Find("fifo")));
}

TEST_F(RootfsDirTest, TooManyEntriesIsAnError) {
  for (int i = 0; i < 20; ++i) WriteFile(root_ / ("f" + std::to_string(i)), "");
  OpenOptions options;
  options.limits.max_entries = 10;
  auto image = Open(options);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kTooLarge);
}

TEST_F(RootfsDirTest, ReaderKeptPastTheImageFailsCleanly) {
  auto image = Open();
  ASSERT_TRUE(image.ok()) << image.status().message();
  FileView kept = (*image)->Files();
  image->reset();
  auto read = kept.Read(*kept.Find("etc/os-release"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace bulwark::image
