// Lists (textual substitution, notes section 1.5), macros (AST
// substitution with Falco's visibility) and exceptions (section 1.4).
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/condition_text.hpp"
#include "runtime/rules/fake_state.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::Fires;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

std::string Substituted(const std::string& condition, const std::vector<ExpandedList>& lists) {
  MappedText t = PlainText(condition, SrcPos{0, 1, 1});
  std::vector<bool> used;
  EXPECT_TRUE(SubstituteLists(t, lists, used));
  EXPECT_EQ(t.text.size(), t.pos.size());
  return t.text;
}

TEST(Lists, SubstitutedBetweenDelimitersOnly) {
  std::vector<ExpandedList> lists = {{"shells", {"sh", "bash"}}};
  EXPECT_EQ(Substituted("proc.name in (shells)", lists), "proc.name in ( sh, bash )");
  EXPECT_EQ(Substituted("proc.name in (a, shells, b)", lists), "proc.name in (a, sh, bash , b)");
  EXPECT_EQ(Substituted("proc.name=shells", lists), "proc.name= sh, bash ");
  EXPECT_EQ(Substituted("proc.name in (myshells, shells_x)", lists), "proc.name in (myshells, shells_x)");
  EXPECT_EQ(Substituted("fd.name startswith shells/x", lists), "fd.name startswith shells/x");
  // Textual: inside quotes too, as Falco does.
  EXPECT_EQ(Substituted("proc.cmdline = \"run shells now\"", lists), "proc.cmdline = \"run sh, bash now\"");
  // Falco's offset arithmetic skips one byte after a name at offset 0.
  EXPECT_EQ(Substituted("shells shells", lists), "sh, bash shells");
}

TEST(Lists, EmptyListRemovesOneComma) {
  std::vector<ExpandedList> lists = {{"none", {}}};
  EXPECT_EQ(Substituted("proc.name in (a, none)", lists), "proc.name in (a  )");
  EXPECT_EQ(Substituted("proc.name in (none, a)", lists), "proc.name in (   a)");
  EXPECT_EQ(Substituted("proc.name in (none)", lists), "proc.name in (  )");
}

TEST(Lists, ItemsWithSpacesAreQuoted) {
  std::vector<ExpandedList> lists = {{"cmds", {"sh -c id", "\"(systemd)\"", "runc:[0:PARENT]"}}};
  EXPECT_EQ(Substituted("proc.cmdline in (cmds)", lists),
            "proc.cmdline in ( \"sh -c id\", \"(systemd)\", runc:[0:PARENT] )");
  EXPECT_EQ(QuoteItem("a b"), "\"a b\"");
  EXPECT_EQ(QuoteItem("'a b'"), "'a b'");
  EXPECT_EQ(QuoteItem("ab"), "ab");
}

