// Printable strings of a file and the indicators of compromise in them:
// URLs, stratum URLs, IPv4 addresses (with ports), domains (only with a
// known TLD), Monero-wallet-like strings, file paths (persistence and
// sensitive paths tagged), shell commands and miner words. Conservative
// on purpose: a near miss is not reported. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "respond/triage_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMinStringLength = 6;
inline constexpr size_t kMaxStrings = 100000;
inline constexpr size_t kMaxStringLength = 4096;  // longer runs are cut
inline constexpr size_t kMaxIocs = 2000;

struct PrintableString {
  uint64_t offset = 0;
  std::string text;
};

// Runs of printable ASCII (and tab) of at least kMinStringLength bytes.
std::vector<PrintableString> ExtractStrings(std::span<const uint8_t> data, StringsSummary& summary);

// Indicators in one string; appended to `out`, deduplicated by the caller.
void FindIndicators(std::string_view text, uint64_t offset, std::vector<Ioc>& out);

// All indicators of all strings, deduplicated by (kind, value), bounded by kMaxIocs.
std::vector<Ioc> ExtractIndicators(const std::vector<PrintableString>& strings);

}  // namespace bulwark::respond
