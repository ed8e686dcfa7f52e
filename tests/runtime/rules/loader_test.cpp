// The rule loader: append/override with Falco's allowed-key matrix and its
// messages, the enabled-only toggle, engine and plugin requirements, names,
// sources, unknown keys and items, evt.type warnings, skip-if-unknown-filter,
// YAML errors with positions, and "one bad rule never disables the others".
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/fake_state.hpp"
#include "runtime/rules/rule_reader.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::Fires;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

const std::string kBase =
    "- rule: r\n  desc: base\n  condition: evt.type = execve and proc.name = a\n  output: out %proc.name\n"
    "  priority: WARNING\n  tags: [t1]\n";

std::vector<std::string> Messages(const std::string& yaml, DiagSeverity severity) {
  LoadResult r;
  LoadYaml(yaml, r);
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == severity) out.push_back(FormatDiagnostic(d));
  }
  return out;
}

std::string OnlyError(const std::string& yaml) {
  auto errors = Messages(yaml, DiagSeverity::kError);
  return errors.size() == 1 ? errors[0] : "errors: " + std::to_string(errors.size()) + (errors.empty() ? "" : " first: " + errors[0]);
}

Scene ExecOf(const std::string& comm) {
  Scene s;
  s.state.Add(100, 1, comm);
  s.Exec(100);
  return s;
}

RuleSummary Summary(const std::string& yaml) {
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  EXPECT_EQ(r.ErrorCount(), 0u) << Errors(r);
  return engine->Rules().at(0);
}

TEST(AppendOverride, LegacyAppendConcatenatesTheCondition) {
  std::string yaml = kBase + "- rule: r\n  condition: or proc.name = b\n  append: true\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  // 'append' is deprecated; and the appended `or` makes the rule match every
  // event type ((execve and a) or b), which Falco warns about too.
  EXPECT_EQ(r.WarningCount(), 2u) << Errors(r);
  EXPECT_TRUE(Fires(*engine, ExecOf("b"), "r"));
  EXPECT_TRUE(Fires(*engine, ExecOf("a"), "r"));
}

TEST(AppendOverride, AppendableKeys) {
  std::string yaml = kBase +
                     "- rule: r\n  condition: or proc.name = b\n  output: extra\n  desc: more\n  tags: [t2]\n"
                     "  override:\n    condition: append\n    output: append\n    desc: append\n    tags: append\n";
  RuleSummary s = Summary(yaml);
  EXPECT_EQ(s.desc, "base more");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"t1", "t2"}));
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  std::vector<Alert> alerts;
  engine->Evaluate(ExecOf("b").Context(), alerts);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output, "out b extra");
}

TEST(AppendOverride, ReplaceableKeys) {
  std::string yaml = kBase +
                     "- rule: r\n  condition: evt.type = execve and proc.name = z\n  priority: CRITICAL\n"
                     "  tags: [t9]\n  enabled: false\n  desc: new\n  output: new\n  warn_evttypes: false\n"
                     "  skip-if-unknown-filter: true\n"
                     "  override:\n    condition: replace\n    priority: replace\n    tags: replace\n"
                     "    enabled: replace\n    desc: replace\n    output: replace\n    warn_evttypes: replace\n"
                     "    skip-if-unknown-filter: replace\n";
  RuleSummary s = Summary(yaml);
  EXPECT_EQ(s.priority, Priority::kCritical);
  EXPECT_EQ(s.tags, (std::vector<std::string>{"t9"}));
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.desc, "new");
  // Enabled again with the modern form.
  std::string again = yaml + "- rule: r\n  enabled: true\n  override:\n    enabled: replace\n";
  LoadResult r;
  auto engine = LoadYaml(again, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_TRUE(Fires(*engine, ExecOf("z"), "r"));
  EXPECT_FALSE(Fires(*engine, ExecOf("a"), "r"));
}

