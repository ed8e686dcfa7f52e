#include "core/suppression.hpp"

#include <gtest/gtest.h>

namespace bulwark::core {
namespace {

Finding At(const std::string& id, const std::string& path, int line) {
  Finding f;
  f.id = id;
  f.location = Location{path, line, 1};
  return f;
}

}  // namespace

TEST(Glob, UnanchoredMatchesAnySegment) {
  EXPECT_TRUE(GlobMatch("node_modules", "a/node_modules/x/package.json"));
  EXPECT_TRUE(GlobMatch("*.py", "src/app.py"));
  EXPECT_FALSE(GlobMatch("*.py", "src/app.pyc"));
}

TEST(Glob, AnchoredAndDoubleStar) {
  EXPECT_TRUE(GlobMatch("lab/**/Dockerfile", "lab/a/b/Dockerfile"));
  EXPECT_TRUE(GlobMatch("lab/**/Dockerfile", "lab/Dockerfile"));
  EXPECT_FALSE(GlobMatch("/lab/*.yml", "other/lab/x.yml"));
  EXPECT_TRUE(GlobMatch("tests/", "tests/fixtures/a.py"));
  EXPECT_TRUE(GlobMatch("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(GlobMatch("file[!0-9].txt", "file7.txt"));
  EXPECT_TRUE(GlobMatch("f?le", "file"));
}

TEST(IgnoreFile, ParsesIdsPathsAndReasons) {
  IgnoreFile file = IgnoreFile::Parse(
      "# comment line\n"
      "BW-DF-001\n"
      "lab/*.py:BW-PY-003  # accepted: lab is deliberately vulnerable\n"
      "\n"
      "CVE-2024-0001\n");
  ASSERT_EQ(file.rules().size(), 3u);
  EXPECT_EQ(file.rules()[1].path_glob, "lab/*.py");
  EXPECT_EQ(file.rules()[1].reason, "accepted: lab is deliberately vulnerable");
  EXPECT_EQ(file.rules()[1].line, 3);
  EXPECT_TRUE(file.Matches(At("BW-DF-001", "any/Dockerfile", 3)));
  EXPECT_TRUE(file.Matches(At("BW-PY-003", "lab/app.py", 3)));
  EXPECT_FALSE(file.Matches(At("BW-PY-003", "src/app.py", 3)));
  EXPECT_FALSE(file.Matches(At("BW-PY-004", "lab/app.py", 3)));
}

TEST(InlineIgnores, CoverOwnLineAndTheNext) {
  InlineIgnores ignores = InlineIgnores::Scan(
      "FROM python:3.12\n"
      "# bulwark:ignore BW-DF-010,BW-DF-011 we need curl here\n"
      "RUN curl x | sh\n"
      "USER root  # bulwark:ignore BW-DF-001 build step\n"
      "RUN true\n");
  EXPECT_TRUE(ignores.Matches(At("BW-DF-010", "Dockerfile", 3)));
  EXPECT_TRUE(ignores.Matches(At("BW-DF-011", "Dockerfile", 2)));
  EXPECT_FALSE(ignores.Matches(At("BW-DF-010", "Dockerfile", 4)));
  EXPECT_TRUE(ignores.Matches(At("BW-DF-001", "Dockerfile", 4)));
  EXPECT_FALSE(ignores.Matches(At("BW-DF-002", "Dockerfile", 4)));
  EXPECT_FALSE(ignores.Matches(At("BW-DF-010", "Dockerfile", 1)));
}

TEST(InlineIgnores, WildcardAndEmptyFile) {
  EXPECT_TRUE(InlineIgnores::Scan("x = 1  # bulwark:ignore *\n").Matches(At("ANY", "a.py", 1)));
  EXPECT_TRUE(InlineIgnores::Scan("").empty());
}

}  // namespace bulwark::core

namespace bulwark::core {

// `bulwark report` lists suppressed findings as accepted risk with the
// user's reason, so the matching rule and the inline reason must come back.
TEST(IgnoreFile, MatchReturnsTheRuleWithItsReason) {
  IgnoreFile file = IgnoreFile::Parse("BW-DF-001\nDockerfile:BW-DF-004  # base image pinned by CI\n");
  const IgnoreRule* rule = file.Match(At("BW-DF-004", "Dockerfile", 3));
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->reason, "base image pinned by CI");
  EXPECT_EQ(rule->line, 2);
  EXPECT_EQ(file.Match(At("BW-DF-004", "other/Containerfile", 3)), nullptr);
  ASSERT_NE(file.Match(At("BW-DF-001", "x", 1)), nullptr);
  EXPECT_EQ(file.Match(At("BW-DF-001", "x", 1))->reason, "");
}

TEST(InlineIgnores, MatchReturnsTheReasonAfterTheIds) {
  InlineIgnores ignores = InlineIgnores::Scan(
      "a = 1\nx = eval(y)  # bulwark:ignore BW-PY-002,BW-PY-003 input is a constant from our config\n"
      "# bulwark:ignore BW-PY-009\nrun()\n");
  auto reason = ignores.Match(At("BW-PY-003", "app.py", 2));
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(*reason, "input is a constant from our config");
  auto bare = ignores.Match(At("BW-PY-009", "app.py", 4));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(*bare, "");
  EXPECT_FALSE(ignores.Match(At("BW-PY-001", "app.py", 2)).has_value());
}

}  // namespace bulwark::core
