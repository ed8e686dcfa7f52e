#include "docker/engine_client.hpp"

#include <gtest/gtest.h>

namespace bulwark::docker {
namespace {

TEST(RepoDigestFor, PicksTheDigestOfTheSameRepository) {
  ImageInfo image;
  image.repo_digests = {"example.org/other@sha256:aaa", "python@sha256:bbb"};
  EXPECT_EQ(RepoDigestFor(image, "python:3.12-slim"), "sha256:bbb");
  EXPECT_EQ(RepoDigestFor(image, "docker.io/library/python:3.12"), "sha256:bbb");
  EXPECT_EQ(RepoDigestFor(image, "example.org/other:1"), "sha256:aaa");
  EXPECT_EQ(RepoDigestFor(image, "example.org:5000/other:1"), std::nullopt);
}

TEST(RepoDigestFor, LocallyBuiltImagesHaveNone) {
  ImageInfo image;
  image.repo_tags = {"bulwark-lab/python-flask:bookworm"};
  EXPECT_EQ(RepoDigestFor(image, "bulwark-lab/python-flask:bookworm"), std::nullopt);
}

TEST(EscapePathSegment, KeepsReferenceCharactersAndEscapesTheRest) {
  EXPECT_EQ(EscapePathSegment("bulwark-lab/python:3.12@sha256:ab"), "bulwark-lab/python:3.12%40sha256:ab");
  EXPECT_EQ(EscapePathSegment("a b?c#d"), "a%20b%3Fc%23d");
}

TEST(EngineClient, UnreachableSocketNamesItAndSaysWhatToDo) {
  EngineClient client("/nonexistent/docker.sock");
  core::Status status = client.Ping();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(status.message().find("unix:///nonexistent/docker.sock"), std::string::npos);
  EXPECT_NE(status.message().find("dockerd running"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::docker
