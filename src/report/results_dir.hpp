// Reading the results directory back (`bulwark report`): every *.json in it
// is read, classified and converted into plain values the summary works on.
//
// Recognised files:
//  - bulwark's saved results (result_store.hpp: {"bulwark_result", "run",
//    "report"}), classified by run.command: audit, audit-host, scan, fix,
//    model, watch;
//  - plain bulwark JSON reports (tool.name == "bulwark"): a host audit when
//    its findings carry "status", a scan when summary.packages exists, else
//    an audit; and a threat_model.json ("system" + "threats");
//  - Trivy JSON (`trivy image|fs|config -f json`: SchemaVersion + Results[]
//    with Vulnerabilities, Misconfigurations (FAIL only) and Secrets): a
//    scan when it lists vulnerabilities, else an audit;
//  - Grype JSON (`grype -o json`: descriptor.name == "grype", matches[]).
// Anything else, unreadable or too large is a diagnostic, never fatal.
//
// Bounds (the directory may hold anything a user or an attacker put there):
// files over kMaxResultFileBytes, more than kMaxResultFiles files, JSON
// nested deeper than 64 levels, more than kMaxEntriesPerResult findings or
// alerts per file are refused or cut with a diagnostic; symbolic links that
// leave the directory are not followed; subdirectories are not entered.
// Thread-safe for distinct directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"
#include "core/status.hpp"
#include "report/result_store.hpp"

namespace bulwark::report {

inline constexpr uintmax_t kMaxResultFileBytes = 32u << 20;
inline constexpr size_t kMaxResultFiles = 2000;
inline constexpr size_t kMaxEntriesPerResult = 100'000;

enum class ResultKind { kAudit, kHostAudit, kScan, kFix, kModel, kWatch };
// "audit", "audit-host", "scan", "fix", "model", "watch" (run.command's words).
std::string_view ResultKindName(ResultKind kind);
std::optional<ResultKind> ParseResultKind(std::string_view command);

// What the summary compares of a modelled element (threat_model.json
// system.elements[]: id, kind, name, boundary, technology, runs_as_root,
// privileged, read_only_rootfs, no_new_privileges, capabilities_all_dropped,
// host_network, resource_limits, healthcheck, ports[{container_port,
// host_port, host_ip, published}], mounts[{docker_socket,
// sensitive_host_path}], credentials[{inline_value}], networks[], tags[]).
struct ModelPort {
  int container_port = 0;
  int host_port = 0;
  std::string host_ip;
  bool published = false;
};

struct ModelElement {
  std::string id;
  std::string kind;  // "service", "datastore", "actor", "platform"
  std::string name;
  std::string boundary;
  std::string technology;
  std::optional<bool> runs_as_root;
  bool privileged = false;
  bool read_only_rootfs = false;
  bool no_new_privileges = false;
  bool capabilities_all_dropped = false;
  bool host_network = false;
  bool resource_limits = false;
  bool healthcheck = false;
  bool docker_socket = false;         // a container-engine socket is mounted
  bool sensitive_host_mount = false;  // /, /etc, /proc, ... of the host is mounted
  bool internet_facing = false;       // tagged so, or a port published on every interface
  int inline_credentials = 0;         // credentials written inline in the files
  std::vector<ModelPort> ports;
  std::vector<std::string> networks;
};

struct ModelBoundary {
  std::string id;
  std::string kind;  // "internet", "host", "network", ...
  std::string name;
  std::string parent;
  bool isolated = false;  // an internal network, a default-deny namespace
};

struct ModelFlow {
  std::string id;
  std::string kind;
  std::string from;
  std::string to;
  std::string label;
  std::vector<std::string> crosses;  // boundary ids
};

struct ModelThreat {
  std::string id;
  std::string rule;
  std::string stride;
  std::string target;
  std::string title;
  core::Severity risk = core::Severity::kMedium;
  std::string status;  // "potential", "confirmed", "mitigated"
  std::string mitigation;
};

struct ModelResult {
  std::string name;
  std::vector<ModelElement> elements;
  std::vector<ModelBoundary> boundaries;
  std::vector<ModelFlow> flows;
  std::vector<ModelThreat> threats;
};

// A runtime alert of `bulwark watch` (Falco's shape).
struct Alert {
  std::string time;
  std::string rule;
  std::string priority;
  std::string output;
  std::string container;                            // output_fields["container.name"], when given
  core::Severity severity = core::Severity::kInfo;  // from the priority
};

// An edit `fix` made (or proposed): a file and the checks it addresses.
struct FixEdit {
  std::string path;
  int line = 0;
  bool created = false;
  std::vector<std::string> checks;
  std::string description;
};

struct FixResult {
  std::optional<core::Report> before;
  std::optional<core::Report> after;  // absent for a dry run
  std::vector<FixEdit> edits;
  bool written = false;
};

struct LoadedResult {
  std::string file;              // the file's name in the directory
  std::string tool = "bulwark";  // "bulwark", "trivy", "grype"
  bool saved = false;            // a bulwark_result wrapper (else a plain report)
  ResultKind kind = ResultKind::kAudit;
  RunInfo run;               // time normalised to ISO 8601 UTC
  int64_t time_seconds = 0;  // run.time, the report's own time, or the file's mtime
  core::Report report;       // audit, audit-host and scan results
  FixResult fix;
  ModelResult model;
  std::vector<Alert> alerts;
  std::vector<std::string> warnings;  // parts of the file that were cut or skipped
};

struct ResultSet {
  std::filesystem::path dir;
  std::vector<LoadedResult> results;  // oldest first (time, then file name)
  std::vector<core::Diagnostic> diagnostics;
};

// Reads DIR. Errors only when DIR itself cannot be read.
core::Result<ResultSet> LoadResults(const std::filesystem::path& dir);

// Classifies and converts one JSON text (the fuzz target's entry point).
// `file_name` names it in messages. time_seconds is 0 and run.time empty
// when the text carries no time (LoadResults then uses the file's mtime).
core::Result<LoadedResult> ImportResultJson(std::string_view text, const std::string& file_name);

}  // namespace bulwark::report
