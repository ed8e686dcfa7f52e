#include "report/summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "scenario.hpp"
#include "test_support.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;
using namespace scenario;  // NOLINT(google-build-using-namespace): test helpers
using bulwark::testing::MakeTempDir;
using bulwark::testing::ReadFile;
using bulwark::testing::SourceDir;

Summary SummaryOf(const fs::path& dir) {
  auto set = LoadResults(dir);
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  if (set.ok()) {
    for (const core::Diagnostic& d : set->diagnostics)
      ADD_FAILURE() << d.location.path << ": " << d.message;
  }
  return set.ok() ? BuildSummary(*set) : Summary{};
}

const Comparison* Find(const Summary& s, ResultKind kind) {
  for (const Comparison& c : s.comparisons) {
    if (c.kind == kind) return &c;
  }
  return nullptr;
}

std::vector<std::string> Ids(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const Item& i : items) out.push_back(i.id);
  std::sort(out.begin(), out.end());
  return out;
}

int Sev(const Counts& c, core::Severity s) { return c.by_severity[static_cast<size_t>(s)]; }

bool AnyContains(const std::vector<std::string>& lines, const std::string& words) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(words) != std::string::npos; });
}

fs::path CopyFixtures(const std::vector<std::string>& names) {
  fs::path dir = MakeTempDir("bulwark-pairs");
  for (const std::string& n : names) {
    fs::copy_file(SourceDir() / "tests" / "report" / "fixtures" / n, dir / n);
  }
  return dir;
}

TEST(Pairing, BaselineFileNamesTheBefore) {
  fs::path dir = MakeTempDir("bulwark-pairs");
  Save(dir, "audit", "app", "2026-01-01T00:00:00Z",
       ReportJson("app", Many("A", 5, "high", "code")));
  fs::path middle = Save(dir, "audit", "app", "2026-01-02T00:00:00Z",
                         ReportJson("app", Many("A", 3, "high", "code")));
  Save(dir, "audit", "app", "2026-01-03T00:00:00Z", ReportJson("app", Many("A", 1, "high", "code")),
       "some/where/" + middle.filename().string());
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.comparisons.size(), 1u);
  const Comparison& c = s.comparisons[0];
  EXPECT_EQ(c.before.total, 3);
  EXPECT_EQ(c.after.total, 1);
  EXPECT_EQ(c.before_source, middle.filename().string());
  EXPECT_EQ(Ids(c.fixed), (std::vector<std::string>{"A2", "A3"}));
}

TEST(Pairing, SameTargetOldestAgainstNewest) {
  fs::path dir = MakeTempDir("bulwark-pairs");
  Save(dir, "scan", "img", "2026-01-01T00:00:00Z",
       ReportJson("img", Many("CVE-", 4, "low", "vulnerability"), true));
  Save(dir, "scan", "img", "2026-01-02T00:00:00Z",
       ReportJson("img", Many("CVE-", 2, "low", "vulnerability"), true));
  Save(dir, "scan", "img", "2026-01-03T00:00:00Z",
       ReportJson("img", Many("CVE-", 3, "low", "vulnerability"), true));
  Save(dir, "scan", "other", "2026-01-03T00:00:00Z", ReportJson("other", {}, true));
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.comparisons.size(), 2u);
  const Comparison& img = s.comparisons[0];
  EXPECT_EQ(img.target, "img");
  EXPECT_EQ(img.before.total, 4);
  EXPECT_EQ(img.after.total, 3);
  EXPECT_EQ(Ids(img.fixed), std::vector<std::string>{"CVE-4"});
  EXPECT_FALSE(s.comparisons[1].has_before);
  EXPECT_TRUE(AnyContains(s.follow_ups, "Only one Image vulnerabilities run of other"));
}

