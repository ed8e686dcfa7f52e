// CIS Docker Benchmark 1.6.0 section 1, host configuration: the partition
// of the Docker root dir (from the mount table), the docker group, audit
// rules for the daemon's files (matched to the exact path, with the real
// binary paths of this host), host hardening evidence and engine currency.
#include <algorithm>

#include "host/collect_files.hpp"
#include "host/engine_lifecycle.hpp"
#include "host/host_check.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

using core::Severity;

constexpr const char* kAuditctlDocs = "https://man7.org/linux/man-pages/man8/auditctl.8.html";

// ---- 1.1.1 -------------------------------------------------------------------

void CheckSeparatePartition(const HostFacts& facts, ResultSink& out) {
  const std::string dir = DockerRootDir(facts);
  if (facts.mounts.empty()) {
    out.Skip(
        "the mount table could not be read (/proc/1/mountinfo and /proc/self/mountinfo under " +
        facts.root + "); run on the host, or mount the host's /proc under --host-root");
    return;
  }
  const MountEntry* mount = MountFor(facts.mounts, dir);
  const MountEntry* root_mount = MountFor(facts.mounts, "/");
  if (mount == nullptr) {
    out.Skip("no mount in the mount table holds " + dir);
    return;
  }
  std::string evidence =
      dir + " is on " + mount->mount_point + " (" + mount->fstype + " " + mount->source + ")";
  if (mount->mount_point == "/") {
    out.Warn(FileSubject(dir), evidence,
             dir + " is on the root filesystem: containers filling it fill /");
  } else if (root_mount != nullptr && root_mount != mount && mount->source == root_mount->source &&
             mount->fstype == root_mount->fstype && mount->source.rfind("/dev/", 0) == 0) {
    out.Warn(FileSubject(dir), evidence + ", the device of /",
             dir + " is mounted at " + mount->mount_point + " from " + mount->source +
                 ", the root filesystem's own device: a bind mount, not a separate partition");
  } else {
    out.Pass(FileSubject(dir), evidence,
             dir + " is on its own filesystem mounted at " + mount->mount_point);
  }
}

// ---- 1.1.2 -------------------------------------------------------------------

void CheckDockerGroup(const HostFacts& facts, ResultSink& out) {
  const GroupFact& group = facts.docker_group;
  core::Subject subject = FileSubject("/etc/group");
  if (!group.exists) {
    out.Pass(subject, "no group named docker in /etc/group",
             "there is no docker group: only root can use the Docker socket");
    return;
  }
  std::string gid = std::to_string(group.gid);
  if (group.members.empty()) {
    out.Pass(subject, "group docker (gid " + gid + ") has no members",
             "the docker group has no members");
    return;
  }
  std::string members;
  for (const std::string& m : group.members) members += (members.empty() ? "" : ", ") + m;
  out.Info(subject, "group docker (gid " + gid + ") members: " + members,
           std::to_string(group.members.size()) +
               " user(s) can control the Docker daemon, which is root-equivalent: " + members +
               "; make sure each is trusted");
}

// ---- 1.1.3 - 1.1.18 ------------------------------------------------------------

std::string NoRuleEvidence(const HostFacts& facts, const std::string& path) {
  if (facts.audit.sources.empty()) {
    return "no audit rules on this host";
  }
  std::string sources;
  for (const std::string& s : facts.audit.sources) sources += (sources.empty() ? "" : ", ") + s;
  return "no rule with -w " + path + ", -F path=" + path + " or -F dir=" + path + " in " + sources;
}

// A rule for another candidate path (a symlink such as /usr/bin/runc ->
// ../sbin/runc) does not audit the binary that really runs.
std::string AliasRule(const HostFacts& facts, const HostPathLookup& lookup,
                      const std::string& path) {
  for (const std::string& other : lookup.looked_in) {
    if (other == path) continue;
    AuditMatch match = FindAuditRule(facts.audit, other);
    if (match.found) return other;
  }
  return "";
}

