// The dry parse in front of yaml-cpp (yaml_guard.hpp): input on which the
// parser runs away, and aliases that expand a small file past the size
// limit of a rule file, are refused with a position before LoadAll builds
// anything; every other input passes, syntax errors included.
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/fake_state.hpp"
#include "runtime/rules/rule_reader.hpp"
#include "runtime/rules/yaml_guard.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::LoadYaml;
using testing::OneRule;

TEST(YamlGuard, ParserRunningAwayIsRefused) {
  // yaml-cpp 0.7 emits events without end after a stray comma; LoadAll of
  // these bytes allocates until memory runs out (fuzz_rules_load found it).
  for (const std::string text : {",", "- a\n,", ",- list: l\n  items: [a]\n"}) {
    auto problem = CheckYamlShape(text, kMaxRuleFileBytes);
    ASSERT_TRUE(problem.has_value()) << text;
    EXPECT_EQ(problem->code, "yaml-parse");
    EXPECT_NE(problem->message.find("runs away"), std::string::npos);
  }
  LoadResult r;
  auto engine = LoadYaml(",- list: l\n  items: [a]\n", r);
  ASSERT_NE(engine, nullptr);
  ASSERT_EQ(r.ErrorCount(), 1u) << Errors(r);
  EXPECT_EQ(FormatDiagnostic(r.diagnostics[0]),
            "test.yaml:1:1: error: the YAML parser runs away on this file (malformed YAML); refused");
}

TEST(YamlGuard, OrdinaryFilesAndSyntaxErrorsPass) {
  EXPECT_FALSE(CheckYamlShape(OneRule("evt.type = execve and proc.name = sh"), kMaxRuleFileBytes));
  EXPECT_FALSE(CheckYamlShape("", kMaxRuleFileBytes));
  EXPECT_FALSE(CheckYamlShape("- list: a\n  items: &x [b, c]\n- list: d\n  items: *x\n", kMaxRuleFileBytes));
  // LoadAll reports syntax errors itself, with their position.
  EXPECT_FALSE(CheckYamlShape("- list: [a\n", kMaxRuleFileBytes));
}

TEST(YamlGuard, AliasesCountAsWhatTheyStandFor) {
  // Two items of 3 bytes (and a separator each) behind the anchor, plus
  // the sequence itself: each alias adds the same again.
  const std::string anchor = "- &x [abc, def]\n";
  EXPECT_FALSE(CheckYamlShape(anchor + "- *x\n", 20));
  auto problem = CheckYamlShape(anchor + "- *x\n- *x\n", 20);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->code, "too-large");
  EXPECT_EQ(problem->line, 3);
  // Anchors holding aliases: a billion laughs is refused by arithmetic.
  std::string laughs = "- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    laughs += std::string("- &") + c + " [";
    for (int i = 0; i < 10; ++i) laughs += (i == 0 ? "*" : ", *") + prev;
    laughs += "]\n";
  }
  EXPECT_TRUE(CheckYamlShape(laughs, kMaxRuleFileBytes).has_value());
}

TEST(YamlGuard, AliasedListsPastTheFileLimitAreRefused) {
  // 100 KB of items behind one anchor, named 100 times: 10 MB.
  std::string items;
  for (int i = 0; i < 10000; ++i) items += (i == 0 ? "" : ", ") + std::string("item") + std::to_string(10000 + i);
  std::string yaml = "- list: big\n  items: &x [" + items + "]\n";
  for (int i = 0; i < 100; ++i) yaml += "- list: copy" + std::to_string(i) + "\n  items: *x\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_NE(engine, nullptr);
  ASSERT_EQ(r.ErrorCount(), 1u) << Errors(r);
  EXPECT_EQ(r.diagnostics[0].code, "too-large");
  EXPECT_NE(FormatDiagnostic(r.diagnostics[0]).find("YAML aliases expand this file to more than 8388608 bytes"),
            std::string::npos)
      << Errors(r);
}

}  // namespace
}  // namespace bulwark::runtime::rules
