// OpenImage: the IMAGE argument's prefixes and their errors, plus an
// optional timing print for a real docker save file (not an assertion).
#include "image/image_source.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

TEST(ImageSource, EmptySpecAndEmptyReferenceAreRejected) {
  OpenOptions options;
  auto empty = OpenImage("", options);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), core::ErrorCode::kInvalidArgument);
  for (const char* spec : {"docker-archive:", "oci-dir:", "dir:"}) {
    auto result = OpenImage(spec, options);
    ASSERT_FALSE(result.ok()) << spec;
    EXPECT_EQ(result.status().code(), core::ErrorCode::kInvalidArgument) << spec;
    EXPECT_NE(result.status().message().find("after the colon"), std::string::npos);
  }
}

TEST(ImageSource, UnsupportedSourcesSaySoInsteadOfAskingTheDaemon) {
  OpenOptions options;
  auto result = OpenImage("registry:docker.io/library/alpine", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("not supported"), std::string::npos);
}

TEST(ImageSource, MissingArchiveAndDirectoriesNameTheInput) {
  OpenOptions options;
  auto archive = OpenImage("docker-archive:/nonexistent/x.tar", options);
  ASSERT_FALSE(archive.ok());
  EXPECT_EQ(archive.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(archive.status().message().find("/nonexistent/x.tar"), std::string::npos);
  auto oci = OpenImage("oci-dir:/nonexistent/layout", options);
  ASSERT_FALSE(oci.ok());
  EXPECT_EQ(oci.status().code(), core::ErrorCode::kNotFound);
  auto dir = OpenImage("dir:/nonexistent/rootfs", options);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), core::ErrorCode::kNotFound);
}

TEST(ImageSource, ArchiveGivenAsDirectoryAndDirectoryGivenAsFileSayWhatToUse) {
  auto temp = bulwark::testing::MakeTempDir("bulwark-src");
  bulwark::testing::WriteFile(temp / "file.tar", "x");
  OpenOptions options;
  auto archive = OpenImage("docker-archive:" + temp.string(), options);
  ASSERT_FALSE(archive.ok());
  EXPECT_NE(archive.status().message().find("oci-dir:"), std::string::npos);
  auto dir = OpenImage("dir:" + (temp / "file.tar").string(), options);
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.status().message().find("docker-archive:"), std::string::npos);
  auto oci = OpenImage("oci-dir:" + temp.string(), options);
  ASSERT_FALSE(oci.ok());
  EXPECT_NE(oci.status().message().find("oci-layout"), std::string::npos);
  std::filesystem::remove_all(temp);
}

TEST(ImageSource, DaemonNameWithoutASocketIsUnavailable) {
  OpenOptions options;
  options.docker_socket = "/nonexistent/docker.sock";
  for (const char* spec : {"python:3.12", "docker:python:3.12"}) {
    auto result = OpenImage(spec, options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), core::ErrorCode::kUnavailable);
    EXPECT_NE(result.status().message().find("/nonexistent/docker.sock"), std::string::npos);
    EXPECT_NE(result.status().message().find("docker-archive:"), std::string::npos);
  }
}

TEST(ImageSource, DaemonSocketWithoutPermissionIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any socket; permission errors cannot be shown";
  auto temp = bulwark::testing::MakeTempDir("bulwark-sock");
  bulwark::testing::WriteFile(temp / "docker.sock", "");
  std::filesystem::permissions(temp / "docker.sock", std::filesystem::perms::none);
  OpenOptions options;
  options.docker_socket = (temp / "docker.sock").string();
  auto result = OpenImage("alpine", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::ErrorCode::kPermissionDenied);
  std::filesystem::remove_all(temp);
}

// Timing print for a real docker save file: BULWARK_IMAGE_TIMING_TAR, or
// /tmp/lab.tar (`docker save bulwark-lab/python-flask:bookworm -o /tmp/lab.tar`).
TEST(ImageSourceTiming, DockerArchiveWithCatalogerLikeWants) {
  const char* env = std::getenv("BULWARK_IMAGE_TIMING_TAR");
  std::string path = env != nullptr ? env : "/tmp/lab.tar";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path << " to time";
  OpenOptions options;
  options.wants = [](const FileEntry& entry) {
    const std::string& p = entry.path;
    return p == "var/lib/dpkg/status" || (p.size() >= 9 && p.compare(p.size() - 9, 9, "/METADATA") == 0);
  };
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    auto image = OpenImage("docker-archive:" + path, options);
    double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(image.ok()) << image.status().message();
    size_t captured = 0;
    for (const FileEntry& entry : (*image)->Files().Entries())
      captured += (*image)->Files().HasContent(entry);
    std::cout << "[ timing ] OpenImage(docker-archive:" << path << "): " << ms << " ms wall, " << cpu_ms
              << " ms CPU, " << (*image)->Files().Entries().size() << " entries, " << captured
              << " captured, " << (*image)->Info().layers.size() << " layers\n";
  }
}

}  // namespace
}  // namespace bulwark::image
