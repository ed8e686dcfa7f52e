#include "respond/contain.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "docker/container_api.hpp"
#include "respond/contain_evidence.hpp"
#include "respond/contain_log.hpp"
#include "respond/contain_process.hpp"
#include "respond/contain_quarantine.hpp"
#include "respond/contain_remediation.hpp"
#include "respond/contain_render.hpp"

namespace bulwark::respond {
namespace {

constexpr int kKillWaitMs = 5000;
constexpr long kCommitTimeoutSeconds = 900;

// One --pid: pinned at the start when it exists and belongs to the container.
struct Target {
  int pid = 0;
  std::optional<TargetProcess> process;
  bool member = false;
  std::string why;  // membership reason or refusal
  bool evidence_saved = false;
};

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

class Containment {
 public:
  Containment(docker::EngineClient& client, const ContainOptions& options, docker::ContainerInfo info)
      : client_(client), options_(options), info_(std::move(info)) {}

  core::Status Prepare();
  ContainReport Run();

 private:
  bool dry() const { return options_.dry_run; }
  const std::string& name() const { return info_.name; }
  void Planned(const char* action, const std::string& target, std::string detail) {
    log_.Add(action, target, ActionResult::kPlanned, std::move(detail));
  }

  void SaveInspect();
  void SaveTop();
  void PinProcesses();
  void Export();
  void Commit();
  void SaveProcesses();
  void KillProcesses();
  void QuarantineFiles();
  void Quarantine(const std::string& root, const std::string& path);
  void Isolate();
  void Freeze();
  void WriteSummary(ContainReport& report);

