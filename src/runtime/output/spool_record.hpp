// The on-disk encoding of the alert spool (spool.hpp), kept apart so that it
// is tested and fuzzed without a file system.
//
// A segment file is a sequence of lines, one record each:
//     <crc32 of payload, 8 lower-case hex digits> <payload>\n
// The payload is one alert as a JSON line (it never holds a newline). A line
// without its newline (a write torn by a crash) or whose checksum does not
// match (blocks zero-filled after a power loss) is not a record.
//
// The cursor file holds two fixed-size slots written alternately; each says
// which segment and byte offset the next unsent record starts at, with a
// generation number and a checksum, so a torn write of one slot leaves the
// other one valid.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::runtime::output {

uint32_t Crc32(std::string_view data);

// "<crc> <payload>\n". The payload must not contain '\n' (callers check).
std::string EncodeSpoolRecord(std::string_view payload);
// The payload of one line (without its '\n'), or nullopt when the line is
// not a valid record.
std::optional<std::string_view> DecodeSpoolRecord(std::string_view line);

// Bytes EncodeSpoolRecord adds around a payload.
inline constexpr size_t kSpoolRecordOverhead = 10;

struct SpoolLine {
  size_t offset = 0;  // where the line starts in the buffer
  size_t length = 0;  // without the '\n'
  bool valid = false; // a record with a matching checksum
};

// Splits `data` into complete lines; `complete_end` receives the offset just
// past the last '\n' (bytes after it are a torn tail).
std::vector<SpoolLine> SplitSpoolLines(std::string_view data, size_t* complete_end);

struct SpoolCursor {
  uint64_t generation = 0;
  uint64_t segment = 0;
  uint64_t offset = 0;
};

inline constexpr size_t kCursorSlotBytes = 128;

// One slot of exactly kCursorSlotBytes, ending in '\n'.
std::string EncodeCursorSlot(const SpoolCursor& cursor);
std::optional<SpoolCursor> DecodeCursorSlot(std::string_view slot);
// The newest valid slot of a cursor file's content, if any.
std::optional<SpoolCursor> DecodeCursorFile(std::string_view content);

}  // namespace bulwark::runtime::output
