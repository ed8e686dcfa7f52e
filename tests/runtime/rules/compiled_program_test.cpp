// What the compiled program does for speed must not change a result:
// conditions specialised per event type (evt.type tests decided and
// folded), `or` chains of equalities on one field merged into one set
// lookup, fast comparison paths, globs rejected by their literal prefix, and
// rules skipped when the macro they start with is already false.
#include <fcntl.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/rules/fake_state.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::Fired;
using testing::Fires;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

bool Match(const std::string& condition, const Scene& scene) {
  LoadResult r;
  auto engine = LoadYaml(OneRule(condition), r);
  EXPECT_EQ(r.ErrorCount(), 0u) << condition << "\n" << Errors(r);
  return Fires(*engine, scene, "r");
}

Scene BashOpens(const std::string& path) {
  Scene s;
  s.state.Add(100, 1, "bash");
  s.Open(100, path, O_RDONLY);
  return s;
}

Scene BashExecs() {
  Scene s;
  s.state.Add(100, 1, "bash");
  s.Exec(100);
  return s;
}

TEST(CompiledProgram, EventTypeTestsAreDecidedPerType) {
  const std::string either = "(evt.type = openat and fd.name = /etc/x) or (evt.type = execve and proc.name = bash)";
  EXPECT_TRUE(Match(either, BashOpens("/etc/x")));
  // For an open, the exec branch is gone: bash opening another file is no match.
  EXPECT_FALSE(Match(either, BashOpens("/etc/y")));
  EXPECT_TRUE(Match(either, BashExecs()));
  EXPECT_TRUE(Match("not evt.type = openat and proc.name = bash", BashExecs()));
  EXPECT_FALSE(Match("not evt.type = openat and proc.name = bash", BashOpens("/etc/x")));
  EXPECT_TRUE(Match("evt.type in (openat, execve) or proc.name = nobody", BashOpens("/tmp/a")));
}

TEST(CompiledProgram, MergedEqualitiesKeepAbsentFieldSemantics) {
  const std::string names = "fd.name = /a or fd.name in (/b, /c) or proc.name = zsh or fd.name = /d";
  EXPECT_TRUE(Match(names, BashOpens("/c")));
  EXPECT_TRUE(Match(names, BashOpens("/d")));
  EXPECT_FALSE(Match(names, BashOpens("/e")));
  // An exec has no fd: every alternative on fd.name is false, their negation true.
  EXPECT_FALSE(Match(names, BashExecs()));
  EXPECT_TRUE(Match("not (fd.name = /a or fd.name = /b)", BashExecs()));
  EXPECT_FALSE(Match("not (fd.name = /a or fd.name = /b)", BashOpens("/b")));
  // Transformed or ancestor fields are not merged, and still work.
  EXPECT_TRUE(Match("tolower(proc.name) = zsh or tolower(proc.name) = bash", BashExecs()));
  EXPECT_TRUE(Match("proc.aname = sshd or proc.aname = systemd", BashExecs()));
}

TEST(CompiledProgram, GlobsWithALiteralPrefix) {
  EXPECT_TRUE(Match("fd.name glob '/home/*/.ssh/id_*'", BashOpens("/home/u/.ssh/id_rsa")));
  EXPECT_FALSE(Match("fd.name glob '/home/*/.ssh/id_*'", BashOpens("/root/.ssh/id_rsa")));
  EXPECT_FALSE(Match("fd.name glob '/home/*/.ssh/id_*'", BashOpens("/hom")));
  EXPECT_TRUE(Match("fd.name glob '*'", BashOpens("/x")));
  EXPECT_TRUE(Match("fd.name glob '/etc/passwd'", BashOpens("/etc/passwd")));
  // A backslash escapes: the prefix ends before it.
  EXPECT_TRUE(Match("fd.name glob '/tmp/\\\\*x'", BashOpens("/tmp/*x")));
  EXPECT_FALSE(Match("fd.name glob '/tmp/\\\\*x'", BashOpens("/tmp/ax")));
  // fnmatch sees the value up to a NUL, as in Falco.
  EXPECT_FALSE(Match("fd.name glob '/home/*/id_*'", BashOpens(std::string("/home/u\0/id_x", 13))));
}

TEST(CompiledProgram, FastPathsMatchTheGeneralOnes) {
  Scene failed = BashOpens("/etc/shadow");
  failed.evt.res = -13;
  failed.fd.num = -1;
  EXPECT_TRUE(Match("evt.rawres < 0 and evt.rawres != -2 and evt.rawres <= -13 and evt.rawres >= -13", failed));
  EXPECT_FALSE(Match("evt.rawres > -13", failed));
  EXPECT_TRUE(Match("fd.num = -1 and evt.failed = true", failed));
  EXPECT_TRUE(Match("fd.name endswith shadow and fd.name contains /sha and fd.name startswith /etc", failed));
  EXPECT_FALSE(Match("fd.name != /etc/shadow", failed));
}

TEST(CompiledProgram, RulesSharingAFalseMacroAreSkippedOnlyWhenItIsFalse) {
  const std::string yaml = R"(
- macro: open_etc
  condition: evt.type = openat and fd.name startswith /etc/ and proc.name != init
- rule: Other opens etc
  desc: a
  condition: open_etc and proc.name = zsh
  output: a
  priority: WARNING
- rule: Bash opens etc
  desc: b
  condition: open_etc and proc.name = bash
  output: b
  priority: WARNING
- rule: Bash opens anything
  desc: c
  condition: evt.type = openat and proc.name = bash
  output: c
  priority: WARNING
)";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_EQ(Fired(*engine, BashOpens("/etc/passwd")), (std::vector<std::string>{"Bash opens etc", "Bash opens anything"}));
  EXPECT_EQ(Fired(*engine, BashOpens("/tmp/x")), (std::vector<std::string>{"Bash opens anything"}));
  engine->SetRuleEnabled("Other opens etc", false);
  EXPECT_EQ(Fired(*engine, BashOpens("/etc/passwd")), (std::vector<std::string>{"Bash opens etc", "Bash opens anything"}));
  engine->SetMatchMode(MatchMode::kFirst);
  EXPECT_EQ(Fired(*engine, BashOpens("/tmp/x")), (std::vector<std::string>{"Bash opens anything"}));
}

}  // namespace
}  // namespace bulwark::runtime::rules
