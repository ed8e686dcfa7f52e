// A host audit report in docker-bench-security 1.6.0's JSON log layout
// (`--format docker-bench-json`), so dashboards built on docker-bench keep
// working: {"dockerbenchsecurity": "1.6.0", "start", "tests": [sections 1-7
// {"id", "desc", "results": [{"id", "desc", "result", "details"?, "items"?,
// "remediation"?}]}], "checks", "score", "end"}.
//
// One result per check (docker-bench reports checks, not subjects): WARN if
// any subject warns, else INFO, else NOTE, else PASS; "items" names the
// containers or images (or the several subjects) behind that verdict. A
// skipped check is INFO "not checked: <reason>"; a check with nothing to
// judge (no running container) is left out, as docker-bench leaves out
// section 5 then. Score as docker-bench's: scored PASS +1, scored WARN -1.
// Unlike docker-bench's printf output, every string is JSON-escaped.
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/report.hpp"
#include "host/host_check.hpp"

namespace bulwark::host {

std::string RenderDockerBenchJson(const core::Report& report, const std::vector<HostCheck>& checks,
                                  int64_t start_epoch, int64_t end_epoch);

}  // namespace bulwark::host
