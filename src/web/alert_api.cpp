#include "web/alert_api.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <nlohmann/json.hpp>

namespace bulwark::web {
namespace {

using nlohmann::json;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

bool Contains(std::string_view haystack, std::string_view lower_needle) {
  return Lower(haystack).find(lower_needle) != std::string::npos;
}

std::optional<uint64_t> Number(const std::string& text) {
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Dump(const json& doc) {
  return HtmlSafeJson(doc.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The `n` largest counts, largest first, as [{"name", "count"}].
json Top(const std::map<std::string, uint64_t>& counts, size_t n) {
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  json out = json::array();
  for (size_t i = 0; i < sorted.size() && i < n; ++i) {
    out.push_back({{"name", sorted[i].first}, {"count", sorted[i].second}});
  }
  return out;
}

json Series(const AlertCounts& counts) {
  json buckets = json::array();
  for (const SeriesBucket& b : counts.series) {
    json by_priority = json::object();
    for (size_t p = 0; p < b.by_priority.size(); ++p) {
      if (b.by_priority[p] == 0) continue;
      by_priority[std::string(runtime::PriorityName(static_cast<runtime::Priority>(p)))] =
          b.by_priority[p];
    }
    buckets.push_back({{"start", b.start_s}, {"by_priority", by_priority}, {"by_rule", b.by_rule}});
  }
  return {{"bucket_seconds", counts.bucket_width_s}, {"buckets", std::move(buckets)}};
}

}  // namespace

core::Result<AlertFilter> ParseAlertFilter(const std::multimap<std::string, std::string>& params) {
  AlertFilter filter;
  for (const auto& [name, value] : params) {
    if (name == "since" || name == "limit") {
      std::optional<uint64_t> n = Number(value);
      if (!n) return core::Error(core::ErrorCode::kInvalidArgument, name + " must be a number");
      if (name == "since") filter.since = *n;
      if (name == "limit") filter.limit = std::clamp<uint64_t>(*n, 1, kMaxAlertLimit);
    } else if (name == "rule") {
      filter.rule = value;
    } else if (name == "priority" && !value.empty()) {
      filter.priority = runtime::ParsePriority(value);
      if (!filter.priority) {
        return core::Error(core::ErrorCode::kInvalidArgument, "unknown priority");
      }
    } else if (name == "container") {
      filter.container = value;
    } else if (name == "q") {
      filter.query = Lower(value);
    }
  }
  return filter;
}

bool Matches(const StoredAlert& stored, const AlertFilter& filter) {
  const runtime::Alert& a = stored.alert;
  if (stored.id <= filter.since) return false;
  if (!filter.rule.empty() && a.rule != filter.rule) return false;
  if (filter.priority && a.priority != *filter.priority) return false;
  if (!filter.container.empty() && stored.container != filter.container &&
      FieldValue(a, "container.id") != filter.container) {
    return false;
  }
  if (filter.query.empty()) return true;
  if (Contains(a.rule, filter.query) || Contains(a.output, filter.query)) return true;
  for (const auto& [name, value] : a.output_fields) {
    if (value && Contains(*value, filter.query)) return true;
  }
  return false;
}

std::string RenderOneAlert(const StoredAlert& stored) {
  // stored.json is already HTML-safe JSON text.
  return "{\"id\":" + std::to_string(stored.id) + ",\"alert\":" + stored.json + "}";
}

std::string RenderAlertList(const AlertStore& store, const AlertFilter& filter) {
  std::vector<StoredAlertPtr> all = store.All();
  std::string items;
  size_t n = 0;
  for (auto it = all.rbegin(); it != all.rend() && n < filter.limit; ++it) {
    if (!Matches(**it, filter)) continue;
    if (n++ != 0) items += ',';
    items += RenderOneAlert(**it);
  }
  return "{\"latest_id\":" + std::to_string(store.LatestId()) +
         ",\"oldest_id\":" + std::to_string(store.OldestId()) + ",\"alerts\":[" + items + "]}";
}

std::string RenderAlertSummary(const AlertStore& store) {
  const AlertCounts counts = store.Counts();
  json by_priority = json::object();
  for (size_t p = 0; p < counts.by_priority.size(); ++p) {
    by_priority[std::string(runtime::PriorityName(static_cast<runtime::Priority>(p)))] =
        counts.by_priority[p];
  }
  std::map<std::string, uint64_t> by_rule;
  for (const auto& [key, n] : counts.by_rule_priority) by_rule[key.rule] += n;
  json doc = {{"total", counts.total},
              {"latest_id", store.LatestId()},
              {"evicted", counts.evicted},
              {"by_priority", std::move(by_priority)},
              {"top_rules", Top(by_rule, kTopN)},
              {"top_containers", Top(counts.by_container, kTopN)},
              {"top_processes", Top(counts.by_process, kTopN)},
              {"series", Series(counts)}};
  return Dump(doc);
}

}  // namespace bulwark::web
