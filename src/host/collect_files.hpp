// The host-filesystem half of `audit --host`: stat(2) of the Docker files and
// directories, accounts (/etc/passwd, /etc/group), audit rules, the mount
// table and listening TCP sockets, all read under a root prefix (facts.root:
// "/" normally, the host's / mounted elsewhere with --host-root, a temp dir
// in tests). Also the pure helpers the section 1 and 3 checks share: which
// host paths a check looks at, audit-rule matching, file evidence.
//
// Root confinement: a host path must be absolute and free of ".."; it is
// resolved component by component under the root. A symlink met on the way
// is followed *inside* the root (an absolute target starts again at the
// root, ".." stops at the root), as a chroot would; the final component is
// never followed by StatHostFile (lstat). Reads are bounded (file sizes,
// directory entries, certificate files, depth). Nothing is written.
// Stateless; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "host/host_facts.hpp"

namespace bulwark::host {

// ---- Bounds -----------------------------------------------------------------
inline constexpr size_t kMaxAccountsBytes = 8u << 20;   // /etc/passwd, /etc/group
inline constexpr size_t kMaxProcFileBytes = 16u << 20;  // mountinfo, net/tcp
inline constexpr size_t kMaxRulesFileBytes = 1u << 20;  // one audit rules file
inline constexpr size_t kMaxRulesFiles = 256;           // files in rules.d
inline constexpr size_t kMaxDirEntries = 4096;          // one directory listing
inline constexpr size_t kMaxCertFiles = 1000;           // files under certs.d
inline constexpr int kMaxSymlinkHops = 40;              // as the kernel's ELOOP

// ---- Reading under the root -----------------------------------------------
// root + host_path with every symlink before the last component resolved
// inside root (and the last one too when follow_final). Errors:
// kInvalidArgument for a relative path or "..", kIoError for a symlink loop.
core::Result<std::string> ResolveHostPath(const std::string& root, const std::string& host_path,
                                          bool follow_final);
// A regular file's content, at most max_bytes (kTooLarge beyond; kNotFound,
// kPermissionDenied, kIoError otherwise). Follows a final symlink inside root.
core::Result<std::string> ReadHostFile(const std::string& root, const std::string& host_path,
                                       size_t max_bytes);
struct DirListing {
  std::vector<std::string> names;  // sorted, without "." and ".."
  bool truncated = false;          // more than max_entries entries
};
core::Result<DirListing> ListHostDir(const std::string& root, const std::string& host_path,
                                     size_t max_entries);
// readlink(2) of host_path under root (not resolved further).
core::Result<std::string> ReadHostLink(const std::string& root, const std::string& host_path);

// ---- Accounts ---------------------------------------------------------------
// The host's local accounts, from root/etc/passwd and root/etc/group only
// (no NSS: LDAP/sssd users are not seen; the result does not depend on the
// machine bulwark runs on).
struct HostAccounts {
  struct UserEntry {
    std::string name;
    uint32_t uid = 0;
    uint32_t gid = 0;
  };
  struct GroupEntry {
    std::string name;
    uint32_t gid = 0;
    std::vector<std::string> members;
  };
  std::vector<UserEntry> users;
  std::vector<GroupEntry> groups;

