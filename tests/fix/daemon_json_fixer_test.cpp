#include "fix/daemon_json_fixer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "audit/daemon_checks.hpp"
#include "core/finding_sink.hpp"
#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(audit::RegisterDaemonChecks(*r).ok());
    return r;
  }();
  return *registry;
}

struct Audit {
  std::vector<core::Finding> findings;
  std::vector<core::Diagnostic> diagnostics;
  std::set<std::string> Ids() const {
    std::set<std::string> ids;
    for (const auto& f : findings) ids.insert(f.id);
    return ids;
  }
};

// As the fix runner does: a missing file (empty text) is audited as "{}".
Audit AuditText(std::string_view text) {
  auto analyzer = audit::MakeDaemonAnalyzer();
  core::FindingSink sink(Registry());
  const std::string content = text.empty() ? "{}" : std::string(text);
  analyzer->Analyze(core::SourceFile{"etc/docker/daemon.json", {}, content}, sink);
  analyzer->Finish(sink);
  return Audit{sink.findings(), sink.diagnostics()};
}

struct Fixed {
  std::string after;
  FixPlan plan;
};

// Fixes the fixable findings among `findings` (all of the audit's when empty).
Fixed FixText(std::string_view text, std::set<std::string> only = {}) {
  auto fixer = MakeDaemonJsonFixer();
  const std::set<std::string> fixable = fixer->FixableChecks();
  FixOptions options;
  FixRequest request{"/etc/docker/daemon.json", text, {}, &options};
  for (const core::Finding& f : AuditText(text).findings) {
    if (fixable.count(f.id) != 0 && (only.empty() || only.count(f.id) != 0)) {
      request.findings.push_back(f);
    }
  }
  auto plan = fixer->Plan(request);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return {};
  auto after = ApplyEdits(text, plan->edits);
  EXPECT_TRUE(after.ok()) << after.status().message();
  return Fixed{after.ok() ? *after : std::string(), std::move(plan).value()};
}

const char* const kHardenedFile =
    "{\n"
    "  \"icc\": false,\n"
    "  \"userns-remap\": \"default\",\n"
    "  \"live-restore\": true,\n"
    "  \"userland-proxy\": false,\n"
    "  \"no-new-privileges\": true,\n"
    "  \"log-driver\": \"json-file\",\n"
    "  \"log-opts\": {\n"
    "    \"max-size\": \"10m\",\n"
    "    \"max-file\": \"3\"\n"
    "  },\n"
    "  \"default-ulimits\": {\n"
    "    \"nofile\": {\n"
    "      \"Name\": \"nofile\",\n"
    "      \"Soft\": 65536,\n"
    "      \"Hard\": 65536\n"
    "    }\n"
    "  }\n"
    "}\n";

TEST(DaemonJsonFixer, FixableChecksAreTheCatalogsFixableChecks) {
  std::set<std::string> flagged;
  for (const core::CheckInfo* info : Registry().All()) {
    if (info->fixable) flagged.insert(info->id);
  }
  EXPECT_EQ(MakeDaemonJsonFixer()->FixableChecks(), flagged);
  // Left to the user, on purpose (see daemon_json_fixer.hpp).
  for (const char* id : {"BW-DJ-004", "BW-DJ-005", "BW-DJ-006", "BW-DJ-011"}) {
    EXPECT_EQ(flagged.count(id), 0u) << id;
  }
}

TEST(DaemonJsonFixer, MissingFileBecomesTheHardenedFileInOneInsertion) {
  Fixed fixed = FixText("");
  EXPECT_EQ(fixed.after, kHardenedFile);
  ASSERT_EQ(fixed.plan.edits.size(), 1u);
  EXPECT_EQ(fixed.plan.edits[0].begin, 0u);
  EXPECT_EQ(fixed.plan.edits[0].end, 0u);
  EXPECT_EQ(fixed.plan.fixed_ids,
            (std::set<std::string>{"BW-DJ-001", "BW-DJ-007", "BW-DJ-008", "BW-DJ-012", "BW-DJ-013",
                                   "BW-DJ-014", "BW-DJ-015"}));
  // Only the authorization plugin is left: it needs a plugin installed first.
  Audit after = AuditText(fixed.after);
  EXPECT_EQ(after.Ids(), std::set<std::string>{"BW-DJ-011"});
  EXPECT_THAT(after.diagnostics, IsEmpty());
  // "{}" and a blank file get the same content.
  EXPECT_EQ(FixText("{}\n").after, kHardenedFile);
  EXPECT_EQ(FixText("\n").after, kHardenedFile);
}

