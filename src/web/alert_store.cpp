#include "web/alert_store.hpp"

#include <algorithm>

#include "runtime/output/alert_format.hpp"

namespace bulwark::web {
namespace {

using runtime::Alert;

// Cuts at a UTF-8 boundary so the cut text stays valid.
std::string Cut(std::string_view text) {
  if (text.size() <= kMaxFieldBytes) return std::string(text);
  size_t end = kMaxFieldBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

Alert Bounded(const Alert& in) {
  Alert out;
  out.time_ns = in.time_ns;
  out.rule = Cut(in.rule);
  out.priority = in.priority;
  out.output = Cut(in.output);
  for (size_t i = 0; i < in.output_fields.size() && i < kMaxFields; ++i) {
    const auto& [name, value] = in.output_fields[i];
    out.output_fields.emplace_back(Cut(name), value ? std::optional(Cut(*value)) : std::nullopt);
  }
  for (size_t i = 0; i < in.tags.size() && i < kMaxTags; ++i) out.tags.push_back(Cut(in.tags[i]));
  out.source = Cut(in.source);
  out.hostname = Cut(in.hostname);
  return out;
}

std::string OrNone(std::string_view value) {
  return value.empty() ? std::string(kNoneLabel) : std::string(value);
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view FieldValue(const Alert& alert, std::string_view name) {
  for (const auto& [field, value] : alert.output_fields) {
    if (field == name) return value ? std::string_view(*value) : std::string_view();
  }
  return {};
}

std::string HtmlSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

AlertStore::AlertStore(AlertStoreOptions options) : options_(options) {
  counts_.bucket_width_s = std::max<int64_t>(1, options_.bucket_width.count());
}

uint64_t AlertStore::Add(const Alert& alert) {
  // Formatting happens outside the lock: the pipeline's thread pays for it,
  // readers do not wait for it.
  auto stored = std::make_shared<StoredAlert>();
  stored->alert = Bounded(alert);
  std::string_view container = FieldValue(stored->alert, "container.name");
  if (container.empty()) container = FieldValue(stored->alert, "container.id");
  stored->container = OrNone(container);
  stored->process = OrNone(FieldValue(stored->alert, "proc.name"));
  stored->json = HtmlSafeJson(runtime::output::FormatAlertJson(stored->alert));

  uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    stored->id = id;
    CountLocked(*stored);
    json_bytes_ += stored->json.size();
    ring_.push_back(std::move(stored));
    while (ring_.size() > std::max<size_t>(1, options_.capacity)) {
      json_bytes_ -= ring_.front()->json.size();
      ring_.pop_front();
      ++counts_.evicted;
    }
  }
  cv_.notify_all();
  return id;
}

std::string AlertStore::LabelLocked(std::map<std::string, uint64_t>& counts,
                                    const std::string& name) {
  if (counts.size() < options_.max_keys || counts.count(name) != 0) return name;
  return std::string(kOtherLabel);
}

void AlertStore::CountLocked(const StoredAlert& stored) {
  const size_t priority = static_cast<size_t>(stored.alert.priority) % counts_.by_priority.size();
  ++counts_.total;
  ++counts_.by_priority[priority];
  const std::string rule = LabelLocked(rule_totals_, stored.alert.rule);
  ++rule_totals_[rule];
  ++counts_.by_rule_priority[{rule, stored.alert.priority}];
  ++counts_.by_container[LabelLocked(counts_.by_container, stored.container)];
  ++counts_.by_process[LabelLocked(counts_.by_process, stored.process)];
  CountSeriesLocked(stored);
}

void AlertStore::CountSeriesLocked(const StoredAlert& stored) {
  const int64_t width = counts_.bucket_width_s;
  const int64_t time_s = stored.alert.time_ns != 0
                             ? static_cast<int64_t>(stored.alert.time_ns / 1'000'000'000ull)
                             : NowSeconds();
  const int64_t start = time_s - time_s % width;
  auto at = std::lower_bound(series_.begin(), series_.end(), start,
                             [](const SeriesBucket& b, int64_t s) { return b.start_s < s; });
  if (at == series_.end() || at->start_s != start) {
    // Older than everything kept in a full series: only the totals count it.
    if (at == series_.begin() && series_.size() >= options_.buckets) return;
    at = series_.insert(at, SeriesBucket{.start_s = start});
  }
  ++at->by_priority[static_cast<size_t>(stored.alert.priority) % at->by_priority.size()];
  const bool known = at->by_rule.count(stored.alert.rule) != 0;
  ++at->by_rule[known || at->by_rule.size() < kMaxRulesPerBucket ? stored.alert.rule
                                                                  : std::string(kOtherLabel)];
  while (series_.size() > std::max<size_t>(1, options_.buckets)) series_.pop_front();
}

std::vector<StoredAlertPtr> AlertStore::Since(uint64_t after, size_t max) const {
  std::lock_guard lock(mu_);
  std::vector<StoredAlertPtr> out;
  if (ring_.empty() || after >= ring_.back()->id) return out;
  const uint64_t first = ring_.front()->id;
  size_t index = after < first ? 0 : static_cast<size_t>(after - first + 1);
  for (; index < ring_.size() && out.size() < max; ++index) out.push_back(ring_[index]);
  return out;
}

std::vector<StoredAlertPtr> AlertStore::All() const {
  std::lock_guard lock(mu_);
  return {ring_.begin(), ring_.end()};
}

StoredAlertPtr AlertStore::Find(uint64_t id) const {
  std::lock_guard lock(mu_);
  if (ring_.empty() || id < ring_.front()->id || id > ring_.back()->id) return nullptr;
  return ring_[static_cast<size_t>(id - ring_.front()->id)];
}

uint64_t AlertStore::LatestId() const {
  std::lock_guard lock(mu_);
  return next_id_ - 1;
}

uint64_t AlertStore::OldestId() const {
  std::lock_guard lock(mu_);
  return ring_.empty() ? next_id_ : ring_.front()->id;
}

bool AlertStore::WaitForNewer(uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  const uint64_t generation = wake_generation_;
  cv_.wait_for(lock, timeout,
               [&] { return next_id_ - 1 > after || wake_generation_ != generation; });
  return next_id_ - 1 > after;
}

void AlertStore::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wake_generation_;
  }
  cv_.notify_all();
}

AlertCounts AlertStore::Counts() const {
  std::lock_guard lock(mu_);
  AlertCounts out = counts_;
  out.series.assign(series_.begin(), series_.end());
  return out;
}

AlertStoreStats AlertStore::Stats() const {
  std::lock_guard lock(mu_);
  AlertStoreStats stats;
  stats.alerts = ring_.size();
  stats.json_bytes = json_bytes_;
  stats.count_keys = rule_totals_.size() + counts_.by_rule_priority.size() +
                     counts_.by_container.size() + counts_.by_process.size();
  for (const SeriesBucket& b : series_) stats.count_keys += b.by_rule.size();
  stats.buckets = series_.size();
  return stats;
}

}  // namespace bulwark::web