TEST(Lists, NestedListsExpandWhenDefinedEarlier) {
  Collector c;
  ASSERT_TRUE(c.DefineList({"inner", {"a"}, {}, 0, 0}).ok());
  ASSERT_TRUE(c.DefineList({"outer", {"inner", "b"}, {}, 0, 0}).ok());
  ASSERT_TRUE(c.DefineList({"early", {"late", "c"}, {}, 0, 0}).ok());
  ASSERT_TRUE(c.DefineList({"late", {"d"}, {}, 0, 0}).ok());
  auto lists = ExpandLists(c.lists(), c);
  EXPECT_EQ(lists[1].items, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(lists[2].items, (std::vector<std::string>{"late", "c"}));  // not visible: kept as a word
  // ...which the later substitution of `late` still replaces, as in Falco.
  EXPECT_EQ(Substituted("x.y in (early)", lists), "x.y in ( d , c )");
}

TEST(Lists, BehaviourThroughTheEngine) {
  std::string yaml =
      "- list: shells\n  items: [sh, bash]\n"
      "- list: nothing\n  items: []\n"
      "- list: more\n  items: [shells, zsh]\n"
      "- macro: shell\n  condition: proc.name in (more, nothing)\n" +
      OneRule("evt.type = execve and shell");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  Scene s;
  s.state.Add(100, 1, "bash");
  s.Exec(100);
  EXPECT_TRUE(Fires(*engine, s, "r"));
  s.state.procs[100].comm = "zsh";
  EXPECT_TRUE(Fires(*engine, s, "r"));
  s.state.procs[100].comm = "fish";
  EXPECT_FALSE(Fires(*engine, s, "r"));
}

TEST(Lists, AppendAndOverride) {
  std::string yaml =
      "- list: l\n  items: [a]\n"
      "- list: l\n  items: [b]\n  append: true\n"
      "- list: l\n  items: [c]\n  override:\n    items: append\n" +
      OneRule("proc.name in (l)");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  Scene s;
  s.state.Add(100, 1, "b");
  s.Exec(100);
  EXPECT_TRUE(Fires(*engine, s, "r"));
  std::string replaced = yaml + "- list: l\n  items: [z]\n  override:\n    items: replace\n";
  engine = LoadYaml(replaced, r = {});
  EXPECT_FALSE(Fires(*engine, s, "r"));
}

std::string FirstError(const std::string& yaml) {
  LoadResult r;
  LoadYaml(yaml, r);
  for (const auto& d : r.diagnostics) {
    if (d.severity == DiagSeverity::kError) return FormatDiagnostic(d);
  }
  return "";
}

TEST(Macros, MacrosSeeOnlyEarlierMacros) {
  std::string yaml =
      "- macro: m1\n  condition: proc.name = a and m2\n"
      "- macro: m2\n  condition: proc.pid = 1\n" +
      OneRule("evt.type = execve and m2");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  EXPECT_EQ(r.ErrorCount(), 1u) << Errors(r);
  EXPECT_EQ(FirstError(yaml), "test.yaml:2:32: error: macro 'm1': Undefined macro 'm2' used in filter.");
  EXPECT_EQ(engine->ActiveRuleCount(), 1u);  // rules see every macro
}

TEST(Macros, RulesSeeMacrosDefinedAfterThem) {
  std::string yaml = OneRule("evt.type = execve and later") + "- macro: later\n  condition: proc.name = bash\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  Scene s;
  s.state.Add(100, 1, "bash");
  s.Exec(100);
  EXPECT_TRUE(Fires(*engine, s, "r"));
}

TEST(Macros, UndefinedMacroInARuleNamesItAndItsPosition) {
  EXPECT_EQ(FirstError(OneRule("evt.type = execve and nope")),
            "test.yaml:3:37: error: rule 'r': Undefined macro 'nope' used in filter.");
}

TEST(Macros, RedefinitionAndReferenceLoops) {
  // A later definition replaces the macro everywhere, at its first position.
  std::string yaml =
      "- macro: m\n  condition: proc.name = a\n" + OneRule("evt.type = execve and m") +
      "- macro: m\n  condition: proc.name = b\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  Scene s;
  s.state.Add(100, 1, "b");
  s.Exec(100);
  EXPECT_TRUE(Fires(*engine, s, "r"));
  // Redefined to refer to itself: it is visible to itself, a loop.
  std::string loop = "- macro: m\n  condition: proc.name = a\n- macro: m\n  condition: m or proc.name = c\n";
  EXPECT_EQ(FirstError(loop), "test.yaml:4:14: error: macro 'm': Reference loop in macro 'm'");
}

TEST(Macros, AppendedConditionAndErrorsInsideAMacro) {
  std::string yaml =
      "- macro: m\n  condition: proc.name = a\n"
      "- macro: m\n  condition: or proc.name = b\n  override:\n    condition: append\n" +
      OneRule("evt.type = execve and m");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  Scene s;
  s.state.Add(100, 1, "b");
  s.Exec(100);
  EXPECT_TRUE(Fires(*engine, s, "r"));
  // An unknown field inside a macro is reported at the macro's text.
  std::string bad = "- macro: bad\n  condition: proc.nam = x\n" + OneRule("evt.type = execve and bad");
  EXPECT_EQ(FirstError(bad), "test.yaml:2:14: error: rule 'r': nonexistent field proc.nam (in macro 'bad')");
}

TEST(Macros, ExponentialExpansionIsRefused) {
  std::string yaml = "- macro: m0\n  condition: proc.name = a\n";
  for (int i = 1; i <= 40; ++i) {
    std::string prev = "m" + std::to_string(i - 1);
    yaml += "- macro: m" + std::to_string(i) + "\n  condition: " + prev + " and " + prev + "\n";
  }
  yaml += OneRule("evt.type = execve and m40");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  EXPECT_GE(r.ErrorCount(), 1u);
  EXPECT_NE(Errors(r).find("nodes after macro expansion"), std::string::npos) << Errors(r);
}

TEST(Exceptions, CompiledToAndNot) {
  std::string yaml =
      "- rule: r\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: INFO\n"
      "  exceptions:\n"
      "    - name: by_proc\n      fields: proc.name\n      values: [cat, 'less more']\n"
      "    - name: pairs\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n"
      "      values: [[vi, /tmp/], [nano, /home/]]\n"
      "    - name: listed\n      fields: [proc.name, fd.directory]\n      comps: [=, in]\n"
      "      values: [[sed, [/etc, /var]], [awk, /opt]]\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  auto open = [](const std::string& comm, const std::string& path) {
    Scene s;
    s.state.Add(100, 1, comm);
    s.Open(100, path, 0);
    return s;
  };
  EXPECT_TRUE(Fires(*engine, open("grep", "/etc/passwd"), "r"));
  EXPECT_FALSE(Fires(*engine, open("cat", "/etc/passwd"), "r"));
  EXPECT_FALSE(Fires(*engine, open("less more", "/etc/passwd"), "r"));
  EXPECT_FALSE(Fires(*engine, open("vi", "/tmp/x"), "r"));
  EXPECT_TRUE(Fires(*engine, open("vi", "/home/x"), "r"));
  EXPECT_FALSE(Fires(*engine, open("sed", "/var/x"), "r"));
  EXPECT_FALSE(Fires(*engine, open("awk", "/opt/x"), "r"));
  EXPECT_TRUE(Fires(*engine, open("awk", "/etc/x"), "r"));
}

