// Linux audit rules: the kernel's loaded rules from `auditctl -l` (run
// without a shell, bounded in output and time) and the boot-time rules
// from /etc/audit, plus matching a rule to the exact path it audits.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "host/collect_files.hpp"

namespace bulwark::host {
namespace {

constexpr size_t kMaxAuditctlBytes = 1u << 20;
constexpr int kAuditctlTimeoutMs = 5000;
constexpr std::string_view kAuditctlSource = "auditctl -l";

using Clock = std::chrono::steady_clock;

std::string TimedOut(int timeout_ms) {
  return "timed out after " + std::to_string(timeout_ms) + " ms";
}

// Reads both pipes until EOF, the byte bound or the deadline.
void DrainPipes(int out_fd, int err_fd, ProgramOutput& result, size_t max_bytes,
                Clock::time_point deadline, int timeout_ms) {
  struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.failure = TimedOut(timeout_ms);
      return;
    }
    int n = poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.failure = std::string("poll: ") + std::strerror(errno);
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[8192];
      ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        continue;
      }
      sinks[i]->append(buffer, static_cast<size_t>(got));
      if (result.out.size() + result.err.size() > max_bytes) {
        result.failure = "output larger than " + std::to_string(max_bytes) + " bytes";
        return;
      }
    }
  }
}

// Reaps pid; a child that closed its pipes but lingers is killed at the deadline.
void Reap(pid_t pid, ProgramOutput& result, Clock::time_point deadline, int timeout_ms) {
  if (!result.failure.empty()) kill(pid, SIGKILL);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, result.failure.empty() ? WNOHANG : 0);
    if (done < 0 && errno == EINTR) continue;
    if (done != 0) break;
    if (Clock::now() >= deadline) {
      result.failure = TimedOut(timeout_ms);
      kill(pid, SIGKILL);
      continue;
    }
    usleep(10000);
  }
  if (result.failure.empty() && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
}

}  // namespace

