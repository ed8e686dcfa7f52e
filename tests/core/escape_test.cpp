#include "core/escape.hpp"

#include <gtest/gtest.h>

namespace bulwark::core {

TEST(Escape, TerminalNeutralisesEscapeSequences) {
  EXPECT_EQ(EscapeTerminal("a\x1b[31mred\x07"), "a\\x1B[31mred\\x07");
  EXPECT_EQ(EscapeTerminal("line\r\nnext"), "line\\x0D\\x0Anext");
}

TEST(Escape, InvalidUtf8IsReplaced) {
  EXPECT_EQ(SanitizeUtf8("ok\xff"), "ok\xEF\xBF\xBD");
  EXPECT_EQ(SanitizeUtf8("\xC3\xA9"), "\xC3\xA9");          // valid é kept
  EXPECT_EQ(SanitizeUtf8("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong NUL rejected
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80").find("\xED"), std::string::npos);  // surrogate rejected
}

TEST(Escape, MarkdownCannotBreakTables) {
  EXPECT_EQ(EscapeMarkdown("a|b`c"), "a\\|b\\`c");
  EXPECT_EQ(EscapeMarkdown("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(EscapeMarkdown("two\nlines"), "two lines");
  EXPECT_EQ(EscapeMarkdown("bell\x07"), "bell\\\\x07");
}

TEST(Escape, HtmlEscapesQuotes) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'"), "&lt;a href=&quot;x&quot;&gt;&#39;");
}

TEST(Escape, PathToUriPercentEncodes) {
  EXPECT_EQ(PathToUri("dir/my file#1.yml"), "dir/my%20file%231.yml");
  EXPECT_EQ(PathToUri("ok/Dockerfile"), "ok/Dockerfile");
}

}  // namespace bulwark::core
