// Renders a MetricsSnapshot in the Prometheus text exposition format
// (version 0.0.4): "# HELP" and "# TYPE" lines, then one sample per line,
// every metric name prefixed "bulwark_". Label values (rule and sink names
// may hold anything a rule file says) are made valid UTF-8 and escaped as the
// format requires: backslash, double quote and line feed. Families with
// labels are left out while they have no samples.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/output/metrics.hpp"

namespace bulwark::runtime::output {

// The Content-Type of the rendered text.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheus(const MetricsSnapshot& snapshot);

// `"`, `\` and line feed escaped; invalid UTF-8 replaced (U+FFFD).
std::string EscapePrometheusLabel(std::string_view value);

}  // namespace bulwark::runtime::output
