// CIS section 5, what a container may do as a process: AppArmor (5.2),
// SELinux (5.3), capabilities (5.4), privileged mode (5.5), seccomp (5.22),
// exec sessions (5.23, 5.24) and no-new-privileges (5.26).
//
// Where docker-bench is weak: 5.3 passes on any security option (even only
// no-new-privileges) and 5.4 never reads CapDrop. Here 5.3 asks whether
// SELinux is on at all and whether labelling is disabled, and 5.4 computes
// the effective capability set the way the engine does.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "host/checks_section5_internal.hpp"
#include "host/json_access.hpp"
#include "host/secret_names.hpp"

namespace bulwark::host::section5 {
namespace {

using common::DaemonHasSecurityOption;
using common::DaemonSecurityOptionsText;
using common::JoinList;
using common::JsonText;
using common::Quoted;
using core::Severity;

// Every Linux capability (linux/capability.h, 5.9+), without "CAP_".
// clang-format off
constexpr std::array<std::string_view, 41> kAllCapabilities = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};

// What the engine grants a container that neither adds nor drops
// (moby oci/caps DefaultCapabilities).
constexpr std::array<std::string_view, 14> kDefaultCapabilities = {
    "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
    "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"};
// clang-format on

using CapSet = std::set<std::string>;

CapSet SetOf(const auto& names) { return CapSet(names.begin(), names.end()); }

// "cap_sys_admin" and "SYS_ADMIN" are the same capability.
std::string CapName(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.rfind("CAP_", 0) == 0) name.erase(0, 4);
  return name;
}

std::vector<std::string> CapList(const ContainerFacts& c, std::string_view pointer) {
  std::vector<std::string> names = JsonStrings(c.inspect, pointer);
  for (std::string& name : names) name = CapName(name);
  return names;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The engine's own rule (moby oci/caps TweakCapabilities): ALL in CapAdd
// grants everything not dropped; ALL in CapDrop keeps only what is added;
// otherwise default minus dropped plus added.
CapSet EffectiveCapabilities(const ContainerFacts& c) {
  if (JsonBool(c.inspect, "/HostConfig/Privileged")) return SetOf(kAllCapabilities);
  std::vector<std::string> add = CapList(c, "/HostConfig/CapAdd");
  std::vector<std::string> drop = CapList(c, "/HostConfig/CapDrop");
  CapSet caps;
  if (Contains(add, "ALL")) {
    for (std::string_view cap : kAllCapabilities) {
      if (!Contains(drop, cap)) caps.emplace(cap);
    }
    return caps;
  }
  if (!Contains(drop, "ALL")) {
    for (std::string_view cap : kDefaultCapabilities) {
      if (!Contains(drop, cap)) caps.emplace(cap);
    }
  }
  caps.insert(add.begin(), add.end());
  return caps;
}

std::vector<std::string> Names(const CapSet& caps) { return {caps.begin(), caps.end()}; }

void JudgeAppArmor(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::string profile = JsonString(c.inspect, "/AppArmorProfile");
  std::string evidence = "AppArmorProfile=" + Quoted(profile);
  if (!DaemonHasSecurityOption(facts, "apparmor")) {
    out.Info(ContainerSubject(c), evidence + "; " + DaemonSecurityOptionsText(facts),
             "not applicable: AppArmor is not enabled on this host (SELinux: see 5.3)");
  } else if (profile.empty() || profile == "unconfined") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " runs without an AppArmor profile");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " is confined by AppArmor profile " + profile);
  }
}

void JudgeSelinux(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> labels;
  bool disabled = false;
  for (const std::string& opt : SecurityOpts(c)) {
    if (opt.rfind("label", 0) != 0) continue;
    labels.push_back(opt);
    disabled = disabled || opt == "label=disable" || opt == "label:disable";
  }
  std::string label_text = "HostConfig.SecurityOpt label options=[" + JoinList(labels) + "]";
  if (!DaemonHasSecurityOption(facts, "selinux")) {
    out.Info(ContainerSubject(c), label_text + "; " + DaemonSecurityOptionsText(facts),
             "not applicable: SELinux is not enabled on this host (AppArmor: see 5.2)");
    return;
  }
  std::string process_label = JsonString(c.inspect, "/ProcessLabel");
  if (JsonBool(c.inspect, "/HostConfig/Privileged")) {
    out.Warn(ContainerSubject(c), "HostConfig.Privileged=true",
             "container " + c.name + " is privileged, so SELinux does not confine it");
  } else if (disabled) {
    out.Warn(ContainerSubject(c), label_text,
             "container " + c.name + " disables SELinux labelling");
  } else if (process_label.empty()) {
    out.Warn(ContainerSubject(c), "ProcessLabel=\"\"",
             "container " + c.name + " runs without an SELinux label");
  } else {
    out.Pass(ContainerSubject(c), "ProcessLabel=" + Quoted(process_label) + "; " + label_text,
             "container " + c.name + " runs with SELinux label " + process_label);
  }
}

