#include "host/host_audit.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "docker/engine_client.hpp"
#include "host/collect_files.hpp"
#include "host/daemon_process.hpp"

namespace bulwark::host {
namespace {

int64_t NowEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool CisUnder(const std::string& cis, const std::string& pattern) {
  return cis == pattern || (cis.size() > pattern.size() && cis.compare(0, pattern.size(), pattern) == 0 &&
                            cis[pattern.size()] == '.');
}

core::References ReferencesOf(const HostCheck& check) {
  core::References refs = check.references;
  refs.cis = {check.cis};
  return refs;
}

core::Finding ToFinding(const HostCheck& check, const HostResult& result) {
  core::Finding f;
  f.id = HostCheckId(check.cis);
  f.title = check.title;
  f.severity = result.verdict == core::Verdict::kWarn ? check.severity : core::Severity::kInfo;
  f.category = core::Category::kHost;
  if (result.subject.kind == "file") f.location.path = result.subject.name;
  f.message = result.message.empty() ? check.title : result.message;
  f.remediation = check.remediation;
  f.references = ReferencesOf(check);
  f.verdict = result.verdict;
  f.subject = result.subject;
  f.evidence = result.evidence;
  return f;
}

// .bulwarkignore rules name host subjects as "container/web:BW-CIS-5.9",
// "image/python:3.12:BW-CIS-4.6" or "/etc/docker/daemon.json:BW-CIS-3.18".
const core::IgnoreRule* Ignored(const core::Finding& f, const std::optional<core::IgnoreFile>& ignore_file) {
  if (!ignore_file) return nullptr;
  if (f.subject.kind == "file" || f.subject.kind.empty()) return ignore_file->Match(f);
  core::Finding probe = f;
  probe.location.path = f.subject.kind + "/" + f.subject.name;
  return ignore_file->Match(probe);
}

// Why a check of this scope cannot run on these facts; "" when it can.
std::string ScopeBlocker(const HostCheck& check, const HostFacts& facts) {
  bool needs_engine = check.scope == HostScope::kEngine || check.scope == HostScope::kImages ||
                      check.scope == HostScope::kContainers;
  if (needs_engine && !facts.engine.reachable) return facts.engine.error;
  if (check.scope == HostScope::kContainers && facts.engine.containers.empty()) {
    return "no running container in scope";
  }
  if (check.scope == HostScope::kImages && facts.engine.images.empty()) return "no image in scope";
  return "";
}

}  // namespace

std::vector<HostCheck> AllHostChecks() {
  std::vector<HostCheck> all;
  for (auto section : {Section1HostConfigurationChecks, Section2DaemonConfigurationChecks,
                       Section3DaemonFilesChecks, Section4ImagesChecks, Section5ContainerRuntimeChecks,
                       Section6SecurityOperationsChecks, Section7SwarmChecks}) {
    for (HostCheck& check : section()) all.push_back(std::move(check));
  }
  return all;
}

core::Status RegisterHostChecks(core::CheckRegistry& registry, const std::vector<HostCheck>& checks) {
  for (const HostCheck& check : checks) {
    core::CheckInfo info;
    info.id = HostCheckId(check.cis);
    info.title = check.title;
    info.severity = check.severity;
    info.category = core::Category::kHost;
    info.rationale = check.rationale;
    info.remediation = check.remediation;
    info.references = ReferencesOf(check);
    info.peers = {"docker-bench " + check.cis};
    RETURN_IF_ERROR(registry.Add(std::move(info)));
  }
  return core::Status::Ok();
}

bool CisSelected(const std::string& cis, const std::vector<std::string>& only,
                 const std::vector<std::string>& skip) {
  for (const std::string& pattern : skip) {
    if (CisUnder(cis, pattern)) return false;
  }
  if (only.empty()) return true;
  return std::any_of(only.begin(), only.end(), [&](const std::string& p) { return CisUnder(cis, p); });
}

HostFacts CollectHostFacts(const HostAuditOptions& options, std::vector<std::string>* unmatched) {
  HostFacts facts;
  facts.root = options.root.empty() ? "/" : options.root;
  facts.is_root = geteuid() == 0;
  if (const char* trust = std::getenv("DOCKER_CONTENT_TRUST")) facts.env["DOCKER_CONTENT_TRUST"] = trust;
  std::string socket = options.socket_path.empty() ? docker::EngineClient::DefaultSocketPath()
                                                   : options.socket_path;
  facts.engine = CollectEngineFacts(socket, options.scope, unmatched);
  facts.daemon_process = FindDaemonProcess(facts.root, socket, &facts.daemon_process_error);
  std::vector<std::string> argv = facts.daemon_process ? facts.daemon_process->argv : std::vector<std::string>{};
  // A rootless daemon reads ~/.config/docker/daemon.json, not /etc/docker.
  std::string config_path = facts.daemon_process ? DaemonConfigFilePath(facts.root, *facts.daemon_process)
                                                 : DaemonConfig::ConfigFilePath(argv);
  facts.daemon_file = ReadDaemonConfigFile(facts.root, config_path);
  facts.daemon = DaemonConfig::From(argv, facts.daemon_file.json, facts.daemon_file.path);
  CollectHostFiles(facts);
  return facts;
}

HostAudit JudgeHost(const HostFacts& facts, const std::vector<HostCheck>& checks,
                    const HostAuditOptions& options) {
  HostAudit audit;
  core::Report& report = audit.report;
  report.target = "host " + HostSubject(facts).name + " (unix://" + facts.engine.socket_path + ")";
  for (const HostCheck& check : checks) {
    if (!CisSelected(check.cis, options.only, options.skip)) continue;
    std::string blocker = ScopeBlocker(check, facts);
    if (!blocker.empty()) {
      report.skipped.push_back(core::SkippedCheck{HostCheckId(check.cis), check.cis, blocker});
      continue;
    }
    ResultSink sink;
    if (check.run != nullptr) check.run(facts, sink);
    if (sink.results().empty()) {
      std::string reason = sink.skip_reason().empty() ? "nothing to judge" : sink.skip_reason();
      report.skipped.push_back(core::SkippedCheck{HostCheckId(check.cis), check.cis, reason});
      continue;
    }
    std::vector<HostResult>& results = sink.results();
    std::stable_sort(results.begin(), results.end(), [](const HostResult& a, const HostResult& b) {
      return a.subject.name < b.subject.name;
    });
    for (const HostResult& result : results) {
      core::Finding f = ToFinding(check, result);
      if (f.verdict == core::Verdict::kPass) {
        report.passed.push_back(std::move(f));
      } else if (const core::IgnoreRule* rule = Ignored(f, options.ignore_file)) {
        ++report.suppressed;
        report.suppressed_findings.push_back({std::move(f), "ignorefile:" + std::to_string(rule->line), rule->reason});
      } else if (options.severities.empty() || options.severities.count(f.severity)) {
        report.findings.push_back(std::move(f));
      }
    }
  }
  return audit;
}

HostAudit RunHostAudit(const HostAuditOptions& options, const std::vector<HostCheck>& checks) {
  int64_t start = NowEpoch();
  std::vector<std::string> unmatched;
  HostFacts facts = CollectHostFacts(options, &unmatched);
  HostAudit audit = JudgeHost(facts, checks, options);
  audit.unmatched = std::move(unmatched);
  audit.start_epoch = start;
  audit.end_epoch = NowEpoch();
  return audit;
}

}  // namespace bulwark::host
