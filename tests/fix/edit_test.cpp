#include "fix/edit.hpp"

#include <gtest/gtest.h>

namespace bulwark::fix {
namespace {

TEST(ApplyEdits, AppliesReplacementsAndInsertionsAgainstOriginalOffsets) {
  std::string text = "FROM a\nADD x /x\nCMD y\n";
  std::vector<TextEdit> edits = {
      {16, 16, "USER 1\n", "BW-DF-001"},  // before "CMD"
      {7, 10, "COPY", "BW-DF-022"},       // "ADD" -> "COPY"
  };
  auto out = ApplyEdits(text, edits);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, "FROM a\nCOPY x /x\nUSER 1\nCMD y\n");
}

TEST(ApplyEdits, InsertionsAtOneOffsetKeepTheirOrder) {
  auto out = ApplyEdits("ab", {{1, 1, "1", "A"}, {1, 1, "2", "B"}, {1, 1, "3", "C"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a123b");
}

TEST(ApplyEdits, OverlapIsAnErrorNamingBothChecks) {
  auto out = ApplyEdits("abcdef", {{0, 3, "x", "BW-ONE"}, {2, 4, "y", "BW-TWO"}});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("BW-ONE"), std::string::npos);
  EXPECT_NE(out.status().message().find("BW-TWO"), std::string::npos);
}

TEST(ApplyEdits, PastTheEndIsAnError) {
  EXPECT_FALSE(ApplyEdits("abc", {{2, 9, "x", "BW"}}).ok());
  EXPECT_FALSE(ApplyEdits("abc", {{3, 2, "x", "BW"}}).ok());
  EXPECT_TRUE(ApplyEdits("abc", {{3, 3, "x", "BW"}}).ok());
}

TEST(LineEnding, MajorityWins) {
  EXPECT_EQ(DetectLineEnding("a\r\nb\r\nc\n"), "\r\n");
  EXPECT_EQ(DetectLineEnding("a\nb\r\nc\n"), "\n");
  EXPECT_EQ(DetectLineEnding(""), "\n");
  EXPECT_TRUE(EndsWithNewline(""));
  EXPECT_TRUE(EndsWithNewline("a\r\n"));
  EXPECT_FALSE(EndsWithNewline("a"));
}

TEST(LineOffsets, CountBytesAndStopAtTheEnd) {
  std::string text = "ab\r\ncd\nef";
  EXPECT_EQ(LineStartOffset(text, 1), 0u);
  EXPECT_EQ(LineStartOffset(text, 2), 4u);
  EXPECT_EQ(LineStartOffset(text, 3), 7u);
  EXPECT_EQ(LineStartOffset(text, 9), text.size());
  EXPECT_EQ(LineEndOffset(text, 1), 2u);  // before the CR
  EXPECT_EQ(LineEndOffset(text, 3), text.size());
  EXPECT_EQ(NextLineOffset(text, 1), 4u);
  EXPECT_EQ(NextLineOffset(text, 3), text.size());
  EXPECT_EQ(OffsetOf(text, 2, 2), 5u);
  EXPECT_EQ(OffsetOf(text, 2, 99), 6u);  // clamped to the line's end
}

TEST(InsertLinesAfter, AddsTheMissingLineBreakAtTheEnd) {
  std::string text = "a\nb";
  TextEdit edit = InsertLinesAfter(text, 2, {"c", "d"}, "\n", "BW");
  auto out = ApplyEdits(text, {edit});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a\nb\nc\nd\n");
}

TEST(InsertLinesAfter, KeepsCrlfAndCanInsertFirst) {
  std::string text = "a\r\nb\r\n";
  auto out = ApplyEdits(text, {InsertLinesAfter(text, 1, {"x"}, "\r\n", "BW"),
                               InsertLinesAfter(text, 0, {"top"}, "\r\n", "BW")});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "top\r\na\r\nx\r\nb\r\n");
}

}  // namespace
}  // namespace bulwark::fix
