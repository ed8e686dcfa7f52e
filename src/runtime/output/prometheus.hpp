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

// The pieces, for pages that add families of their own (bulwark serve):
// `name="value"` with the value escaped;
std::string PrometheusLabel(std::string_view name, std::string_view value);
// the "# HELP" and "# TYPE" lines of family bulwark_<name>;
void AppendPrometheusHeader(std::string& out, std::string_view name, std::string_view type,
                            std::string_view help);
// one sample line, bulwark_<name><labels> <value>; `labels` is "" or
// "{...}" built from PrometheusLabel.
void AppendPrometheusSample(std::string& out, std::string_view name, std::string_view labels,
                            uint64_t value);

}  // namespace bulwark::runtime::output
