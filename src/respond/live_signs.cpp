#include "respond/live_signs.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace bulwark::respond {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Lower(std::string_view s) {
  std::string out(s.substr(0, 4096));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void Add(std::vector<ProcessSign>& out, std::string signal, std::string what, std::string where) {
  out.push_back({std::move(signal), std::move(what), std::move(where)});
}

void MasqueradeSigns(const ProcessFacts& p, std::vector<ProcessSign>& out) {
  if (!p.has_exe) return;  // a real kernel thread has no executable
  std::string exe = p.exe.empty() ? "an executable file" : p.exe;
  if (!p.argv.empty() && LooksLikeKernelThreadName(p.argv[0])) {
    Add(out, "proc-kernel-thread-name", "argv[0] " + p.argv[0] + " while running " + exe, "cmdline");
  } else if (LooksLikeKernelThreadName(p.comm)) {
    Add(out, "proc-kernel-thread-name", "comm " + p.comm + " while running " + exe, "comm");
  }
}

void ExeSigns(const ProcessFacts& p, std::vector<ProcessSign>& out) {
  if (!p.has_exe) return;
  if (p.exe_deleted) Add(out, "proc-exe-deleted", p.exe + " (deleted)", "/proc/PID/exe");
  if (StartsWith(p.exe, "/memfd:")) Add(out, "proc-memfd-exec", "runs from " + p.exe, "/proc/PID/exe");
  if (IsTempPath(p.exe)) Add(out, "proc-exe-temp-dir", p.exe, "/proc/PID/exe");
  if (IsInHiddenDir(p.exe)) Add(out, "proc-exe-hidden-dir", p.exe, "/proc/PID/exe");
}

void MemorySigns(const ProcessFacts& p, std::vector<ProcessSign>& out) {
  for (const auto& r : p.maps.memfd_exec) Add(out, "proc-memfd-exec", r.path + " " + r.perms, "maps");
  for (const auto& r : p.maps.anon_exec) Add(out, "proc-anon-exec", r.path + " " + r.perms, "maps");
  for (const auto& r : p.maps.writable_exec) Add(out, "proc-wx-memory", r.path + " " + r.perms, "maps");
}

void NetworkSigns(const ProcessFacts& p, std::vector<ProcessSign>& out) {
  for (const auto& s : p.sockets) {
    if (s.proto.rfind("tcp", 0) != 0 || s.remote.empty() || !IsMiningPort(s.remote_port)) continue;
    if (s.state != "ESTABLISHED" && s.state != "SYN_SENT") continue;
    Add(out, "proc-mining-connection", s.proto + " " + s.local + " -> " + s.remote + " " + s.state,
        "fd " + std::to_string(s.fd));
  }
  for (size_t i = 0; i < p.argv.size(); ++i) {
    std::string arg = Lower(p.argv[i]);
    if (arg.find("stratum+tcp://") != std::string::npos || arg.find("stratum+ssl://") != std::string::npos ||
        arg.find("stratum+tls://") != std::string::npos) {
      Add(out, "proc-stratum-cmdline", p.argv[i], "argv[" + std::to_string(i) + "]");
    }
  }
}

}  // namespace

bool LooksLikeKernelThreadName(std::string_view name) {
  if (name.size() >= 3 && name.front() == '[' && name.back() == ']') return true;
  static constexpr std::array<std::string_view, 24> kPrefixes = {
      "kworker/", "ksoftirqd/", "kthreadd", "migration/", "rcu_", "kswapd", "watchdog/", "khugepaged",
      "kblockd", "kdevtmpfs", "jbd2/", "cpuhp/", "irq/", "kcompactd", "oom_reaper", "writeback",
      "kintegrityd", "ksmd", "kauditd", "khungtaskd", "kthrotld", "scsi_eh_", "idle_inject/", "mm_percpu_wq"};
  return std::any_of(kPrefixes.begin(), kPrefixes.end(), [&](std::string_view p) { return StartsWith(name, p); });
}

bool IsTempPath(std::string_view path) {
  for (std::string_view dir : {"/tmp/", "/var/tmp/", "/dev/shm/", "/run/shm/", "/dev/mqueue/"}) {
    if (StartsWith(path, dir)) return true;
  }
  return false;
}

bool IsInHiddenDir(std::string_view path) {
  size_t last = path.rfind('/');
  if (last == std::string_view::npos) return false;
  std::string_view dirs = path.substr(0, last);
  size_t pos = 0;
  while (pos < dirs.size()) {
    size_t slash = dirs.find('/', pos);
    if (slash == std::string_view::npos) slash = dirs.size();
    std::string_view comp = dirs.substr(pos, slash - pos);
    if (comp.size() > 1 && comp.front() == '.' && comp != "..") return true;
    pos = slash + 1;
  }
  return false;
}

bool IsMiningPort(int port) {
  static constexpr std::array<int, 13> kPorts = {3333, 3334, 3335, 3336, 3357, 4444, 5555,
                                                 5556, 6666, 7777, 14433, 14444, 45700};
  return std::find(kPorts.begin(), kPorts.end(), port) != kPorts.end();
}

std::vector<ProcessSign> ProcessSigns(const ProcessFacts& p) {
  std::vector<ProcessSign> out;
  MasqueradeSigns(p, out);
  ExeSigns(p, out);
  MemorySigns(p, out);
  NetworkSigns(p, out);
  return out;
}

}  // namespace bulwark::respond
