// CIS Docker Benchmark 1.6.0 section 3, daemon configuration files: owner
// and permissions of the units, /etc/docker, certificates, TLS material,
// the sockets and the daemon's option files. Modes are compared bitwise
// ("644 or more restrictive" = no bit outside 0644), not as numbers as
// docker-bench does (its issue #459: 0640 > 0644 is false but 0654 < 0744).
#include "host/collect_files.hpp"
#include "host/host_check.hpp"

namespace bulwark::host {
namespace {

using core::Severity;

constexpr const char* kCertsDir = "/etc/docker/certs.d";
constexpr const char* kProtectDocs = "https://docs.docker.com/engine/security/protect-access/";
constexpr const char* kCertsDocs = "https://docs.docker.com/engine/security/certificates/";
constexpr const char* kAttackSurfaceDocs =
    "https://docs.docker.com/engine/security/#docker-daemon-attack-surface";

// Why a role has no candidate path at all (TLS not configured).
std::string NoCandidateReason(HostPathRole role) {
  switch (role) {
    case HostPathRole::kTlsCaCert:
    case HostPathRole::kTlsCert:
    case HostPathRole::kTlsKey:
      return "TLS is not configured for the daemon (no tlscacert/tlscert/tlskey in daemon.json or "
             "on "
             "dockerd's command line)";
    default:
      return "bulwark knows no path for this file";
  }
}

// The file a check judges, or nullptr after saying why there is none.
const FileFact* Locate(const HostFacts& facts, ResultSink& out, HostPathRole role) {
  HostPathLookup lookup = FindHostPath(facts, role);
  if (lookup.looked_in.empty()) {
    out.Info(DaemonSubject(facts), "no path configured",
             "not applicable: " + NoCandidateReason(role));
    return nullptr;
  }
  const std::string looked = LookedIn(lookup.looked_in);
  if (lookup.fact == nullptr) {
    const std::string& first = lookup.looked_in.front();
    out.Info(FileSubject(first), looked,
             "not applicable: " + first + " does not exist (" + looked + ")");
    return nullptr;
  }
  const FileFact& fact = *lookup.fact;
  if (!fact.exists) {
    out.Skip("cannot stat " + fact.path + ": " + fact.error + "; run bulwark as root");
    return nullptr;
  }
  if (fact.type == "symlink") {
    out.Info(FileSubject(fact.path), "symlink",
             fact.path +
                 " is a symlink, whose own mode means nothing; check the file it points to "
                 "(stat -L " +
                 fact.path + ")");
    return nullptr;
  }
  return &fact;
}

std::string OwnerText(const FileFact& f) {
  return (f.owner.empty() ? std::to_string(f.uid) : f.owner) + ":" +
         (f.group.empty() ? std::to_string(f.gid) : f.group);
}

void JudgeRootOwned(const FileFact& f, ResultSink& out) {
  if (f.uid == 0 && f.gid == 0) {
    out.Pass(FileSubject(f.path), FileEvidence(f), f.path + " is owned by root:root");
  } else {
    out.Warn(FileSubject(f.path), FileEvidence(f),
             f.path + " is owned by " + OwnerText(f) + ", not root:root");
  }
}

void JudgeMode(const FileFact& f, ResultSink& out, uint32_t allowed) {
  if (ModeWithin(f.mode, allowed)) {
    out.Pass(FileSubject(f.path), FileEvidence(f),
             f.path + " has mode " + OctalMode(f.mode) + ", " + OctalMode(allowed) +
                 " or more restrictive");
  } else {
    out.Warn(FileSubject(f.path), FileEvidence(f),
             f.path + " has mode " + OctalMode(f.mode) + ": bits " + OctalMode(f.mode & ~allowed) +
                 " are beyond " + OctalMode(allowed));
  }
}

template <HostPathRole kRole>
void RootOwned(const HostFacts& facts, ResultSink& out) {
  if (const FileFact* f = Locate(facts, out, kRole)) JudgeRootOwned(*f, out);
}

template <HostPathRole kRole, uint32_t kAllowed>
void ModeAtMost(const HostFacts& facts, ResultSink& out) {
  if (const FileFact* f = Locate(facts, out, kRole)) JudgeMode(*f, out, kAllowed);
}

// 3.15: root:docker; root:root is stricter and passes; a rootless daemon's
// socket belongs to the daemon's user.
void DockerSocketOwner(const HostFacts& facts, ResultSink& out) {
  const FileFact* f = Locate(facts, out, HostPathRole::kDockerSocket);
  if (f == nullptr) return;
  bool docker_group =
      (facts.docker_group.exists && f->gid == facts.docker_group.gid) || f->group == "docker";
  bool rootless_owner =
      facts.daemon_process && facts.daemon_process->uid != 0 && f->uid == facts.daemon_process->uid;
  if (f->uid == 0 && docker_group) {
    out.Pass(FileSubject(f->path), FileEvidence(*f), f->path + " is owned by root:docker");
  } else if (f->uid == 0 && f->gid == 0) {
    out.Pass(FileSubject(f->path), FileEvidence(*f),
             f->path + " is owned by root:root, stricter than root:docker (only root can use it)");
  } else if (rootless_owner) {
    out.Pass(FileSubject(f->path), FileEvidence(*f),
             f->path + " belongs to the user of the rootless daemon");
  } else {
    out.Warn(FileSubject(f->path), FileEvidence(*f),
             f->path + " is owned by " + OwnerText(*f) + ", not root:docker");
  }
}

// ---- 3.7 / 3.8: files under /etc/docker/certs.d ---------------------------------

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsCertFile(const std::string& path) {
  return EndsWith(path, ".crt") || EndsWith(path, ".cert") || EndsWith(path, ".key");
}

void JudgeCerts(const HostFacts& facts, ResultSink& out, bool ownership) {
  const FileFact* dir = facts.File(kCertsDir);
  if (dir == nullptr || (!dir->exists && dir->error.empty())) {
    out.Info(
        FileSubject(kCertsDir), "absent",
        std::string("not applicable: ") + kCertsDir + " does not exist (no registry certificates)");
    return;
  }
  if (!dir->exists) {
    out.Skip(std::string("cannot stat ") + kCertsDir + ": " + dir->error + "; run bulwark as root");
    return;
  }
  const std::string prefix = std::string(kCertsDir) + "/";
  for (const auto& [path, f] : facts.files) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    if (f.exists && f.type == "directory" && !f.error.empty()) {
      out.Info(FileSubject(path), f.error,
               "the certificates in " + path + " could not be listed: " + f.error);
      continue;
    }
    if (!IsCertFile(path)) continue;
    if (!f.exists) {
      out.Info(FileSubject(path), f.error, "cannot stat " + path + ": " + f.error);
    } else if (f.type == "symlink") {
      out.Info(FileSubject(path), "symlink",
               path + " is a symlink; check the file it points to (stat -L " + path + ")");
    } else if (ownership) {
      JudgeRootOwned(f, out);
    } else {
      // A client key is a secret: it gets 3.14's 0400, not a certificate's 0444.
      JudgeMode(f, out, EndsWith(path, ".key") ? 0400 : 0444);
    }
  }
  if (!dir->error.empty()) {
    out.Info(FileSubject(kCertsDir), dir->error,
             std::string("the listing of ") + kCertsDir + " is incomplete: " + dir->error);
  } else if (out.results().empty()) {
    out.Info(FileSubject(kCertsDir), "no .crt, .cert or .key file",
             std::string("not applicable: no registry certificate files under ") + kCertsDir);
  }
}

void CertsOwner(const HostFacts& facts, ResultSink& out) { JudgeCerts(facts, out, true); }
void CertsMode(const HostFacts& facts, ResultSink& out) { JudgeCerts(facts, out, false); }

// ---- Metadata ------------------------------------------------------------------------

HostCheck FileCheck(const char* cis, const char* title, Severity severity, std::string rationale,
                    std::string remediation, core::References refs,
                    void (*run)(const HostFacts&, ResultSink&)) {
  return HostCheck{cis,
                   title,
                   true,
                   severity,
                   std::move(rationale),
                   std::move(remediation),
                   std::move(refs),
                   HostScope::kHost,
                   run};
}

core::References OwnerRefs(std::vector<std::string> attack, const char* url) {
  return {{}, std::move(attack), {"AC-6", "AC-3", "CM-6"}, {"CWE-282"}, {url}};
}

core::References ModeRefs(std::vector<std::string> attack, const char* url) {
  return {{}, std::move(attack), {"AC-6", "AC-3", "CM-6"}, {"CWE-732"}, {url}};
}

}  // namespace