ProgramOutput RunProgram(const std::string& program, const std::vector<std::string>& args,
                         size_t max_bytes, int timeout_ms) {
  ProgramOutput result;
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.failure = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.failure = std::string("pipe: ") + std::strerror(errno);
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  char path_env[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
  char lang_env[] = "LC_ALL=C";
  char* envp[] = {path_env, lang_env, nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    result.failure = std::string("cannot run ") + program + ": " + std::strerror(rc);
  } else {
    Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    DrainPipes(out_pipe[0], err_pipe[0], result, max_bytes, deadline, timeout_ms);
    Reap(pid, result, deadline, timeout_ms);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  return result;
}

namespace {

std::string FirstLine(std::string_view text) {
  size_t end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

// The auditctl binary in the root ("" when there is none).
std::string FindAuditctl(const std::string& root) {
  for (const char* path : {"/sbin/auditctl", "/usr/sbin/auditctl"}) {
    core::Result<std::string> real = ResolveHostPath(root, path, /*follow_final=*/true);
    struct stat st {};
    if (real.ok() && stat(real->c_str(), &st) == 0 && S_ISREG(st.st_mode)) return *real;
  }
  return "";
}

bool RootIsSlash(const std::string& root) {
  return root.find_first_not_of('/') == std::string::npos;
}

// Reads one rules file into audit. An absent file is no problem; any
// other failure is said in problems and sets *failed.
void ReadRulesFile(const std::string& root, const std::string& path, AuditRules& audit,
                   std::vector<std::string>& problems, bool* failed) {
  core::Result<std::string> text = ReadHostFile(root, path, kMaxRulesFileBytes);
  if (!text.ok()) {
    if (text.status().code() == core::ErrorCode::kNotFound) return;
    *failed = true;
    problems.push_back(text.status().code() == core::ErrorCode::kPermissionDenied && geteuid() != 0
                           ? path + " is not readable without root"
                           : text.status().message());
    return;
  }
  audit.sources.push_back(path);
  for (const std::string& rule : ParseAuditRuleLines(*text))
    audit.rules.push_back(path + ": " + rule);
}

std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string out;
  for (const std::string& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

std::vector<std::string> ParseAuditRuleLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = text.find('\n', pos);
    if (next == std::string_view::npos) next = text.size();
    std::string line = Trim(text.substr(pos, next - pos));
    pos = next + 1;
    if (line.empty() || line[0] == '#' || line == "No rules") continue;
    lines.push_back(std::move(line));
  }
  return lines;
}

namespace {

// `auditctl -l` into audit when allowed; true when the loaded rules were read.
bool ReadLoadedRules(const std::string& root, const std::string& auditctl, bool run_auditctl,
                     AuditRules& audit, std::vector<std::string>& problems) {
  if (auditctl.empty()) return false;
  if (!RootIsSlash(root)) {
    problems.push_back("the loaded rules (auditctl -l) are not read under --host-root");
    return false;
  }
  if (!run_auditctl || geteuid() != 0) {
    problems.push_back("the loaded rules (auditctl -l) need root");
    return false;
  }
  ProgramOutput run =
      RunProgram(auditctl, {"auditctl", "-l"}, kMaxAuditctlBytes, kAuditctlTimeoutMs);
  if (!run.failure.empty() || run.exit_code != 0) {
    std::string why = !run.failure.empty() ? run.failure : FirstLine(run.err);
    if (why.empty()) why = "exit code " + std::to_string(run.exit_code);
    problems.push_back("auditctl -l failed: " + why);
    return false;
  }
  audit.sources.emplace_back(kAuditctlSource);
  for (const std::string& rule : ParseAuditRuleLines(run.out)) {
    audit.rules.push_back(std::string(kAuditctlSource) + ": " + rule);
  }
  return true;
}

// /etc/audit/rules.d/*.rules and /etc/audit/audit.rules into audit. True
// when the boot rules are known: every file could be read (or is absent).
bool ReadBootRules(const std::string& root, const FileFact& etc_audit, AuditRules& audit,
                   std::vector<std::string>& problems) {
  bool failed = !etc_audit.error.empty();
  if (failed) problems.push_back("/etc/audit: " + etc_audit.error);
  core::Result<DirListing> listing = ListHostDir(root, "/etc/audit/rules.d", kMaxDirEntries);
  if (listing.ok()) {
    size_t count = 0;
    for (const std::string& name : listing->names) {
      if (name.size() <= 6 || name.compare(name.size() - 6, 6, ".rules") != 0) continue;
      if (++count > kMaxRulesFiles) {
        problems.push_back("more than " + std::to_string(kMaxRulesFiles) +
                           " files in /etc/audit/rules.d; the rest were not read");
        break;
      }
      ReadRulesFile(root, "/etc/audit/rules.d/" + name, audit, problems, &failed);
    }
  } else if (listing.status().code() != core::ErrorCode::kNotFound) {
    failed = true;
    bool denied = listing.status().code() == core::ErrorCode::kPermissionDenied;
    problems.push_back(denied && geteuid() != 0 ? "/etc/audit/rules.d is not readable without root"
                                                : listing.status().message());
  }
  ReadRulesFile(root, "/etc/audit/audit.rules", audit, problems, &failed);
  return !failed;
}

}  // namespace

AuditRules ReadAuditRules(const std::string& root, bool run_auditctl) {
  AuditRules audit;
  std::vector<std::string> problems;
  const std::string auditctl = FindAuditctl(root);
  bool loaded_read = ReadLoadedRules(root, auditctl, run_auditctl, audit, problems);
  FileFact etc_audit = StatHostFile(root, "/etc/audit", HostAccounts{});
  if (!etc_audit.exists && etc_audit.error.empty() && auditctl.empty()) {
    // Nothing to read because there is nothing: the host has no audit rules.
    audit.readable = true;
    audit.unreadable_reason = "auditd is not installed: no /etc/audit and no auditctl";
    return audit;
  }
  size_t sources_before = audit.sources.size();
  bool boot_known = ReadBootRules(root, etc_audit, audit, problems);
  bool any_file_read = audit.sources.size() > sources_before;
  audit.readable = loaded_read || any_file_read || boot_known;
  audit.unreadable_reason = JoinProblems(problems);
  if (!audit.readable && audit.unreadable_reason.empty()) {
    audit.unreadable_reason = "no audit rules could be read";
  }
  return audit;
}

AuditEntry SplitAuditEntry(const std::string& entry) {
  // Rules start with '-'; a source name never does.
  if (!entry.empty() && entry[0] == '-') return AuditEntry{"", entry};
  size_t sep = entry.find(": -");
  if (sep == std::string::npos) return AuditEntry{"", entry};
  return AuditEntry{entry.substr(0, sep), entry.substr(sep + 2)};
}

namespace {

std::string NormalizeAuditPath(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    text = text.substr(1, text.size() - 2);
  }
  std::string path(text);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::vector<std::string_view> RuleWords(std::string_view rule) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < rule.size()) {
    while (pos < rule.size() && (rule[pos] == ' ' || rule[pos] == '\t')) ++pos;
    size_t end = pos;
    while (end < rule.size() && rule[end] != ' ' && rule[end] != '\t') ++end;
    if (end > pos) words.push_back(rule.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

}  // namespace

bool AuditRuleCovers(std::string_view rule, std::string_view path) {
  const std::string want = NormalizeAuditPath(path);
  std::vector<std::string_view> w = RuleWords(rule);
  bool field_match = false;
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if (w[i] == "-w" && NormalizeAuditPath(w[i + 1]) == want) return true;
    if ((w[i] == "-a" || w[i] == "-A") && w[i + 1].find("never") != std::string_view::npos)
      return false;
    if (w[i] == "-F") {
      std::string_view field = w[i + 1];
      for (std::string_view key : {"path=", "dir="}) {
        if (field.substr(0, key.size()) == key &&
            NormalizeAuditPath(field.substr(key.size())) == want) {
          field_match = true;
        }
      }
    }
  }
  return field_match;
}

AuditMatch FindAuditRule(const AuditRules& audit, const std::string& path) {
  AuditMatch file_match;
  for (const std::string& entry : audit.rules) {
    AuditEntry split = SplitAuditEntry(entry);
    if (!AuditRuleCovers(split.rule, path)) continue;
    if (split.source == kAuditctlSource) return AuditMatch{true, std::move(split), true};
    if (!file_match.found) file_match = AuditMatch{true, std::move(split), false};
  }
  return file_match;
}

bool AuditRulesLoadedKnown(const AuditRules& audit) {
  return std::find(audit.sources.begin(), audit.sources.end(), kAuditctlSource) !=
         audit.sources.end();
}

}  // namespace bulwark::host
