#include "vuln/cvss.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace bulwark::vuln {
namespace {

// Base metrics in vector order; each must appear exactly once.
constexpr std::array<std::string_view, 8> kBaseMetrics = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
// Temporal and environmental metrics: allowed, ignored for the base score.
constexpr std::array<std::string_view, 14> kOtherMetrics = {
    "E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"};

struct BaseValues {
  std::array<char, 8> value{};  // one letter per base metric, 0 = not seen
};

int BaseIndex(std::string_view metric) {
  for (size_t i = 0; i < kBaseMetrics.size(); ++i) {
    if (kBaseMetrics[i] == metric) return static_cast<int>(i);
  }
  return -1;
}

bool IsOtherMetric(std::string_view metric) {
  for (std::string_view m : kOtherMetrics) {
    if (m == metric) return true;
  }
  return false;
}

// The weight of one metric value (specification section 7.4), or a negative
// number for a value the metric does not have.
double Weight(int metric, char value, bool scope_changed) {
  switch (metric) {
    case 0:  // AV
      return value == 'N' ? 0.85 : value == 'A' ? 0.62 : value == 'L' ? 0.55 : value == 'P' ? 0.2 : -1;
    case 1:  // AC
      return value == 'L' ? 0.77 : value == 'H' ? 0.44 : -1;
    case 2:  // PR: Low and High weigh more when the scope changes
      if (value == 'N') return 0.85;
      if (value == 'L') return scope_changed ? 0.68 : 0.62;
      if (value == 'H') return scope_changed ? 0.5 : 0.27;
      return -1;
    case 3:  // UI
      return value == 'N' ? 0.85 : value == 'R' ? 0.62 : -1;
    case 4:  // S: no weight of its own
      return value == 'U' || value == 'C' ? 0 : -1;
    default:  // C, I, A
      return value == 'H' ? 0.56 : value == 'L' ? 0.22 : value == 'N' ? 0 : -1;
  }
}

// Splits "AV:N/AC:L/..." into the base values; false on anything malformed.
bool ParseMetrics(std::string_view rest, BaseValues& base) {
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) return false;  // trailing '/'
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon + 2 != part.size()) return false;
    std::string_view metric = part.substr(0, colon);
    char value = part[colon + 1];
    int index = BaseIndex(metric);
    if (index < 0) {
      if (!IsOtherMetric(metric)) return false;
      continue;
    }
    if (base.value[index] != 0) return false;  // repeated
    base.value[index] = value;
  }
  for (char v : base.value) {
    if (v == 0) return false;
  }
  return true;
}

double RoundUp30(double value) { return std::ceil(value * 10) / 10; }

}  // namespace

double CvssRoundUp31(double value) {
  auto int_input = static_cast<int64_t>(std::llround(value * 100000));
  if (int_input % 10000 == 0) return static_cast<double>(int_input) / 100000.0;
  return static_cast<double>(int_input / 10000 + 1) / 10.0;
}

std::optional<double> CvssV3BaseScore(std::string_view vector) {
  bool v31 = vector.starts_with("CVSS:3.1/");
  if (!v31 && !vector.starts_with("CVSS:3.0/")) return std::nullopt;
  BaseValues base;
  if (!ParseMetrics(vector.substr(9), base)) return std::nullopt;
  bool changed = base.value[4] == 'C';
  std::array<double, 8> w{};
  for (size_t i = 0; i < w.size(); ++i) {
    w[i] = Weight(static_cast<int>(i), base.value[i], changed);
    if (w[i] < 0) return std::nullopt;
  }
  double iss = 1 - (1 - w[5]) * (1 - w[6]) * (1 - w[7]);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * w[0] * w[1] * w[2] * w[3];
  if (impact <= 0) return 0.0;
  double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  sum = std::min(sum, 10.0);
  return v31 ? CvssRoundUp31(sum) : RoundUp30(sum);
}

std::string SeverityForCvss(double score) {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "medium";
  if (score > 0) return "low";
  return "";
}

}  // namespace bulwark::vuln
