// The two shapes an alert is written in: one JSON object per line in
// Falco's alert shape (what falcosidekick and Falco users' tooling read),
// and Falco's plain text line "<time>: <Priority> <output>" for a terminal.
//
// Everything in an alert may come from a monitored process (command lines,
// file names, container labels), so both formatters are total: any bytes in,
// one well-formed line out. JSON is always valid UTF-8 (invalid sequences
// become U+FFFD, control characters are \u-escaped); text has invalid UTF-8
// replaced and control characters shown as \xNN so no escape sequence reaches
// a terminal. Neither output contains a newline; callers add one.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/event/alert.hpp"

namespace bulwark::runtime::output {

enum class AlertFormat { kJson, kText };

// RFC 3339 in UTC with nanoseconds, as Falco writes "time":
// 2026-11-23T10:00:00.123456789Z.
std::string FormatAlertTime(uint64_t time_ns);

// {"hostname","output","output_fields":{...},"priority","rule","source",
//  "tags":[...],"time"} with keys in that (sorted) order, as Falco's output.
// Fields whose value is missing are null. No trailing newline.
std::string FormatAlertJson(const Alert& alert);

// "<time>: <Priority> <output>", terminal-safe. No trailing newline.
std::string FormatAlertText(const Alert& alert);

std::string FormatAlert(const Alert& alert, AlertFormat format);

}  // namespace bulwark::runtime::output
