// The text `bulwark serve` answers on /metrics (Prometheus text format
// 0.0.4): watch's counters as RenderPrometheus writes them
// (runtime/output/prometheus.hpp), then the families only the server knows:
//   bulwark_alerts_by_container_total{container}  counter
//   bulwark_findings{severity}                     gauge (latest audits)
//   bulwark_vulnerabilities{severity}              gauge (latest scans)
//   bulwark_dashboard_alerts_kept                  gauge
//   bulwark_build_info{version}                    gauge, always 1
// Label values are escaped as the format requires. Pure functions; thread-safe.
#pragma once

#include <string>

#include "runtime/output/metrics.hpp"
#include "web/alert_store.hpp"
#include "web/findings_store.hpp"

namespace bulwark::web {

// Watch's counters as far as the alert store knows them (serve --alerts
// FILE has no live pipeline): alerts by rule and priority.
runtime::output::MetricsSnapshot SnapshotFromCounts(const AlertCounts& counts);

std::string RenderMetricsPage(const runtime::output::MetricsSnapshot& watch,
                              const AlertCounts& counts, const AlertStoreStats& stats,
                              const FindingTotals& totals);

}  // namespace bulwark::web
