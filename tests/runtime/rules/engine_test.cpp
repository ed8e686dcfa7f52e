// The Engine API: event types for the sensor, enable/disable by name (glob)
// and by tag, minimum priority, match mode, rule summaries, several sources
// in order, and events no rule listens to.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "runtime/rules/fake_state.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::Fired;
using testing::Scene;

const std::string kRules = R"(
- macro: spawned
  condition: evt.type in (execve, execveat)
- rule: Shell
  desc: a shell ran
  condition: spawned and proc.name = bash
  output: shell %proc.name
  priority: NOTICE
  tags: [shell, process]
- rule: Any exec
  desc: anything ran
  condition: spawned
  output: exec %proc.name
  priority: INFO
  tags: [process]
- rule: Open etc
  desc: etc opened
  condition: evt.type = openat and fd.name startswith /etc/
  output: open %fd.name
  priority: ERROR
  tags: [file]
- rule: Quiet
  desc: disabled
  condition: evt.type = connect
  output: c
  priority: CRITICAL
  enabled: false
)";

std::unique_ptr<Engine> Load(LoadResult& r) { return Engine::Load({{"rules.yaml", kRules}}, r); }

Scene Bash() {
  Scene s;
  s.state.Add(100, 1, "bash");
  s.Exec(100);
  return s;
}

std::set<std::string> Types(const Engine& e) {
  std::set<std::string> out;
  for (auto t : EventTypeList(e.EventTypes())) out.insert(std::string(EventTypeName(t)));
  return out;
}

TEST(Engine, EventTypesOfEnabledRules) {
  LoadResult r;
  auto e = Load(r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_EQ(Types(*e), (std::set<std::string>{"execve", "execveat", "openat"}));
  e->SetRuleEnabled("Quiet", true);
  EXPECT_EQ(Types(*e), (std::set<std::string>{"execve", "execveat", "openat", "connect"}));
  e->SetMinPriority(Priority::kError);
  EXPECT_EQ(Types(*e), (std::set<std::string>{"openat", "connect"}));
}

TEST(Engine, AllMatchesInFileOrderOrFirstOnly) {
  LoadResult r;
  auto e = Load(r);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Shell", "Any exec"}));
  e->SetMatchMode(MatchMode::kFirst);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Shell"}));
}

TEST(Engine, EnableAndDisableByNameAndTag) {
  LoadResult r;
  auto e = Load(r);
  EXPECT_EQ(e->SetRuleEnabled("Shell", false), 1u);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Any exec"}));
  EXPECT_EQ(e->SetRuleEnabled("*", false), 4u);
  EXPECT_TRUE(Fired(*e, Bash()).empty());
  EXPECT_EQ(e->ActiveRuleCount(), 0u);
  EXPECT_EQ(e->SetTagEnabled("process", true), 2u);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Shell", "Any exec"}));
  EXPECT_EQ(e->SetRuleEnabled("Any*", false), 1u);
  EXPECT_EQ(e->SetRuleEnabled("no such rule", false), 0u);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Shell"}));
}

TEST(Engine, MinimumPriority) {
  LoadResult r;
  auto e = Load(r);
  e->SetMinPriority(Priority::kNotice);
  EXPECT_EQ(Fired(*e, Bash()), (std::vector<std::string>{"Shell"}));
  e->SetMinPriority(Priority::kWarning);
  EXPECT_TRUE(Fired(*e, Bash()).empty());
}

TEST(Engine, EventsNoRuleListensToAreCheap) {
  LoadResult r;
  auto e = Load(r);
  Scene s = Bash();
  s.Start(EventType::kKill, 100);
  std::vector<Alert> alerts;
  EXPECT_EQ(e->Evaluate(s.Context(), alerts), 0u);
  EventContext empty;
  EXPECT_EQ(e->Evaluate(empty, alerts), 0u);  // no event at all
  EXPECT_TRUE(alerts.empty());
}

TEST(Engine, RuleSummaries) {
  LoadResult r;
  auto e = Engine::Load({{"rules.yaml", kRules},
                         {"local.yaml", "- rule: Broken\n  desc: d\n  condition: evt.type = execve and (\n"
                                        "  output: o\n  priority: INFO\n"}},
                        r);
  EXPECT_EQ(r.ErrorCount(), 1u);
  auto rules = e->Rules();
  ASSERT_EQ(rules.size(), 5u);
  EXPECT_EQ(rules[0].name, "Shell");
  EXPECT_EQ(rules[0].priority, Priority::kNotice);
  EXPECT_EQ(rules[0].tags, (std::vector<std::string>{"process", "shell"}));
  EXPECT_EQ(rules[0].file, "rules.yaml");
  EXPECT_EQ(rules[0].line, 4);
  EXPECT_TRUE(rules[0].compiled);
  EXPECT_EQ(rules[0].event_types, (std::vector<EventType>{EventType::kExecve, EventType::kExecveat}));
  EXPECT_FALSE(rules[3].enabled);
  EXPECT_EQ(rules[4].name, "Broken");
  EXPECT_EQ(rules[4].file, "local.yaml");
  EXPECT_FALSE(rules[4].compiled);
  EXPECT_TRUE(rules[4].event_types.empty());
}

TEST(Engine, LaterSourcesOverrideEarlierOnes) {
  LoadResult r;
  auto e = Engine::Load({{"rules.yaml", kRules},
                         {"local.yaml", "- rule: Shell\n  enabled: false\n  override:\n    enabled: replace\n"
                                        "- macro: spawned\n  condition: evt.type = execve and proc.pid = 1\n"}},
                        r);
  ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
  EXPECT_TRUE(Fired(*e, Bash()).empty());  // pid 100: the redefined macro no longer matches
  EXPECT_EQ(Types(*e), (std::set<std::string>{"execve", "openat"}));
}

TEST(Engine, FieldValuesAreExtractedOncePerEvent) {
  // Two rules read proc.name; both see the same, consistent value.
  LoadResult r;
  auto e = Load(r);
  Scene s = Bash();
  std::vector<Alert> alerts;
  e->Evaluate(s.Context(), alerts);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].output, "shell bash");
  EXPECT_EQ(alerts[1].output, "exec bash");
  // A new event re-extracts (the cache is per event).
  s.state.procs[100].comm = "zsh";
  alerts.clear();
  e->Evaluate(s.Context(), alerts);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output, "exec zsh");
}

}  // namespace
}  // namespace bulwark::runtime::rules