TEST(Pairing, BaselineNamingATargetLinksTargets) {
  // `model --before OLD NEW` saves both in the same second; NEW's file name
  // sorts first, and its baseline names OLD's target.
  fs::path dir = MakeTempDir("bulwark-pairs");
  const std::string t = "2026-01-01T00:00:00Z";
  Save(dir, "model", "zz-old", t,
       ModelJson("m", {Element{"web", true, false, "", 0}}, false, 3, 0));
  Save(dir, "model", "aa-new", t,
       ModelJson("m", {Element{"web", false, false, "", 0}}, false, 1, 0), "zz-old");
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.comparisons.size(), 1u);
  EXPECT_EQ(s.comparisons[0].target, "aa-new");
  EXPECT_EQ(s.comparisons[0].before_target, "zz-old");
  EXPECT_EQ(s.comparisons[0].before.total, 3);
  EXPECT_EQ(s.comparisons[0].after.total, 1);
  EXPECT_TRUE(s.architecture.has_before);
}

TEST(Pairing, FixCarriesItsOwnBeforeAndAfter) {
  Summary s = SummaryOf(CopyFixtures({"saved_fix.json"}));
  ASSERT_EQ(s.comparisons.size(), 1u);
  const Comparison& c = s.comparisons[0];
  EXPECT_EQ(c.kind, ResultKind::kAudit);
  EXPECT_EQ(c.before.total, 2);
  EXPECT_EQ(c.after.total, 1);
  EXPECT_EQ(Ids(c.fixed), std::vector<std::string>{"BW-SEC-002"});
  EXPECT_NE(c.before_source.find("before the edits"), std::string::npos);
  ASSERT_EQ(s.edits.size(), 2u);
  EXPECT_EQ(s.steps.size(), 1u);
  EXPECT_EQ(s.steps[0].command, "fix --write");
}

TEST(Pairing, FixJoinsTheAuditsOfItsTarget) {
  Summary s = SummaryOf(CopyFixtures({"saved_audit.json", "saved_fix.json"}));
  ASSERT_EQ(s.comparisons.size(), 1u);
  // saved_audit (08:00, 1 finding) is the oldest; the fix's after (08:05) the newest.
  EXPECT_EQ(s.comparisons[0].before_source, "saved_audit.json");
  EXPECT_NE(s.comparisons[0].after_source.find("after the edits"), std::string::npos);
}

TEST(Pairing, ReportBaselineRebuildsTheBefore) {
  Summary s = SummaryOf(CopyFixtures({"bulwark_audit.json"}));
  ASSERT_EQ(s.comparisons.size(), 1u);
  const Comparison& c = s.comparisons[0];
  ASSERT_TRUE(c.has_before);
  EXPECT_NE(c.before_source.find("old-audit.json"), std::string::npos);
  EXPECT_EQ(c.before.total, 2);  // the unchanged finding + the fixed one
  EXPECT_EQ(Ids(c.fixed), std::vector<std::string>{"BW-SEC-002"});
  EXPECT_EQ(Ids(c.added), std::vector<std::string>{"BW-CMP-003"});
  ASSERT_EQ(c.accepted.size(), 1u);
  EXPECT_EQ(c.accepted[0].reason, "base image is rebuilt nightly from a pinned digest");
}