TEST(DaemonJsonFixer, EditsOnlyWhatItFixesAndKeepsUnknownKeys) {
  const std::string before =
      "{\n"
      "  \"data-root\": \"/srv/docker\",\n"
      "  \"icc\": true,\n"
      "  \"log-driver\": \"json-file\",\n"
      "  \"registry-mirrors\": [\"https://mirror.example.com\"],\n"
      "  \"seccomp-profile\": \"unconfined\",\n"
      "  \"x-site\": {\"owner\": \"ops\"}\n"
      "}\n";
  Fixed fixed = FixText(before);
  EXPECT_EQ(fixed.after,
            "{\n"
            "  \"data-root\": \"/srv/docker\",\n"
            "  \"icc\": false,\n"
            "  \"log-driver\": \"json-file\",\n"
            "  \"registry-mirrors\": [\"https://mirror.example.com\"],\n"
            "  \"x-site\": {\"owner\": \"ops\"},\n"
            "  \"userns-remap\": \"default\",\n"
            "  \"live-restore\": true,\n"
            "  \"userland-proxy\": false,\n"
            "  \"no-new-privileges\": true,\n"
            "  \"log-opts\": {\n"
            "    \"max-size\": \"10m\",\n"
            "    \"max-file\": \"3\"\n"
            "  },\n"
            "  \"default-ulimits\": {\n"
            "    \"nofile\": {\n"
            "      \"Name\": \"nofile\",\n"
            "      \"Soft\": 65536,\n"
            "      \"Hard\": 65536\n"
            "    }\n"
            "  }\n"
            "}\n");
  EXPECT_EQ(AuditText(fixed.after).Ids(), std::set<std::string>{"BW-DJ-011"});
}

TEST(DaemonJsonFixer, FixesOnlyTheFindingsItIsGiven) {
  const std::string before = "{\"icc\": true, \"experimental\": true}\n";
  EXPECT_EQ(FixText(before, {"BW-DJ-001"}).after, "{\"icc\": false, \"experimental\": true}\n");
  EXPECT_EQ(FixText(before, {"BW-DJ-017"}).after, "{\"icc\": true, \"experimental\": false}\n");
}

TEST(DaemonJsonFixer, KeepsOddFormatting) {
  // Tabs.
  EXPECT_EQ(FixText("{\n\t\"icc\": true,\n\t\"log-driver\": \"journald\"\n}\n",
                    {"BW-DJ-001", "BW-DJ-014"})
                .after,
            "{\n\t\"icc\": false,\n\t\"log-driver\": \"journald\",\n\t\"live-restore\": true\n}\n");
  // One line, no spaces, no final newline.
  EXPECT_EQ(FixText("{\"log-driver\":\"journald\",\"icc\":true}", {"BW-DJ-001", "BW-DJ-013"}).after,
            "{\"log-driver\":\"journald\",\"icc\":false,\"no-new-privileges\":true}");
  // CRLF.
  EXPECT_EQ(FixText("{\r\n  \"log-driver\": \"journald\"\r\n}\r\n", {"BW-DJ-013"}).after,
            "{\r\n  \"log-driver\": \"journald\",\r\n  \"no-new-privileges\": true\r\n}\r\n");
  // No final newline, four spaces.
  EXPECT_EQ(FixText("{\n    \"live-restore\": false\n}", {"BW-DJ-014"}).after,
            "{\n    \"live-restore\": true\n}");
}

