#include "web/metrics_page.hpp"

#include <string_view>

#include "core/severity.hpp"
#include "core/version.hpp"
#include "runtime/output/prometheus.hpp"

namespace bulwark::web {
namespace {

void Header(std::string& out, std::string_view name, std::string_view type,
            std::string_view help) {
  runtime::output::AppendPrometheusHeader(out, name, type, help);
}

// A sample with at most one label (none when `label` is empty).
void Sample(std::string& out, std::string_view name, std::string_view label,
            std::string_view value, uint64_t n) {
  std::string labels = label.empty() ? "" : "{" + runtime::output::PrometheusLabel(label, value) + "}";
  runtime::output::AppendPrometheusSample(out, name, labels, n);
}

void BySeverity(std::string& out, std::string_view name, std::string_view help,
                const SeverityCounts& counts) {
  Header(out, name, "gauge", help);
  for (core::Severity s : core::kAllSeverities) {
    Sample(out, name, "severity", core::SeverityName(s), counts[static_cast<size_t>(s)]);
  }
}

}  // namespace

runtime::output::MetricsSnapshot SnapshotFromCounts(const AlertCounts& counts) {
  runtime::output::MetricsSnapshot snapshot;
  snapshot.alerts = counts.by_rule_priority;
  snapshot.alerts_by_priority = counts.by_priority;
  return snapshot;
}

std::string RenderMetricsPage(const runtime::output::MetricsSnapshot& watch,
                              const AlertCounts& counts, const AlertStoreStats& stats,
                              const FindingTotals& totals) {
  std::string out = runtime::output::RenderPrometheus(watch);
  if (!counts.by_container.empty()) {
    Header(out, "alerts_by_container_total", "counter",
           "Alerts the dashboard received, by container name (or id).");
    for (const auto& [container, n] : counts.by_container) {
      Sample(out, "alerts_by_container_total", "container", container, n);
    }
  }
  BySeverity(out, "findings", "Findings of the latest audits (host audit: warnings), by severity.",
             totals.findings);
  BySeverity(out, "vulnerabilities", "Vulnerabilities of the latest scans, by severity.",
             totals.vulnerabilities);
  Header(out, "dashboard_alerts_kept", "gauge", "Alerts the dashboard's ring holds.");
  Sample(out, "dashboard_alerts_kept", "", "", stats.alerts);
  Header(out, "build_info", "gauge", "The running bulwark's version; always 1.");
  Sample(out, "build_info", "version", core::kVersion, 1);
  return out;
}

}  // namespace bulwark::web