TEST(Pairing, BaselineOutsideTheDirectoryFindsItsLoneRun) {
  // `audit old` saved; `audit new --baseline before.json` with before.json a
  // copy kept elsewhere: the saved run holding exactly those findings is the before.
  fs::path dir = MakeTempDir("bulwark-pairs");
  std::vector<F> old_findings = Many("A", 4, "high", "code", "app.py");
  Save(dir, "audit", "lab/old", "2026-01-01T00:00:00Z", ReportJson("lab/old", old_findings));
  json after = ReportJson("lab/new", {F{"A1", "high", "code", "app.py"}});
  after["findings"][0]["change"] = "unchanged";
  json fixed = json::array();
  for (int i = 2; i <= 4; ++i)
    fixed.push_back(FindingJson(F{"A" + std::to_string(i), "high", "code", "app.py"}));
  after["baseline"] = {{"path", "before.json"}, {"fixed_findings", fixed}};
  Save(dir, "audit", "lab/new", "2026-01-02T00:00:00Z", after, "before.json");
  // Another lone audit with other findings stays on its own.
  Save(dir, "audit", "lab/other", "2026-01-01T00:00:00Z",
       ReportJson("lab/other", Many("B", 2, "low", "code")));
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.comparisons.size(), 2u);
  const Comparison& c = s.comparisons[0];
  EXPECT_EQ(c.target, "lab/new");
  EXPECT_EQ(c.before_target, "lab/old");
  EXPECT_EQ(c.before.total, 4);
  EXPECT_EQ(c.after.total, 1);
  EXPECT_EQ(Ids(c.fixed), (std::vector<std::string>{"A2", "A3", "A4"}));
  EXPECT_FALSE(s.comparisons[1].has_before);
  ASSERT_EQ(s.totals.size(), 1u);
  EXPECT_EQ(s.totals[0].before.total, 4);  // the unpaired run is left out of both columns
  EXPECT_EQ(s.totals[0].after.total, 1);
  EXPECT_EQ(s.totals[0].unpaired, 1);
}

TEST(Pairing, StoriesFromTheSameStartCountItOnce) {
  // make demo: `audit old`; `fix --write` on a copy of old (its before is
  // old's findings); `audit new --baseline before.json`. One story: old's
  // findings once, and the furthest after (new), not old twice.
  fs::path dir = MakeTempDir("bulwark-pairs");
  std::vector<F> old_findings = Many("A", 4, "high", "code", "app.py");
  Save(dir, "audit", "lab/old", "2026-01-01T00:00:00Z", ReportJson("lab/old", old_findings));
  json fix = {{"target", "/tmp/copy"},
              {"written", true},
              {"before", ReportJson("/tmp/copy", old_findings)},
              {"after", ReportJson("/tmp/copy", Many("A", 2, "high", "code", "app.py"))},
              {"edits", json::array()}};
  Save(dir, "fix", "/tmp/copy", "2026-01-01T00:01:00Z", fix);
  json after = ReportJson("lab/new", {F{"A1", "high", "code", "app.py"}});
  after["findings"][0]["change"] = "unchanged";
  json fixed = json::array();
  for (int i = 2; i <= 4; ++i)
    fixed.push_back(FindingJson(F{"A" + std::to_string(i), "high", "code", "app.py"}));
  after["baseline"] = {{"path", "before.json"}, {"fixed_findings", fixed}};
  Save(dir, "audit", "lab/new", "2026-01-02T00:00:00Z", after, "before.json");
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.totals.size(), 1u);
  EXPECT_EQ(s.totals[0].before.total, 4);
  EXPECT_EQ(s.totals[0].after.total, 1);
  ASSERT_EQ(s.comparisons.size(), 1u);
  EXPECT_EQ(s.comparisons[0].target, "lab/new");
  EXPECT_EQ(s.steps.size(), 3u) << "every run is still a step";
}

TEST(Pairing, TrivyAndGrypeOfOneImagePair) {
  Summary s = SummaryOf(CopyFixtures({"trivy_image.json", "grype.json"}));
  ASSERT_EQ(s.comparisons.size(), 1u);
  const Comparison& c = s.comparisons[0];
  EXPECT_EQ(c.kind, ResultKind::kScan);
  EXPECT_EQ(c.before_source, "trivy_image.json");
  EXPECT_EQ(c.after_source, "grype.json");
  EXPECT_EQ(Ids(c.fixed), (std::vector<std::string>{"CVE-2031-0002", "GHSA-aaaa-bbbb-cccc"}));
  EXPECT_EQ(Ids(c.added), std::vector<std::string>{"GHSA-dddd-eeee-ffff"});
  EXPECT_EQ(s.steps[0].command, "trivy scan (imported)");
  EXPECT_TRUE(AnyContains(s.follow_ups, "no fixed version yet"));
}

