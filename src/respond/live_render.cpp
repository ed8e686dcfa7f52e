#include "respond/live_render.hpp"

#include <ctime>

#include <fmt/format.h>

#include "core/escape.hpp"
#include "respond/triage_render.hpp"

namespace bulwark::respond {
namespace {

using Esc = std::string (*)(const std::string&);
std::string T(const std::string& s) { return core::EscapeTerminal(s); }
std::string M(const std::string& s) { return core::EscapeMarkdown(s); }

constexpr size_t kShownFiles = 256;

std::string Argv(const ProcessFacts& p, Esc esc) {
  std::string out;
  for (const auto& a : p.argv) out += (out.empty() ? "" : " ") + esc(a);
  if (p.argv_truncated) out += " ...";
  return out.empty() ? "-" : out;
}

std::string Exe(const ProcessFacts& p, Esc esc) {
  if (!p.has_exe) return "- (no executable: a kernel thread, or not readable)";
  return esc(p.exe) + (p.exe_deleted ? " (deleted)" : "");
}

std::string Ids(const ProcIds& ids) { return fmt::format("{}/{}", ids.real, ids.effective); }

std::string StartTime(const ProcessFacts& p) {
  if (p.start_time_unix <= 0) return fmt::format("{} ticks after boot", p.start_ticks);
  std::time_t t = static_cast<std::time_t>(p.start_time_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ContainerLine(const ContainerRef& c, Esc esc) {
  std::string s = c.id.substr(0, 12);
  if (!c.name.empty()) s += ", name " + esc(c.name);
  if (!c.image.empty()) s += ", image " + esc(c.image);
  return s;
}

std::string Socket(const SocketInfo& s, Esc esc) {
  std::string out = fmt::format("{} {}", s.proto, esc(s.local.empty() ? fmt::format("inode {}", s.inode) : s.local));
  if (!s.remote.empty()) out += " -> " + esc(s.remote);
  if (!s.state.empty()) out += " " + s.state;
  return out;
}

std::string Region(const ExecRegion& r, Esc esc) {
  return fmt::format("{} {} {} KiB{}", esc(r.path), r.perms, r.size / 1024,
                     r.regions > 1 ? fmt::format(" in {} regions", r.regions) : "");
}

std::string Regions(const std::vector<ExecRegion>& list, Esc esc, const char* sep) {
  std::string out;
  for (const auto& r : list) out += (out.empty() ? "" : sep) + Region(r, esc);
  return out;
}

}  // namespace

std::string ProcessText(const ProcessFacts& p) {
  std::string out = fmt::format("Process:    PID {}, comm {}, parent {}, state {}\n", p.pid, T(p.comm), p.ppid,
                                T(std::string(1, p.state)));
  out += "Command:    " + Argv(p, T) + "\n";
  out += "Executable: " + Exe(p, T) + "\n";
  out += "Cwd:        " + (p.cwd.empty() ? "-" : T(p.cwd)) + "\n";
  out += fmt::format("IDs:        uid {} gid {} (real/effective)\n", Ids(p.uid), Ids(p.gid));
  out += "Started:    " + StartTime(p) + "\n";
  if (p.container) out += "Container:  " + ContainerLine(*p.container, T) + "\n";
  if (!p.parents.empty()) out += "Parents:\n";
  for (const auto& link : p.parents) {
    out += fmt::format("  {:<8} {:<16} {}\n", link.pid, T(link.comm), link.exe.empty() ? "-" : T(link.exe));
  }
  out += fmt::format("Sockets:    {}\n", p.sockets.size());
  for (const auto& s : p.sockets) out += fmt::format("  fd {:<5} {}\n", s.fd, Socket(s, T));
  out += fmt::format("Open files: {} descriptors{}\n", p.fd_count, p.fds_truncated ? " (bounded)" : "");
  for (size_t i = 0; i < p.files.size() && i < kShownFiles; ++i) {
    out += fmt::format("  fd {:<5} {}\n", p.files[i].fd, T(p.files[i].target));
  }
  out += fmt::format("Memory:     {} mappings{}{}\n", p.maps.regions, p.maps.truncated ? " (bounded)" : "",
                     p.maps.malformed ? fmt::format(", {} unreadable lines", p.maps.malformed) : "");
  for (const auto& r : p.maps.file_exec) out += "  exec file   " + Region(r, T) + "\n";
  for (const auto& r : p.maps.anon_exec) out += "  exec anon   " + Region(r, T) + "\n";
  for (const auto& r : p.maps.memfd_exec) out += "  exec memfd  " + Region(r, T) + "\n";
  for (const auto& r : p.maps.writable_exec) out += "  WRITE+EXEC  " + Region(r, T) + "\n";
  for (const auto& n : p.notes) out += "Note:       " + T(n) + "\n";
  return out;
}

std::string ProcessMarkdown(const ProcessFacts& p) {
  std::string out = "## Process\n\n| Fact | Value |\n|---|---|\n";
  out += fmt::format("| PID | {} |\n| Parent | {} |\n| comm | {} |\n| State | {} |\n", p.pid, p.ppid, M(p.comm),
                     M(std::string(1, p.state)));
  out += "| Command line | " + Argv(p, M) + " |\n| Executable | " + Exe(p, M) + " |\n";
  out += "| Cwd | " + (p.cwd.empty() ? "-" : M(p.cwd)) + " |\n";
  out += fmt::format("| uid (real/effective) | {} |\n| gid (real/effective) | {} |\n", Ids(p.uid), Ids(p.gid));
  out += "| Started | " + StartTime(p) + " |\n";
  if (p.container) out += "| Container | " + ContainerLine(*p.container, M) + " |\n";
  out += fmt::format("| Open descriptors | {}{} |\n", p.fd_count, p.fds_truncated ? " (bounded)" : "");
  out += fmt::format("| Memory mappings | {} |\n", p.maps.regions);
  std::string unusual = Regions(p.maps.anon_exec, M, "; ") + Regions(p.maps.memfd_exec, M, "; ");
  out += "| Anonymous or memfd executable memory | " + (unusual.empty() ? "none" : unusual) + " |\n";
  std::string wx = Regions(p.maps.writable_exec, M, "; ");
  out += "| Writable+executable memory | " + (wx.empty() ? "none" : wx) + " |\n";
  out += "| Executable files mapped | " + Regions(p.maps.file_exec, M, "; ") + " |\n";
  for (const auto& n : p.notes) out += "| Note | " + M(n) + " |\n";
  out += "\n### Parent chain\n\n| PID | comm | Executable |\n|---:|---|---|\n";
  for (const auto& l : p.parents) out += fmt::format("| {} | {} | {} |\n", l.pid, M(l.comm), l.exe.empty() ? "-" : M(l.exe));
  out += "\n### Sockets\n\n";
  if (p.sockets.empty()) out += "None.\n";
  else out += "| fd | Socket |\n|---:|---|\n";
  for (const auto& s : p.sockets) out += fmt::format("| {} | {} |\n", s.fd, Socket(s, M));
  out += "\n### Open files\n\n";
  if (p.files.empty()) out += "None.\n";
  else out += "| fd | Target |\n|---:|---|\n";
  for (size_t i = 0; i < p.files.size() && i < kShownFiles; ++i) {
    out += fmt::format("| {} | {} |\n", p.files[i].fd, M(p.files[i].target));
  }
  return out + "\n";
}

std::string ContainerTriageText(const ContainerTriageReport& r) {
  std::string out = "Triage of container " + ContainerLine(r.container, T) + fmt::format(", init PID {}\n", r.container.init_pid);
  out += fmt::format("Verdict:    {} (worst of {} processes, score {}); {} looked out of place\n",
                     VerdictName(r.verdict), r.processes.size(), r.score, r.suspicious.size());
  out += fmt::format("  {:<8} {:<8} {:<11} {:>5}  {:<16} {}\n", "PID", "PPID", "VERDICT", "SCORE", "COMM", "EXECUTABLE");
  for (const auto& p : r.processes) {
    out += fmt::format("  {:<8} {:<8} {:<11} {:>5}  {:<16} {}{}\n", p.pid, p.ppid, VerdictName(p.verdict), p.score,
                       T(p.comm), p.exe.empty() ? "-" : T(p.exe), p.exe_deleted ? " (deleted)" : "");
  }
  for (const auto& l : r.limits) out += "Limit:      " + T(l) + "\n";
  for (const auto& report : r.suspicious) out += "\n" + TriageText(report);
  return out;
}

std::string ContainerTriageMarkdown(const ContainerTriageReport& r) {
  std::string out = "# Triage of container " + ContainerLine(r.container, M) + "\n\n";
  out += fmt::format("**Verdict: {}** (the worst of {} processes, score {}); {} looked out of place and are "
                     "triaged below. No executable was run.\n\n",
                     VerdictName(r.verdict), r.processes.size(), r.score, r.suspicious.size());
  out += "| PID | PPID | Verdict | Score | comm | Executable | Why looked at |\n|---:|---:|---|---:|---|---|---|\n";
  for (const auto& p : r.processes) {
    std::string why;
    for (const auto& w : p.why) why += (why.empty() ? "" : ", ") + w;
    out += fmt::format("| {} | {} | {} | {} | {} | {}{} | {} |\n", p.pid, p.ppid, VerdictName(p.verdict), p.score,
                       M(p.comm), p.exe.empty() ? "-" : M(p.exe), p.exe_deleted ? " (deleted)" : "",
                       why.empty() ? "-" : why);
  }
  out += "\n";
  for (const auto& l : r.limits) out += "- " + M(l) + "\n";
  for (const auto& report : r.suspicious) out += "\n---\n\n" + TriageMarkdown(report);
  return out;
}

}  // namespace bulwark::respond
