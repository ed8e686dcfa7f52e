// Counters of `bulwark watch` for `bulwark serve` (/metrics) and for the
// watch loop's own status lines: events seen and dropped (set by the
// sensor), alerts by rule and priority, alerts suppressed by the rate
// limiter, per-sink delivery, errors and spool state.
//
// Every method is thread-safe (one mutex; updates happen at alert rate, not
// event rate: the sensor sets its totals, it does not count each event
// here). Snapshot copies everything at one instant; RenderPrometheus
// (prometheus.hpp) turns a snapshot into the text exposition format.
//
// Rule names come from rule files; to bound memory and label cardinality,
// rules beyond kMaxRuleLabels distinct names are counted under the rule
// name kOtherRules.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "runtime/event/alert.hpp"
#include "runtime/output/spool.hpp"

namespace bulwark::runtime::output {

inline constexpr size_t kMaxRuleLabels = 1024;
inline constexpr std::string_view kOtherRules = "(other rules)";
inline constexpr size_t kPriorityCount = 8;

struct SinkMetrics {
  uint64_t delivered = 0;  // alerts written or accepted by the receiver
  uint64_t errors = 0;     // failed writes or delivery attempts
  uint64_t rejected = 0;   // alerts a receiver refused for good (HTTP 4xx)
  uint64_t dropped = 0;    // alerts lost: queue overflow with no spool, spool refused
  bool has_spool = false;
  SpoolStats spool;
};

struct RuleAlertKey {
  std::string rule;
  Priority priority = Priority::kWarning;
  bool operator<(const RuleAlertKey& other) const {
    return rule != other.rule ? rule < other.rule : priority < other.priority;
  }
};

// Time one event takes through the rule engine, sampled by the watch loop
// (one event in kEvalSampleEvery): Prometheus histogram buckets in seconds.
inline constexpr std::array<double, 10> kEvalLatencyBounds = {
    1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2};
inline constexpr uint64_t kEvalSampleEvery = 64;

struct LatencyHistogram {
  std::array<uint64_t, kEvalLatencyBounds.size() + 1> buckets{};  // not cumulative; last: +Inf
  uint64_t count = 0;
  double sum_seconds = 0;
};

struct MetricsSnapshot {
  uint64_t events_seen = 0;
  uint64_t events_dropped = 0;
  std::map<RuleAlertKey, uint64_t> alerts;  // every alert the rules produced
  std::array<uint64_t, kPriorityCount> alerts_by_priority{};
  std::map<std::string, uint64_t> suppressed;  // by rule
  uint64_t suppressed_total = 0;
  uint64_t summaries = 0;  // storm summary alerts emitted
  std::map<std::string, SinkMetrics> sinks;  // by sink name
  LatencyHistogram eval_latency;             // sampled rule evaluation time
};

class AlertMetrics {
 public:
  // The sensor's running totals (it keeps its own counters).
  void SetEventsSeen(uint64_t total);
  void SetEventsDropped(uint64_t total);
  void AddEvents(uint64_t seen, uint64_t dropped);

  // One sampled evaluation of an event through the rules.
  void ObserveEvalLatency(uint64_t nanoseconds);

  void CountAlert(const Alert& alert);
  void CountSuppressed(std::string_view rule);
  void CountSummary();

  void CountDelivered(std::string_view sink, uint64_t n = 1);
  void CountSinkError(std::string_view sink);
  void CountRejected(std::string_view sink);
  void CountSinkDropped(std::string_view sink, uint64_t n);
  void SetSpool(std::string_view sink, const SpoolStats& stats);

  MetricsSnapshot Snapshot() const;

 private:
  SinkMetrics& SinkLocked(std::string_view sink);
  std::string RuleLabelLocked(std::string_view rule);

  mutable std::mutex mu_;
  MetricsSnapshot data_;  // guarded by mu_
  std::set<std::string, std::less<>> known_rules_;  // guarded by mu_
};

}  // namespace bulwark::runtime::output