  docker::EngineClient& client_;
  const ContainOptions& options_;
  docker::ContainerInfo info_;
  std::string evidence_path_;
  std::optional<EvidenceDir> evidence_;
  ActionLog log_;
  std::string started_;
  std::vector<int> top_pids_;
  std::vector<Target> targets_;
  std::vector<std::string> warnings_;
};

core::Status Containment::Prepare() {
  started_ = UtcTimeMillis();
  evidence_path_ = options_.evidence_dir;
  if (evidence_path_.empty()) {
    evidence_path_ = options_.incident_root + "/" + SanitizeFileName(info_.name) + "-" + UtcTimeCompact();
  }
  if (dry()) return core::Status::Ok();
  ASSIGN_OR_RETURN(EvidenceDir dir, EvidenceDir::Create(evidence_path_));
  evidence_.emplace(std::move(dir));
  return log_.Attach(evidence_->fd());
}

ContainReport Containment::Run() {
  SaveInspect();
  SaveTop();
  PinProcesses();
  Export();
  Commit();
  SaveProcesses();
  KillProcesses();
  QuarantineFiles();
  Isolate();
  Freeze();
  ContainReport report;
  WriteSummary(report);
  return report;
}

void Containment::SaveInspect() {
  if (dry()) {
    log_.Add("inspect", name(), ActionResult::kOk, "container " + info_.id.substr(0, 12) + " (read only)");
    return;
  }
  auto file = evidence_->WriteFile("container-inspect.json", info_.raw_json);
  if (!file.ok()) {
    log_.Add("inspect", name(), ActionResult::kFailed, "inspected, but " + file.status().message());
    return;
  }
  log_.Add("inspect", name(), ActionResult::kOk, "container " + info_.id.substr(0, 12), {*file});
}

void Containment::SaveTop() {
  if (!info_.running) {
    log_.Add("top", name(), ActionResult::kSkipped, "the container is not running: no processes");
    return;
  }
  auto top = docker::TopContainer(client_, info_.id);
  if (!top.ok()) {
    log_.Add("top", name(), ActionResult::kFailed, top.status().message());
    return;
  }
  top_pids_ = top->pids;
  std::string detail = std::to_string(top->processes.size()) + " processes";
  if (dry()) {
    log_.Add("top", name(), ActionResult::kOk, detail + " (read only)");
    return;
  }
  auto file = evidence_->WriteFile("processes.json", top->raw_json);
  if (!file.ok()) {
    log_.Add("top", name(), ActionResult::kFailed, detail + ", but " + file.status().message());
    return;
  }
  log_.Add("top", name(), ActionResult::kOk, detail, {*file});
}

// Pins every --pid before anything changes, so the process killed later is
// the one checked now.
void Containment::PinProcesses() {
  for (int pid : options_.pids) {
    Target target;
    target.pid = pid;
    auto process = TargetProcess::Open(pid, options_.proc_root);
    if (!process.ok()) {
      target.why = process.status().message();
    } else {
      target.member = process->BelongsTo(info_.id, top_pids_, &target.why);
      if (target.member) target.process.emplace(std::move(process).value());
    }
    targets_.push_back(std::move(target));
  }
}

void Containment::Export() {
  const std::string rel = "container-export.tar";
  if (dry()) {
    Planned("export", name(), "would stream the container's file system to " + rel);
    return;
  }
  auto out = evidence_->CreateFile(rel);
  if (!out.ok()) {
    log_.Add("export", name(), ActionResult::kFailed, out.status().message());
    return;
  }
  int fd = out->get();
  auto streamed = client_.GetStream("/containers/" + info_.id + "/export", [fd](const char* data, size_t size) {
    return WriteAll(fd, data, size);
  });
  out->Reset();
  auto file = evidence_->Describe(rel);
  std::vector<EvidenceFile> saved;
  if (file.ok()) saved.push_back(*file);
  if (!streamed.ok()) {
    log_.Add("export", name(), ActionResult::kFailed, "export " + streamed.status().message() + " (partial file kept)",
             saved);
  } else if (streamed->status != 200) {
    docker::HttpResponse refusal{streamed->status, streamed->error_body};
    log_.Add("export", name(), ActionResult::kFailed, "export refused: " + docker::DescribeRefusal(refusal), saved);
  } else if (!file.ok()) {
    log_.Add("export", name(), ActionResult::kFailed, "exported, but " + file.status().message());
  } else {
    log_.Add("export", name(), ActionResult::kOk, std::to_string(streamed->bytes) + " bytes to " + rel, saved);
  }
}

void Containment::Commit() {
  std::string repo = EvidenceImageRepository(info_.name);
  std::string tag = UtcTimeCompact();
  if (dry()) {
    Planned("commit", name(), "would snapshot the container to the image " + repo + ":<UTC time>");
    return;
  }
  client_.set_request_timeout_seconds(kCommitTimeoutSeconds);
  auto image = docker::CommitContainer(client_, info_.id, repo, tag,
                                       "bulwark contain: evidence of " + info_.name + " at " + started_);
  client_.set_request_timeout_seconds(60);
  if (!image.ok()) {
    log_.Add("commit", name(), ActionResult::kFailed, image.status().message());
    return;
  }
  log_.Add("commit", name(), ActionResult::kOk, "image " + repo + ":" + tag + " " + *image);
}

void Containment::SaveProcesses() {
  for (Target& target : targets_) {
    std::string pid = std::to_string(target.pid);
    if (!target.member) {
      log_.Add("save-process", pid, ActionResult::kFailed, "refused: " + target.why);
      continue;
    }
    std::string label = "process " + target.process->Name() + " (" + target.why + ")";
    if (dry()) {
      Planned("save-process", pid, "would save the /proc facts and executable of " + label);
      continue;
    }
    std::vector<std::string> problems;
    std::vector<EvidenceFile> files = target.process->SaveEvidence(*evidence_, problems);
    target.evidence_saved = !files.empty();
    ActionResult result = problems.empty() ? ActionResult::kOk : ActionResult::kFailed;
    std::string detail = label + ": " + std::to_string(files.size()) + " files";
    if (!problems.empty()) detail += "; not saved: " + Join(problems, "; ");
    log_.Add("save-process", pid, result, detail, std::move(files));
  }
}

void Containment::KillProcesses() {
  for (const Target& target : targets_) {
    std::string pid = std::to_string(target.pid);
    if (!target.member) {
      log_.Add("kill", pid, ActionResult::kSkipped, "not killed: " + target.why);
      continue;
    }
    if (dry()) {
      Planned("kill", pid, "would send SIGKILL after its evidence is saved");
      continue;
    }
    core::Status killed = target.process->Kill(kKillWaitMs);
    std::string note = target.evidence_saved ? "" : " (its evidence could not be saved)";
    if (killed.ok()) {
      log_.Add("kill", pid, ActionResult::kOk, "SIGKILL; the process is gone" + note);
    } else {
      log_.Add("kill", pid, ActionResult::kFailed, killed.message() + note);
    }
  }
}

void Containment::QuarantineFiles() {
  if (options_.quarantine.empty()) return;
  std::string root = options_.container_root;
  if (root.empty() && info_.init_pid > 0) {
    root = options_.proc_root + "/" + std::to_string(info_.init_pid) + "/root";
  }
  if (!dry() && !root.empty()) {
    if (core::Status made = evidence_->MakeDir("quarantine"); !made.ok()) root.clear();
  }
  for (const std::string& path : options_.quarantine) {
    if (root.empty()) {
      log_.Add("quarantine", path, ActionResult::kFailed,
               "the container is not running (or quarantine/ could not be created): its files cannot be "
               "reached safely; the export holds a copy");
      continue;
    }
    Quarantine(root, path);
  }
}

void Containment::Quarantine(const std::string& root, const std::string& path) {
  if (dry()) {
    auto size = ProbeContainerFile(root, path);
    if (!size.ok()) {
      log_.Add("quarantine", path, ActionResult::kFailed, "would fail: " + size.status().message());
    } else {
      Planned("quarantine", path,
              "would move " + std::to_string(*size) + " bytes into quarantine/<sha256> (mode 000) and remove it");
    }
    return;
  }
  auto result = QuarantineFile(root, path, *evidence_);
  if (!result.ok()) {
    log_.Add("quarantine", path, ActionResult::kFailed, result.status().message());
    return;
  }
  std::vector<EvidenceFile> files = {result->file};
  if (!result->sidecar.path.empty()) files.push_back(result->sidecar);
  log_.Add("quarantine", path, result->removed ? ActionResult::kOk : ActionResult::kFailed, result->detail,
           std::move(files));
}

void Containment::Isolate() {
  if (!options_.isolate) {
    log_.Add("disconnect", name(), ActionResult::kSkipped, "--no-isolate: networks left connected");
    return;
  }
  if (info_.networks.empty()) {
    log_.Add("disconnect", name(), ActionResult::kSkipped, "the container has no network");
    return;
  }
  for (const auto& network : info_.networks) {
    if (network.name == "none") {
      log_.Add("disconnect", network.name, ActionResult::kSkipped, "network mode none: nothing to cut");
      continue;
    }
    if (dry()) {
      Planned("disconnect", network.name, "would disconnect (Force) from network " + network.name);
      continue;
    }
    const std::string& ref = network.network_id.empty() ? network.name : network.network_id;
    core::Status cut = docker::DisconnectNetwork(client_, ref, info_.id);
    if (cut.ok()) {
      log_.Add("disconnect", network.name, ActionResult::kOk, "disconnected (Force)");
    } else {
      std::string hint = network.name == "host" ? " (host networking cannot be cut: use --stop)" : "";
      log_.Add("disconnect", network.name, ActionResult::kFailed, cut.message() + hint);
    }
  }
}

void Containment::Freeze() {
  bool stop = options_.freeze == FreezeMode::kStop;
  const char* action = stop ? "stop" : "pause";
  if (!info_.running) {
    log_.Add(action, name(), ActionResult::kSkipped, "the container is not running");
    return;
  }
  if (dry()) {
    Planned(action, name(), stop ? "would stop the container (its memory is lost)"
                                 : "would pause the container (frozen, memory kept for analysis)");
    return;
  }
  core::Status done;
  if (stop) {
    client_.set_request_timeout_seconds(options_.stop_timeout_seconds + 60L);
    done = docker::StopContainer(client_, info_.id, options_.stop_timeout_seconds);
    client_.set_request_timeout_seconds(60);
  } else {
    done = docker::PauseContainer(client_, info_.id);
    if (!done.ok() && done.message().find("already paused") != std::string::npos) {
      log_.Add(action, name(), ActionResult::kOk, "already paused");
      return;
    }
  }
  if (done.ok()) {
    log_.Add(action, name(), ActionResult::kOk, stop ? "stopped" : "paused (frozen, memory kept)");
  } else {
    log_.Add(action, name(), ActionResult::kFailed, done.message());
  }
}

void Containment::WriteSummary(ContainReport& report) {
  report.container = {info_.id, info_.name, info_.image};
  report.evidence_dir = evidence_path_;
  report.started = started_;
  report.dry_run = dry();
  report.remediation = BuildRemediation(info_, &client_, options_.results_dir);
  report.actions = log_.records();
  report.finished = UtcTimeMillis();
  report.warnings = warnings_;
  if (dry()) return;
  if (!log_.write_status().ok()) report.warnings.push_back(log_.write_status().message());
  auto summary = evidence_->WriteFile("contain.json", DumpJson(ContainJson(report), 2) + "\n");
  if (!summary.ok()) report.warnings.push_back("contain.json not written: " + summary.status().message());
}

}  // namespace

std::string SanitizeFileName(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (out.size() >= 64) break;
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '_' || c == '-';
    out.push_back(safe ? static_cast<char>(c) : '_');
  }
  while (!out.empty() && out.front() == '.') out.front() = '_';
  return out.empty() ? "container" : out;
}

std::string EvidenceImageRepository(std::string_view name) {
  std::string out;
  bool separator = false;
  for (unsigned char c : name) {
    if (out.size() >= 64) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (separator && !out.empty()) out.push_back('-');
      separator = false;
      out.push_back(static_cast<char>(c));
    } else {
      separator = true;
    }
  }
  return "bulwark-evidence/" + (out.empty() ? std::string("container") : out);
}

core::Result<ContainReport> Contain(docker::EngineClient& client, const ContainOptions& options) {
  for (int pid : options.pids) {
    if (pid <= 0) return core::Error(core::ErrorCode::kInvalidArgument, "--pid " + std::to_string(pid) + " is not a PID");
  }
  for (const std::string& path : options.quarantine) RETURN_IF_ERROR(CheckContainerPath(path));
  ASSIGN_OR_RETURN(docker::ContainerInfo info, docker::InspectContainer(client, options.container));
  Containment containment(client, options, std::move(info));
  RETURN_IF_ERROR(containment.Prepare());
  return containment.Run();
}

}  // namespace bulwark::respond
