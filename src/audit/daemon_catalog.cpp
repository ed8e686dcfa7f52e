// Metadata of the daemon.json checks (CIS Docker Benchmark 1.6.0 section 2):
// declarative data, one entry per check.
#include "audit/daemon_rules.hpp"

namespace bulwark::audit::daemon {
namespace {

using core::Severity;

constexpr const char* kDockerdDocs =
    "https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file";

core::CheckInfo Info(std::string_view id, const char* title, Severity severity,
                     const char* rationale, const char* remediation, core::References references,
                     bool fixable, std::string peer) {
  core::CheckInfo info;
  info.id = std::string(id);
  info.title = title;
  info.severity = severity;
  info.category = core::Category::kDaemon;
  info.rationale = rationale;
  info.remediation = remediation;
  references.urls.push_back(kDockerdDocs);
  info.references = std::move(references);
  info.fixable = fixable;
  info.peers = {std::move(peer)};
  return info;
}

}  // namespace

std::vector<core::CheckInfo> DaemonCatalog() {
  return {
      Info(
          kIcc, "Inter-container traffic on the default bridge is allowed", Severity::kMedium,
          "With icc enabled every container on the default bridge can reach every other one's "
          "ports, whether or not they are meant to talk.",
          "Set \"icc\": false and connect containers that must talk through user-defined networks.",
          {{"2.2"}, {"T1046"}, {"SC-7", "AC-4"}, {"CWE-668"}, {}}, true, "docker-bench 2.2"),
      Info(kLogLevel, "Daemon log level is not info", Severity::kLow,
           "debug logging can leak request details and secrets; warn/error/fatal lose the events "
           "an investigation needs.",
           "Set \"log-level\": \"info\" (or remove the key: info is the default).",
           {{"2.3"}, {}, {"AU-2", "AU-12"}, {"CWE-778"}, {}}, true, "docker-bench 2.3"),
      Info(kIptables, "Docker may not manage iptables", Severity::kMedium,
           "With iptables disabled Docker does not install the NAT and isolation rules that keep "
           "container networks apart; hand-written rules drift.",
           "Remove \"iptables\": false (the default, true, lets Docker manage the rules).",
           {{"2.4"}, {}, {"SC-7"}, {"CWE-284"}, {}}, true, "docker-bench 2.4"),
      Info(kInsecureRegistries, "Insecure registries are configured", Severity::kHigh,
           "Images from an insecure registry are pulled over plain HTTP or without certificate "
           "checks, so anyone on the path can swap them.",
           "Remove the entries from \"insecure-registries\" and give the registries a valid TLS "
           "certificate (or add their CA under /etc/docker/certs.d).",
           {{"2.5"}, {"T1525"}, {"SC-8", "SI-7"}, {"CWE-319"}, {}}, false, "docker-bench 2.5"),
      Info(kAufs, "The aufs storage driver is used", Severity::kMedium,
           "aufs is deprecated, unmaintained and removed from current engines; it had kernel bugs "
           "that crashed hosts.",
           "Use \"storage-driver\": \"overlay2\" (migrate images first).",
           {{"2.6"}, {}, {"CM-6", "SI-2"}, {}, {}}, false, "docker-bench 2.6"),
      Info(kTcpWithoutTls, "Docker API is exposed over TCP without TLS client verification",
           Severity::kCritical,
           "Anyone who can reach the TCP socket can drive the Docker API, which is root on the "
           "host; tls without tlsverify encrypts but does not authenticate clients.",
           "Listen on the unix socket only, or set \"tlsverify\": true with \"tlscacert\", "
           "\"tlscert\" and \"tlskey\" so only clients with a certificate from your CA connect.",
           {{"2.7"}, {"T1552.007", "T1610", "T1133"}, {"AC-17", "SC-8", "IA-2"}, {"CWE-306"}, {}},
           false, "docker-bench 2.7"),
      Info(kDefaultUlimits, "No default ulimits are set", Severity::kLow,
           "Default ulimits cap file descriptors and processes for every container that does not "
           "set its own.",
           "Add \"default-ulimits\", e.g. {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 64000, "
           "\"Hard\": 64000}}.",
           {{"2.8"}, {"T1499"}, {"SC-5"}, {"CWE-770"}, {}}, true, "docker-bench 2.8"),
      Info(kUsernsRemap, "User namespace remapping is not enabled", Severity::kMedium,
           "Without userns-remap root in a container is uid 0 on the host; after an escape it is "
           "host root.",
           "Set \"userns-remap\": \"default\" (and check /etc/subuid and /etc/subgid). Images "
           "and containers move to a new storage root: pull or rebuild them after the restart.",
           {{"2.9"}, {"T1611"}, {"AC-6", "SC-39"}, {"CWE-250"}, {}}, true, "docker-bench 2.9"),
      Info(kCgroupParent, "A custom default cgroup parent is set", Severity::kMedium,
           "Moving every container under a custom cgroup parent can take them out of the limits "
           "and accounting the host applies to Docker.",
           "Remove \"cgroup-parent\" unless an operator deliberately manages that cgroup.",
           {{"2.10"}, {}, {"SC-39", "SC-5"}, {}, {}}, true, "docker-bench 2.10"),
      Info(
          kBaseSize, "devicemapper base size is changed", Severity::kLow,
          "Raising dm.basesize lets every container grow its filesystem, so one container can fill "
          "the disk.",
          "Remove \"dm.basesize\" from \"storage-opts\" (and move off devicemapper).",
          {{"2.11"}, {"T1499"}, {"SC-5"}, {"CWE-770"}, {}}, true, "docker-bench 2.11"),
      Info(kAuthorizationPlugins, "No authorization plugin is configured", Severity::kLow,
           "Without an authorization plugin every client that can reach the socket may use every "
           "API call.",
           "Add an authorization plugin (e.g. \"authorization-plugins\": [\"opa-docker-authz\"]).",
           {{"2.12"}, {"T1609"}, {"AC-3"}, {"CWE-285"}, {}}, false, "docker-bench 2.12"),
      Info(kLogging, "Container logs are unbounded or disabled", Severity::kMedium,
           "The default json-file driver keeps logs on the host without a size limit until the "
           "disk is full; log-driver none keeps no record at all. Neither is central logging.",
           "Send logs to a central driver (journald, syslog, fluentd, gelf, ...) or set "
           "\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"} for json-file.",
           {{"2.13"}, {"T1070"}, {"AU-6", "AU-9"}, {"CWE-400", "CWE-778"}, {}}, true,
           "docker-bench 2.13"),
      Info(kNoNewPrivileges, "no-new-privileges is not the default", Severity::kMedium,
           "Daemon-wide no-new-privileges stops setuid binaries and file capabilities from raising "
           "privileges in every container.",
           "Set \"no-new-privileges\": true.", {{"2.14"}, {"T1068"}, {"AC-6"}, {"CWE-269"}, {}},
           true, "docker-bench 2.14"),
      Info(kLiveRestore, "Live restore is not enabled", Severity::kLow,
           "Without live-restore, restarting or upgrading dockerd stops every container.",
           "Set \"live-restore\": true (not with swarm mode).",
           {{"2.15"}, {}, {"CP-10", "SC-5"}, {}, {}}, true, "docker-bench 2.15"),
      Info(kUserlandProxy, "The userland proxy is enabled", Severity::kLow,
           "docker-proxy processes listen for every published port; hairpin NAT in iptables does "
           "the same with less attack surface.",
           "Set \"userland-proxy\": false.", {{"2.16"}, {}, {"CM-7"}, {}, {}}, true,
           "docker-bench 2.16"),
      Info(kSeccompUnconfined, "The default seccomp profile is disabled", Severity::kHigh,
           "\"seccomp-profile\": \"unconfined\" removes the syscall filter from every container "
           "that does not set its own.",
           "Remove \"seccomp-profile\" (the built-in default applies) or point it at a stricter "
           "profile.",
           {{"2.17"}, {"T1611"}, {"SC-39"}, {"CWE-693"}, {}}, true, "docker-bench 2.17"),
      Info(kExperimental, "Experimental features are enabled", Severity::kLow,
           "Experimental features are not meant for production and get less security review.",
           "Set \"experimental\": false (or remove it).", {{"2.18"}, {}, {"CM-6", "CM-7"}, {}, {}},
           true, "docker-bench 2.18"),
  };
}

}  // namespace bulwark::audit::daemon
