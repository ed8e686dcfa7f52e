// Parser of /proc/PID/maps and its summary for triage: which files are
// mapped executable, and the regions that should not be (anonymous or
// memfd executable memory, writable+executable memory). Takes the text so
// tests feed crafted lines; bounded (kMaxMapLines) and tolerant: a line
// that does not parse is counted, never trusted. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "respond/live_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxMapLines = 65536;
inline constexpr size_t kMaxListedRegions = 64;  // per list of the summary

struct MapRegion {
  uint64_t start = 0;
  uint64_t end = 0;
  std::string perms;  // "r-xp"
  uint64_t offset = 0;
  uint64_t inode = 0;
  std::string path;   // empty for anonymous memory
};

struct ParsedMaps {
  std::vector<MapRegion> regions;
  size_t malformed = 0;
  bool truncated = false;
};

// "start-end perms offset dev inode [path]" per line.
ParsedMaps ParseMaps(std::string_view text);

MapsSummary SummariseMaps(const ParsedMaps& maps);

}  // namespace bulwark::respond
