#include "fix/daemon_json_fixer.hpp"

#include <algorithm>
#include <cctype>

#include "audit/daemon_rules.hpp"
#include "fix/json_edit.hpp"
#include "parse/daemon_config.hpp"

namespace bulwark::fix {
namespace {

using parse::DaemonConfig;
using parse::DaemonValue;
// The check IDs, as the checks themselves name them (kIcc, ...).
using namespace ::bulwark::audit::daemon;  // NOLINT(google-build-using-namespace)


std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One fix run: the request, the file as dockerd reads it, the editor and
// the plan being built.
class Run {
 public:
  Run(const FixRequest& request, const DaemonConfig& config, JsonEditor& editor, FixPlan& plan)
      : request_(request), config_(config), editor_(editor), plan_(plan) {}

  const DaemonConfig& config() const { return config_; }
  const parse::YamlNode& root() const { return editor_.root(); }
  JsonEditor& editor() { return editor_; }

  bool Wants(std::string_view id) const {
    return std::any_of(request_.findings.begin(), request_.findings.end(),
                       [&](const core::Finding& finding) { return finding.id == id; });
  }

  void Set(std::string_view key, JsonValue value, std::string_view id) {
    editor_.Set(root(), key, std::move(value), std::string(id));
    plan_.fixed_ids.insert(std::string(id));
  }
  void Remove(std::string_view key, std::string_view id) {
    editor_.Remove(root(), key, std::string(id));
    plan_.fixed_ids.insert(std::string(id));
  }
  void Fixed(std::string_view id) { plan_.fixed_ids.insert(std::string(id)); }

  void Note(std::string_view id, std::string message) {
    int line = 0;
    for (const core::Finding& finding : request_.findings) {
      if (finding.id == id) {
        line = finding.location.line;
        break;
      }
    }
    plan_.notes.push_back(FixNote{std::string(id), line, std::move(message)});
  }