void CheckAuditRule(const HostFacts& facts, ResultSink& out, HostPathRole role) {
  HostPathLookup lookup = FindHostPath(facts, role);
  if (lookup.fact == nullptr) {
    std::string first = lookup.looked_in.empty() ? "" : lookup.looked_in.front();
    out.Info(FileSubject(first), LookedIn(lookup.looked_in),
             "not applicable: " + first + " does not exist on this host (" +
                 LookedIn(lookup.looked_in) + ")");
    return;
  }
  if (!facts.audit.readable) {
    out.Skip("the audit rules could not be read: " + facts.audit.unreadable_reason);
    return;
  }
  const std::string& path = lookup.fact->path;
  AuditMatch match = FindAuditRule(facts.audit, path);
  bool loaded_known = AuditRulesLoadedKnown(facts.audit);
  if (match.found) {
    std::string evidence = match.entry.source + ": " + match.entry.rule;
    if (match.loaded) {
      out.Pass(FileSubject(path), evidence, path + " is audited by a loaded rule");
    } else if (!loaded_known) {
      std::string why = facts.audit.unreadable_reason.empty() ? "no auditctl to list them"
                                                              : facts.audit.unreadable_reason;
      out.Pass(FileSubject(path), evidence,
               path + " is audited by a rule in " + match.entry.source +
                   " (the loaded rules were not read: " + why + ")");
    } else {
      out.Warn(FileSubject(path), evidence + " (absent from auditctl -l)",
               path + " has a rule in " + match.entry.source +
                   " but the kernel has not loaded it; load it with augenrules --load");
    }
    return;
  }
  if (!lookup.fact->exists) {
    out.Skip("cannot stat " + path + " (" + lookup.fact->error +
             ") and no audit rule names it; run as root");
    return;
  }
  std::string alias = AliasRule(facts, lookup, path);
  if (!alias.empty()) {
    out.Warn(
        FileSubject(path), NoRuleEvidence(facts, path) + "; a rule names " + alias,
        "the audit rule names " + alias + ", but the file in use is " + path + "; audit " + path);
    return;
  }
  std::string message = "no audit rule watches " + path;
  // Say what could not be read: the rule may be there.
  if (!facts.audit.unreadable_reason.empty()) message += " (" + facts.audit.unreadable_reason + ")";
  out.Warn(FileSubject(path), NoRuleEvidence(facts, path), message);
}

template <HostPathRole kRole>
void RunAuditCheck(const HostFacts& facts, ResultSink& out) {
  CheckAuditRule(facts, out, kRole);
}

HostCheck AuditCheck(const char* cis, const char* title, Severity severity, const char* what,
                     void (*run)(const HostFacts&, ResultSink&)) {
  HostCheck check;
  check.cis = cis;
  check.title = title;
  check.scored = true;
  check.severity = severity;
  check.rationale = std::string("Without an audit rule, changes to ") + what +
                    " (and for binaries, their execution) leave no trace for an investigation.";
  check.remediation =
      std::string("Install auditd and add a watch for ") + what +
      " to /etc/audit/rules.d/docker.rules, e.g. `-w <path> -p rwxa -k docker` with the path "
      "bulwark reports, then run `augenrules --load`.";
  check.references = {{}, {}, {"AU-2", "AU-12"}, {"CWE-778"}, {kAuditctlDocs}};
  check.scope = HostScope::kHost;
  check.run = run;
  return check;
}

// ---- 1.2.1 -------------------------------------------------------------------

// Active LSMs and daemon security options: "apparmor, seccomp, cgroupns".
std::string SecurityModules(const HostFacts& facts) {
  std::vector<std::string> names;
  auto add = [&](std::string name) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  };
  for (std::string_view marker : kLsmMarkerPaths) {
    const FileFact* fact = facts.File(std::string(marker));
    bool apparmor = marker.find("apparmor") != std::string_view::npos;
    if (fact != nullptr && fact->exists) add(apparmor ? "apparmor" : "selinux");
  }
  for (const std::string& option : JsonStrings(facts.engine.info, "/SecurityOptions")) {
    // "name=seccomp,profile=builtin" -> "seccomp"
    if (option.rfind("name=", 0) != 0) continue;
    add(option.substr(
        5, option.find(',') == std::string::npos ? std::string::npos : option.find(',') - 5));
  }
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined.empty() ? "none seen" : joined;
}