TEST(Summary, HardeningStoryNumbers) {
  Summary s = SummaryOf(WriteHardeningStory());
  ASSERT_EQ(s.comparisons.size(), 4u);
  EXPECT_EQ(s.steps.size(), 9u);
  EXPECT_EQ(s.first_time, "2026-11-23T10:00:00Z");
  EXPECT_EQ(s.last_time, "2026-11-23T12:00:00Z");
  EXPECT_EQ(s.title, "Security summary: shop");

  const Comparison* audit = Find(s, ResultKind::kAudit);
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->before.total, 10);
  EXPECT_EQ(audit->after.total, 3);
  EXPECT_EQ(Sev(audit->before, core::Severity::kCritical), 1);
  EXPECT_EQ(Sev(audit->before, core::Severity::kHigh), 3);
  EXPECT_EQ(Sev(audit->before, core::Severity::kMedium), 4);
  EXPECT_EQ(Sev(audit->before, core::Severity::kLow), 2);
  EXPECT_EQ(Sev(audit->after, core::Severity::kHigh), 1);
  EXPECT_EQ(audit->before.by_category.at("dockerfile"), 4);
  EXPECT_EQ(audit->before.by_category.at("compose"), 4);
  EXPECT_EQ(audit->before.by_category.at("secret"), 2);
  EXPECT_EQ(audit->after.by_category.count("secret"), 0u);
  EXPECT_EQ(Ids(audit->fixed),
            (std::vector<std::string>{"A1", "H1", "H3", "M2", "M3", "M4", "S1", "S2"}));
  EXPECT_EQ(Ids(audit->added), std::vector<std::string>{"N1"});
  EXPECT_EQ(audit->remaining.front().id, "H2");  // most severe first
  ASSERT_EQ(audit->accepted.size(), 1u);
  EXPECT_EQ(audit->accepted[0].reason, "pinned by digest in CI");

  const Comparison* scan = Find(s, ResultKind::kScan);
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->before.total, 7);
  EXPECT_EQ(scan->after.total, 0);
  EXPECT_EQ(scan->fixed.size(), 7u);

  const Comparison* host = Find(s, ResultKind::kHostAudit);
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(host->before.total, 12);  // infos are not counted
  EXPECT_EQ(host->after.total, 5);
  EXPECT_EQ(host->fixed.size(), 7u);

  const Comparison* model = Find(s, ResultKind::kModel);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->before.total, 6);
  EXPECT_EQ(model->after.total, 1);
  EXPECT_EQ(Sev(model->before, core::Severity::kCritical), 1);
  EXPECT_EQ(model->before.by_category.at("E"), 3);

  ASSERT_EQ(s.totals.size(), 4u);
  EXPECT_EQ(s.edits.size(), 2u);
}

TEST(Summary, HardeningStoryArchitecture) {
  Summary s = SummaryOf(WriteHardeningStory());
  const Architecture& a = s.architecture;
  ASSERT_TRUE(a.present);
  ASSERT_TRUE(a.has_before);
  EXPECT_EQ(a.services, 1);
  EXPECT_EQ(a.actors, 1);
  EXPECT_EQ(a.internet_facing_before, 1);
  EXPECT_EQ(a.internet_facing_after, 0);
  EXPECT_EQ(a.crossing_after, 1);
  std::vector<std::string> texts;
  for (const ArchitectureChange& c : a.changes) {
    texts.push_back(c.text);
    EXPECT_EQ(c.effect, Effect::kImproved) << c.text;
  }
  EXPECT_TRUE(AnyContains(texts, "web no longer runs as root"));
  EXPECT_TRUE(AnyContains(texts, "web no longer mounts the container engine's socket"));
  EXPECT_TRUE(AnyContains(texts, "web publishes port 8080 on 127.0.0.1 only"));
  EXPECT_TRUE(AnyContains(texts, "web no longer has credentials written inline (2 before)"));
  EXPECT_TRUE(AnyContains(texts, "network backend is now isolated"));
}

