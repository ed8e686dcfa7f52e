#include "web/alert_parse.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace bulwark::web {
namespace {

using nlohmann::json;

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view text, size_t at, size_t n, unsigned& out) {
  if (at + n > text.size()) return false;
  auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
  return ec == std::errc() && ptr == text.data() + at + n;
}

std::string StringOf(const json& doc, const char* key, std::string fallback = "") {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : fallback;
}

void ReadFields(const json& doc, runtime::Alert& alert) {
  auto fields = doc.find("output_fields");
  if (fields == doc.end() || !fields->is_object()) return;
  for (const auto& [name, value] : fields->items()) {
    if (value.is_null()) {
      alert.output_fields.emplace_back(name, std::nullopt);
    } else if (value.is_string()) {
      alert.output_fields.emplace_back(name, value.get<std::string>());
    } else if (value.is_primitive()) {
      alert.output_fields.emplace_back(name, value.dump());
    }
  }
}

}  // namespace

std::optional<uint64_t> ParseAlertTime(std::string_view t) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':' || !Digits(t, 0, 4, year) || !Digits(t, 5, 2, month) ||
      !Digits(t, 8, 2, day) || !Digits(t, 11, 2, hour) || !Digits(t, 14, 2, minute) ||
      !Digits(t, 17, 2, second) || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60 || year < 1970) {
    return std::nullopt;
  }
  uint64_t nanos = 0;
  size_t at = 19;
  if (t[at] == '.') {
    uint64_t scale = 100'000'000;
    for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9'; ++at, scale /= 10) {
      nanos += static_cast<uint64_t>(t[at] - '0') * scale;
    }
  }
  if (at + 1 != t.size() || (t[at] != 'Z' && t[at] != 'z')) return std::nullopt;
  const int64_t days = DaysFromCivil(year, month, day);
  const uint64_t secs = static_cast<uint64_t>(days) * 86400 + hour * 3600 + minute * 60 + second;
  return secs * 1'000'000'000ull + nanos;
}

core::Result<runtime::Alert> ParseAlertLine(std::string_view line) {
  if (line.size() > kMaxAlertLineBytes) {
    return core::Error(core::ErrorCode::kTooLarge, "alert line over 1 MiB");
  }
  json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return core::Error(core::ErrorCode::kParseError, "not a JSON object");
  runtime::Alert alert;
  alert.rule = StringOf(doc, "rule");
  if (alert.rule.empty()) return core::Error(core::ErrorCode::kParseError, "no \"rule\"");
  alert.priority =
      runtime::ParsePriority(StringOf(doc, "priority")).value_or(runtime::Priority::kWarning);
  alert.output = StringOf(doc, "output");
  alert.time_ns = ParseAlertTime(StringOf(doc, "time")).value_or(0);
  alert.source = StringOf(doc, "source", "syscall");
  alert.hostname = StringOf(doc, "hostname");
  ReadFields(doc, alert);
  if (auto tags = doc.find("tags"); tags != doc.end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string()) alert.tags.push_back(tag.get<std::string>());
    }
  }
  return alert;
}

}  // namespace bulwark::web
