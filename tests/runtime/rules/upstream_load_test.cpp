// Loading Falco's own rule files (../shared/data/falco-rules): the stable
// falco_rules.yaml loads with no error, its 25 rules compile with the event
// types of notes section 2.2; the incubating and sandbox files load with
// errors only for rules whose fields bulwark truly lacks (listed exactly).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "runtime/rules/engine.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::ReadFile;

std::string Dump(const LoadResult& r, DiagSeverity severity) {
  std::string s;
  for (const auto& d : r.diagnostics) {
    if (d.severity == severity) s += FormatDiagnostic(d) + "\n";
  }
  return s;
}

std::set<std::string> TypeNames(const RuleSummary& r) {
  std::set<std::string> out;
  for (auto t : r.event_types) out.insert(std::string(EventTypeName(t)));
  return out;
}

TEST(UpstreamRules, StableFileLoadsWithoutErrors) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  LoadResult result;
  auto engine = Engine::Load({{"falco_rules.yaml", ReadFile(data / "falco-rules/falco_rules.yaml")}}, result);
  EXPECT_EQ(result.ErrorCount(), 0u) << Dump(result, DiagSeverity::kError);
  auto rules = engine->Rules();
  ASSERT_EQ(rules.size(), 25u);
  for (const auto& r : rules) {
    EXPECT_TRUE(r.compiled) << r.name;
    EXPECT_TRUE(r.enabled) << r.name;
    EXPECT_EQ(r.file, "falco_rules.yaml");
    EXPECT_NE(std::find(r.tags.begin(), r.tags.end(), "maturity_stable"), r.tags.end()) << r.name;
  }
  EXPECT_EQ(engine->ActiveRuleCount(), 25u);
}

// Notes section 2.3, column "evt.types".
TEST(UpstreamRules, StableRulesHaveFalcosEventTypes) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  LoadResult result;
  auto engine = Engine::Load({{"falco_rules.yaml", ReadFile(data / "falco-rules/falco_rules.yaml")}}, result);
  const std::set<std::string> exec = {"execve", "execveat"};
  const std::set<std::string> open = {"open", "openat", "openat2"};
  const std::map<std::string, std::set<std::string>> expected = {
      {"Directory traversal monitored file read", open},
      {"Read sensitive file trusted after startup", open},
      {"Read sensitive file untrusted", open},
      {"Run shell untrusted", exec},
      {"System user interactive", exec},
      {"Terminal shell in container", exec},
      {"Contact K8S API Server From Container", {"connect"}},
      {"Netcat Remote Code Execution in Container", exec},
      {"Search Private Keys or Passwords", exec},
      {"Clear Log Activities", open},
      {"Remove Bulk Data from Disk", exec},
      {"Create Symlink Over Sensitive Files", {"symlink", "symlinkat"}},
      {"Create Hardlink Over Sensitive Files", {"link", "linkat"}},
      {"Packet socket created in container", {"socket"}},
      {"Redirect STDOUT/STDIN to Network Connection in Container", {"dup", "dup2", "dup3"}},
      {"Linux Kernel Module Injection Detected", {"init_module", "finit_module"}},
      {"Debugfs Launched in Privileged Container", exec},
      {"Detect release_agent File Container Escapes", open},
      {"PTRACE attached to process", {"ptrace"}},
      {"PTRACE anti-debug attempt", {"ptrace"}},
      {"Find AWS Credentials", exec},
      {"Execution from /dev/shm", exec},
      {"Drop and execute new binary in container", exec},
      {"Disallowed SSH Connection Non Standard Port", {"connect", "sendto", "sendmsg"}},
      {"Fileless execution via memfd_create", exec},
  };
  auto rules = engine->Rules();
  ASSERT_EQ(rules.size(), expected.size());
  std::set<std::string> all_types;
  for (const auto& r : rules) {
    auto it = expected.find(r.name);
    ASSERT_NE(it, expected.end()) << "unexpected rule " << r.name;
    EXPECT_EQ(TypeNames(r), it->second) << r.name;
    for (const auto& t : TypeNames(r)) all_types.insert(t);
  }
  // Notes section 2.2: the stable rules need 19 syscalls.
  EXPECT_EQ(all_types.size(), 19u);
  EXPECT_EQ(EventTypeList(engine->EventTypes()).size(), 19u);
}

// Rules with errors, by name. Every field the incubating and sandbox files
// use is provided (fd.*.name through the DnsCache, container.mount.* by
// path glob, evt.buffer, proc.vpgid.*, k8s.* from CRI labels), so the list
// of rules bulwark cannot compile is empty; a rule appearing here would be
// one whose fields bulwark truly lacks.
std::set<std::string> RulesWithErrors(const LoadResult& r) {
  std::set<std::string> names;
  for (const auto& d : r.diagnostics) {
    if (d.severity == DiagSeverity::kError) names.insert(d.item_kind + " " + d.item_name);
  }
  return names;
}

TEST(UpstreamRules, IncubatingFileLoads) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  LoadResult result;
  auto engine = Engine::Load(
      {{"falco-incubating_rules.yaml", ReadFile(data / "falco-rules/falco-incubating_rules.yaml")}}, result);
  EXPECT_EQ(RulesWithErrors(result), std::set<std::string>{}) << Dump(result, DiagSeverity::kError);
  auto rules = engine->Rules();
  EXPECT_EQ(rules.size(), 31u);
  size_t compiled = std::count_if(rules.begin(), rules.end(), [](const RuleSummary& r) { return r.compiled; });
  EXPECT_EQ(compiled, rules.size());
  // Incubating uses `intersects` (notes section 2.1, macro mount_info); the
  // rule that uses it must have compiled.
  auto it = std::find_if(rules.begin(), rules.end(),
                         [](const RuleSummary& r) { return r.name == "Mount Launched in Privileged Container"; });
  ASSERT_NE(it, rules.end());
  EXPECT_TRUE(it->compiled);
}

TEST(UpstreamRules, SandboxFileLoads) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  LoadResult result;
  auto engine =
      Engine::Load({{"falco-sandbox_rules.yaml", ReadFile(data / "falco-rules/falco-sandbox_rules.yaml")}}, result);
  EXPECT_EQ(RulesWithErrors(result), std::set<std::string>{}) << Dump(result, DiagSeverity::kError);
  auto rules = engine->Rules();
  EXPECT_EQ(rules.size(), 37u);
  size_t disabled = std::count_if(rules.begin(), rules.end(), [](const RuleSummary& r) { return !r.enabled; });
  EXPECT_EQ(disabled, 12u);  // `enabled: false` in the file
  EXPECT_EQ(engine->ActiveRuleCount(), 25u);
}

// The three files together, as `falco -r` thrice: later files redefine the
// macros and lists of earlier ones; nothing breaks.
TEST(UpstreamRules, AllThreeFilesTogether) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::vector<RuleSource> sources;
  for (const char* f : {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"}) {
    sources.push_back({f, ReadFile(data / "falco-rules" / f)});
  }
  LoadResult result;
  auto engine = Engine::Load(sources, result);
  EXPECT_EQ(result.ErrorCount(), 0u) << Dump(result, DiagSeverity::kError);
  EXPECT_EQ(engine->Rules().size(), 25u + 31u + 37u);
  // fd.sip.name in "Contact K8S API Server From Container" and the
  // incubating outputs ask for names to resolve.
  auto names = engine->DnsNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "kubernetes.default.svc.cluster.local"), names.end());
}

}  // namespace
}  // namespace bulwark::runtime::rules
