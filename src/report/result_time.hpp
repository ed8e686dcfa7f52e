// UTC timestamps for the results directory: ISO 8601 as saved in results
// and reported ("2026-11-23T10:00:00Z"), and the compact form in file names
// ("20261123T100000Z"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::report {

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]"
// (a space instead of 'T' is accepted; no zone means UTC). nullopt for
// anything else, including out-of-range fields.
std::optional<int64_t> ParseIsoTime(std::string_view text);

// "2026-11-23T10:00:00Z".
std::string FormatIsoTime(int64_t seconds);

// "20261123T100000Z".
std::string FileStamp(int64_t seconds);

int64_t NowUtcSeconds();

}  // namespace bulwark::report