void JudgeCapabilities(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  CapSet effective = EffectiveCapabilities(c);
  CapSet defaults = SetOf(kDefaultCapabilities);
  bool privileged = JsonBool(c.inspect, "/HostConfig/Privileged");
  std::string evidence = "HostConfig.CapAdd=" + JsonText(c.inspect, "/HostConfig/CapAdd") +
                         " CapDrop=" + JsonText(c.inspect, "/HostConfig/CapDrop") +
                         (privileged ? " Privileged=true" : "");
  CapSet extra;
  std::set_difference(effective.begin(), effective.end(), defaults.begin(), defaults.end(),
                      std::inserter(extra, extra.end()));
  if (!extra.empty()) {
    std::string what = extra.size() == kAllCapabilities.size() - defaults.size()
                           ? "every capability"
                           : JoinList(Names(extra));
    out.Warn(ContainerSubject(c), evidence + "; beyond the default set: " + what,
             "container " + c.name + " has capabilities beyond Docker's default: " + what);
  } else if (std::includes(effective.begin(), effective.end(), defaults.begin(), defaults.end())) {
    out.Warn(ContainerSubject(c), evidence + "; effective: Docker's default set",
             "container " + c.name +
                 " drops no capability: NET_RAW, MKNOD and the rest of the default set are still "
                 "granted");
  } else {
    std::string kept = effective.empty() ? "none" : JoinList(Names(effective));
    out.Pass(ContainerSubject(c), evidence + "; effective: " + kept,
             "container " + c.name + " runs with a reduced capability set");
  }
}

void JudgePrivileged(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  if (JsonBool(c.inspect, "/HostConfig/Privileged")) {
    out.Warn(ContainerSubject(c), "HostConfig.Privileged=true",
             "container " + c.name +
                 " runs privileged: every capability and host device, no seccomp or AppArmor "
                 "confinement");
  } else {
    out.Pass(ContainerSubject(c), "HostConfig.Privileged=false",
             "container " + c.name + " is not privileged");
  }
}

void JudgeSeccomp(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::string profile;
  for (const std::string& opt : SecurityOpts(c)) {
    if (opt.rfind("seccomp=", 0) == 0 || opt.rfind("seccomp:", 0) == 0) profile = opt.substr(8);
  }
  std::string evidence =
      "HostConfig.SecurityOpt seccomp=" + (profile.empty() ? std::string("<default>") : profile);
  bool daemon_lists = JsonAt(facts.engine.info, "/SecurityOptions") != nullptr;
  if (profile == "unconfined") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " disables the seccomp profile");
  } else if (JsonBool(c.inspect, "/HostConfig/Privileged")) {
    out.Warn(ContainerSubject(c), "HostConfig.Privileged=true",
             "container " + c.name + " is privileged, which turns seccomp filtering off");
  } else if (daemon_lists && !DaemonHasSecurityOption(facts, "seccomp")) {
    out.Warn(ContainerSubject(c), DaemonSecurityOptionsText(facts),
             "the daemon has no seccomp support, so container " + c.name +
                 " runs without a syscall filter");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " runs with " +
                 (profile.empty() ? "the default" : "a custom") + " seccomp profile");
  }
}

struct ExecView {
  std::string id;       // 12 characters
  std::string command;  // entrypoint and arguments
  bool privileged = false;
  std::string user;  // the exec's user, or the container's when it set none
};

