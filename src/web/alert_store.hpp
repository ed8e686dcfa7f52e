// The alerts `bulwark serve` shows: a bounded ring of the latest alerts, each
// with a sequential id (1, 2, ...), and counts by rule, priority, container
// and process, in total and over time buckets, for the dashboard and
// /metrics.
//
// Memory is bounded whatever the alert rate and whatever the alerts hold
// (they come from monitored, possibly hostile processes): the ring keeps at
// most `capacity` alerts, each cut to kMaxFieldBytes per string and
// kMaxFields output fields; every count map keeps at most `max_keys` names
// (the rest are counted under kOtherLabel); the series keeps `buckets`
// buckets of at most kMaxRulesPerBucket rules each. Stats() reports the
// sizes so tests can check the bound.
//
// Thread-safe: one mutex guards everything; Add never blocks on readers
// (they copy shared pointers under the lock and format outside it).
// WaitForNewer lets stream handlers sleep until an alert arrives.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event/alert.hpp"
#include "runtime/output/metrics.hpp"

namespace bulwark::web {

inline constexpr size_t kMaxFieldBytes = 4096;
inline constexpr size_t kMaxFields = 64;
inline constexpr size_t kMaxTags = 32;
inline constexpr size_t kMaxRulesPerBucket = 32;
inline constexpr std::string_view kOtherLabel = "(other)";
inline constexpr std::string_view kNoneLabel = "(none)";

struct AlertStoreOptions {
  size_t capacity = 10'000;               // alerts kept
  std::chrono::seconds bucket_width{10};  // of the series
  size_t buckets = 360;                   // one hour of 10-second buckets
  size_t max_keys = 1'000;                // distinct names per count map
};

struct StoredAlert {
  uint64_t id = 0;
  runtime::Alert alert;  // cut to the bounds above
  std::string container;  // container.name, else container.id, else "(none)"
  std::string process;    // proc.name, else "(none)"
  std::string json;       // Falco's JSON shape (alert_format.hpp), HTML-safe
};
using StoredAlertPtr = std::shared_ptr<const StoredAlert>;

struct SeriesBucket {
  int64_t start_s = 0;  // Unix seconds
  std::array<uint64_t, runtime::output::kPriorityCount> by_priority{};
  std::map<std::string, uint64_t> by_rule;
};

struct AlertCounts {
  uint64_t total = 0;
  uint64_t evicted = 0;  // alerts pushed out of the ring by newer ones
  std::map<runtime::output::RuleAlertKey, uint64_t> by_rule_priority;
  std::array<uint64_t, runtime::output::kPriorityCount> by_priority{};
  std::map<std::string, uint64_t> by_container;
  std::map<std::string, uint64_t> by_process;
  std::vector<SeriesBucket> series;  // oldest first
  int64_t bucket_width_s = 10;
};

struct AlertStoreStats {
  size_t alerts = 0;
  size_t json_bytes = 0;  // of the alerts kept
  size_t count_keys = 0;  // names in every count map together
  size_t buckets = 0;
};

class AlertStore {
 public:
  explicit AlertStore(AlertStoreOptions options = {});

  // Stores a copy cut to the bounds; returns its id. Wakes waiting readers.
  uint64_t Add(const runtime::Alert& alert);

  // Alerts with id > `after`, oldest first, at most `max`.
  std::vector<StoredAlertPtr> Since(uint64_t after, size_t max) const;
  // Every alert kept, oldest first.
  std::vector<StoredAlertPtr> All() const;
  // The alert with this id, or null when it is not (or no longer) kept.
  StoredAlertPtr Find(uint64_t id) const;

  uint64_t LatestId() const;
  // The smallest id still kept (LatestId() + 1 when empty).
  uint64_t OldestId() const;

  // Sleeps until an alert with id > `after` exists, Wake() is called, or
  // the timeout passes; true when there is a newer alert.
  bool WaitForNewer(uint64_t after, std::chrono::milliseconds timeout) const;
  // Wakes every waiting reader (server shutdown).
  void Wake();

  AlertCounts Counts() const;
  AlertStoreStats Stats() const;
  const AlertStoreOptions& options() const { return options_; }

 private:
  void CountLocked(const StoredAlert& stored);
  void CountSeriesLocked(const StoredAlert& stored);
  std::string LabelLocked(std::map<std::string, uint64_t>& counts, const std::string& name);

  const AlertStoreOptions options_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::deque<StoredAlertPtr> ring_;  // guarded by mu_
  uint64_t next_id_ = 1;             // guarded by mu_
  size_t json_bytes_ = 0;            // guarded by mu_
  uint64_t wake_generation_ = 0;     // guarded by mu_
  AlertCounts counts_;               // guarded by mu_
  std::map<std::string, uint64_t> rule_totals_;  // guarded by mu_; bounds rule names
  std::deque<SeriesBucket> series_;  // guarded by mu_
};

// The alert's value of output field `name`, or "" when absent or null.
std::string_view FieldValue(const runtime::Alert& alert, std::string_view name);

// JSON text with '<', '>' and '&' written as \u003c, \u003e, \u0026 (they
// only occur inside JSON strings), so no HTML parser ever sees markup in it.
std::string HtmlSafeJson(std::string_view json);

}  // namespace bulwark::web