TEST(DaemonJsonFixer, IsIdempotent) {
  for (const std::string& before :
       {std::string(""), std::string("{}"),
        std::string("{\"icc\": true, \"cgroup-parent\": \"x\"}"),
        std::string(
            "{\n\t\"log-driver\": \"none\",\n\t\"storage-opts\": [\"dm.basesize=9G\"]\n}\n")}) {
    SCOPED_TRACE(before);
    Fixed once = FixText(before);
    Fixed twice = FixText(once.after);
    EXPECT_TRUE(twice.plan.edits.empty());
    EXPECT_EQ(twice.after, once.after);
    // Even when handed the old findings again, the fixed text needs no edit.
    auto fixer = MakeDaemonJsonFixer();
    FixOptions options;
    FixRequest stale{"/etc/docker/daemon.json", once.after, AuditText(before).findings, &options};
    auto plan = fixer->Plan(stale);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    EXPECT_TRUE(plan->edits.empty());
  }
}

TEST(DaemonJsonFixer, RefusesTextThatDoesNotParse) {
  auto fixer = MakeDaemonJsonFixer();
  FixOptions options;
  std::vector<core::Finding> findings = AuditText("{}").findings;
  for (const char* text : {"{\"icc\": true,}", "{\"icc\": true} // ok", "[\"icc\"]",
                           "{\"icc\": tru}", "{\"a\": \"\x01\"}"}) {
    FixRequest request{"/etc/docker/daemon.json", text, findings, &options};
    EXPECT_FALSE(fixer->Plan(request).ok()) << text;
  }
}

TEST(DaemonJsonFixer, LoggingKeepsTheDriverAndOptionsThatAreThere) {
  EXPECT_EQ(
      FixText("{\"log-driver\": \"json-file\", \"log-opts\": {\"max-file\": \"5\"}}", {"BW-DJ-012"})
          .after,
      "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-file\": \"5\", \"max-size\": "
      "\"10m\"}}");
  EXPECT_EQ(FixText("{\"log-driver\": \"none\"}", {"BW-DJ-012"}).after,
            "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": "
            "\"3\"}}");
  EXPECT_EQ(
      FixText("{\"log-driver\": \"none\", \"log-opts\": {\"max-size\": \"1m\"}}", {"BW-DJ-012"})
          .after,
      "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"1m\", \"max-file\": \"3\"}}");
  // A log-opts of the wrong type (dockerd would not start) is replaced.
  EXPECT_EQ(FixText("{\"log-opts\": [\"max-size=1m\"]}", {"BW-DJ-012"}).after,
            "{\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}, \"log-driver\": "
            "\"json-file\"}");
}

TEST(DaemonJsonFixer, RemovesUnsafeSettingsCleanly) {
  EXPECT_EQ(FixText("{\n  \"cgroup-parent\": \"/custom\",\n  \"seccomp-profile\": \"unconfined\",\n"
                    "  \"log-level\": \"debug\"\n}\n",
                    {"BW-DJ-002", "BW-DJ-009", "BW-DJ-016"})
                .after,
            "{\n  \"log-level\": \"info\"\n}\n");
  EXPECT_EQ(FixText("{\"storage-opts\": [\"dm.basesize=20G\", \"dm.fs=xfs\", \"DM.BASESIZE=5G\"]}",
                    {"BW-DJ-010"})
                .after,
            "{\"storage-opts\": [\"dm.fs=xfs\"]}");
  EXPECT_EQ(FixText("{\"iptables\": false, \"debug\": true}", {"BW-DJ-003"}).after,
            "{\"iptables\": true, \"debug\": true}");
  // A wrong-typed value the check reads as absent is replaced, never duplicated.
  EXPECT_EQ(FixText("{\"userns-remap\": true}", {"BW-DJ-008"}).after,
            "{\"userns-remap\": \"default\"}");
}

TEST(DaemonJsonFixer, NotesSayWhatTheUserMustKnow) {
  Fixed fixed = FixText("{}", {"BW-DJ-008", "BW-DJ-014"});
  ASSERT_EQ(fixed.plan.notes.size(), 2u);
  EXPECT_EQ(fixed.plan.notes[0].check_id, "BW-DJ-008");
  EXPECT_EQ(fixed.plan.notes[0].line, 1);
  EXPECT_THAT(fixed.plan.notes[0].message, HasSubstr("/etc/subuid"));
  EXPECT_THAT(fixed.plan.notes[0].message, HasSubstr("storage root"));
  EXPECT_THAT(fixed.plan.notes[1].message, HasSubstr("swarm"));
}

