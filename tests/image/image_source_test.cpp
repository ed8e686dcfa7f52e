// OpenImage: the IMAGE argument's prefixes and their errors. (Speed is
// measured by bench/run-sbom-vs-trivy.sh, not here.)
#include "image/image_source.hpp"

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

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

// Root reads any socket, so as root the open runs in a child that has
// dropped to nobody (uid/gid 65534) first.
TEST(ImageSource, DaemonSocketWithoutPermissionIsPermissionDenied) {
  auto temp = bulwark::testing::MakeTempDir("bulwark-sock");
  std::filesystem::permissions(temp, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec |
                                         std::filesystem::perms::group_exec);
  bulwark::testing::WriteFile(temp / "docker.sock", "");
  std::filesystem::permissions(temp / "docker.sock", std::filesystem::perms::none);
  auto open_as_caller = [&]() -> int {
    OpenOptions options;
    options.docker_socket = (temp / "docker.sock").string();
    auto result = OpenImage("alpine", options);
    if (result.ok()) return 10;
    return result.status().code() == core::ErrorCode::kPermissionDenied ? 0 : 11;
  };
  int outcome = 0;
  if (geteuid() != 0) {
    outcome = open_as_caller();
  } else {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(12);
      _exit(open_as_caller());
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    outcome = WEXITSTATUS(status);
  }
  EXPECT_EQ(outcome, 0) << "10: opened, 11: another error than permission denied, 12: could not drop to nobody";
  std::filesystem::remove_all(temp);
}


}  // namespace
}  // namespace bulwark::image
