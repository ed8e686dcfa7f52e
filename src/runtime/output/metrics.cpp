#include "runtime/output/metrics.hpp"

namespace bulwark::runtime::output {

void AlertMetrics::SetEventsSeen(uint64_t total) {
  std::lock_guard lock(mu_);
  data_.events_seen = total;
}

void AlertMetrics::SetEventsDropped(uint64_t total) {
  std::lock_guard lock(mu_);
  data_.events_dropped = total;
}

void AlertMetrics::AddEvents(uint64_t seen, uint64_t dropped) {
  std::lock_guard lock(mu_);
  data_.events_seen += seen;
  data_.events_dropped += dropped;
}

void AlertMetrics::ObserveEvalLatency(uint64_t nanoseconds) {
  const double seconds = static_cast<double>(nanoseconds) / 1e9;
  size_t bucket = 0;
  while (bucket < kEvalLatencyBounds.size() && seconds > kEvalLatencyBounds[bucket]) ++bucket;
  std::lock_guard lock(mu_);
  ++data_.eval_latency.buckets[bucket];
  ++data_.eval_latency.count;
  data_.eval_latency.sum_seconds += seconds;
}

std::string AlertMetrics::RuleLabelLocked(std::string_view rule) {
  if (known_rules_.find(rule) != known_rules_.end()) return std::string(rule);
  if (known_rules_.size() >= kMaxRuleLabels) return std::string(kOtherRules);
  known_rules_.emplace(rule);
  return std::string(rule);
}

void AlertMetrics::CountAlert(const Alert& alert) {
  std::lock_guard lock(mu_);
  ++data_.alerts[RuleAlertKey{RuleLabelLocked(alert.rule), alert.priority}];
  auto p = static_cast<size_t>(alert.priority);
  if (p < kPriorityCount) ++data_.alerts_by_priority[p];
}

void AlertMetrics::CountSuppressed(std::string_view rule) {
  std::lock_guard lock(mu_);
  ++data_.suppressed[RuleLabelLocked(rule)];
  ++data_.suppressed_total;
}

void AlertMetrics::CountSummary() {
  std::lock_guard lock(mu_);
  ++data_.summaries;
}

SinkMetrics& AlertMetrics::SinkLocked(std::string_view sink) {
  auto it = data_.sinks.find(std::string(sink));
  if (it == data_.sinks.end()) it = data_.sinks.emplace(std::string(sink), SinkMetrics{}).first;
  return it->second;
}

void AlertMetrics::CountDelivered(std::string_view sink, uint64_t n) {
  std::lock_guard lock(mu_);
  SinkLocked(sink).delivered += n;
}

void AlertMetrics::CountSinkError(std::string_view sink) {
  std::lock_guard lock(mu_);
  ++SinkLocked(sink).errors;
}

void AlertMetrics::CountRejected(std::string_view sink) {
  std::lock_guard lock(mu_);
  ++SinkLocked(sink).rejected;
}

void AlertMetrics::CountSinkDropped(std::string_view sink, uint64_t n) {
  std::lock_guard lock(mu_);
  SinkLocked(sink).dropped += n;
}

void AlertMetrics::SetSpool(std::string_view sink, const SpoolStats& stats) {
  std::lock_guard lock(mu_);
  SinkMetrics& m = SinkLocked(sink);
  m.has_spool = true;
  m.spool = stats;
}

MetricsSnapshot AlertMetrics::Snapshot() const {
  std::lock_guard lock(mu_);
  return data_;
}

}  // namespace bulwark::runtime::output