void CheckHardening(const HostFacts& facts, ResultSink& out) {
  std::string kernel = JsonString(facts.engine.info, "/KernelVersion", "unknown");
  std::string os = JsonString(facts.engine.info, "/OperatingSystem");
  std::string evidence = "kernel " + kernel + (os.empty() ? "" : ", " + os) +
                         "; security modules and options: " + SecurityModules(facts);
  out.Note(HostSubject(facts), evidence,
           "harden the host itself (the CIS benchmark of its distribution, minimal packages, a "
           "patched kernel); bulwark saw " +
               evidence);
}

// ---- 1.2.2 -------------------------------------------------------------------

void CheckEngineVersion(const HostFacts& facts, ResultSink& out) {
  std::string version = JsonString(facts.engine.version, "/Version");
  core::Subject subject = DaemonSubject(facts);
  if (version.empty()) {
    out.Info(subject, "/version has no Version", "the engine did not report its version");
    return;
  }
  EngineLifecycle life = JudgeEngineVersion(version, TodayUtc());
  std::string evidence = "Docker Engine " + version +
                         (life.eol.empty() ? "" : "; " + life.line + " end of life " + life.eol) +
                         " (release table of " + std::string(EngineTableDate()) + ")";
  std::string message = "Docker Engine " + version + ": " + life.explanation;
  std::string distro =
      life.distribution
          ? "; this is a distribution build, whose maintainers may backport security fixes: check "
            "the distribution's security tracker"
          : "";
  switch (life.support) {
    case EngineSupport::kEndOfLife:
      out.Warn(subject, evidence, message + "; upgrade to a maintained release" + distro);
      break;
    case EngineSupport::kMaintained:
      out.Pass(subject, evidence, message);
      break;
    case EngineSupport::kStale:
    case EngineSupport::kUnknown:
      out.Info(subject, evidence,
               message + "; check https://endoflife.date/docker-engine" + distro);
      break;
  }
}

HostCheck Check(const char* cis, const char* title, bool scored, Severity severity,
                const char* rationale, const char* remediation, core::References refs,
                HostScope scope, void (*run)(const HostFacts&, ResultSink&)) {
  return HostCheck{cis,         title,           scored, severity, rationale,
                   remediation, std::move(refs), scope,  run};
}

}  // namespace