// Every case directory of this fixer, in process: the check fires before,
// not after, and no new check ID appears; fixing again changes nothing.
TEST(DaemonJsonFixer, CaseDirectories) {
  const fs::path cases = testing::SourceDir() / "tests/fix/cases";
  const std::set<std::string> fixable = MakeDaemonJsonFixer()->FixableChecks();
  size_t seen = 0;
  for (const std::string& id : fixable) {
    SCOPED_TRACE(id);
    const fs::path file = cases / id / "daemon.json";
    ASSERT_TRUE(fs::exists(file));
    ++seen;
    const std::string before = testing::ReadFile(file);
    Audit audit_before = AuditText(before);
    EXPECT_THAT(audit_before.diagnostics, IsEmpty());
    ASSERT_EQ(audit_before.Ids().count(id), 1u) << "the case does not trigger " << id;
    for (bool only_this : {true, false}) {
      Fixed fixed = only_this ? FixText(before, {id}) : FixText(before);
      EXPECT_EQ(fixed.plan.fixed_ids.count(id), 1u);
      Audit audit_after = AuditText(fixed.after);
      EXPECT_EQ(audit_after.Ids().count(id), 0u) << fixed.after;
      EXPECT_THAT(audit_after.diagnostics, IsEmpty());
      for (const std::string& after_id : audit_after.Ids()) {
        EXPECT_EQ(audit_before.Ids().count(after_id), 1u) << "new finding " << after_id;
      }
      Fixed again = only_this ? FixText(fixed.after, {id}) : FixText(fixed.after);
      EXPECT_TRUE(again.plan.edits.empty());
    }
  }
  EXPECT_EQ(seen, 13u);
}

TEST(DaemonJsonFixer, CaseFilesKeepTheirLayout) {
  const fs::path cases = testing::SourceDir() / "tests/fix/cases";
  EXPECT_EQ(FixText(testing::ReadFile(cases / "BW-DJ-013/daemon.json"), {"BW-DJ-013"}).after,
            "{\r\n  \"no-new-privileges\": true,\r\n  \"log-driver\": \"journald\",\r\n  "
            "\"features\": {\"buildkit\": true}\r\n}\r\n");
  EXPECT_EQ(FixText(testing::ReadFile(cases / "BW-DJ-012/daemon.json"), {"BW-DJ-012"}).after,
            "{\n  \"log-driver\": \"json-file\",\n  \"log-opts\": {\n    \"max-file\": \"5\",\n"
            "    \"labels\": \"production\",\n    \"max-size\": \"10m\"\n  }\n}\n");
  EXPECT_EQ(FixText(testing::ReadFile(cases / "BW-DJ-010/daemon.json"), {"BW-DJ-010"}).after,
            "{\n  \"storage-driver\": \"devicemapper\",\n  \"storage-opts\": [\n"
            "    \"dm.thinpooldev=/dev/mapper/docker-thinpool\",\n"
            "    \"dm.use_deferred_removal=true\"\n  ],\n  \"log-driver\": \"journald\"\n}\n");
}

// --- Restart advice ---------------------------------------------------------

using Action = RestartAdvice::Action;

TEST(DaemonRestartAdvice, NothingChanged) {
  RestartAdvice advice =
      DaemonRestartAdvice("{\"icc\": false, \"log-opts\": {\"a\": \"1\", \"b\": \"2\"}}",
                          "{\n  \"log-opts\": {\"b\": \"2\", \"a\": \"1\"},\n"
                          "  \"icc\": false\n}\n");
  EXPECT_EQ(advice.action, Action::kNone);
  EXPECT_THAT(advice.message, HasSubstr("neither"));
  EXPECT_EQ(DaemonRestartAdvice("", "{}").action, Action::kNone);
}

