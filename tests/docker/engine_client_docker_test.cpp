// Against the real Docker engine that `make test` starts, with the lab's base
// images that `make test-deps` imports (scripts/build-base-images.sh).
#include <gtest/gtest.h>

#include <algorithm>

#include "docker/engine_client.hpp"

namespace bulwark::docker {
namespace {

constexpr const char* kLabImage = "bulwark-lab/python-flask:bookworm";

class EngineClientDocker : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Status ping = client_.Ping();
    if (!ping.ok()) GTEST_SKIP() << "NO DOCKER DAEMON, test not run: " << ping.message();
  }
  EngineClient client_;
};

TEST_F(EngineClientDocker, InspectsALocalImage) {
  auto image = client_.InspectImage(kLabImage);
  ASSERT_TRUE(image.ok()) << image.status().message()
                          << " (make test-deps imports it with scripts/build-base-images.sh)";
  EXPECT_EQ(image->id.rfind("sha256:", 0), 0u) << image->id;
  EXPECT_NE(std::find(image->repo_tags.begin(), image->repo_tags.end(), kLabImage), image->repo_tags.end());
  EXPECT_EQ(image->os, "linux");
  // Imported locally: no registry digest to pin to.
  EXPECT_EQ(RepoDigestFor(*image, kLabImage), std::nullopt);
}

TEST_F(EngineClientDocker, UnknownImageIsNotFound) {
  auto image = client_.InspectImage("bulwark-test/no-such-image:never");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(image.status().message().find("no-such-image"), std::string::npos);
}

TEST_F(EngineClientDocker, HostileReferenceStaysInsideOnePathSegment) {
  auto image = client_.InspectImage("../../containers/json?all=1#");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(client_.InspectImage("a/../../containers/json").ok());
}

}  // namespace
}  // namespace bulwark::docker
