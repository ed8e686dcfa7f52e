// `bulwark contain CONTAINER`: incident containment through the Docker
// Engine API, evidence first. The steps, in order, each logged with its time
// and result (respond/contain_log.hpp):
//   1. evidence: inspect, top, export (streamed to container-export.tar),
//      commit to bulwark-evidence/<name>:<UTC time>, and each --pid's /proc
//      facts and executable;
//   2. kill each --pid (SIGKILL through a pidfd taken at the start);
//   3. quarantine each path (read inside the container's root only);
//   4. disconnect every network (Force);
//   5. pause (default) or stop.
// A failed step is logged and the rest still run where that is safe: the
// container is never paused or stopped before its snapshot was attempted,
// and a failed export does not prevent isolation. A dry run makes only the
// read-only calls (inspect, top, file probes) and writes nothing.
// Not thread-safe: one run per client.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"
#include "docker/engine_client.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

// Returns an error only when nothing could be done at all: a bad argument
// (kInvalidArgument), the container unknown (kNotFound), the daemon
// unreachable (kUnavailable), or the evidence directory not creatable.
// Failed actions are in the report, not in the status.
core::Result<ContainReport> Contain(docker::EngineClient& client, const ContainOptions& options);

// A container name made safe as one file-name component: [A-Za-z0-9._-]
// only (others become '_'), no leading '.', at most 64 bytes, never empty.
std::string SanitizeFileName(std::string_view name);
// A valid image repository for the snapshot: "bulwark-evidence/<name>"
// with the name lower-cased and reduced to [a-z0-9] runs joined by '-'.
std::string EvidenceImageRepository(std::string_view name);

}  // namespace bulwark::respond