TEST(DaemonRestartAdvice, ReloadableChangesNeedOnlyAReload) {
  RestartAdvice advice =
      DaemonRestartAdvice("{\"debug\": true}", "{\"debug\": false, \"live-restore\": true}");
  EXPECT_EQ(advice.action, Action::kReload);
  EXPECT_THAT(advice.reloadable, ElementsAre("debug", "live-restore"));
  EXPECT_THAT(advice.restart, IsEmpty());
  EXPECT_THAT(advice.message, HasSubstr("systemctl reload docker"));
  EXPECT_THAT(advice.message, HasSubstr("debug and live-restore"));
}

TEST(DaemonRestartAdvice, OtherChangesNeedARestart) {
  RestartAdvice advice =
      DaemonRestartAdvice("{\"icc\": true}", "{\"icc\": false, \"live-restore\": true}");
  EXPECT_EQ(advice.action, Action::kRestart);
  EXPECT_THAT(advice.restart, ElementsAre("icc"));
  EXPECT_THAT(advice.reloadable, ElementsAre("live-restore"));
  EXPECT_THAT(advice.message, HasSubstr("must restart to apply icc"));
  // live-restore only in the new file: reload first so containers survive.
  EXPECT_THAT(advice.message, HasSubstr("reload docker` first"));
  EXPECT_THAT(advice.message, HasSubstr("--validate"));

  RestartAdvice kept = DaemonRestartAdvice("{\"live-restore\": true}",
                                           "{\"live-restore\": true, \"no-new-privileges\": true}");
  EXPECT_THAT(kept.message, HasSubstr("keep running through the restart"));
  EXPECT_THAT(kept.message, HasSubstr("until they are recreated"));

  RestartAdvice stopped = DaemonRestartAdvice("{}", "{\"userland-proxy\": false}");
  EXPECT_THAT(stopped.message, HasSubstr("Running containers stop"));

  RestartAdvice removed =
      DaemonRestartAdvice("{\"cgroup-parent\": \"/x\", \"debug\": true}", "{\"debug\": true}");
  EXPECT_EQ(removed.action, Action::kRestart);
  EXPECT_THAT(removed.restart, ElementsAre("cgroup-parent"));
}

TEST(DaemonRestartAdvice, UsernsRemapMeansStoppingContainersFirst) {
  RestartAdvice advice = DaemonRestartAdvice("{\"live-restore\": true}", kHardenedFile);
  EXPECT_EQ(advice.action, Action::kRestart);
  EXPECT_THAT(advice.restart,
              ElementsAre("icc", "userns-remap", "userland-proxy", "no-new-privileges",
                          "log-driver", "log-opts", "default-ulimits"));
  EXPECT_THAT(advice.message, HasSubstr("Stop the containers first"));
}

TEST(DaemonRestartAdvice, TheWholeFixFromAMissingFile) {
  RestartAdvice advice = DaemonRestartAdvice("", FixText("").after);
  EXPECT_EQ(advice.action, Action::kRestart);
  EXPECT_THAT(advice.reloadable, ElementsAre("live-restore"));
  EXPECT_EQ(advice.restart.size(), 7u);
}

TEST(DaemonRestartAdvice, AnInvalidNewFileIsNeverApplied) {
  RestartAdvice advice = DaemonRestartAdvice("{}", "{\"icc\": false,}");
  EXPECT_EQ(advice.action, Action::kInvalid);
  EXPECT_THAT(advice.message, HasSubstr("do not restart"));
}

TEST(DaemonRestartAdvice, ReloadableKeys) {
  for (const char* key :
       {"debug", "labels", "live-restore", "max-concurrent-downloads", "max-concurrent-uploads",
        "max-download-attempts", "default-runtime", "runtimes", "authorization-plugins",
        "insecure-registries", "registry-mirrors", "shutdown-timeout", "features"}) {
    EXPECT_TRUE(DaemonKeyReloadable(key)) << key;
  }
  for (const char* key : {"icc", "userns-remap", "log-driver", "log-opts", "log-level",
                          "default-ulimits", "no-new-privileges", "userland-proxy", "hosts"}) {
    EXPECT_FALSE(DaemonKeyReloadable(key)) << key;
  }
}

}  // namespace
}  // namespace bulwark::fix
