// The JSON the dashboard and scripts read about alerts:
//  /api/alerts?since=ID&rule=&priority=&container=&q=&limit=  ->
//    {"latest_id", "oldest_id", "alerts": [{"id", "alert": {Falco's shape}}]}
//    newest first; `since` keeps ids above it; rule, priority and container
//    match exactly (container: name or id), q is a case-insensitive
//    substring of the rule, output or any field value; limit 1..1000 (100).
//  /api/alerts/ID -> {"id", "alert"} or an error;
//  /api/summary -> totals by priority, rule, container and process (top
//    kTopN each) and the series of buckets.
// Every string is JSON-escaped with '<', '>' and '&' as \u escapes
// (alert_store.hpp HtmlSafeJson). Pure functions over a store; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "web/alert_store.hpp"

namespace bulwark::web {

inline constexpr size_t kDefaultAlertLimit = 100;
inline constexpr size_t kMaxAlertLimit = 1000;
inline constexpr size_t kTopN = 10;

struct AlertFilter {
  uint64_t since = 0;
  std::string rule;
  std::optional<runtime::Priority> priority;
  std::string container;
  std::string query;  // lower-cased
  size_t limit = kDefaultAlertLimit;
};

// From query parameters by name; an unknown priority or a malformed number
// is an error naming the parameter.
core::Result<AlertFilter> ParseAlertFilter(const std::multimap<std::string, std::string>& params);

bool Matches(const StoredAlert& stored, const AlertFilter& filter);

std::string RenderAlertList(const AlertStore& store, const AlertFilter& filter);
std::string RenderOneAlert(const StoredAlert& stored);
std::string RenderAlertSummary(const AlertStore& store);

}  // namespace bulwark::web