TEST(AppendOverride, MatrixErrors) {
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  priority: INFO\n  override:\n    priority: append\n"),
            "test.yaml:10:5: error: rule 'r': Key 'priority' cannot be appended to, use 'replace' instead");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  source: k8s_audit\n  override:\n    source: replace\n"),
            "test.yaml:10:5: error: rule 'r': Key 'source' cannot be replaced");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  enabled: false\n  override:\n    enabled: append\n"),
            "test.yaml:10:5: error: rule 'r': Key 'enabled' cannot be appended to, use 'replace' instead");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  condition: x\n  override:\n    condition: merge\n"),
            "test.yaml:10:16: error: rule 'r': Invalid override operation for key 'condition': 'merge'. Allowed "
            "values are: append replace ");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  condition: x\n  override:\n    output: append\n    condition: append\n"),
            "test.yaml:10:5: error: rule 'r': An append override for 'output' was specified but 'output' is not defined");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  condition: and x\n  desc: y\n  override:\n    condition: append\n"),
            "test.yaml:9:9: error: rule 'r': Unexpected key 'desc': no corresponding entry under 'override' is defined.");
  EXPECT_EQ(OnlyError(kBase + "- rule: r\n  condition: and x\n  append: true\n  override:\n    condition: append\n"),
            "test.yaml:7:3: error: rule 'r': Keys 'override' and 'append: true' cannot be used together. Add an "
            "'append' entry (e.g. 'condition: append') under 'override' instead.");
  EXPECT_EQ(OnlyError("- rule: x\n  condition: and y\n  override:\n    condition: append\n"),
            "test.yaml:1:3: error: rule 'x': Rule uses 'append' or 'override.<key>: append' but no rule by that "
            "name already exists");
  EXPECT_EQ(OnlyError("- rule: x\n  priority: INFO\n  override:\n    priority: replace\n"),
            "test.yaml:1:3: error: rule 'x': An 'override.<key>: replace' to a rule was requested but no rule by "
            "that name already exists");
  EXPECT_EQ(OnlyError("- macro: m\n  condition: x\n  append: true\n"),
            "test.yaml:1:3: error: macro 'm': Macro uses 'append' or 'override.condition: append' but no macro by "
            "that name already exists");
  EXPECT_EQ(OnlyError("- list: l\n  items: [a]\n  override:\n    items: append\n"),
            "test.yaml:1:3: error: list 'l': List uses 'append' or 'override.items: append' but no list by that "
            "name already exists");
  EXPECT_EQ(OnlyError("- macro: m\n  condition: x\n  override:\n    output: append\n"),
            "test.yaml:4:5: error: macro 'm': Key 'output' cannot be appended to, use 'replace' instead");
}

TEST(AppendOverride, EnabledOnlyToggle) {
  std::string yaml = kBase + "- rule: r\n  enabled: false\n";
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  ASSERT_EQ(r.WarningCount(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("standalone 'enabled' key usage is deprecated"), std::string::npos);
  EXPECT_FALSE(Fires(*engine, ExecOf("a"), "r"));
  EXPECT_EQ(OnlyError("- rule: ghost\n  enabled: false\n"),
            "test.yaml:1:3: error: rule 'ghost': Rule has 'enabled' key but no rule by that name already exists");
}

TEST(Loader, RequiredEngineVersion) {
  EXPECT_TRUE(Messages("- required_engine_version: 0.57.0\n", DiagSeverity::kError).empty());
  EXPECT_TRUE(Messages("- required_engine_version: 0.10.3\n", DiagSeverity::kError).empty());
  EXPECT_TRUE(Messages("- required_engine_version: 9\n", DiagSeverity::kError).empty());  // legacy: 0.9.0
  EXPECT_EQ(OnlyError("- required_engine_version: 0.58.0\n"),
            "test.yaml:1:28: error: required_engine_version: Rules require engine version 0.58.0, but engine "
            "version is 0.57.0");
  EXPECT_NE(OnlyError("- required_engine_version: 1.0.0\n").find("Rules require engine version 1.0.0"),
            std::string::npos);
  EXPECT_EQ(OnlyError("- required_engine_version: x.y\n"),
            "test.yaml:1:28: error: required_engine_version: Unable to parse engine version 'x.y' as a semver "
            "string. Expected \"x.y.z\" semver format.");
  EXPECT_EQ(ParseEngineVersion("0.57.0"), (std::array<int, 3>{0, 57, 0}));
  EXPECT_EQ(ParseEngineVersion("12"), (std::array<int, 3>{0, 12, 0}));
}

TEST(Loader, RequiredPluginVersions) {
  std::string ok = "- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n";
  LoadResult r;
  LoadYaml(ok, r);
  EXPECT_TRUE(r.diagnostics.empty()) << Errors(r);
  auto newer = Messages("- required_plugin_versions:\n    - name: container\n      version: 0.9.0\n",
                        DiagSeverity::kWarning);
  ASSERT_EQ(newer.size(), 1u);
  auto other = Messages("- required_plugin_versions:\n    - name: k8saudit\n      version: 0.1.0\n"
                        "      alternatives:\n        - name: k8saudit-eks\n          version: 0.1.0\n",
                        DiagSeverity::kWarning);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_NE(other[0].find("plugin 'k8saudit' (0.1.0) is not available in bulwark"), std::string::npos);
  EXPECT_EQ(OnlyError("- required_plugin_versions:\n    - name: container\n      version: new\n"),
            "test.yaml:2:7: error: required_plugin_versions entry 'container': Invalid required version 'new' for "
            "plugin 'container'");
}

TEST(Loader, NamesAreValidated) {
  EXPECT_EQ(OnlyError("- macro: 1bad\n  condition: x\n"),
            "test.yaml:1:10: error: macro '1bad': Macro has an invalid name. Macro names must match a regular "
            "expression: ([a-zA-Z]+[a-zA-Z0-9_]*)");
  EXPECT_EQ(OnlyError("- list: 'a b'\n  items: []\n"),
            "test.yaml:1:9: error: list 'a b': List has an invalid name. List names must match a regular "
            "expression: ([^()\"'[:space:]=,]+)");
}

TEST(Loader, UnknownKeysItemsAndSources) {
  auto warnings = Messages(
      "- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  colour: red\n"
      "- something: else\n"
      "- rule: audit\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: INFO\n  source: k8s_audit\n"
      "- rule: audit\n  condition: and ka.user.name = x\n  append: true\n",
      DiagSeverity::kWarning);
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_EQ(warnings[0], "test.yaml:6:3: warning: rule 'r': Unknown key 'colour' ignored");
  EXPECT_EQ(warnings[1], "test.yaml:7:3: warning: rules content item: Unknown top level item");
  EXPECT_EQ(warnings[2], "test.yaml:8:3: warning: rule 'audit': Unknown source k8s_audit, skipping");
}

TEST(Loader, EventTypeWarningsAndSkipIfUnknownFilter) {
  auto broad = Messages("- rule: r\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: INFO\n",
                        DiagSeverity::kWarning);
  ASSERT_EQ(broad.size(), 1u);
  EXPECT_EQ(broad[0],
            "test.yaml:1:3: warning: rule 'r': Rule matches too many evt.type values. This has a significant "
            "performance penalty.");
  EXPECT_TRUE(Messages("- rule: r\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: INFO\n"
                       "  warn_evttypes: false\n",
                       DiagSeverity::kWarning)
                  .empty());
  auto never = Messages("- rule: r\n  desc: d\n  condition: evt.type = open and evt.type = close\n  output: o\n"
                        "  priority: INFO\n",
                        DiagSeverity::kWarning);
  ASSERT_EQ(never.size(), 1u);
  EXPECT_NE(never[0].find("can never match"), std::string::npos);
  std::string skip = "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.fancy = x\n  output: o\n"
                     "  priority: INFO\n  skip-if-unknown-filter: true\n";
  LoadResult r;
  auto engine = LoadYaml(skip, r);
  EXPECT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_EQ(r.WarningCount(), 1u);
  EXPECT_EQ(engine->ActiveRuleCount(), 0u);
}

TEST(Loader, OneBadRuleNeverDisablesTheOthers) {
  std::string yaml = "- rule: broken\n  desc: d\n  condition: evt.type = execve and (\n  output: o\n  priority: INFO\n"
                     "- rule: also broken\n  desc: d\n  condition: evt.type = execve\n  output: o %proc.nope\n"
                     "  priority: INFO\n"
                     "- rule: no priority\n  desc: d\n  condition: evt.type = execve\n  output: o\n" +
                     OneRule("evt.type = execve and proc.name = a", "ok", "good");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  EXPECT_EQ(r.ErrorCount(), 3u) << Errors(r);
  EXPECT_EQ(engine->ActiveRuleCount(), 1u);
  EXPECT_TRUE(Fires(*engine, ExecOf("a"), "good"));
  auto errors = Messages(yaml, DiagSeverity::kError);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "test.yaml:11:3: error: rule 'no priority': Item has no mapping for key 'priority'");
  EXPECT_EQ(errors[1], "test.yaml:3:37: error: rule 'broken': expected a '(' token, a field check, or an identifier");
  EXPECT_EQ(errors[2], "test.yaml:9:13: error: rule 'also broken': invalid formatting token %proc.nope (nonexistent field)");
}