std::vector<HostCheck> Section1HostConfigurationChecks() {
  using R = HostPathRole;
  std::vector<HostCheck> checks;
  checks.push_back(Check("1.1.1", "Ensure a separate partition for containers has been created",
                         true, Severity::kLow,
                         "Images, containers and volumes under the Docker root dir grow without "
                         "bound; on the root filesystem "
                         "they can fill it and take the host down.",
                         "Put the Docker root dir (/var/lib/docker, or data-root) on its own "
                         "partition or logical volume "
                         "(LVM), mounted before dockerd starts.",
                         {{},
                          {"T1499"},
                          {"SC-5", "CM-6"},
                          {"CWE-400"},
                          {"https://docs.docker.com/engine/daemon/#daemon-data-directory"}},
                         HostScope::kHost, CheckSeparatePartition));
  checks.push_back(
      Check("1.1.2", "Ensure only trusted users are allowed to control Docker daemon", true,
            Severity::kHigh,
            "Members of the docker group can use the Docker socket, which is root on the host "
            "(mount / into a "
            "privileged container).",
            "Remove untrusted users with `gpasswd -d USER docker`; prefer sudo or rootless Docker "
            "for them.",
            {{},
             {"T1611", "T1068"},
             {"AC-6", "AC-2"},
             {"CWE-250"},
             {"https://docs.docker.com/engine/security/#docker-daemon-attack-surface"}},
            HostScope::kHost, CheckDockerGroup));
  checks.push_back(AuditCheck("1.1.3", "Ensure auditing is configured for the Docker daemon",
                              Severity::kMedium, "the dockerd binary",
                              RunAuditCheck<R::kDockerdBinary>));
  checks.push_back(AuditCheck(
      "1.1.4", "Ensure auditing is configured for Docker files and directories -/run/containerd",
      Severity::kLow, "/run/containerd", RunAuditCheck<R::kRunContainerd>));
  checks.push_back(AuditCheck(
      "1.1.5", "Ensure auditing is configured for Docker files and directories - /var/lib/docker",
      Severity::kLow, "the Docker root dir", RunAuditCheck<R::kDockerRootDir>));
  checks.push_back(AuditCheck(
      "1.1.6", "Ensure auditing is configured for Docker files and directories - /etc/docker",
      Severity::kLow, "/etc/docker", RunAuditCheck<R::kEtcDocker>));
  checks.push_back(AuditCheck(
      "1.1.7", "Ensure auditing is configured for Docker files and directories - docker.service",
      Severity::kLow, "the docker.service unit", RunAuditCheck<R::kDockerService>));
  checks.push_back(AuditCheck(
      "1.1.8", "Ensure auditing is configured for Docker files and directories - containerd.sock",
      Severity::kLow, "the containerd socket", RunAuditCheck<R::kContainerdSocket>));
  checks.push_back(AuditCheck(
      "1.1.9", "Ensure auditing is configured for Docker files and directories - docker.socket",
      Severity::kLow, "the docker.socket unit", RunAuditCheck<R::kDockerSocketUnit>));
  checks.push_back(AuditCheck(
      "1.1.10",
      "Ensure auditing is configured for Docker files and directories - /etc/default/docker",
      Severity::kLow, "/etc/default/docker", RunAuditCheck<R::kEtcDefaultDocker>));
  checks.push_back(AuditCheck(
      "1.1.11",
      "Ensure auditing is configured for Dockerfiles and directories - /etc/docker/daemon.json",
      Severity::kLow, "daemon.json", RunAuditCheck<R::kDaemonJson>));
  checks.push_back(AuditCheck(
      "1.1.12",
      "Ensure auditing is configured for Dockerfiles and directories - /etc/containerd/config.toml",
      Severity::kLow, "/etc/containerd/config.toml", RunAuditCheck<R::kContainerdConfig>));
  checks.push_back(AuditCheck(
      "1.1.13",
      "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker",
      Severity::kLow, "/etc/sysconfig/docker", RunAuditCheck<R::kSysconfigDocker>));
  checks.push_back(AuditCheck(
      "1.1.14",
      "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd",
      Severity::kLow, "the containerd binary", RunAuditCheck<R::kContainerdBinary>));
  checks.push_back(AuditCheck(
      "1.1.15",
      "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim",
      Severity::kLow, "the containerd-shim binary", RunAuditCheck<R::kContainerdShim>));
  checks.push_back(AuditCheck("1.1.16",
                              "Ensure auditing is configured for Docker files and directories - "
                              "/usr/bin/containerd-shim-runc-v1",
                              Severity::kLow, "the containerd-shim-runc-v1 binary",
                              RunAuditCheck<R::kContainerdShimRuncV1>));
  checks.push_back(AuditCheck("1.1.17",
                              "Ensure auditing is configured for Docker files and directories - "
                              "/usr/bin/containerd-shim-runc-v2",
                              Severity::kLow, "the containerd-shim-runc-v2 binary",
                              RunAuditCheck<R::kContainerdShimRuncV2>));
  checks.push_back(AuditCheck(
      "1.1.18", "Ensure auditing is configured for Docker files and directories - /usr/bin/runc",
      Severity::kLow, "the runc binary", RunAuditCheck<R::kRuncBinary>));
  checks.push_back(Check(
      "1.2.1", "Ensure the container host has been Hardened", false, Severity::kInfo,
      "Containers share the host's kernel: a weak host (old kernel, no LSM, extra services) "
      "weakens every "
      "container on it.",
      "Apply the CIS benchmark of the host's distribution, keep the kernel patched, enable "
      "AppArmor or SELinux "
      "and remove services the host does not need.",
      {{}, {"T1611"}, {"CM-6", "CM-7", "SI-2"}, {}, {"https://docs.docker.com/engine/security/"}},
      HostScope::kHost, CheckHardening));
  checks.push_back(
      Check("1.2.2", "Ensure that the version of Docker is up to date", false, Severity::kMedium,
            "A Docker Engine line past its end of life gets no upstream security fixes (runc and "
            "engine escapes "
            "such as CVE-2019-5736 and CVE-2024-21626 were fixed only in maintained lines).",
            "Upgrade to a maintained Docker Engine release (https://endoflife.date/docker-engine), "
            "or confirm that "
            "the distribution's package carries the security fixes.",
            {{},
             {"T1611", "T1068"},
             {"SI-2", "CM-6"},
             {"CWE-1104"},
             {"https://docs.docker.com/engine/release-notes/"}},
            HostScope::kEngine, CheckEngineVersion));
  return checks;
}

}  // namespace bulwark::host