std::vector<HostCheck> Section3DaemonFilesChecks() {
  using R = HostPathRole;
  const std::string owner_why = "Whoever owns it can change it: ";
  std::vector<HostCheck> c;
  c.push_back(FileCheck(
      "3.1", "Ensure that the docker.service file ownership is set to root:root", Severity::kMedium,
      owner_why + "the unit decides how dockerd starts, and so what runs as root.",
      "chown root:root on the docker.service file bulwark reports (e.g. "
      "/lib/systemd/system/docker.service).",
      OwnerRefs({"T1543", "T1068"}, kProtectDocs), RootOwned<R::kDockerService>));
  c.push_back(FileCheck(
      "3.2", "Ensure that docker.service file permissions are appropriately set", Severity::kMedium,
      "A unit writable by others lets them change dockerd's command line, and so run code as root.",
      "chmod 644 (or stricter) on the docker.service file bulwark reports.",
      ModeRefs({"T1543", "T1068"}, kProtectDocs), ModeAtMost<R::kDockerService, 0644>));
  c.push_back(FileCheck("3.3", "Ensure that docker.socket file ownership is set to root:root",
                        Severity::kMedium,
                        owner_why + "the unit decides who may use the Docker socket.",
                        "chown root:root on the docker.socket file bulwark reports.",
                        OwnerRefs({"T1543"}, kProtectDocs), RootOwned<R::kDockerSocketUnit>));
  c.push_back(FileCheck(
      "3.4", "Ensure that docker.socket file permissions are set to 644 or more restrictive",
      Severity::kMedium,
      "A socket unit writable by others lets them open the Docker socket to everyone.",
      "chmod 644 (or stricter) on the docker.socket file bulwark reports.",
      ModeRefs({"T1543"}, kProtectDocs), ModeAtMost<R::kDockerSocketUnit, 0644>));
  c.push_back(FileCheck(
      "3.5", "Ensure that the /etc/docker directory ownership is set to root:root",
      Severity::kMedium, owner_why + "/etc/docker holds daemon.json, certificates and keys.",
      "chown root:root /etc/docker", OwnerRefs({"T1562.001"}, kProtectDocs),
      RootOwned<R::kEtcDocker>));
  c.push_back(FileCheck(
      "3.6", "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
      Severity::kMedium,
      "A writable /etc/docker lets others replace the daemon's configuration and keys.",
      "chmod 755 /etc/docker (or 700)", ModeRefs({"T1562.001"}, kProtectDocs),
      ModeAtMost<R::kEtcDocker, 0755>));
  c.push_back(FileCheck(
      "3.7", "Ensure that registry certificate file ownership is set to root:root",
      Severity::kMedium, owner_why + "a replaced registry CA lets an attacker serve forged images.",
      "chown root:root /etc/docker/certs.d/<registry>/*", OwnerRefs({"T1525"}, kCertsDocs),
      CertsOwner));
  c.push_back(FileCheck(
      "3.8",
      "Ensure that registry certificate file permissions are set to 444 or more restrictively",
      Severity::kMedium,
      "Writable registry certificates can be replaced to trust a forged registry; a readable "
      "client "
      "key lets others authenticate as this host.",
      "chmod 444 /etc/docker/certs.d/<registry>/*.crt *.cert and chmod 400 the *.key files",
      ModeRefs({"T1525", "T1552"}, kCertsDocs), CertsMode));
  c.push_back(FileCheck("3.9", "Ensure that TLS CA certificate file ownership is set to root:root",
                        Severity::kMedium,
                        owner_why + "the CA decides which clients may control the daemon over TCP.",
                        "chown root:root on the file named by tlscacert",
                        OwnerRefs({"T1552.007"}, kProtectDocs), RootOwned<R::kTlsCaCert>));
  c.push_back(FileCheck(
      "3.10",
      "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively",
      Severity::kMedium, "A writable CA file lets others add a CA whose clients the daemon trusts.",
      "chmod 444 on the file named by tlscacert", ModeRefs({"T1552.007"}, kProtectDocs),
      ModeAtMost<R::kTlsCaCert, 0444>));
  c.push_back(FileCheck(
      "3.11", "Ensure that Docker server certificate file ownership is set to root:root",
      Severity::kMedium, owner_why + "the certificate is the daemon's identity to its clients.",
      "chown root:root on the file named by tlscert", OwnerRefs({"T1552.007"}, kProtectDocs),
      RootOwned<R::kTlsCert>));
  c.push_back(FileCheck("3.12",
                        "Ensure that the Docker server certificate file permissions are set to 444 "
                        "or more restrictively",
                        Severity::kMedium,
                        "A writable server certificate can be swapped to impersonate the daemon.",
                        "chmod 444 on the file named by tlscert", ModeRefs({"T1552.007"}, kProtectDocs),
                        ModeAtMost<R::kTlsCert, 0444>));
  c.push_back(FileCheck(
      "3.13", "Ensure that the Docker server certificate key file ownership is set to root:root",
      Severity::kHigh, owner_why + "the private key is the daemon's identity to its clients.",
      "chown root:root on the file named by tlskey", OwnerRefs({"T1552"}, kProtectDocs),
      RootOwned<R::kTlsKey>));
  c.push_back(FileCheck(
      "3.14", "Ensure that the Docker server certificate key file permissions are set to 400",
      Severity::kHigh, "A key readable by others lets them impersonate the daemon to its clients.",
      "chmod 400 on the file named by tlskey", ModeRefs({"T1552"}, kProtectDocs),
      ModeAtMost<R::kTlsKey, 0400>));
  c.push_back(FileCheck(
      "3.15", "Ensure that the Docker socket file ownership is set to root:docker", Severity::kHigh,
      "Access to the Docker socket is root on the host; its owner and group decide who has it.",
      "chown root:docker /var/run/docker.sock (dockerd sets it with --group; check the -H socket)",
      OwnerRefs({"T1611", "T1610"}, kAttackSurfaceDocs), DockerSocketOwner));
  c.push_back(FileCheck(
      "3.16", "Ensure that the Docker socket file permissions are set to 660 or more restrictively",
      Severity::kHigh, "A socket writable by others gives every local user root through Docker.",
      "chmod 660 /var/run/docker.sock (and find what loosened it: a unit's SocketMode, a script)",
      ModeRefs({"T1611", "T1610"}, kAttackSurfaceDocs), ModeAtMost<R::kDockerSocket, 0660>));
  c.push_back(FileCheck(
      "3.17", "Ensure that the daemon.json file ownership is set to root:root", Severity::kMedium,
      owner_why + "daemon.json can turn off the daemon's protections or add insecure registries.",
      "chown root:root /etc/docker/daemon.json", OwnerRefs({"T1562.001"}, kProtectDocs),
      RootOwned<R::kDaemonJson>));
  c.push_back(FileCheck(
      "3.18", "Ensure that daemon.json file permissions are set to 644 or more restrictive",
      Severity::kMedium,
      "A writable daemon.json lets others reconfigure the daemon at its next start.",
      "chmod 644 /etc/docker/daemon.json", ModeRefs({"T1562.001"}, kProtectDocs),
      ModeAtMost<R::kDaemonJson, 0644>));
  c.push_back(
      FileCheck("3.19", "Ensure that the /etc/default/docker file ownership is set to root:root",
                Severity::kMedium, owner_why + "/etc/default/docker holds dockerd's start options.",
                "chown root:root /etc/default/docker", OwnerRefs({"T1562.001"}, kProtectDocs),
                RootOwned<R::kEtcDefaultDocker>));
  c.push_back(FileCheck(
      "3.20",
      "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively",
      Severity::kMedium, "A writable /etc/default/docker lets others change dockerd's options.",
      "chmod 644 /etc/default/docker", ModeRefs({"T1562.001"}, kProtectDocs),
      ModeAtMost<R::kEtcDefaultDocker, 0644>));
  c.push_back(FileCheck(
      "3.21",
      "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
      Severity::kMedium, "A writable /etc/sysconfig/docker lets others change dockerd's options.",
      "chmod 644 /etc/sysconfig/docker", ModeRefs({"T1562.001"}, kProtectDocs),
      ModeAtMost<R::kSysconfigDocker, 0644>));
  c.push_back(FileCheck(
      "3.22", "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
      Severity::kMedium, owner_why + "/etc/sysconfig/docker holds dockerd's start options.",
      "chown root:root /etc/sysconfig/docker", OwnerRefs({"T1562.001"}, kProtectDocs),
      RootOwned<R::kSysconfigDocker>));
  c.push_back(FileCheck(
      "3.23", "Ensure that the Containerd socket file ownership is set to root:root",
      Severity::kHigh,
      "Access to the containerd socket is root on the host, as the Docker socket is.",
      "chown root:root /run/containerd/containerd.sock",
      OwnerRefs({"T1611", "T1610"}, kAttackSurfaceDocs), RootOwned<R::kContainerdSocket>));
  c.push_back(FileCheck(
      "3.24",
      "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
      Severity::kHigh, "A containerd socket writable by others gives every local user root.",
      "chmod 660 /run/containerd/containerd.sock", ModeRefs({"T1611", "T1610"}, kAttackSurfaceDocs),
      ModeAtMost<R::kContainerdSocket, 0660>));
  return c;
}

}  // namespace bulwark::host
