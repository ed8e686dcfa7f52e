// CIS Docker Benchmark 1.6.0 section 2, daemon configuration: the metadata
// of checks 2.1-2.18 (numbering, titles and scoring as docker-bench-security
// 1.6.0 has them) beside the functions that judge them
// (checks_section2_config.cpp, checks_section2_runtime.cpp).
#include "host/checks_section2_internal.hpp"

namespace bulwark::host {
namespace {

using core::Severity;

constexpr const char* kDockerdDocs =
    "https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file";

HostCheck Check(const char* cis, const char* title, bool scored, Severity severity,
                const char* rationale, const char* remediation, core::References references,
                void (*run)(const HostFacts&, ResultSink&)) {
  HostCheck check;
  check.cis = cis;
  check.title = title;
  check.scored = scored;
  check.severity = severity;
  check.rationale = rationale;
  check.remediation = remediation;
  references.urls.push_back(kDockerdDocs);
  check.references = std::move(references);
  check.scope = HostScope::kDaemon;
  check.run = run;
  return check;
}

}  // namespace

std::vector<HostCheck> Section2DaemonConfigurationChecks() {
  using namespace section2;  // NOLINT(google-build-using-namespace): the check functions
  return {
      Check(
          "2.1", "Run the Docker daemon as a non-root user, if possible", false, Severity::kMedium,
          "A root daemon turns every container escape and every API caller into root on the host; "
          "a rootless daemon limits them to one unprivileged user.",
          "Install rootless Docker (dockerd-rootless-setuptool.sh install) for workloads that fit "
          "its limits, and point clients at unix://$XDG_RUNTIME_DIR/docker.sock.",
          {{},
           {"T1611", "T1068"},
           {"AC-6", "CM-7"},
           {"CWE-250"},
           {"https://docs.docker.com/engine/security/rootless/"}},
          CheckRootless),
      Check(
          "2.2", "Ensure network traffic is restricted between containers on the default bridge",
          true, Severity::kMedium,
          "With icc enabled every container on the default bridge reaches every other one's ports, "
          "so one compromised container can attack the rest.",
          "Set \"icc\": false in daemon.json (or dockerd --icc=false) and connect containers that "
          "must talk through user-defined networks.",
          {{},
           {"T1046"},
           {"SC-7", "AC-4"},
           {"CWE-668"},
           {"https://docs.docker.com/engine/network/drivers/bridge/"}},
          CheckIcc),
      Check("2.3", "Ensure the logging level is set to 'info'", true, Severity::kLow,
            "debug logging records request details (and can leak secrets); warn, error or fatal "
            "lose the events an investigation needs.",
            "Set \"log-level\": \"info\" and \"debug\": false in daemon.json, or remove both (info "
            "is the default); drop -l/--log-level and -D from dockerd's command line.",
            {{}, {"T1562.001"}, {"AU-2", "AU-12"}, {"CWE-778", "CWE-532"}, {}}, CheckLogLevel),
      Check("2.4", "Ensure Docker is allowed to make changes to iptables", true, Severity::kMedium,
            "Without iptables management Docker installs none of the NAT and isolation rules that "
            "keep container networks apart, and hand-written rules drift from the containers "
            "actually running.",
            "Remove \"iptables\": false from daemon.json and --iptables=false from dockerd's "
            "command line (the default, true, lets Docker manage the rules).",
            {{}, {"T1562.001"}, {"SC-7", "CM-6"}, {"CWE-284"}, {}}, CheckIptables),
      Check(
          "2.5", "Ensure insecure registries are not used", true, Severity::kHigh,
          "Images from an insecure registry travel over plain HTTP or without certificate checks, "
          "so anyone on the path can replace them with a backdoored image.",
          "Remove the entries from \"insecure-registries\" (and --insecure-registry flags); give "
          "the registries a valid TLS certificate or put their CA in "
          "/etc/docker/certs.d/<registry>/ca.crt.",
          {{},
           {"T1525", "T1204.003"},
           {"SC-8", "SI-7"},
           {"CWE-319", "CWE-295"},
           {"https://docs.docker.com/reference/cli/dockerd/#insecure-registries"}},
          CheckInsecureRegistries),
      Check("2.6", "Ensure aufs storage driver is not used", true, Severity::kMedium,
            "aufs is deprecated, unmaintained and removed from current engines; it had kernel bugs "
            "that crashed hosts.",
            "Use \"storage-driver\": \"overlay2\" (export or push images first: the new driver "
            "starts empty).",
            {{},
             {},
             {"CM-6", "SI-2"},
             {},
             {"https://docs.docker.com/engine/storage/drivers/select-storage-driver/"}},
            CheckAufs),
      Check("2.7", "Ensure TLS authentication for Docker daemon is configured", true,
            Severity::kCritical,
            "The Docker API is root on the host: on a TCP socket without client certificate "
            "verification anyone who reaches the port can start a privileged container.",
            "Listen on the unix socket only, or set \"tlsverify\": true with \"tlscacert\", "
            "\"tlscert\" and \"tlskey\" (dockerd --tlsverify --tlscacert=ca.pem "
            "--tlscert=server-cert.pem --tlskey=server-key.pem -H tcp://0.0.0.0:2376) so only "
            "clients with a certificate from your CA connect.",
            {{},
             {"T1610", "T1133", "T1611"},
             {"AC-17", "SC-8", "IA-2", "IA-3"},
             {"CWE-306", "CWE-319"},
             {"https://docs.docker.com/engine/security/protect-access/"}},
            CheckTls),
      Check("2.8", "Ensure the default ulimit is configured appropriately", false, Severity::kLow,
            "Default ulimits cap open files and processes for every container that sets none, so "
            "one container cannot exhaust the host's.",
            "Add \"default-ulimits\" to daemon.json, e.g. {\"nofile\": {\"Name\": \"nofile\", "
            "\"Soft\": 64000, \"Hard\": 64000}, \"nproc\": {\"Name\": \"nproc\", \"Soft\": 4096, "
            "\"Hard\": 4096}} (or dockerd --default-ulimit nofile=64000:64000).",
            {{},
             {"T1499"},
             {"SC-5"},
             {"CWE-770"},
             {"https://docs.docker.com/reference/cli/dockerd/#default-ulimit-settings"}},
            CheckDefaultUlimits),
      Check("2.9", "Enable user namespace support", true, Severity::kMedium,
            "Without user namespace remapping root in a container is uid 0 on the host, so an "
            "escape or a writable host mount gives host root.",
            "Set \"userns-remap\": \"default\" in daemon.json (dockerd creates the dockremap user; "
            "check /etc/subuid and /etc/subgid), or run the daemon rootless. Images and containers "
            "move to a new storage root: pull or rebuild them after the restart.",
            {{},
             {"T1611"},
             {"AC-6", "SC-39"},
             {"CWE-250"},
             {"https://docs.docker.com/engine/security/userns-remap/"}},
            CheckUsernsRemap),
      Check(
          "2.10", "Ensure the default cgroup usage has been confirmed", true, Severity::kLow,
          "A custom cgroup parent moves every container under limits chosen elsewhere; wrong ones "
          "let containers starve the host or each other.",
          "Remove \"cgroup-parent\" from daemon.json (and --cgroup-parent) unless it is intended, "
          "and confirm the parent cgroup's limits.",
          {{},
           {"T1499"},
           {"CM-6", "SC-5"},
           {"CWE-770"},
           {"https://docs.docker.com/reference/cli/dockerd/#default-cgroup-parent"}},
          CheckCgroupParent),
      Check("2.11", "Ensure base device size is not changed until needed", true, Severity::kLow,
            "A larger base device size lets every container fill more of the host's storage.",
            "Remove dm.basesize from \"storage-opts\" (and --storage-opt dm.basesize=...) unless "
            "containers need it.",
            {{}, {"T1499"}, {"SC-5", "CM-6"}, {"CWE-770"}, {}}, CheckBaseDeviceSize),
      Check(
          "2.12", "Ensure that authorization for Docker client commands is enabled", true,
          Severity::kMedium,
          "Without an authorization plugin anyone who can reach the daemon's socket may run every "
          "API command, including privileged containers and host mounts.",
          "Install an authorization plugin (e.g. Open Policy Agent's opa-docker-authz) and set "
          "\"authorization-plugins\": [\"<plugin>\"] in daemon.json (reloadable with SIGHUP).",
          {{},
           {"T1610", "T1611"},
           {"AC-3", "AC-6"},
           {"CWE-862"},
           {"https://docs.docker.com/engine/extend/plugins_authorization/"}},
          CheckAuthorization),
      Check(
          "2.13", "Ensure centralized and remote logging is configured", true, Severity::kMedium,
          "Logs kept only on the host are lost with it and can be wiped by an intruder; unrotated "
          "json-file logs also fill the disk.",
          "Set \"log-driver\" to a remote driver (syslog, journald forwarded to a collector, "
          "fluentd, gelf, awslogs, splunk ...); if logs must stay local use \"local\" or json-file "
          "with \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"} and ship them with an "
          "agent.",
          {{},
           {"T1070", "T1562.001"},
           {"AU-6", "AU-9", "AU-12"},
           {"CWE-778", "CWE-400"},
           {"https://docs.docker.com/engine/logging/configure/"}},
          CheckRemoteLogging),
      Check("2.14", "Ensure containers are restricted from acquiring new privileges", true,
            Severity::kMedium,
            "Without no-new-privileges a process in a container can gain privileges through setuid "
            "and setcap binaries.",
            "Set \"no-new-privileges\": true in daemon.json (or dockerd --no-new-privileges).",
            {{},
             {"T1068"},
             {"AC-6"},
             {"CWE-269"},
             {"https://docs.docker.com/reference/cli/docker/container/run/#security-opt"}},
            CheckNoNewPrivileges),
      Check(
          "2.15", "Ensure live restore is enabled", true, Severity::kLow,
          "With live restore containers keep running while the daemon restarts or is upgraded, so "
          "patching dockerd does not mean downtime.",
          "Set \"live-restore\": true in daemon.json (reloadable with SIGHUP); not on swarm nodes.",
          {{},
           {"T1499"},
           {"CP-10", "SC-5"},
           {},
           {"https://docs.docker.com/engine/daemon/live-restore/"}},
          CheckLiveRestore),
      Check("2.16", "Ensure Userland Proxy is Disabled", true, Severity::kLow,
            "The userland proxy runs a docker-proxy process per published port; hairpin NAT with "
            "iptables does the same with less code exposed.",
            "Set \"userland-proxy\": false in daemon.json (or dockerd --userland-proxy=false).",
            {{}, {}, {"CM-7", "SC-7"}, {}, {}}, CheckUserlandProxy),
      Check("2.17", "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
            false, Severity::kHigh,
            "seccomp blocks the system calls most kernel escapes need; without a daemon-wide "
            "profile containers reach the whole kernel interface.",
            "Keep Docker's default profile (remove \"seccomp-profile\": \"unconfined\"), or set "
            "\"seccomp-profile\" to a stricter JSON profile.",
            {{},
             {"T1611", "T1068"},
             {"SC-39", "CM-7", "AC-6"},
             {"CWE-693"},
             {"https://docs.docker.com/engine/security/seccomp/"}},
            CheckSeccomp),
      Check(
          "2.18", "Ensure that experimental features are not implemented in production", true,
          Severity::kLow,
          "Experimental features are unfinished, change without notice and have had less security "
          "review.",
          "Set \"experimental\": false in daemon.json (or drop --experimental) on production "
          "hosts.",
          {{}, {}, {"CM-6", "CM-7", "SA-10"}, {}, {}}, CheckExperimental),
  };
}

}  // namespace bulwark::host