TEST(Summary, HardeningStoryLessons) {
  Summary s = SummaryOf(WriteHardeningStory());
  EXPECT_TRUE(AnyContains(s.lessons, "The largest share of fixes (")) << s.lessons.size();
  EXPECT_TRUE(AnyContains(s.lessons, "Running web as a non-root user"));
  EXPECT_TRUE(AnyContains(s.lessons, "2 secrets written in files"));
  EXPECT_TRUE(AnyContains(s.lessons, "removed 7 known vulnerabilities in 1 package"));
  EXPECT_TRUE(AnyContains(s.lessons, "cleared 7 of 12 CIS warnings"));
  EXPECT_TRUE(AnyContains(s.lessons, "Confirmed threats fell from 6 to 1"));
  EXPECT_TRUE(AnyContains(s.lessons, "Limiting who can reach a service"));
  EXPECT_TRUE(AnyContains(s.lessons, "1 finding is new"));
  EXPECT_TRUE(AnyContains(s.lessons, "1 finding is accepted as risk"));
  EXPECT_TRUE(AnyContains(
      s.follow_ups,
      "critical or high item remains in Code and configuration audit of shop, e.g. H2"));
  EXPECT_FALSE(AnyContains(s.follow_ups, "Only one"));
}

TEST(Summary, WatchAlertsCountAndPair) {
  fs::path dir = MakeTempDir("bulwark-watch");
  json alerts = json{{"alerts", json::array({{{"rule", "Shell"}, {"priority", "Warning"}},
                                             {{"rule", "Shell"}, {"priority", "Warning"}},
                                             {{"rule", "Miner"}, {"priority", "Critical"}}})}};
  Save(dir, "watch", "shop", "2026-01-01T00:00:00Z", alerts);
  Save(dir, "watch", "shop", "2026-01-02T00:00:00Z",
       json{{"alerts", json::array({{{"rule", "Shell"}, {"priority", "Warning"}}})}});
  Summary s = SummaryOf(dir);
  ASSERT_EQ(s.comparisons.size(), 1u);
  const Comparison& c = s.comparisons[0];
  EXPECT_EQ(c.before.total, 3);
  EXPECT_EQ(c.after.total, 1);
  EXPECT_EQ(Ids(c.fixed), std::vector<std::string>{"Miner"});
  EXPECT_EQ(Sev(c.before, core::Severity::kCritical), 1);
  EXPECT_TRUE(AnyContains(s.follow_ups, "raised 1 alert"));
}

TEST(Summary, EmptyDirectory) {
  Summary s = SummaryOf(MakeTempDir("bulwark-empty"));
  EXPECT_TRUE(s.comparisons.empty());
  EXPECT_FALSE(s.architecture.present);
  EXPECT_TRUE(AnyContains(s.lessons, "No results were found"));
  EXPECT_EQ(s.title, "Security summary");
}

TEST(Summary, ArchitectureRegressionsAreFollowUps) {
  fs::path dir = MakeTempDir("bulwark-worse");
  Save(dir, "model", "m", "2026-01-01T00:00:00Z",
       ModelJson("m", {Element{"web", false, false, "127.0.0.1", 0}}, true, 0, 1));
  Save(dir, "model", "m", "2026-01-02T00:00:00Z",
       ModelJson("m", {Element{"web", true, true, "0.0.0.0", 1}}, false, 2, 0));
  Summary s = SummaryOf(dir);
  EXPECT_TRUE(AnyContains(s.follow_ups, "The architecture got worse: web now runs as root"));
  EXPECT_TRUE(AnyContains(s.follow_ups, "now publishes port 8080 on every interface"));
  EXPECT_TRUE(AnyContains(s.follow_ups, "network backend is no longer isolated"));
}

}  // namespace
}  // namespace bulwark::report
