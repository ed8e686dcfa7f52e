// The body of a Loki push request (POST /loki/api/v1/push, JSON form), and
// the labels bulwark gives each alert:
//   {"streams":[{"stream":{"container":"web","host":"node-1","priority":"Notice",
//                          "rule":"Terminal shell in container","source":"bulwark"},
//                "values":[["1795428000000000000","<the alert's Falco JSON line>"], ...]}]}
// Timestamps are Unix epoch nanoseconds written as strings, as Loki's API
// wants. Entries are grouped into one stream per label set; within a stream
// values are in time order (stable for equal times).
//
// Labels: rule, priority, container (container.name from the alert's output
// fields; "host" when missing or empty), host (the alert's hostname;
// "unknown" when empty), source="bulwark", plus static labels the user adds.
// Values come from monitored processes and rule files, so they are bounded:
// valid UTF-8 (invalid bytes become U+FFFD), control characters replaced by
// a space, at most kMaxLokiLabelValue bytes (cut at a character boundary).
// Label names must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with "__"
// (Loki reserves those).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/alert.hpp"

namespace bulwark::runtime::output {

inline constexpr size_t kMaxLokiLabelValue = 128;

// Sorted by name, names unique.
using LokiLabels = std::vector<std::pair<std::string, std::string>>;

struct LokiEntry {
  LokiLabels labels;
  uint64_t time_ns = 0;
  std::string line;  // the alert's JSON line (valid UTF-8, no newline)
};

bool IsValidLokiLabelName(std::string_view name);
std::string SanitizeLokiLabelValue(std::string_view value);

// "name=value" as given on the command line; the name must be valid and not
// one of bulwark's own labels.
core::Result<std::pair<std::string, std::string>> ParseLokiLabel(std::string_view text);

// bulwark's labels for `alert` merged with `extra` (which never overrides
// bulwark's own), sorted by name.
LokiLabels AlertLokiLabels(const Alert& alert, const LokiLabels& extra);

LokiEntry MakeLokiEntry(const Alert& alert, const LokiLabels& extra);

// The exact number of bytes `entry` adds to a push body (its value pair),
// and what a new stream with these labels adds; used to bound batches.
size_t LokiEntryBytes(const LokiEntry& entry);
size_t LokiStreamBytes(const LokiLabels& labels);

// One push body for `entries`, grouped by label set, values in time order
// per stream. Always valid JSON.
std::string BuildLokiPushBody(std::vector<LokiEntry> entries);

// Entries in a push body (for metrics of spooled batches); 0 when the body
// is not a push body.
uint64_t CountLokiEntries(std::string_view body);

}  // namespace bulwark::runtime::output
