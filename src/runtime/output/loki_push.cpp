#include "runtime/output/loki_push.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/escape.hpp"
#include "runtime/output/alert_format.hpp"

namespace bulwark::runtime::output {
namespace {

constexpr std::string_view kOwnLabels[] = {"container", "host", "priority", "rule", "source"};

bool IsOwnLabel(std::string_view name) {
  return std::find(std::begin(kOwnLabels), std::end(kOwnLabels), name) != std::end(kOwnLabels);
}

// Bytes a string takes once written as a JSON string by nlohmann (quotes
// included). Input is valid UTF-8; control characters take their escapes.
size_t JsonStringBytes(std::string_view text) {
  size_t bytes = 2 + text.size();
  for (unsigned char c : text) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      bytes += 1;
    } else if (c < 0x20) {
      bytes += 5;  // \u00XX
    }
  }
  return bytes;
}

std::string ContainerLabel(const Alert& alert) {
  for (const auto& [name, value] : alert.output_fields) {
    if (name == "container.name" && value && !value->empty()) return *value;
  }
  return "host";
}

}  // namespace

bool IsValidLokiLabelName(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

std::string SanitizeLokiLabelValue(std::string_view value) {
  std::string clean = core::SanitizeUtf8(value);
  for (char& c : clean) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  if (clean.size() > kMaxLokiLabelValue) {
    size_t cut = kMaxLokiLabelValue;
    // Back off to the start of a character (never inside a UTF-8 sequence).
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
    clean.resize(cut);
  }
  return clean;
}

core::Result<std::pair<std::string, std::string>> ParseLokiLabel(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return core::Error(core::ErrorCode::kInvalidArgument, "a Loki label is name=value");
  }
  std::string name(text.substr(0, eq));
  if (!IsValidLokiLabelName(name)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "a Loki label name is [a-zA-Z_][a-zA-Z0-9_]* and does not start with __: " +
                           core::SanitizeUtf8(name));
  }
  if (IsOwnLabel(name)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "the Loki label '" + name + "' is bulwark's own");
  }
  return std::make_pair(name, SanitizeLokiLabelValue(text.substr(eq + 1)));
}

LokiLabels AlertLokiLabels(const Alert& alert, const LokiLabels& extra) {
  LokiLabels labels = {
      {"container", SanitizeLokiLabelValue(ContainerLabel(alert))},
      {"host", alert.hostname.empty() ? "unknown" : SanitizeLokiLabelValue(alert.hostname)},
      {"priority", std::string(PriorityName(alert.priority))},
      {"rule", SanitizeLokiLabelValue(alert.rule)},
      {"source", "bulwark"},
  };
  for (const auto& [name, value] : extra) {
    if (IsValidLokiLabelName(name) && !IsOwnLabel(name)) {
      labels.emplace_back(name, SanitizeLokiLabelValue(value));
    }
  }
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               labels.end());
  return labels;
}

LokiEntry MakeLokiEntry(const Alert& alert, const LokiLabels& extra) {
  return LokiEntry{AlertLokiLabels(alert, extra), alert.time_ns, FormatAlertJson(alert)};
}

size_t LokiEntryBytes(const LokiEntry& entry) {
  // ["<up to 20 digits>","<line>"] and a comma.
  return 2 + 22 + 1 + JsonStringBytes(entry.line) + 1;
}

size_t LokiStreamBytes(const LokiLabels& labels) {
  size_t bytes = sizeof(R"({"stream":{},"values":[]},)");
  for (const auto& [name, value] : labels) bytes += JsonStringBytes(name) + JsonStringBytes(value) + 2;
  return bytes;
}

std::string BuildLokiPushBody(std::vector<LokiEntry> entries) {
  using nlohmann::json;
  std::map<LokiLabels, std::vector<LokiEntry*>> streams;
  for (LokiEntry& entry : entries) streams[entry.labels].push_back(&entry);
  json out = json::array();
  for (auto& [labels, members] : streams) {
    std::stable_sort(members.begin(), members.end(),
                     [](const LokiEntry* a, const LokiEntry* b) { return a->time_ns < b->time_ns; });
    json stream = json::object();
    for (const auto& [name, value] : labels) stream[name] = value;
    json values = json::array();
    for (const LokiEntry* entry : members) {
      values.push_back(json::array({std::to_string(entry->time_ns), entry->line}));
    }
    out.push_back(json{{"stream", std::move(stream)}, {"values", std::move(values)}});
  }
  json body = {{"streams", std::move(out)}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

uint64_t CountLokiEntries(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("streams") || !doc["streams"].is_array()) return 0;
  uint64_t count = 0;
  for (const auto& stream : doc["streams"]) {
    if (stream.is_object() && stream.contains("values") && stream["values"].is_array()) {
      count += stream["values"].size();
    }
  }
  return count;
}

}  // namespace bulwark::runtime::output
