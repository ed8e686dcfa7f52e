// Every fixable check, end to end through the fix runner: a case directory
// (tests/fix/cases/<CHECK-ID>/) that triggers the check is audited, fixed and
// audited again. The finding must be gone, no new finding ID may appear, and
// a second fix run must change nothing. The registry's `fixable` flags must
// be exactly what the fixers can fix, and every fixable check needs a case.
#include <gtest/gtest.h>

#include <algorithm>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "fix/fix_runner.hpp"
#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::SourceDir;

fs::path CasesDir() { return SourceDir() / "tests/fix/cases"; }

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(CasesDir(), ec)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry r;
    EXPECT_TRUE(audit::RegisterAllChecks(r).ok());
    return r;
  }();
  return registry;
}

const audit::CheckSuiteFactory& Suites() {
  static const audit::CheckSuiteFactory factory = *audit::MakeDefaultCheckSuiteFactory();
  return factory;
}

std::set<std::string> AuditIds(const fs::path& root) {
  audit::AuditOptions options;
  options.root = root;
  auto outcome = audit::RunAuditParallel(options, Registry(), Suites(), 1);
  EXPECT_TRUE(outcome.ok()) << outcome.status().message();
  std::set<std::string> ids;
  if (!outcome.ok()) return ids;
  for (const core::Finding& f : outcome->report.findings) ids.insert(f.id);
  EXPECT_TRUE(outcome->report.diagnostics.empty())
      << root << ": " << outcome->report.diagnostics.front().message;
  return ids;
}

FixPlanResult Plan(const fs::path& root, std::set<std::string> only = {}) {
  FixRunOptions options;
  options.audit.root = root;
  options.only = std::move(only);
  // The daemon's part (image inspect) is tested against the real engine in
  // tests/docker; here every image "has" a registry digest.
  options.fix.resolve_digest = [](const std::string&) -> std::optional<std::string> {
    return "sha256:" + std::string(64, 'b');
  };
  auto plan = PlanFixes(options, Registry(), Suites());
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? std::move(plan).value() : FixPlanResult{};
}

fs::path CopyCase(const std::string& name) {
  fs::path dir = MakeTempDir("bulwark-fixcase");
  fs::copy(CasesDir() / name, dir, fs::copy_options::recursive);
  return dir;
}

std::string Join(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

TEST(FixCases, RegistryFixableFlagsAreExactlyWhatTheFixersFix) {
  std::set<std::string> flagged;
  for (const core::CheckInfo* info : Registry().All()) {
    if (info->fixable) flagged.insert(info->id);
  }
  std::set<std::string> fixers = AllFixableChecks();
  std::set<std::string> only_flagged, only_fixers;
  std::set_difference(flagged.begin(), flagged.end(), fixers.begin(), fixers.end(),
                      std::inserter(only_flagged, only_flagged.end()));
  std::set_difference(fixers.begin(), fixers.end(), flagged.begin(), flagged.end(),
                      std::inserter(only_fixers, only_fixers.end()));
  EXPECT_TRUE(only_flagged.empty()) << "marked fixable but no fixer fixes them: " << Join(only_flagged);
  EXPECT_TRUE(only_fixers.empty()) << "fixed but not marked fixable: " << Join(only_fixers);
}

TEST(FixCases, EveryFixableCheckHasACase) {
  std::vector<std::string> names = CaseNames();
  for (const std::string& id : AllFixableChecks()) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), id) != names.end())
        << "no tests/fix/cases/" << id << "/";
  }
}

class FixCase : public ::testing::TestWithParam<std::string> {};

TEST_P(FixCase, AuditFixAuditRemovesTheFindingAndAddsNone) {
  const std::string id = GetParam();
  for (bool only_this : {false, true}) {
    SCOPED_TRACE(only_this ? "fix --only " + id : "fix (every check)");
    fs::path dir = CopyCase(id);
    std::set<std::string> before = AuditIds(dir);
    ASSERT_TRUE(before.count(id)) << "the case does not trigger " << id << "; it reports: " << Join(before);

    FixPlanResult plan = only_this ? Plan(dir, {id}) : Plan(dir);
    EXPECT_TRUE(plan.problems.empty()) << plan.problems.front().path << ": " << plan.problems.front().message;
    ASSERT_FALSE(plan.changes.empty()) << "no change planned for " << id;
    std::vector<FixProblem> problems = ApplyChanges(plan.changes, /*backup=*/false);
    ASSERT_TRUE(problems.empty()) << problems.front().message;

    std::set<std::string> after = AuditIds(dir);
    EXPECT_EQ(after.count(id), 0u) << id << " still reported after the fix";
    std::set<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::inserter(added, added.end()));
    EXPECT_TRUE(added.empty()) << "the fix introduced: " << Join(added);

    FixPlanResult again = only_this ? Plan(dir, {id}) : Plan(dir);
    EXPECT_TRUE(again.changes.empty()) << "a second run still changes " << again.changes.front().relative_path
                                       << " (not idempotent)";
    fs::remove_all(dir);
  }
}

std::string CaseTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, FixCase, ::testing::ValuesIn(CaseNames()), CaseTestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FixCase);

}  // namespace
}  // namespace bulwark::fix
