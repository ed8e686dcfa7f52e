#include "respond/live_triage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <utility>

#include "docker/engine_client.hpp"
#include "respond/live_container.hpp"
#include "respond/live_process.hpp"
#include "respond/live_signs.hpp"
#include "respond/verdict.hpp"

namespace bulwark::respond {
namespace {

constexpr size_t kMaxTriagedExecutables = 64;

std::unique_ptr<docker::EngineClient> Client(const LiveTriageOptions& o) {
  return std::make_unique<docker::EngineClient>(o.engine_socket.empty() ? docker::EngineClient::DefaultSocketPath()
                                                                         : o.engine_socket);
}

std::string ExeLink(const std::string& proc_root, int pid) {
  return proc_root + "/" + std::to_string(pid) + "/exe";
}

// A report for a process whose executable could not be read.
TriageReport NoExecutable(const std::string& label, const std::string& why) {
  TriageReport r;
  r.path = label;
  r.file_type = {FileKind::kEmpty, why};
  r.limits.push_back(why + ": only the process was assessed");
  return r;
}

// The executable triaged as a file through /proc/PID/exe (read, never run).
core::Result<TriageReport> TriageExecutable(const std::string& proc_root, const ProcessFacts& p,
                                            const TriageOptions& options) {
  std::string label = p.exe.empty() ? ExeLink(proc_root, p.pid) : p.exe + (p.exe_deleted ? " (deleted)" : "");
  if (!p.has_exe) return NoExecutable(label, "no executable (a kernel thread, or exe unreadable)");
  int fd = ::open(ExeLink(proc_root, p.pid).c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return NoExecutable(label, "executable not readable");
  auto report = TriageOpenFile(fd, label, options);
  ::close(fd);
  if (report.ok()) return report;
  // Reading fails with kIoError / kInvalidArgument / kTooLarge; a user
  // YARA rule that does not compile (kParseError, kNotFound) is the user's
  // error and stops the run.
  auto code = report.status().code();
  if (code == core::ErrorCode::kParseError || code == core::ErrorCode::kNotFound) return report.status();
  return NoExecutable(label, "executable not triaged: " + report.status().message());
}

// Adds the container's name and image when the Engine API answers.
void NameContainer(ProcessFacts& p, const LiveTriageOptions& o) {
  if (!p.container || !o.use_engine) return;
  auto client = Client(o);
  auto inspect = InspectContainer(*client, p.container->id);
  if (inspect.ok()) p.container = inspect->ref;
}

void Conclude(TriageReport& r, ProcessFacts p) {
  r.process = std::move(p);
  r.limits.push_back("a live process is a snapshot: it may have changed while it was read");
  Assess(r);
}

// Signs only a container can tell: the executable is not the image's.
void ContainerSigns(ProcessFacts& p, const std::string& proc_root, const ContainerRef& c,
                    const std::set<std::string>& changes) {
  if (!p.has_exe || p.exe_deleted || p.exe.empty()) return;
  if (changes.count(p.exe)) {
    p.signs.push_back({"proc-exe-not-in-image", p.exe + " was added or changed after the container started",
                       "container changes"});
    return;
  }
  auto fd = OpenInContainer(proc_root, c.init_pid, p.exe);
  if (fd.ok()) {
    ::close(*fd);
  } else if (fd.status().code() == core::ErrorCode::kNotFound) {
    p.signs.push_back({"proc-exe-not-in-image", p.exe + " is not at that path in the container", "container root"});
  }
}

using FileKey = std::pair<dev_t, ino_t>;

// The file part of a process's report, triaged once per executable.
core::Result<TriageReport> CachedExecutable(std::map<FileKey, TriageReport>& cache, const ProcessFacts& p,
                                            const LiveTriageOptions& o, std::vector<std::string>& limits) {
  struct stat st {};
  bool keyed = ::stat(ExeLink(o.proc_root, p.pid).c_str(), &st) == 0;
  FileKey key{st.st_dev, st.st_ino};
  if (keyed) {
    if (auto it = cache.find(key); it != cache.end()) {
      TriageReport copy = it->second;
      copy.path = p.exe.empty() ? copy.path : p.exe + (p.exe_deleted ? " (deleted)" : "");
      return copy;
    }
    if (cache.size() >= kMaxTriagedExecutables) {
      limits.push_back("only the first " + std::to_string(kMaxTriagedExecutables) + " executables were triaged");
      return NoExecutable(p.exe, "executable not triaged (bound reached)");
    }
  }
  ASSIGN_OR_RETURN(TriageReport r, TriageExecutable(o.proc_root, p, o.triage));
  if (keyed) cache.emplace(key, r);
  return r;
}

ContainerProcessLine LineOf(const TriageReport& r) {
  const ProcessFacts& p = *r.process;
  ContainerProcessLine line{p.pid, p.ppid, p.comm, p.argv, p.exe, p.exe_deleted,
                            r.assessment.verdict, r.assessment.score, {}};
  for (const auto& sign : p.signs) line.why.push_back(sign.signal);
  if (r.assessment.verdict >= Verdict::kSuspicious) {
    line.why.push_back(std::string("verdict ") + VerdictName(r.assessment.verdict));
  }
  return line;
}

}  // namespace

core::Result<TriageReport> TriagePid(int pid, const LiveTriageOptions& options) {
  ASSIGN_OR_RETURN(ProcessFacts p, ReadProcess(pid, ProcReadOptions{options.proc_root}));
  NameContainer(p, options);
  ASSIGN_OR_RETURN(TriageReport r, TriageExecutable(options.proc_root, p, options.triage));
  p.signs = ProcessSigns(p);
  Conclude(r, std::move(p));
  return r;
}

core::Result<ContainerTriageReport> TriageContainer(const std::string& name, const LiveTriageOptions& options) {
  auto client = Client(options);
  ASSIGN_OR_RETURN(ContainerInspect inspect, InspectContainer(*client, name));
  ContainerTriageReport out;
  out.container = inspect.ref;
  std::set<std::string> changes = ContainerChanges(*client, inspect.ref.id);
  std::vector<int> pids = ContainerPids(options.proc_root, inspect.ref.id);
  if (pids.empty()) {
    pids.push_back(inspect.ref.init_pid);
    out.limits.push_back("no process names the container in its cgroup: only its init process was looked at");
  }
  std::map<FileKey, TriageReport> cache;
  for (int pid : pids) {
    auto facts = ReadProcess(pid, ProcReadOptions{options.proc_root});
    if (!facts.ok()) continue;  // exited meanwhile
    ProcessFacts p = std::move(facts).value();
    p.container = inspect.ref;
    p.signs = ProcessSigns(p);
    ContainerSigns(p, options.proc_root, inspect.ref, changes);
    ASSIGN_OR_RETURN(TriageReport r, CachedExecutable(cache, p, options, out.limits));
    Conclude(r, std::move(p));
    ContainerProcessLine line = LineOf(r);
    if (line.verdict > out.verdict || (line.verdict == out.verdict && line.score > out.score)) {
      out.verdict = line.verdict;
      out.score = line.score;
    }
    if (!line.why.empty()) out.suspicious.push_back(std::move(r));
    out.processes.push_back(std::move(line));
  }
  out.limits.push_back("processes are a snapshot; ones that started or ended while reading are missed");
  return out;
}

core::Result<TriageReport> TriageContainerFile(const std::string& name, const std::string& path,
                                               const LiveTriageOptions& options) {
  auto client = Client(options);
  ASSIGN_OR_RETURN(ContainerInspect inspect, InspectContainer(*client, name));
  ASSIGN_OR_RETURN(int fd, OpenInContainer(options.proc_root, inspect.ref.init_pid, path));
  auto report = TriageOpenFile(fd, path, options.triage);
  ::close(fd);
  if (!report.ok()) return report.status();
  report->container = inspect.ref;
  return report;
}

}  // namespace bulwark::respond
