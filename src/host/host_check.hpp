// A host check: one CIS Docker Benchmark recommendation, its metadata, and
// the pure function that judges HostFacts. The sections' lists are in
// checks_section<N>.cpp; host_audit.cpp runs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/severity.hpp"
#include "host/host_facts.hpp"

namespace bulwark::host {

// One verdict about one subject.
struct HostResult {
  std::string cis;  // filled in by the runner
  core::Verdict verdict = core::Verdict::kNote;
  core::Subject subject;
  std::string evidence;  // the value or file that decided: "HostConfig.Privileged=true"
  std::string message;   // one sentence naming the subject: "container web runs privileged"
};

// Where a check puts its verdicts. A check gives one result per subject it
// judged (per container for section 5), or calls Skip when the evidence it
// needs is unreadable (and says why), or gives nothing when there is nothing
// to judge (no running container).
class ResultSink {
 public:
  void Pass(core::Subject subject, std::string evidence, std::string message) {
    Add(core::Verdict::kPass, std::move(subject), std::move(evidence), std::move(message));
  }
  void Warn(core::Subject subject, std::string evidence, std::string message) {
    Add(core::Verdict::kWarn, std::move(subject), std::move(evidence), std::move(message));
  }
  void Info(core::Subject subject, std::string evidence, std::string message) {
    Add(core::Verdict::kInfo, std::move(subject), std::move(evidence), std::move(message));
  }
  void Note(core::Subject subject, std::string evidence, std::string message) {
    Add(core::Verdict::kNote, std::move(subject), std::move(evidence), std::move(message));
  }
  void Skip(std::string reason) { skip_reason_ = std::move(reason); }

  void Add(core::Verdict verdict, core::Subject subject, std::string evidence, std::string message) {
    results_.push_back(HostResult{"", verdict, std::move(subject), std::move(evidence), std::move(message)});
  }
  const std::vector<HostResult>& results() const { return results_; }
  std::vector<HostResult>& results() { return results_; }
  const std::string& skip_reason() const { return skip_reason_; }

 private:
  std::vector<HostResult> results_;
  std::string skip_reason_;
};

// What a check judges; the runner skips it, with the reason, when the
// evidence is out of reach (engine unreachable, no running container).
enum class HostScope {
  kHost,        // files, audit rules, mounts, groups: no engine needed
  kDaemon,      // the daemon's configuration: command line, daemon.json, /info
  kEngine,      // needs answers from the Engine API
  kImages,      // one result per image in scope
  kContainers,  // one result per running container in scope
  kSwarm,       // swarm state (from /info; not applicable when inactive)
};

struct HostCheck {
  std::string cis;    // "5.4": the benchmark's number, docker-bench's ID
  std::string title;  // the benchmark's wording: "Ensure that ..."
  bool scored = true; // docker-bench counts it in its score (pass +1, warn -1)
  core::Severity severity = core::Severity::kMedium;  // of a warn
  std::string rationale;
  std::string remediation;
  core::References references;  // ATT&CK, NIST, CWE, URLs; cis is added by the runner
  HostScope scope = HostScope::kHost;
  void (*run)(const HostFacts& facts, ResultSink& out) = nullptr;
};

// The registry ID of the check for CIS number `cis`: "BW-CIS-5.4".
inline std::string HostCheckId(std::string_view cis) { return "BW-CIS-" + std::string(cis); }

// Subject helpers, so every check names things the same way.
core::Subject HostSubject(const HostFacts& facts);         // {"host", engine Name or hostname}
core::Subject DaemonSubject(const HostFacts& facts);       // {"daemon", "dockerd", pid}
core::Subject FileSubject(const std::string& path);        // {"file", path}
core::Subject ContainerSubject(const ContainerFacts& c);   // {"container", name, 12-char ID}
core::Subject ImageSubject(const ImageFacts& image);       // {"image", first tag or "<none>", 12-char ID}

// The checks of each section, in the benchmark's order.
std::vector<HostCheck> Section1HostConfigurationChecks();
std::vector<HostCheck> Section2DaemonConfigurationChecks();
std::vector<HostCheck> Section3DaemonFilesChecks();
std::vector<HostCheck> Section4ImagesChecks();
std::vector<HostCheck> Section5ContainerRuntimeChecks();
std::vector<HostCheck> Section6SecurityOperationsChecks();
std::vector<HostCheck> Section7SwarmChecks();

}  // namespace bulwark::host
