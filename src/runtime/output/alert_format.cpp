#include "runtime/output/alert_format.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/escape.hpp"

namespace bulwark::runtime::output {
namespace {

struct CivilDate {
  int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a proleptic Gregorian date (the well-known
// era-based conversion: 400-year eras of 146097 days).
CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

}  // namespace

std::string FormatAlertTime(uint64_t time_ns) {
  constexpr uint64_t kNsPerSec = 1000000000ULL;
  constexpr uint64_t kSecPerDay = 86400;
  const uint64_t secs = time_ns / kNsPerSec;
  const uint64_t nanos = time_ns % kNsPerSec;
  const CivilDate date = CivilFromDays(static_cast<int64_t>(secs / kSecPerDay));
  const uint64_t sod = secs % kSecPerDay;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%09lluZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<unsigned>(sod / 3600), static_cast<unsigned>(sod / 60 % 60),
                static_cast<unsigned>(sod % 60), static_cast<unsigned long long>(nanos));
  return buf;
}

std::string FormatAlertJson(const Alert& alert) {
  using nlohmann::json;
  json fields = json::object();
  for (const auto& [name, value] : alert.output_fields) {
    fields[name] = value ? json(*value) : json(nullptr);
  }
  json tags = json::array();
  for (const std::string& tag : alert.tags) tags.push_back(tag);
  json doc = {
      {"hostname", alert.hostname},
      {"output", alert.output},
      {"output_fields", std::move(fields)},
      {"priority", std::string(PriorityName(alert.priority))},
      {"rule", alert.rule},
      {"source", alert.source},
      {"tags", std::move(tags)},
      {"time", FormatAlertTime(alert.time_ns)},
  };
  // `replace` turns invalid UTF-8 into U+FFFD instead of throwing; control
  // characters are always escaped by the serializer.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string FormatAlertText(const Alert& alert) {
  std::string line = FormatAlertTime(alert.time_ns);
  line += ": ";
  line += PriorityName(alert.priority);
  line += ' ';
  line += core::EscapeTerminal(alert.output);
  return line;
}

std::string FormatAlert(const Alert& alert, AlertFormat format) {
  return format == AlertFormat::kJson ? FormatAlertJson(alert) : FormatAlertText(alert);
}

}  // namespace bulwark::runtime::output