std::vector<ExecView> Execs(const ContainerFacts& c) {
  std::vector<ExecView> views;
  for (const nlohmann::json& exec : c.execs) {
    ExecView view;
    view.id = JsonString(exec, "/ID").substr(0, 12);
    view.command = JsonString(exec, "/ProcessConfig/entrypoint");
    for (const std::string& arg : JsonStrings(exec, "/ProcessConfig/arguments"))
      view.command += " " + arg;
    view.command = MaskSecretAssignments(view.command);
    view.privileged = JsonBool(exec, "/Privileged") || JsonBool(exec, "/ProcessConfig/privileged");
    view.user = JsonString(exec, "/ProcessConfig/user");
    if (view.user.empty()) view.user = JsonString(c.inspect, "/Config/User");
    views.push_back(std::move(view));
  }
  return views;
}

// The engine keeps only running exec sessions in ExecIDs: what finished
// before the audit leaves no trace here, so the verdict is a note.
void NoteExecs(const ContainerFacts& c, size_t count, const std::string& none,
               const std::string& what, ResultSink& out) {
  out.Note(ContainerSubject(c),
           "ExecIDs: " + std::to_string(count) + " running exec session(s), " + none,
           "container " + c.name + ": no exec session " + what +
               "; only sessions still running are visible (audit docker exec with auditd or docker "
               "events)");
}

void JudgeExecPrivileged(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> found;
  std::vector<ExecView> execs = Execs(c);
  for (const ExecView& exec : execs) {
    if (exec.privileged)
      found.push_back("exec " + exec.id + " \"" + exec.command + "\" privileged=true");
  }
  if (!found.empty()) {
    out.Warn(ContainerSubject(c), JoinList(found, "; "),
             "container " + c.name + " has an exec session running with --privileged");
  } else {
    NoteExecs(c, execs.size(), "none privileged", "runs privileged", out);
  }
}

void JudgeExecRoot(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> found;
  std::vector<ExecView> execs = Execs(c);
  for (const ExecView& exec : execs) {
    if (common::IsRootUser(exec.user)) {
      found.push_back("exec " + exec.id + " \"" + exec.command + "\" user=" + Quoted(exec.user));
    }
  }
  if (!found.empty()) {
    out.Warn(ContainerSubject(c), JoinList(found, "; "),
             "container " + c.name + " has an exec session running as root");
  } else {
    NoteExecs(c, execs.size(), "none as root", "runs as root", out);
  }
}

void JudgeNoNewPrivileges(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::string set;  // the container's own option, last one wins as in the engine
  for (const std::string& opt : SecurityOpts(c)) {
    if (opt.rfind("no-new-privileges", 0) == 0) set = opt;
  }
  bool off = set == "no-new-privileges:false" || set == "no-new-privileges=false";
  bool on = set == "no-new-privileges" || set == "no-new-privileges:true" ||
            set == "no-new-privileges=true";
  std::optional<bool> daemon_wide = facts.daemon.Bool("no-new-privileges");
  if (off) {
    out.Warn(ContainerSubject(c), "HostConfig.SecurityOpt " + set,
             "container " + c.name + " explicitly allows acquiring new privileges");
  } else if (on) {
    out.Pass(ContainerSubject(c), "HostConfig.SecurityOpt " + set,
             "container " + c.name + " cannot acquire new privileges");
  } else if (daemon_wide.value_or(false)) {
    const DaemonOption* option = facts.daemon.Find("no-new-privileges");
    out.Pass(ContainerSubject(c),
             "daemon-wide: " + (option ? option->source : std::string("no-new-privileges")),
             "container " + c.name + " cannot acquire new privileges (daemon default)");
  } else {
    out.Warn(ContainerSubject(c),
             "HostConfig.SecurityOpt=" + JsonText(c.inspect, "/HostConfig/SecurityOpt") +
                 ", no daemon-wide no-new-privileges",
             "container " + c.name + " can acquire new privileges through setuid binaries");
  }
}

}  // namespace