TEST(Loader, YamlErrorsAndShapes) {
  EXPECT_EQ(OnlyError("- rule: [unclosed\n"), "test.yaml:2:1: error: end of sequence flow not found");
  EXPECT_EQ(OnlyError("rule: x\n"), "test.yaml:1:1: error: rules content: Rules content is not yaml array of objects");
  EXPECT_EQ(OnlyError("- just a string\n"),
            "test.yaml:1:3: error: rules content item: Unexpected element type. Each element should be a yaml "
            "associative array.");
  EXPECT_EQ(OnlyError("- rule: r\n  desc: d\n  condition: [a]\n  output: o\n  priority: INFO\n"),
            "test.yaml:3:14: error: rule 'r': Value for key 'condition' is not a scalar value");
  std::string huge(kMaxRuleFileBytes + 1, '#');
  EXPECT_EQ(OnlyError(huge), "test.yaml: error: rule file is larger than 8 MiB; refused");
  // Several documents, and empty ones.
  LoadResult r;
  auto engine = LoadYaml("---\n" + OneRule("evt.type = execve", "o", "one") + "---\n---\n" +
                             OneRule("evt.type = execve", "o", "two"),
                         r);
  EXPECT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_EQ(engine->Rules().size(), 2u);
}

TEST(Loader, PositionsInFoldedConditions) {
  std::string yaml =
      "- rule: r\n  desc: d\n  condition: >\n    evt.type = execve\n    and proc.name = a\n    and fd.nme = x\n"
      "  output: o\n  priority: INFO\n";
  EXPECT_EQ(OnlyError(yaml), "test.yaml:6:9: error: rule 'r': nonexistent field fd.nme");
  std::string quoted = "- rule: r\n  desc: d\n  condition: \"evt.type = execve and\n    fd.nme = x\"\n"
                       "  output: o\n  priority: INFO\n";
  EXPECT_EQ(OnlyError(quoted), "test.yaml:4:5: error: rule 'r': nonexistent field fd.nme");
}

}  // namespace
}  // namespace bulwark::runtime::rules
