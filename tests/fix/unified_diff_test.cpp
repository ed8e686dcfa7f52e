#include "fix/unified_diff.hpp"

#include <gtest/gtest.h>

#include <random>

#include "test_support.hpp"

namespace bulwark::fix {
namespace {

using bulwark::testing::MakeTempDir;
using bulwark::testing::ReadFile;
using bulwark::testing::RunCommand;
using bulwark::testing::WriteFile;

const DiffLabels kLabels{"a/f", "b/f"};

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", kLabels), ""); }

TEST(UnifiedDiff, OneInsertionWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  std::string after = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n";
  EXPECT_EQ(UnifiedDiff(before, after, kLabels),
            "--- a/f\n+++ b/f\n"
            "@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n");
}

TEST(UnifiedDiff, DistantChangesMakeSeparateHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string diff = UnifiedDiff(before, after, kLabels);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -15,6 +15,6 @@\n"), std::string::npos) << diff;
}

TEST(UnifiedDiff, MarksAMissingNewlineAtTheEnd) {
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\nc\n", kLabels),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
}

TEST(UnifiedDiff, NewFileFromEmpty) {
  EXPECT_EQ(UnifiedDiff("", "x\ny\n", {"/dev/null", "b/f"}), "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
}

// The diff must be what GNU patch applies: random edits of random files,
// including CRLF lines and files without a final newline.
TEST(UnifiedDiff, GnuPatchReproducesTheNewTextOnRandomEdits) {
  std::mt19937 rng(20261123);
  const std::vector<std::string> words = {"alpha", "beta", "gamma", "# comment", "  indented: 1", "", "x\r"};
  auto random_text = [&](int lines) {
    std::string text;
    for (int i = 0; i < lines; ++i) text += words[rng() % words.size()] + "\n";
    if (rng() % 4 == 0 && !text.empty()) text.pop_back();
    return text;
  };
  std::filesystem::path dir = MakeTempDir("bulwark-diff");
  for (int round = 0; round < 60; ++round) {
    std::string before = random_text(static_cast<int>(rng() % 30));
    std::string after = before;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = after.empty() ? 0 : rng() % after.size();
      at = after.find('\n', at);
      at = at == std::string::npos ? after.size() : at + 1;
      if (rng() % 2 == 0) {
        after.insert(at, words[rng() % words.size()] + "\n");
      } else if (at < after.size()) {
        size_t end = after.find('\n', at);
        after.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
      }
    }
    if (rng() % 5 == 0 && !after.empty() && after.back() == '\n') after.pop_back();
    std::string diff = UnifiedDiff(before, after, kLabels);
    if (before == after) {
      EXPECT_TRUE(diff.empty());
      continue;
    }
    WriteFile(dir / "f", before);
    WriteFile(dir / "p.diff", diff);
    auto result = RunCommand({"/usr/bin/patch", "--quiet", "--batch", "-p1", "-i", (dir / "p.diff").string()}, dir);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err << "\n" << diff;
    ASSERT_EQ(ReadFile(dir / "f"), after) << "round " << round << "\n" << diff;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::fix