std::vector<HostCheck> PrivilegeChecks() {
  const std::string kRun = "https://docs.docker.com/reference/cli/docker/container/run/";
  return {
      {.cis = "5.2",
       .title = "Ensure that, if applicable, an AppArmor Profile is enabled",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "An AppArmor profile limits what a compromised container process can read, "
                    "write and execute on the host.",
       .remediation = "Run containers with the docker-default profile or a custom one (docker run "
                      "--security-opt apparmor=PROFILE); never apparmor=unconfined.",
       .references = {.attack = {"T1611", "T1562.001"},
                      .nist = {"AC-6", "SC-39"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/engine/security/apparmor/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeAppArmor>},
      {.cis = "5.3",
       .title = "Ensure that, if applicable, SELinux security options are set",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "SELinux labels keep a compromised container process away from host files and "
                    "other containers' data.",
       .remediation = "Enable SELinux on the host and \"selinux-enabled\": true in daemon.json; do "
                      "not run containers with --security-opt label=disable.",
       .references = {.attack = {"T1611", "T1562.001"},
                      .nist = {"AC-3", "AC-6", "SC-39"},
                      .cwe = {"CWE-250"},
                      .urls = {kRun + "#security-opt"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeSelinux>},
      {.cis = "5.4",
       .title = "Ensure that Linux kernel capabilities are restricted within containers",
       .scored = true,
       .severity = Severity::kHigh,
       .rationale =
           "Capabilities such as SYS_ADMIN or NET_ADMIN give container root most of the host's "
           "root powers; the default set still includes NET_RAW (spoofing) and MKNOD.",
       .remediation = "docker run --cap-drop ALL --cap-add <only what the process needs> (often "
                      "none, or NET_BIND_SERVICE).",
       .references = {.attack = {"T1611", "T1068"},
                      .nist = {"AC-6", "CM-7"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/engine/containers/run/"
                               "#runtime-privilege-and-linux-capabilities"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeCapabilities>},
      {.cis = "5.5",
       .title = "Ensure that privileged containers are not used",
       .scored = true,
       .severity = Severity::kCritical,
       .rationale = "A privileged container has every capability and host device and no seccomp or "
                    "LSM confinement: root in it is root on the host.",
       .remediation = "Remove --privileged (privileged: true in compose); grant the specific "
                      "capability or device the workload needs instead.",
       .references = {.attack = {"T1611", "T1610"},
                      .nist = {"AC-6", "CM-7"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/engine/containers/run/"
                               "#runtime-privilege-and-linux-capabilities"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgePrivileged>},
      {.cis = "5.22",
       .title = "Ensure the default seccomp profile is not Disabled",
       .scored = true,
       .severity = Severity::kHigh,
       .rationale = "The default seccomp profile blocks about 44 system calls used in kernel "
                    "exploits and container escapes.",
       .remediation =
           "Remove --security-opt seccomp=unconfined (and --privileged); use a custom profile "
           "(--security-opt seccomp=profile.json) when a syscall is really needed.",
       .references = {.attack = {"T1611", "T1562.001", "T1068"},
                      .nist = {"SC-39", "CM-7"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/engine/security/seccomp/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeSeccomp>},
      {.cis = "5.23",
       .title = "Ensure that docker exec commands are not used with the privileged option",
       .scored = false,
       .severity = Severity::kHigh,
       .rationale = "docker exec --privileged gives the new process every capability, whatever the "
                    "container was started with.",
       .remediation = "Do not use docker exec --privileged; restrict who can reach the Docker API "
                      "(authorization plugin) and audit exec with auditd or docker events.",
       .references = {.attack = {"T1609", "T1611"},
                      .nist = {"AC-6", "AU-12"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/reference/cli/docker/container/exec/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeExecPrivileged>},
      {.cis = "5.24",
       .title = "Ensure that docker exec commands are not used with the user=root option",
       .scored = false,
       .severity = Severity::kMedium,
       .rationale =
           "docker exec --user root undoes the container's non-root user for the new process.",
       .remediation = "Do not use docker exec --user root (or -u 0); restrict API access with an "
                      "authorization plugin and audit exec sessions.",
       .references = {.attack = {"T1609", "T1068"},
                      .nist = {"AC-6", "AU-12"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/reference/cli/docker/container/exec/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeExecRoot>},
      {.cis = "5.26",
       .title = "Ensure that the container is restricted from acquiring additional privileges",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "Without no-new-privileges a process can gain privileges through setuid or "
                    "setgid binaries inside the container.",
       .remediation = "docker run --security-opt no-new-privileges:true, or \"no-new-privileges\": "
                      "true in daemon.json for every container.",
       .references = {.attack = {"T1068"},
                      .nist = {"AC-6"},
                      .cwe = {"CWE-269"},
                      .urls = {kRun + "#security-opt"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeNoNewPrivileges>},
  };
}

}  // namespace bulwark::host::section5
