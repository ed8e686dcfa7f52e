// CVSS 3.0 / 3.1 base scores from vector strings, as FIRST's specification
// defines them (section 7 "CVSS v3.1 Equations", Appendix A "Floating Point
// Rounding"), and the qualitative severity bands. Temporal and
// environmental metrics are accepted in a vector but do not change the base
// score. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::vuln {

// The base score (0.0-10.0) of "CVSS:3.0/..." or "CVSS:3.1/..."; nullopt
// when the vector is not a valid CVSS 3.x vector (unknown or repeated
// metric, a base metric missing, another version).
std::optional<double> CvssV3BaseScore(std::string_view vector);

// CVSS 3.1 Roundup: the smallest number with one decimal place that is
// equal to or higher than `value`, computed on integers so 4.000000000001
// still rounds to 4.0 only when it is 4.0 to five places.
double CvssRoundUp31(double value);

// "critical" (9.0-10.0), "high" (7.0-8.9), "medium" (4.0-6.9), "low"
// (0.1-3.9), "" for 0 ("none" is no severity to report).
std::string SeverityForCvss(double score);

}  // namespace bulwark::vuln