  std::string UserName(uint32_t uid) const;   // "" when unknown
  std::string GroupName(uint32_t gid) const;  // "" when unknown
  // Explicit members plus users whose primary group it is, sorted, unique.
  GroupFact Group(const std::string& name) const;
};
HostAccounts ParseHostAccounts(std::string_view passwd, std::string_view group);
HostAccounts ReadHostAccounts(const std::string& root);

// lstat of root + host_path; owner and group names from `accounts`.
// ENOENT/ENOTDIR: exists=false, no error. Other failures: error in words
// ("permission denied", "refused: '..' in path").
FileFact StatHostFile(const std::string& root, const std::string& host_path,
                      const HostAccounts& accounts);

// ---- Running a host tool ----------------------------------------------------
struct ProgramOutput {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string out;
  std::string err;
  std::string failure;  // why it did not run to completion ("timed out after 5000 ms")
};
// Runs program with args as argv (args[0] is its name): posix_spawn, no
// shell, stdin /dev/null, PATH and LC_ALL=C only. Killed (SIGKILL) when its
// output passes max_bytes or it outlives timeout_ms.
ProgramOutput RunProgram(const std::string& program, const std::vector<std::string>& args,
                         size_t max_bytes, int timeout_ms);

// ---- Audit rules ------------------------------------------------------------
// `auditctl -l` (only when run_auditctl, root is "/", the effective uid is 0
// and auditctl exists; fixed argv, no shell, 1 MiB and 5 s at most), then
// root/etc/audit/rules.d/*.rules (sorted) and root/etc/audit/audit.rules.
// Each entry of rules is "SOURCE: RULE" ("auditctl -l: -w /usr/sbin/dockerd
// -k docker") so a verdict can say where its rule came from (SplitAuditEntry).
// When auditd is not installed at all (no /etc/audit, no auditctl) the
// result is readable with no rules: the host has no audit rules, and
// unreadable_reason still says why. When some sources were read and
// others not (auditctl failed, one file unreadable) readable is true and
// unreadable_reason says what is missing.
AuditRules ReadAuditRules(const std::string& root, bool run_auditctl);
// Rule lines of an audit rules file or of auditctl -l output: comments,
// blank lines and "No rules" dropped.
std::vector<std::string> ParseAuditRuleLines(std::string_view text);

struct AuditEntry {
  std::string source;  // "" when the entry has no "SOURCE: " prefix
  std::string rule;
};
AuditEntry SplitAuditEntry(const std::string& entry);

// Does this one rule audit exactly `path`: a watch (-w PATH) or a syscall
// rule with -F path=PATH / -F dir=PATH ("never" rules do not count).
// Trailing slashes and quotes are ignored.
bool AuditRuleCovers(std::string_view rule, std::string_view path);

struct AuditMatch {
  bool found = false;
  AuditEntry entry;     // the first matching rule and its source
  bool loaded = false;  // it came from auditctl -l (the kernel's rules)
};
// The first rule covering path; loaded rules (auditctl -l) first.
AuditMatch FindAuditRule(const AuditRules& audit, const std::string& path);
// True when the rules include the kernel's loaded rules (auditctl -l ran).
bool AuditRulesLoadedKnown(const AuditRules& audit);

// ---- Mounts and sockets -----------------------------------------------------
// /proc/PID/mountinfo lines; octal escapes (\040 space, \011 tab, \012
// newline, \134 backslash) decoded. Malformed lines are skipped.
std::vector<MountEntry> ParseMountInfo(std::string_view text);
// root/proc/1/mountinfo (the host's init: the host's view even when bulwark
// runs in a container with the host's /proc), else root/proc/self/mountinfo.
core::Result<std::vector<MountEntry>> ReadMountTable(const std::string& root);
// The mount that holds `path`: the longest mount point that is a
// component-wise prefix of it (the last such line when mounts are stacked).
const MountEntry* MountFor(const std::vector<MountEntry>& mounts, const std::string& path);

// Sockets in state 0A (LISTEN) of /proc/net/tcp (ipv6=false) or tcp6, in
// the byte order of this machine (the kernel that wrote the file).
std::vector<ListeningSocket> ParseProcNetTcp(std::string_view text, bool ipv6);
// root/proc/1/net/tcp{,6} (the host's network namespace), else
// root/proc/net/tcp{,6}; unique address:port pairs.
std::vector<ListeningSocket> ReadListeningSockets(const std::string& root);

// ---- The collector ----------------------------------------------------------
// Present when that LSM is active (securityfs / selinuxfs mounted); stat'ed
// for 1.2.1.
inline constexpr std::string_view kLsmMarkerPaths[] = {"/sys/kernel/security/apparmor",
                                                       "/sys/fs/selinux"};

// Fills facts.files (every path of HostPathCandidates for every role, the
// certificate files under /etc/docker/certs.d, dockerd's /proc/PID/exe
// target, the LSM markers of 1.2.1), facts.audit, facts.mounts,
// facts.listening and facts.docker_group. Reads facts.root, facts.is_root,
// facts.daemon, facts.daemon_file, facts.daemon_process and facts.engine,
// which must be filled first. Never fails: what cannot be read is recorded.
void CollectHostFiles(HostFacts& facts);

// ---- Which host paths a check looks at (pure; shared by the checks) ---------
enum class HostPathRole {
  kDockerdBinary,
  kContainerdBinary,
  kContainerdShim,
  kContainerdShimRuncV1,
  kContainerdShimRuncV2,
  kRuncBinary,
  kDockerService,
  kDockerSocketUnit,
  kDockerRootDir,
  kEtcDocker,
  kRunContainerd,
  kContainerdSocket,
  kEtcDefaultDocker,
  kDaemonJson,
  kContainerdConfig,
  kSysconfigDocker,
  kDockerSocket,
  kTlsCaCert,
  kTlsCert,
  kTlsKey,
  kCertsDir,
};
inline constexpr HostPathRole kAllHostPathRoles[] = {
    HostPathRole::kDockerdBinary,
    HostPathRole::kContainerdBinary,
    HostPathRole::kContainerdShim,
    HostPathRole::kContainerdShimRuncV1,
    HostPathRole::kContainerdShimRuncV2,
    HostPathRole::kRuncBinary,
    HostPathRole::kDockerService,
    HostPathRole::kDockerSocketUnit,
    HostPathRole::kDockerRootDir,
    HostPathRole::kEtcDocker,
    HostPathRole::kRunContainerd,
    HostPathRole::kContainerdSocket,
    HostPathRole::kEtcDefaultDocker,
    HostPathRole::kDaemonJson,
    HostPathRole::kContainerdConfig,
    HostPathRole::kSysconfigDocker,
    HostPathRole::kDockerSocket,
    HostPathRole::kTlsCaCert,
    HostPathRole::kTlsCert,
    HostPathRole::kTlsKey,
    HostPathRole::kCertsDir,
};

// The host paths where the file of `role` may be, in the order they are
// tried. Binaries: dockerd's own argv[0] / exe first, then /usr/bin,
// /usr/sbin, /usr/local/bin, /usr/local/sbin. Units: /etc/systemd/system,
// /lib/systemd/system, /usr/lib/systemd/system. TLS files: the daemon's
// tlscacert/tlscert/tlskey, or dockerd's default ~/.docker/*.pem of root
// when TLS is on without them; empty when TLS is not configured.
std::vector<std::string> HostPathCandidates(const HostFacts& facts, HostPathRole role);

struct HostPathLookup {
  // The first candidate that exists and is not a symlink; else the first
  // existing symlink; else the first whose stat failed (error set); else
  // nullptr (absent everywhere, or never stat'ed).
  const FileFact* fact = nullptr;
  std::vector<std::string> looked_in;  // every candidate
};
HostPathLookup FindHostPath(const HostFacts& facts, HostPathRole role);
// "looked in /a, /b" (for messages); "nowhere" when empty.
std::string LookedIn(const std::vector<std::string>& paths);

// The Docker root dir: /info DockerRootDir, else the daemon's data-root,
// else /var/lib/docker.
std::string DockerRootDir(const HostFacts& facts);

// ---- File evidence ------------------------------------------------------------
std::string OctalMode(uint32_t mode);  // 0644 -> "0644"
// "mode 0644 owner root:root (0:0)"; unknown names print as the number.
std::string FileEvidence(const FileFact& fact);
// Bitwise "mode or more restrictive": no bit outside `allowed` is set
// (0640 is within 0644; 0654 is not, though it is numerically smaller than 0744).
inline bool ModeWithin(uint32_t mode, uint32_t allowed) { return (mode & 07777 & ~allowed) == 0; }

}  // namespace bulwark::host
