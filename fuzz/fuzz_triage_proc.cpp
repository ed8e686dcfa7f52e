// libFuzzer target: the procfs parsers of live triage on hostile text. The
// first byte picks the parser (stat, status, cmdline, cgroup, btime, maps,
// tcp, tcp6, udp, unix, socket link); the facts they yield go through the
// signs, the verdict and the three renderers of a process report, which
// must stay within their bounds and never let an escape sequence through.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "respond/live_render.hpp"
#include "respond/live_signs.hpp"
#include "respond/proc_maps.hpp"
#include "respond/proc_net.hpp"
#include "respond/proc_stat.hpp"
#include "respond/triage.hpp"
#include "respond/triage_render.hpp"
#include "respond/verdict.hpp"

namespace {

using namespace bulwark::respond;  // NOLINT: a fuzz harness

void FromNet(std::string_view text, int mode, ProcessFacts& p) {
  if (mode == 10) {
    for (const auto& u : ParseNetUnix(text)) p.sockets.push_back({3, u.inode, "unix", u.path, "", 0, 0, u.state});
    return;
  }
  bool v6 = mode == 8, udp = mode == 9;
  for (const auto& e : ParseNetInet(text, v6, udp)) {
    if (e.local_port < 0 || e.local_port > 65535 || e.remote_port < 0 || e.remote_port > 65535) __builtin_trap();
    p.sockets.push_back({4, e.inode, "tcp", e.local, e.remote, e.local_port, e.remote_port, e.state});
  }
}

void Parse(std::string_view text, int mode, ProcessFacts& p) {
  bool truncated = false;
  switch (mode) {
    case 0: if (auto st = ParseProcStat(text); st.ok()) { p.comm = st->comm; p.ppid = st->ppid; } break;
    case 1: p.comm = ParseProcStatus(text).name; break;
    case 2:
      p.argv = ParseCmdline(text, truncated);
      if (p.argv.size() > kMaxArgs) __builtin_trap();
      break;
    case 3: if (auto id = ContainerIdFromCgroup(text)) p.container = ContainerRef{*id, "", "", 0}; break;
    case 4: (void)ParseBootTime(text); break;
    case 5: {
      auto maps = ParseMaps(text);
      if (maps.regions.size() > kMaxMapLines) __builtin_trap();
      p.maps = SummariseMaps(maps);
      if (p.maps.anon_exec.size() > kMaxListedRegions) __builtin_trap();
      break;
    }
    case 6: case 7: case 8: case 9: case 10: FromNet(text, mode, p); break;
    default: (void)SocketInode(text); p.exe = std::string(text.substr(0, 4096)); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  ProcessFacts p;
  p.pid = 1;
  p.has_exe = (data[0] & 0x80) != 0;
  Parse(text, data[0] % 12, p);
  p.signs = ProcessSigns(p);
  TriageReport report = TriageBytes({}, "fuzz");
  report.process = p;
  Assess(report);
  std::string out = TriageText(report) + ProcessText(p);
  for (char c : out) {
    if (c == '\x1b') __builtin_trap();  // no escape sequence reaches a terminal
  }
  std::string md = TriageMarkdown(report);
  std::string json = TriageJson(report).dump();
  return static_cast<int>((md.size() + json.size()) & 0);
}
