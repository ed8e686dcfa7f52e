// `bulwark db status` for people: what is in the DB and how old it is.
#include <algorithm>
#include <cstdio>

#include "core/escape.hpp"
#include "vuln/db_import.hpp"

namespace bulwark::vuln {

std::string FormatAge(double hours) {
  auto plural = [](long n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (hours < 1) return plural(static_cast<long>(hours * 60), "minute");
  if (hours < 48) return plural(static_cast<long>(hours), "hour");
  return plural(static_cast<long>(hours / 24), "day");
}

std::string FormatDbStatus(const DbStatus& status) {
  // Source names and origins come from the imported data: escape them.
  using core::EscapeTerminal;
  std::string out = "Vulnerability DB: " + EscapeTerminal(status.path.string()) + " (schema " +
                    std::to_string(status.schema_version) + ")\n";
  if (status.sources.empty()) return out + "Empty: run bulwark db update, or bulwark db import FILES.\n";
  out += "Advisories: " + std::to_string(status.advisories) + " (" + std::to_string(status.affected_rows) +
         " affected-package entries)\n";
  out += "Built: " + status.built_at + "\n";
  out += "Updated: " + status.updated_at + " (" + FormatAge(status.age_hours) + " ago)\n";
  out += "Sources:\n";
  size_t width = 0;
  for (const SourceStatus& source : status.sources) width = std::max(width, source.source.size());
  for (const SourceStatus& source : status.sources) {
    char count[32];
    std::snprintf(count, sizeof count, "%8lld", static_cast<long long>(source.advisories));
    out += "  " + EscapeTerminal(source.source) + std::string(width - source.source.size(), ' ') + count +
           "  " + EscapeTerminal(source.imported_at) + "  " + EscapeTerminal(source.origin) + "\n";
  }
  return out;
}

}  // namespace bulwark::vuln