TEST(Exceptions, TextMatchesFalcos) {
  ExceptionInfo single;
  single.name = "s";
  single.fields = {true, false, "proc.name", {}};
  single.comps = {true, false, "in", {}};
  single.values = {{true, false, "a", {}}, {true, false, "b c", {}}};
  ExceptionInfo multi;
  multi.name = "m";
  multi.fields = {true, true, "", {{true, false, "proc.name", {}}, {true, false, "fd.name", {}}}};
  multi.comps = {true, true, "", {{true, false, "=", {}}, {true, false, "pmatch", {}}}};
  multi.values = {{true, true, "", {{true, false, "x", {}}, {true, false, "/etc", {}}}}};
  MappedText cond = PlainText("evt.type = open", {});
  std::string error;
  SrcPos pos;
  ASSERT_TRUE(AppendExceptions(cond, {single, multi}, error, pos)) << error;
  EXPECT_EQ(cond.text,
            // Falco's builder leaves two blanks after "and".
            "(evt.type = open) and not (proc.name in (a, \"b c\")) and not (( proc.name = x and  fd.name pmatch "
            "(/etc)))");
}

TEST(Exceptions, Errors) {
  std::string head = "- rule: r\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: INFO\n  exceptions:\n";
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n"),
            "test.yaml:7:7: error: rule 'r': Fields and values lists must have equal length");
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: [proc.name]\n      comps: [=, =]\n      values: []\n"),
            "test.yaml:1:3: error: rule 'r': Fields and comps lists must have equal length");
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: [proc.name]\n      comps: [like]\n      values: []\n"),
            "test.yaml:1:3: error: rule 'r': 'like' is not a supported comparison operator");
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: [proc.nme]\n      values: []\n"),
            "test.yaml:1:3: error: rule 'r': 'proc.nme' is not a supported filter field");
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: proc.name\n      comps: =\n      values: [a]\n"),
            "test.yaml:1:3: error: rule 'r': When fields is a single value, comps must be one of (in, pmatch, intersects)");
  EXPECT_EQ(FirstError(head + "    - name: e\n      fields: proc.name\n    - name: e\n      fields: proc.name\n"),
            "test.yaml:9:7: error: exception 'e': Exceptions names in the same object must be unique");
}

TEST(Exceptions, AppendValuesAndNewExceptions) {
  std::string yaml =
      "- rule: r\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: INFO\n"
      "  exceptions:\n    - name: e\n      fields: proc.name\n      values: [cat]\n"
      "- rule: r\n  exceptions:\n    - name: e\n      values: [less]\n    - name: f\n      fields: fd.name\n"
      "      values: [/etc/hosts]\n  override:\n    exceptions: append\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  auto open = [](const std::string& comm, const std::string& path) {
    Scene s;
    s.state.Add(100, 1, comm);
    s.Open(100, path, 0);
    return s;
  };
  EXPECT_FALSE(Fires(*engine, open("cat", "/a"), "r"));
  EXPECT_FALSE(Fires(*engine, open("less", "/a"), "r"));
  EXPECT_FALSE(Fires(*engine, open("vi", "/etc/hosts"), "r"));
  EXPECT_TRUE(Fires(*engine, open("vi", "/a"), "r"));
}

}  // namespace
}  // namespace bulwark::runtime::rules
