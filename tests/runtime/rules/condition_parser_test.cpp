// The condition parser against the libs grammar (notes section 1.6):
// precedence, `not` chains and `not(`, parentheses, field arguments,
// quoting and escapes, numbers, bare strings, lists, every operator,
// transformers, and errors with the byte offset where parsing stopped.
#include "runtime/rules/condition_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::runtime::rules {
namespace {

std::string Tree(const std::string& condition) {
  ParseResult r = ParseCondition(condition);
  if (!r.expr) return "ERROR@" + std::to_string(r.error_pos) + ": " + r.error;
  return r.expr->ToString();
}

TEST(ConditionParser, OrBindsLooserThanAndLooserThanNot) {
  EXPECT_EQ(Tree("a or b and c"), "(a or (b and c))");
  EXPECT_EQ(Tree("a and b or c"), "((a and b) or c)");
  EXPECT_EQ(Tree("not a and b"), "((not a) and b)");
  EXPECT_EQ(Tree("not a or not b and c"), "((not a) or ((not b) and c))");
  EXPECT_EQ(Tree("(a or b) and c"), "((a or b) and c)");
  EXPECT_EQ(Tree("a and b and c"), "(a and b and c)");
}

TEST(ConditionParser, NotRepeatsAndTakesParentheses) {
  EXPECT_EQ(Tree("not not a"), "a");
  EXPECT_EQ(Tree("not not not a"), "(not a)");
  EXPECT_EQ(Tree("not(a or b)"), "(not (a or b))");
  EXPECT_EQ(Tree("not (a)"), "(not a)");
  EXPECT_EQ(Tree("a and(b)"), "(a and b)");
  EXPECT_EQ(Tree("(a)or(b)"), "(a or b)");
  // An identifier that starts with "not" is a macro, not a negation.
  EXPECT_EQ(Tree("not_allowed"), "not_allowed");
  EXPECT_EQ(Tree("  \n\t a \n"), "a");
}

TEST(ConditionParser, ChecksFieldsAndArguments) {
  EXPECT_EQ(Tree("proc.name=sshd"), "proc.name = \"sshd\"");
  EXPECT_EQ(Tree("proc.aname[2] = chef-client"), "proc.aname[2] = \"chef-client\"");
  EXPECT_EQ(Tree("container.mount.dest[/var/run/docker.sock] exists"),
            "container.mount.dest[/var/run/docker.sock] exists");
  EXPECT_EQ(Tree("proc.env['HOME'] = /root"), "proc.env[HOME] = \"/root\"");
  EXPECT_EQ(Tree("evt.arg.flags contains O_TRUNC"), "evt.arg.flags contains \"O_TRUNC\"");
  EXPECT_EQ(Tree("evt.arg[0] = x"), "evt.arg[0] = \"x\"");
  EXPECT_EQ(Tree("evt.rawarg.res < -1"), "evt.rawarg.res < \"-1\"");
  EXPECT_EQ(Tree("proc.exe_ino.ctime_duration_proc_start > 0"), "proc.exe_ino.ctime_duration_proc_start > \"0\"");
}

TEST(ConditionParser, ValuesQuotedNumbersAndBare) {
  EXPECT_EQ(Tree("proc.name = \"a b\""), "proc.name = \"a b\"");
  EXPECT_EQ(Tree("proc.name = 'a b'"), "proc.name = \"a b\"");
  EXPECT_EQ(Tree(R"(proc.cmdline = "say \"hi\"")"), R"(proc.cmdline = "say \"hi\"")");
  EXPECT_EQ(Tree(R"(proc.cmdline = 'it\'s')"), "proc.cmdline = \"it's\"");
  EXPECT_EQ(Tree(R"(proc.cmdline = "tab\there")"), "proc.cmdline = \"tab\there\"");
  EXPECT_EQ(Tree(R"(proc.cmdline = "a\\b")"), R"(proc.cmdline = "a\\b")");
  EXPECT_EQ(Tree("fd.num >= 0x10"), "fd.num >= \"0x10\"");
  EXPECT_EQ(Tree("proc.duration <= 5000000000"), "proc.duration <= \"5000000000\"");
  EXPECT_EQ(Tree("x.y > 1.5e+3"), "x.y > \"1.5e+3\"");
  EXPECT_EQ(Tree("proc.pname = runc:[0:PARENT]"), "proc.pname = \"runc:[0:PARENT]\"");
  EXPECT_EQ(Tree("fd.name startswith /etc/"), "fd.name startswith \"/etc/\"");
}

TEST(ConditionParser, Lists) {
  EXPECT_EQ(Tree("proc.name in (a, 'b c', \"d\")"), "proc.name in (\"a\", \"b c\", \"d\")");
  EXPECT_EQ(Tree("proc.name in ( )"), "proc.name in ()");
  EXPECT_EQ(Tree("proc.name in()"), "proc.name in ()");
  EXPECT_EQ(Tree("proc.args intersects (-V, -l)"), "proc.args intersects (\"-V\", \"-l\")");
  EXPECT_EQ(Tree("fd.name pmatch (/etc, /var/run)"), "fd.name pmatch (\"/etc\", \"/var/run\")");
  EXPECT_EQ(Tree("evt.rawres in (0, 1, 2)"), "evt.rawres in (\"0\", \"1\", \"2\")");
}

TEST(ConditionParser, EveryOperator) {
  for (const auto& op : SupportedOperators()) {
    std::string c = "proc.name " + op;
    if (op == "exists") {
    } else if (IsListOperator(op)) {
      c += " (a)";
    } else if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      c += " 1";
    } else {
      c += " a";
    }
    ParseResult r = ParseCondition(c);
    ASSERT_NE(r.expr, nullptr) << c << ": " << r.error;
    EXPECT_EQ(r.expr->op, op) << c;
  }
}

TEST(ConditionParser, Transformers) {
  EXPECT_EQ(Tree("tolower(proc.name) = bash"), "tolower(proc.name) = \"bash\"");
  EXPECT_EQ(Tree("toupper( basename(proc.exe) ) = LS"), "toupper(basename(proc.exe)) = \"LS\"");
  EXPECT_EQ(Tree("len(proc.args) > 100"), "len(proc.args) > \"100\"");
}

TEST(ConditionParser, ErrorsNameThePosition) {
  EXPECT_EQ(Tree(""), "ERROR@0: filter input string is empty");
  EXPECT_EQ(Tree("proc.name"),
            "ERROR@9: expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', "
            "'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', "
            "'regex', 'intersects', 'in', 'pmatch'");
  EXPECT_EQ(Tree("a andb"), "ERROR@5: expected blank or '(' after 'and'");
  EXPECT_EQ(Tree("a organic"), "ERROR@4: expected blank or '(' after 'or'");
  EXPECT_EQ(Tree("(a and b"), "ERROR@8: expected a ')' token");
  EXPECT_EQ(Tree("a b"), "ERROR@2: unexpected token after 'a', expecting 'or', 'and'");
  EXPECT_EQ(Tree("proc.name = 'abc"), "ERROR@12: expected a string value");
  EXPECT_EQ(Tree("proc.name in (a, b"), "ERROR@18: expected a ')' token");
  EXPECT_EQ(Tree("proc.name < abc"), "ERROR@12: expected a number value");
  // A word operator needs a blank after it.
  EXPECT_EQ(Tree("proc.name containsx").substr(0, 50), "ERROR@10: expected a valid check operator: one of ");
  EXPECT_EQ(Tree("proc.aname[2 = x"), "ERROR@12: expected a ']' token");
  EXPECT_EQ(Tree(R"(proc.name = "a\qb")"), "ERROR@12: unsupported string escape sequence: \\q");
  EXPECT_EQ(Tree(R"(proc.name = "a\'b")"), "ERROR@12: invalid \\' escape in \"-quoted string");
  EXPECT_EQ(Tree("proc.name = val(proc.pname)"),
            "ERROR@12: field references and transformers on the right-hand side ('val(') are not supported by bulwark");
  EXPECT_EQ(Tree("join(proc.args) = x"), "ERROR@0: field transformer 'join(' is not supported by bulwark");
  EXPECT_EQ(Tree("a and"), "ERROR@5: expected blank or '(' after 'and'");
  EXPECT_EQ(Tree("a and "), "ERROR@6: expected a '(' token, a field check, or an identifier");
}

TEST(ConditionParser, DepthIsBounded) {
  std::string deep(5000, '(');
  deep += "a";
  deep += std::string(5000, ')');
  ParseResult r = ParseCondition(deep);
  ASSERT_EQ(r.expr, nullptr);
  EXPECT_EQ(r.error, "exceeded max depth limit of 1000");
  std::string nots;
  for (int i = 0; i < 3000; ++i) nots += "not(";
  nots += "a" + std::string(3000, ')');
  EXPECT_EQ(ParseCondition(nots).expr, nullptr);
  // Falco's rules nest far less than the limit.
  std::string ok(100, '(');
  ok += "a" + std::string(100, ')');
  EXPECT_NE(ParseCondition(ok).expr, nullptr);
}

TEST(ConditionParser, UnescapeLikeLibs) {
  std::string out, err;
  EXPECT_TRUE(UnescapeQuoted(R"("a\/b\\c\n")", out, err));
  EXPECT_EQ(out, "a/b\\c\n");
  EXPECT_TRUE(UnescapeQuoted(R"("a\ b")", out, err));  // libs keeps "\ " as a backslash
  EXPECT_EQ(out, "a\\b");
  EXPECT_FALSE(UnescapeQuoted(R"("\x41")", out, err));
  EXPECT_EQ(err, "unsupported string escape sequence: \\x");
}

}  // namespace
}  // namespace bulwark::runtime::rules
