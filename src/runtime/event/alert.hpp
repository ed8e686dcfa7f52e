// An alert: what a rule that matched an event produced, in the shape of
// Falco's JSON output (CLI.md): time, rule, priority, output,
// output_fields, tags, source, hostname. The rule engine makes them; outputs
// (src/runtime/output) write, send, spool and count them. Value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::runtime {

// Falco's priorities, most severe first (the numeric order is Falco's).
enum class Priority : uint8_t {
  kEmergency = 0, kAlert, kCritical, kError, kWarning, kNotice, kInformational, kDebug,
};

// "Emergency", ..., "Informational", "Debug": the spelling of Falco's JSON.
std::string_view PriorityName(Priority priority);
// Case-insensitive; accepts "info" for kInformational as Falco does.
std::optional<Priority> ParsePriority(std::string_view word);

struct Alert {
  uint64_t time_ns = 0;  // the event's time
  std::string rule;
  Priority priority = Priority::kWarning;
  std::string output;    // the formatted output line (without Falco's time prefix)
  // Field name as written in the output ("proc.aname[2]") -> value; nullopt
  // when the field could not be read (JSON null, "<NA>" in text).
  std::vector<std::pair<std::string, std::optional<std::string>>> output_fields;
  std::vector<std::string> tags;
  std::string source = "syscall";
  std::string hostname;
};

}  // namespace bulwark::runtime
