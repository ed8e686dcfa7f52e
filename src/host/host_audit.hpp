// `bulwark audit --host`: collects HostFacts (files, the daemon process and
// its daemon.json, the Engine API) and judges them with every CIS Docker
// Benchmark check of sections 1-7, producing a core::Report of host findings
// (one per check and subject). Read-only: nothing on the host is changed.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/check_registry.hpp"
#include "core/report.hpp"
#include "core/suppression.hpp"
#include "host/collect_engine.hpp"
#include "host/host_check.hpp"

namespace bulwark::host {

struct HostAuditOptions {
  std::string root = "/";    // the host's filesystem (--host-root)
  std::string socket_path;   // empty: DOCKER_HOST or /var/run/docker.sock
  EngineScope scope;
  // CIS numbers or section prefixes ("5", "2.13", "1.1"): run only these /
  // not these. Empty only: every check.
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::optional<core::IgnoreFile> ignore_file;
  std::set<core::Severity> severities;  // empty: every severity
};

struct HostAudit {
  core::Report report;
  int64_t start_epoch = 0;
  int64_t end_epoch = 0;
  // Scope words (--containers, --images) that matched nothing.
  std::vector<std::string> unmatched;
};

// Every check of sections 1-7, in the benchmark's order.
std::vector<HostCheck> AllHostChecks();
// Adds the host checks to the registry (IDs BW-CIS-<number>).
core::Status RegisterHostChecks(core::CheckRegistry& registry,
                                const std::vector<HostCheck>& checks = AllHostChecks());

// True when `cis` ("5.4") is selected by the patterns (a pattern selects
// itself and everything below it: "5" selects "5.4", "1.1" selects "1.1.3").
bool CisSelected(const std::string& cis, const std::vector<std::string>& only,
                 const std::vector<std::string>& skip);

// Gathers the facts; never fails (what could not be read is recorded).
HostFacts CollectHostFacts(const HostAuditOptions& options, std::vector<std::string>* unmatched);

// Judges facts with `checks`: the pure half of the audit, used by tests.
HostAudit JudgeHost(const HostFacts& facts, const std::vector<HostCheck>& checks,
                    const HostAuditOptions& options);

// Collect, then judge with `checks` (AllHostChecks()).
HostAudit RunHostAudit(const HostAuditOptions& options, const std::vector<HostCheck>& checks);

}  // namespace bulwark::host