 private:
  const FixRequest& request_;
  const DaemonConfig& config_;
  JsonEditor& editor_;
  FixPlan& plan_;
};

// Mirrors the checks' reading of a boolean: absent means dockerd's default.
bool FixBool(Run& run, std::string_view id, const char* key,
             const std::optional<DaemonValue<bool>>& value, bool wanted, bool default_value) {
  if (value ? value->value == wanted : default_value == wanted) return false;
  run.Set(key, JsonValue::Bool(wanted), id);
  return true;
}

void FixIcc(Run& run) {
  if (!FixBool(run, kIcc, "icc", run.config().icc, false, true)) return;
  run.Note(kIcc,
           "icc false: containers on the default bridge no longer reach each other; put services "
           "that must talk on a user-defined network (Compose does this for its services).");
}

void FixUsernsRemap(Run& run) {
  const auto& remap = run.config().userns_remap;
  if (remap && !remap->value.empty()) return;
  run.Set("userns-remap", JsonValue::String("default"), kUsernsRemap);
  run.Note(kUsernsRemap,
           "userns-remap \"default\": dockerd creates the user dockremap and maps container root "
           "to a subordinate ID range, which must exist in /etc/subuid and /etc/subgid (dockerd "
           "adds it with usermod when it can). Images, containers and volumes move to a new "
           "storage root (/var/lib/docker/<uid>.<gid>): the current ones are not visible after "
           "the restart, so pull or rebuild images; bind-mounted host files must be readable by "
           "the remapped IDs, and containers that need host IDs must run with --userns=host.");
}

void FixLiveRestore(Run& run) {
  if (!FixBool(run, kLiveRestore, "live-restore", run.config().live_restore, true, false)) return;
  run.Note(kLiveRestore,
           "live-restore keeps containers running while dockerd restarts or upgrades; it cannot "
           "be used with swarm mode, so leave it off on swarm nodes.");
}

void FixUserlandProxy(Run& run) {
  FixBool(run, kUserlandProxy, "userland-proxy", run.config().userland_proxy, false, true);
}

void FixNoNewPrivileges(Run& run) {
  if (!FixBool(run, kNoNewPrivileges, "no-new-privileges", run.config().no_new_privileges, true,
               false)) {
    return;
  }
  run.Note(kNoNewPrivileges,
           "no-new-privileges: setuid programs (sudo, su) no longer gain privileges in new "
           "containers; an image that relies on them must drop that need.");
}

JsonValue RotatedLogOpts() {
  return JsonValue::Object({{"max-size", JsonValue::String(kDaemonLogMaxSize)},
                            {"max-file", JsonValue::String(kDaemonLogMaxFile)}});
}

// json-file with rotation: the driver named explicitly, max-size and
// max-file added to the options that are there.
void FixLogging(Run& run) {
  const DaemonConfig& c = run.config();
  const std::string driver = c.log_driver ? Lower(c.log_driver->value) : "json-file";
  if (driver != "json-file" && driver != "none") return;
  if (!c.log_driver || driver == "none")
    run.Set("log-driver", JsonValue::String("json-file"), kLogging);
  const parse::YamlNode* opts = run.root().Find("log-opts");
  if (opts == nullptr || !opts->IsMap()) {
    run.Set("log-opts", RotatedLogOpts(), kLogging);
  } else {
    if (opts->Find("max-size") == nullptr) {
      run.editor().Set(*opts, "max-size", JsonValue::String(kDaemonLogMaxSize), std::string(kLogging));
    }
    if (opts->Find("max-file") == nullptr) {
      run.editor().Set(*opts, "max-file", JsonValue::String(kDaemonLogMaxFile), std::string(kLogging));
    }
    run.Fixed(kLogging);
  }
  run.Note(kLogging,
           std::string(driver == "none" ? "Container logs were disabled (log-driver none); "
                                          "json-file now keeps them"
                                        : "json-file logs") +
               " rotate at " + std::string(kDaemonLogMaxSize) + " x " +
               std::string(kDaemonLogMaxFile) +
               " files per container, for containers created after the restart. Prefer a "
               "central driver (journald, syslog, fluentd, gelf) if you collect logs.");
}

void FixDefaultUlimits(Run& run) {
  const auto& ulimits = run.config().default_ulimits;
  if (ulimits && !ulimits->value.empty()) return;
  const JsonValue nofile = JsonValue::Object({{"Name", JsonValue::String("nofile")},
                                              {"Soft", JsonValue::Number(kDaemonNofileLimit)},
                                              {"Hard", JsonValue::Number(kDaemonNofileLimit)}});
  run.Set("default-ulimits", JsonValue::Object({{"nofile", nofile}}), kDefaultUlimits);
  run.Note(kDefaultUlimits,
           "default-ulimits: nofile " + std::to_string(kDaemonNofileLimit) +
               " (soft and hard) for containers that set no --ulimit; give a container that "
               "needs more its own --ulimit. nproc is left unset: it counts every process of a "
               "UID on the whole host, so a daemon-wide cap lets containers sharing a UID "
               "starve each other.");
}

void FixLogLevel(Run& run) {
  const auto& level = run.config().log_level;
  if (!level || Lower(level->value) == "info") return;
  run.Set("log-level", JsonValue::String("info"), kLogLevel);
}

void FixIptables(Run& run) {
  if (!FixBool(run, kIptables, "iptables", run.config().iptables, true, true)) return;
  run.Note(kIptables,
           "iptables true: dockerd installs its NAT and isolation rules again when it starts; "
           "remove hand-written rules for Docker's networks that duplicate them.");
}

void FixCgroupParent(Run& run) {
  const auto& parent = run.config().cgroup_parent;
  if (!parent || parent->value.empty()) return;
  run.Remove("cgroup-parent", kCgroupParent);
  run.Note(kCgroupParent,
           "cgroup-parent removed: new containers go back under Docker's default cgroup and "
           "the limits the host applies there; existing containers keep theirs until recreated.");
}

void FixBaseSize(Run& run) {
  const parse::YamlNode* opts = run.root().Find("storage-opts");
  if (opts == nullptr || !opts->IsSequence()) return;
  bool removed = false;
  for (size_t i = 0; i < opts->items().size(); ++i) {
    const parse::YamlNode& item = *opts->items()[i];
    if (!item.IsScalar() || item.plain() || Lower(item.text()).rfind("dm.basesize", 0) != 0)
      continue;
    run.editor().RemoveItem(*opts, i, std::string(kBaseSize));
    removed = true;
  }
  if (!removed) return;
  run.Fixed(kBaseSize);
  run.Note(kBaseSize,
           "dm.basesize removed: the existing devicemapper base device keeps its size. "
           "devicemapper is gone from Docker Engine 25; plan the move to overlay2.");
}

void FixSeccomp(Run& run) {
  const auto& profile = run.config().seccomp_profile;
  if (!profile || Lower(profile->value) != "unconfined") return;
  run.Remove("seccomp-profile", kSeccompUnconfined);
  run.Note(kSeccompUnconfined,
           "seccomp-profile \"unconfined\" removed: new containers get Docker's default seccomp "
           "profile; give a workload that needs more syscalls its own profile "
           "(--security-opt seccomp=FILE), not none.");
}

void FixExperimental(Run& run) {
  FixBool(run, kExperimental, "experimental", run.config().experimental, false, false);
}

struct Step {
  std::string_view id;
  void (*fix)(Run&);
};

// In this order: settings that are added land in the file in this order.
constexpr Step kSteps[] = {
    {kIcc, FixIcc},
    {kUsernsRemap, FixUsernsRemap},
    {kLiveRestore, FixLiveRestore},
    {kUserlandProxy, FixUserlandProxy},
    {kNoNewPrivileges, FixNoNewPrivileges},
    {kLogging, FixLogging},
    {kDefaultUlimits, FixDefaultUlimits},
    {kLogLevel, FixLogLevel},
    {kIptables, FixIptables},
    {kCgroupParent, FixCgroupParent},
    {kBaseSize, FixBaseSize},
    {kSeccompUnconfined, FixSeccomp},
    {kExperimental, FixExperimental},
};

class DaemonJsonFixer final : public Fixer {
 public:
  std::set<std::string> FixableChecks() const override {
    std::set<std::string> ids;
    for (const Step& step : kSteps) ids.insert(std::string(step.id));
    return ids;
  }

  core::Result<FixPlan> Plan(const FixRequest& request) const override {
    ASSIGN_OR_RETURN(DaemonConfig config, parse::ParseDaemonConfig(request.text));
    ASSIGN_OR_RETURN(JsonEditor editor, JsonEditor::Parse(request.text));
    FixPlan plan;
    Run run(request, config, editor, plan);
    for (const Step& step : kSteps) {
      if (run.Wants(step.id)) step.fix(run);
    }
    ASSIGN_OR_RETURN(plan.edits, editor.Edits());
    return plan;
  }
};

}  // namespace

std::unique_ptr<Fixer> MakeDaemonJsonFixer() { return std::make_unique<DaemonJsonFixer>(); }

}  // namespace bulwark::fix
