// A durable, bounded, ordered queue of alerts on disk: where a network sink
// (webhook) puts what it could not deliver, and where a restarted bulwark
// finds what is still to be sent.
//
// Layout (one directory, mode 0700, owned by one process at a time through
// an flock on DIR/lock):
//   seg-<20-digit sequence>.log  append-only segments of records, oldest
//                                first (encoding in spool_record.hpp)
//   cursor                       where the next unsent record starts
// Records are appended to the newest segment; a new segment starts when the
// current one would exceed `segment_bytes`. A segment whose records were all
// sent is deleted.
//
// Bound: the segments' total size stays within `max_bytes`. When an append
// would exceed it, whole oldest segments are deleted first and their unsent
// records counted in `dropped` (the newest alerts are kept: they matter most
// during an incident).
//
// Crash safety: a record is one write(2) of a whole line with a checksum.
// On Open a torn last line (no newline) is cut off the newest segment, and
// lines with a bad checksum anywhere are skipped (counted in `corrupt`). The
// cursor is written in two alternating checksummed slots, so delivery is
// at-least-once: after a crash an alert may be sent twice, never skipped.
// Durability against power loss follows FsyncPolicy:
//   kNever    never fsync: survives a crash of bulwark, not of the machine;
//   kInterval (default) fdatasync the segment and cursor at most once per
//             `fsync_interval_ms`, checked on Append and PopFront, and on
//             Sync/close: a power loss loses at most that much;
//   kAlways   fdatasync after every append and cursor update.
// A new segment's directory entry is fsynced unless kNever.
//
// Thread-compatible: one owner (DeliveryQueue guards it with its mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "runtime/output/clock.hpp"
#include "runtime/output/fd.hpp"
#include "runtime/output/spool_record.hpp"

namespace bulwark::runtime::output {

enum class FsyncPolicy { kNever, kInterval, kAlways };

struct SpoolOptions {
  std::filesystem::path dir;
  uint64_t max_bytes = 64ULL << 20;
  // 0: max_bytes / 8, clamped to [4 KiB, 8 MiB].
  uint64_t segment_bytes = 0;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  uint64_t fsync_interval_ms = 1000;
  // Longer payloads are refused (kTooLarge).
  size_t max_record_bytes = 1 << 20;
};

struct SpoolStats {
  uint64_t records = 0;   // unsent records
  uint64_t bytes = 0;     // size of all segment files
  uint64_t segments = 0;
  uint64_t dropped = 0;   // unsent records deleted to stay within max_bytes
  uint64_t corrupt = 0;   // torn or bad-checksum lines skipped since Open
};

class Spool {
 public:
  static core::Result<std::unique_ptr<Spool>> Open(SpoolOptions options,
                                                   const Clock& clock = DefaultClock());
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends one payload (a single line: no '\n').
  core::Status Append(std::string_view payload);
  bool empty() const { return records_ == 0; }
  // The oldest unsent payload; nullopt when the spool is empty.
  core::Result<std::optional<std::string>> Front();
  // Where the record Front returned starts (valid after Front found one);
  // two fronts at the same position are the same record.
  SpoolCursor FrontPosition() const { return SpoolCursor{0, cursor_.segment, cursor_.offset}; }
  // Marks the record Front returned as sent.
  core::Status PopFront();
  // fdatasync of the current segment and the cursor (unless kNever).
  core::Status Sync();
  SpoolStats Stats() const;

 private:
  struct Segment {
    uint64_t seq = 0;
    uint64_t size = 0;
    uint64_t records = 0;  // valid records in the file
  };

  Spool(SpoolOptions options, const Clock& clock);
  core::Status Load();
  core::Status ScanSegment(Segment& segment, bool is_last, uint64_t cursor_offset,
                           uint64_t* consumed, uint64_t* snapped_cursor);
  std::filesystem::path SegmentPath(uint64_t seq) const;
  core::Status StartSegment(uint64_t seq);
  core::Status DropFrontSegment(bool count_dropped);
  core::Status DropConsumedSegments();
  core::Status MakeRoom(uint64_t record_bytes);
  core::Status WriteCursor();
  core::Status MaybeSync(bool force);
  core::Result<bool> ReadFrontRecord();

  SpoolOptions options_;
  const Clock& clock_;
  UniqueFd lock_fd_, cursor_fd_, append_fd_, read_fd_;
  uint64_t read_seq_ = 0;
  std::deque<Segment> segments_;  // oldest first; back() is appended to
  SpoolCursor cursor_;            // segment == segments_.front().seq
  uint64_t front_consumed_ = 0;   // valid records before cursor_.offset
  std::optional<std::string> front_;
  uint64_t front_end_ = 0;        // offset just past front_'s line
  uint64_t records_ = 0, bytes_ = 0, dropped_ = 0, corrupt_ = 0;
  uint64_t last_sync_ns_ = 0;
  bool dirty_ = false;
  bool roll_next_ = false;  // the current segment may end in a torn record
};

}  // namespace bulwark::runtime::output
