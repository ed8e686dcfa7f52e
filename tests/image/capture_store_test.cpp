// CaptureStore: memory below the limit, files in a private 0700 directory
// above it, limits, release, and removal of the directory.
#include "image/capture_store.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

namespace fs = std::filesystem;

// Reads a tar from memory entry by entry and captures each.
class TarEntries {
 public:
  explicit TarEntries(const std::string& tar) : tar_(tar), a_(archive_read_new()) {
    archive_read_support_format_tar(a_);
    archive_read_open_memory(a_, tar_.data(), tar_.size());
  }
  ~TarEntries() { archive_read_free(a_); }
  core::Result<CaptureId> CaptureNext(CaptureStore& store) {
    archive_entry* e = nullptr;
    EXPECT_EQ(archive_read_next_header(a_, &e), ARCHIVE_OK);
    return store.CaptureEntry(a_, static_cast<uint64_t>(archive_entry_size(e)));
  }

 private:
  std::string tar_;
  archive* a_;
};

class CaptureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = bulwark::testing::MakeTempDir("bulwark-capture"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CaptureStoreTest, SmallInMemoryLargeInAPrivateDirectory) {
  ImageLimits limits;
  limits.max_memory_capture_file = 16;
  auto store = std::make_unique<CaptureStore>(dir_, limits);
  std::string large(100, 'L');
  TarEntries tar(testing::TarWriter().File("small", "tiny").File("large", large).File("empty", "").Finish());
  auto small = tar.CaptureNext(*store);
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(store->dir().empty()) << "no directory until a capture needs one";
  auto big = tar.CaptureNext(*store);
  ASSERT_TRUE(big.ok()) << big.status().message();
  auto empty = tar.CaptureNext(*store);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(store->Read(*small, 100).value(), "tiny");
  EXPECT_EQ(store->Read(*big, 100).value(), large);
  EXPECT_EQ(store->Read(*empty, 100).value(), "");
  EXPECT_EQ(store->Read(*big, 99).status().code(), core::ErrorCode::kTooLarge);
  EXPECT_EQ(store->total_bytes(), 104u);

  fs::path temp = store->dir();
  ASSERT_FALSE(temp.empty());
  EXPECT_EQ(temp.parent_path(), dir_);
  struct stat st {};
  ASSERT_EQ(lstat(temp.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(testing::ListTree(temp), std::vector<std::string>{"c1"});

  store->Release(*big);
  EXPECT_TRUE(testing::ListTree(temp).empty());
  EXPECT_EQ(store->Read(*big, 100).status().code(), core::ErrorCode::kInternal);
  EXPECT_EQ(store->total_bytes(), 4u);
  store.reset();
  EXPECT_FALSE(fs::exists(temp));
}

TEST_F(CaptureStoreTest, LimitsPerFileAndInTotal) {
  ImageLimits limits;
  limits.max_capture_file = 50;
  limits.max_capture_total = 60;
  CaptureStore store(dir_, limits);
  TarEntries tar(testing::TarWriter()
                     .File("over", std::string(51, 'o'))
                     .File("forty", std::string(40, 'f'))
                     .File("thirty", std::string(30, 't'))
                     .File("twenty", std::string(20, 'w'))
                     .Finish());
  auto over = tar.CaptureNext(store);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_TRUE(tar.CaptureNext(store).ok());
  auto thirty = tar.CaptureNext(store);
  ASSERT_FALSE(thirty.ok());
  EXPECT_NE(thirty.status().message().find("60 bytes for all files"), std::string::npos);
  EXPECT_TRUE(tar.CaptureNext(store).ok()) << "smaller ones still fit";
}

TEST_F(CaptureStoreTest, TruncatedDataIsAParseErrorAndLeavesNoFile) {
  ImageLimits limits;
  limits.max_memory_capture_file = 0;
  CaptureStore store(dir_, limits);
  std::string tar = testing::TarWriter().File("cut", std::string(5000, 'c')).Finish();
  TarEntries entries(tar.substr(0, 2048));
  auto result = entries.CaptureNext(store);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::ErrorCode::kParseError);
  EXPECT_TRUE(testing::ListTree(store.dir()).empty());
}

}  // namespace
}  // namespace bulwark::image
