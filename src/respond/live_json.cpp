// The live parts of a triage as JSON (docs/triage.md lists the fields).
// Every string from the process goes through SanitizeUtf8: nlohmann
// refuses invalid UTF-8 when dumping, and a process names itself.
#include <string>

#include "core/escape.hpp"
#include "core/version.hpp"
#include "respond/live_render.hpp"
#include "respond/triage.hpp"

namespace bulwark::respond {
namespace {

using nlohmann::json;

std::string U(const std::string& s) { return core::SanitizeUtf8(s); }

json IdsJson(const ProcIds& ids) {
  return {{"real", ids.real}, {"effective", ids.effective}, {"saved", ids.saved}, {"fs", ids.fs}};
}

json RegionsJson(const std::vector<ExecRegion>& list) {
  json out = json::array();
  for (const auto& r : list) {
    out.push_back({{"path", U(r.path)}, {"perms", r.perms}, {"start", r.start}, {"size", r.size}, {"regions", r.regions}});
  }
  return out;
}

json MapsJson(const MapsSummary& m) {
  return {{"regions", m.regions},
          {"malformed_lines", m.malformed},
          {"truncated", m.truncated},
          {"executable_files", RegionsJson(m.file_exec)},
          {"anonymous_executable", RegionsJson(m.anon_exec)},
          {"memfd_executable", RegionsJson(m.memfd_exec)},
          {"writable_executable", RegionsJson(m.writable_exec)}};
}

json SocketsJson(const std::vector<SocketInfo>& sockets) {
  json out = json::array();
  for (const auto& s : sockets) {
    out.push_back({{"fd", s.fd},
                   {"inode", s.inode},
                   {"proto", s.proto},
                   {"local", U(s.local)},
                   {"remote", U(s.remote)},
                   {"local_port", s.local_port},
                   {"remote_port", s.remote_port},
                   {"state", s.state}});
  }
  return out;
}

json ProcessListJson(const std::vector<ContainerProcessLine>& lines) {
  json out = json::array();
  for (const auto& p : lines) {
    json argv = json::array();
    for (const auto& a : p.argv) argv.push_back(U(a));
    json why = json::array();
    for (const auto& w : p.why) why.push_back(U(w));
    out.push_back({{"pid", p.pid},
                   {"ppid", p.ppid},
                   {"comm", U(p.comm)},
                   {"argv", argv},
                   {"exe", U(p.exe)},
                   {"exe_deleted", p.exe_deleted},
                   {"verdict", VerdictName(p.verdict)},
                   {"score", p.score},
                   {"why", why}});
  }
  return out;
}

}  // namespace

json ContainerRefJson(const ContainerRef& c) {
  return {{"id", c.id}, {"name", U(c.name)}, {"image", U(c.image)}, {"init_pid", c.init_pid}};
}

json ProcessJson(const ProcessFacts& p) {
  json argv = json::array();
  for (const auto& a : p.argv) argv.push_back(U(a));
  json parents = json::array();
  for (const auto& l : p.parents) parents.push_back({{"pid", l.pid}, {"comm", U(l.comm)}, {"exe", U(l.exe)}});
  json files = json::array();
  for (const auto& f : p.files) files.push_back({{"fd", f.fd}, {"target", U(f.target)}});
  json signs = json::array();
  for (const auto& s : p.signs) signs.push_back({{"signal", s.signal}, {"what", U(s.what)}, {"where", U(s.where)}});
  json notes = json::array();
  for (const auto& n : p.notes) notes.push_back(U(n));
  return {{"pid", p.pid},
          {"ppid", p.ppid},
          {"comm", U(p.comm)},
          {"state", U(std::string(1, p.state))},
          {"argv", argv},
          {"argv_truncated", p.argv_truncated},
          {"exe", {{"path", U(p.exe)}, {"deleted", p.exe_deleted}, {"present", p.has_exe}}},
          {"cwd", U(p.cwd)},
          {"uid", IdsJson(p.uid)},
          {"gid", IdsJson(p.gid)},
          {"start_ticks", p.start_ticks},
          {"start_time", p.start_time_unix},
          {"parents", parents},
          {"fd_count", p.fd_count},
          {"fds_truncated", p.fds_truncated},
          {"files", files},
          {"sockets", SocketsJson(p.sockets)},
          {"maps", MapsJson(p.maps)},
          {"container", p.container ? ContainerRefJson(*p.container) : json(nullptr)},
          {"signs", signs},
          {"notes", notes}};
}

json ContainerTriageJson(const ContainerTriageReport& r) {
  json suspicious = json::array();
  for (const auto& report : r.suspicious) suspicious.push_back(TriageJson(report));
  json limits = json::array();
  for (const auto& l : r.limits) limits.push_back(U(l));
  json target = ContainerRefJson(r.container);
  target["kind"] = "container";
  return {{"tool", {{"name", "bulwark"}, {"version", core::kVersion}}},
          {"target", target},
          {"assessment", {{"verdict", VerdictName(r.verdict)}, {"score", r.score}}},
          {"processes", ProcessListJson(r.processes)},
          {"suspicious", suspicious},
          {"limits", limits}};
}

}  // namespace bulwark::respond
