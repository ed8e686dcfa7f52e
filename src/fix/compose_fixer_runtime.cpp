// Runtime: memory, CPU and PIDs limits, the OOM killer, a bounded restart
// policy and a healthcheck.
#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

// Sets one kind of limit. A value written as "no limit" (mem_limit: 0, a
// limit under deploy) is replaced where it is; a missing one goes where the
// file keeps its limits: deploy.resources.limits when it has that map,
// else the service-level key.
bool SetLimit(ServiceFix& fix, std::string_view id, std::string_view key,
              std::string_view deploy_key, const YamlValue& value, bool deploy_if_present_only) {
  const parse::YamlNode& node = fix.node();
  if (node.FindEntry(key) != nullptr) return fix.SetKey(key, value, id);
  const parse::YamlEntry* deploy = node.FindEntry("deploy");
  const parse::YamlNode* limits = node.FindPath({"deploy", "resources", "limits"});
  const bool usable = deploy != nullptr && !deploy->merged && limits != nullptr &&
                      limits->IsMap() && fix.editor().IsWrittenAt(node, *deploy);
  if (usable && (!deploy_if_present_only || limits->Find(deploy_key) != nullptr)) {
    return fix.Check(fix.editor().SetPath(*limits, {std::string(deploy_key)}, value, id), id,
                     "deploy.resources.limits");
  }
  fix.AddKey(std::string(key), value, id);
  return true;
}

void FixLimits(ServiceFix& fix) {
  std::string set;
  if (fix.Wants(kNoMemoryLimit)) {
    if (fix.service().memswap_limit) {
      fix.Note(kNoMemoryLimit, "not fixed: memswap_limit is set; choose mem_limit to go with it");
    } else if (SetLimit(fix, kNoMemoryLimit, "mem_limit", "memory",
                        YamlValue::String(std::string(kDefaultMemory)), false)) {
      fix.Fixed(kNoMemoryLimit);
      set += "memory " + std::string(kDefaultMemory);
    }
  }
  if (fix.Wants(kNoCpuLimit) && SetLimit(fix, kNoCpuLimit, "cpus", "cpus",
                                         YamlValue::Literal(std::string(kDefaultCpus)), false)) {
    fix.Fixed(kNoCpuLimit);
    set += (set.empty() ? "" : ", ") + std::string("cpus ") + std::string(kDefaultCpus);
  }
  // deploy.resources.limits.pids is newer than pids_limit: used only when there.
  if (fix.Wants(kNoPidsLimit) && SetLimit(fix, kNoPidsLimit, "pids_limit", "pids",
                                          YamlValue::Literal(std::string(kDefaultPids)), true)) {
    fix.Fixed(kNoPidsLimit);
    set += (set.empty() ? "" : ", ") + std::string("pids ") + std::string(kDefaultPids);
  }
  if (!set.empty()) {
    fix.Note(kNoMemoryLimit,
             "limits set to bulwark's defaults (" + set + "); tune them to what the service needs");
  }
}

void FixOomKiller(ServiceFix& fix) {
  if (fix.Wants(kOomKillDisabled) &&
      fix.RemoveKey("oom_kill_disable", kOomKillDisabled, YamlValue::Literal("false"))) {
    fix.Fixed(kOomKillDisabled);
  }
}

void FixRestart(ServiceFix& fix) {
  if (!fix.Wants(kUnlimitedRestart)) return;
  const auto& s = fix.service();
  bool done = false;
  for (parse::YamlMark mark : fix.Marks(kUnlimitedRestart)) {
    if (s.restart && s.restart->key == mark) {
      done |=
          fix.SetKey("restart", YamlValue::String(std::string(kRestartPolicy)), kUnlimitedRestart);
    } else if (s.deploy && s.deploy->restart_policy_key == mark) {
      const parse::YamlNode* policy = fix.node().FindPath({"deploy", "restart_policy"});
      if (policy == nullptr || !policy->IsMap()) continue;
      done |= fix.Check(fix.editor().SetPath(*policy, {"max_attempts"}, YamlValue::Literal("5"),
                                             kUnlimitedRestart),
                        kUnlimitedRestart, "deploy.restart_policy");
    }
  }
  if (done) fix.Fixed(kUnlimitedRestart);
}

void FixHealthcheck(ServiceFix& fix) {
  if (!fix.Wants(kNoHealthcheck)) return;
  if (fix.node().FindEntry("healthcheck") != nullptr) {
    fix.Note(kNoHealthcheck,
             "not fixed: its healthcheck is disabled; remove `disable: true` / NONE and give it a "
             "test if that was not on purpose");
    return;
  }
  const auto& test = fix.profile().healthcheck;
  if (test.empty()) {
    fix.Note(kNoHealthcheck, "no healthcheck added: " + fix.profile().healthcheck_note);
    return;
  }
  std::vector<YamlValue> words;
  for (const std::string& word : test) words.push_back(YamlValue::String(word));
  fix.AddKey("healthcheck",
             YamlValue::Map({{"test", YamlValue::Sequence(std::move(words))},
                             {"interval", YamlValue::String("30s")},
                             {"timeout", YamlValue::String("5s")},
                             {"retries", YamlValue::Literal("3")},
                             {"start_period", YamlValue::String("30s")}}),
             kNoHealthcheck);
  fix.Fixed(kNoHealthcheck);
}

}  // namespace

void FixResources(ServiceFix& fix) {
  FixLimits(fix);
  FixOomKiller(fix);
}

void FixRuntimeHygiene(ServiceFix& fix) {
  FixRestart(fix);
  FixHealthcheck(fix);
}

}  // namespace bulwark::fix::compose_fix
