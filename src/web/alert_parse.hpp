// Reading an alert back from one line of `bulwark watch -o FILE` (Falco's
// JSON alert shape, CLI.md), for `bulwark serve --alerts FILE`.
//
// The line is untrusted (a monitored process chose much of it): any bytes in,
// an alert or an error out, never a crash. Numbers and booleans in
// output_fields become their JSON text; nested values are dropped. Missing
// keys get defaults (priority Warning, source "syscall"); an object without
// "rule" is an error. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.hpp"
#include "runtime/event/alert.hpp"

namespace bulwark::web {

inline constexpr size_t kMaxAlertLineBytes = 1u << 20;

core::Result<runtime::Alert> ParseAlertLine(std::string_view line);

// RFC 3339 in UTC ("2026-11-23T10:00:00.123456789Z", fraction optional) to
// nanoseconds since the epoch; nullopt when it is not that shape.
std::optional<uint64_t> ParseAlertTime(std::string_view text);

}  // namespace bulwark::web
