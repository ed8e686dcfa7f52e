#include "runtime/output/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/output/spool_io.hpp"

namespace bulwark::runtime::output {
namespace {

constexpr uint64_t kMinSegment = 4 * 1024;
constexpr uint64_t kMaxDefaultSegment = 8ULL << 20;

core::Status Fdatasync(int fd, std::string_view what) {
  if (fd >= 0 && ::fdatasync(fd) != 0) return ErrnoStatus(what, errno);
  return core::Status::Ok();
}

}  // namespace

Spool::Spool(SpoolOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

Spool::~Spool() { (void)Sync(); }

core::Result<std::unique_ptr<Spool>> Spool::Open(SpoolOptions options, const Clock& clock) {
  if (options.dir.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument, "spool: no directory given");
  }
  if (options.max_bytes < 2 * kSpoolRecordOverhead + 2) {
    return core::Error(core::ErrorCode::kInvalidArgument, "spool: max_bytes is too small");
  }
  if (options.segment_bytes == 0) {
    options.segment_bytes = std::clamp(options.max_bytes / 8, kMinSegment, kMaxDefaultSegment);
  }
  options.segment_bytes = std::min(options.segment_bytes, options.max_bytes);
  std::unique_ptr<Spool> spool(new Spool(std::move(options), clock));
  RETURN_IF_ERROR(spool->Load());
  return spool;
}

std::filesystem::path Spool::SegmentPath(uint64_t seq) const {
  return options_.dir / SpoolSegmentName(seq);
}

core::Status Spool::Load() {
  const std::filesystem::path& dir = options_.dir;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoStatus("cannot create spool directory " + dir.string(), errno);
  }
  struct stat st = {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "spool path " + dir.string() + " is not a directory");
  }
  lock_fd_.Reset(::open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock_fd_.valid()) return ErrnoStatus("cannot open " + (dir / "lock").string(), errno);
  if (::flock(lock_fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "spool directory " + dir.string() + " is in use by another process");
  }
  cursor_fd_.Reset(::open((dir / "cursor").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!cursor_fd_.valid()) return ErrnoStatus("cannot open " + (dir / "cursor").string(), errno);
  ASSIGN_OR_RETURN(std::string cursor_text, ReadPrefix(cursor_fd_.get(), 2 * kCursorSlotBytes));
  std::optional<SpoolCursor> saved = DecodeCursorFile(cursor_text);

  ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, ListSpoolSegments(dir));
  uint64_t next_seq = saved ? saved->segment : 1;
  for (uint64_t seq : seqs) {
    next_seq = std::max(next_seq, seq + 1);
    if (saved && seq < saved->segment) {
      ::unlink(SegmentPath(seq).c_str());  // every record in it was sent
    } else {
      segments_.push_back(Segment{seq, 0, 0});
    }
  }
  if (segments_.empty()) {
    RETURN_IF_ERROR(StartSegment(std::max<uint64_t>(next_seq, 1)));
  }
  cursor_.generation = saved ? saved->generation : 0;
  cursor_.segment = segments_.front().seq;
  cursor_.offset = saved && saved->segment == cursor_.segment ? saved->offset : 0;
  for (size_t i = 0; i < segments_.size(); ++i) {
    uint64_t consumed = 0, snapped = 0;
    RETURN_IF_ERROR(ScanSegment(segments_[i], i + 1 == segments_.size(),
                                i == 0 ? cursor_.offset : 0, &consumed, &snapped));
    if (i == 0) {
      front_consumed_ = consumed;
      cursor_.offset = snapped;
    }
    records_ += segments_[i].records - consumed;
    bytes_ += segments_[i].size;
  }
  if (!append_fd_.valid()) {
    append_fd_.Reset(::open(SegmentPath(segments_.back().seq).c_str(),
                            O_WRONLY | O_APPEND | O_CLOEXEC));
    if (!append_fd_.valid()) return ErrnoStatus("cannot open spool segment", errno);
  }
  last_sync_ns_ = clock_.MonotonicNs();
  RETURN_IF_ERROR(DropConsumedSegments());
  return WriteCursor();
}

core::Status Spool::ScanSegment(Segment& segment, bool is_last, uint64_t cursor_offset,
                                uint64_t* consumed, uint64_t* snapped_cursor) {
  std::filesystem::path path = SegmentPath(segment.seq);
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("cannot open spool segment " + path.string(), errno);
  struct stat st = {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoStatus("fstat " + path.string(), errno);
  // A segment never legitimately exceeds the whole bound; what lies beyond
  // is not read (and not trusted).
  uint64_t limit = options_.max_bytes + options_.max_record_bytes + kSpoolRecordOverhead;
  ASSIGN_OR_RETURN(std::string data, ReadPrefix(fd.get(), limit));
  size_t complete_end = 0;
  std::vector<SpoolLine> lines = SplitSpoolLines(data, &complete_end);
  segment.size = static_cast<uint64_t>(st.st_size);
  segment.records = 0;
  *consumed = 0;
  *snapped_cursor = 0;
  for (const SpoolLine& line : lines) {
    uint64_t end = line.offset + line.length + 1;
    bool before_cursor = end <= cursor_offset;
    if (before_cursor) *snapped_cursor = end;
    if (!line.valid) {
      if (!before_cursor) ++corrupt_;
      continue;
    }
    ++segment.records;
    if (before_cursor) ++*consumed;
  }
  if (complete_end < segment.size) {
    ++corrupt_;  // a torn last line
    if (is_last) {
      // Cut it off so that the next append starts on a line boundary.
      if (::ftruncate(fd.get(), static_cast<off_t>(complete_end)) != 0) {
        return ErrnoStatus("cannot truncate torn spool segment " + path.string(), errno);
      }
      segment.size = complete_end;
    }
  }
  return core::Status::Ok();
}

core::Status Spool::StartSegment(uint64_t seq) {
  std::filesystem::path path = SegmentPath(seq);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("cannot create spool segment " + path.string(), errno);
  if (options_.fsync != FsyncPolicy::kNever) {
    RETURN_IF_ERROR(Fdatasync(append_fd_.get(), "spool fdatasync"));
    RETURN_IF_ERROR(FsyncDirectory(options_.dir));
  }
  append_fd_ = std::move(fd);
  segments_.push_back(Segment{seq, 0, 0});
  return core::Status::Ok();
}

core::Status Spool::DropFrontSegment(bool count_dropped) {
  const Segment front = segments_.front();
  uint64_t unsent = front.records >= front_consumed_ ? front.records - front_consumed_ : 0;
  unsent = std::min(unsent, records_);
  records_ -= unsent;
  if (count_dropped) dropped_ += unsent;
  bytes_ -= std::min(bytes_, front.size);
  segments_.pop_front();
  front_.reset();
  read_fd_.Reset();
  cursor_.segment = segments_.front().seq;
  cursor_.offset = 0;
  front_consumed_ = 0;
  // The cursor moves first: a crash in between leaves a cursor that points
  // past a segment still on disk, which Load deletes as sent.
  RETURN_IF_ERROR(WriteCursor());
  if (::unlink(SegmentPath(front.seq).c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("cannot delete spool segment", errno);
  }
  return core::Status::Ok();
}

core::Status Spool::DropConsumedSegments() {
  while (segments_.size() > 1 && cursor_.offset >= segments_.front().size) {
    RETURN_IF_ERROR(DropFrontSegment(false));
  }
  return core::Status::Ok();
}

core::Status Spool::MakeRoom(uint64_t record_bytes) {
  if (record_bytes > options_.max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge, "spool: record larger than the spool");
  }
  const Segment& back = segments_.back();
  if (roll_next_ || (back.size > 0 && back.size + record_bytes > options_.segment_bytes)) {
    RETURN_IF_ERROR(StartSegment(back.seq + 1));
    roll_next_ = false;
    RETURN_IF_ERROR(DropConsumedSegments());
  }
  while (bytes_ + record_bytes > options_.max_bytes && segments_.size() > 1) {
    RETURN_IF_ERROR(DropFrontSegment(true));
  }
  if (bytes_ + record_bytes > options_.max_bytes) {
    return core::Error(core::ErrorCode::kInternal, "spool: cannot make room");
  }
  return core::Status::Ok();
}

core::Status Spool::Append(std::string_view payload) {
  if (payload.find('\n') != std::string_view::npos) {
    return core::Error(core::ErrorCode::kInvalidArgument, "spool: a record holds a newline");
  }
  if (payload.size() > options_.max_record_bytes) {
    return core::Error(core::ErrorCode::kTooLarge, "spool: record exceeds max_record_bytes");
  }
  std::string record = EncodeSpoolRecord(payload);
  RETURN_IF_ERROR(MakeRoom(record.size()));
  Segment& back = segments_.back();
  core::Status written = WriteAll(append_fd_.get(), record, "spool append");
  if (!written.ok()) {
    // Never leave half a record for the next one to be glued to.
    // If even that fails, the next record starts a new segment.
    if (::ftruncate(append_fd_.get(), static_cast<off_t>(back.size)) != 0) roll_next_ = true;
    return written;
  }
  back.size += record.size();
  ++back.records;
  ++records_;
  bytes_ += record.size();
  dirty_ = true;
  return MaybeSync(options_.fsync == FsyncPolicy::kAlways);
}

core::Result<bool> Spool::ReadFrontRecord() {
  std::string line;
  while (records_ > 0) {
    const Segment& seg = segments_.front();
    if (cursor_.offset >= seg.size) {
      if (segments_.size() == 1) {
        records_ = 0;  // counted records that are not there: trust the file
        break;
      }
      RETURN_IF_ERROR(DropFrontSegment(false));
      continue;
    }
    if (!read_fd_.valid() || read_seq_ != seg.seq) {
      read_fd_.Reset(::open(SegmentPath(seg.seq).c_str(), O_RDONLY | O_CLOEXEC));
      if (!read_fd_.valid()) return ErrnoStatus("cannot open spool segment", errno);
      read_seq_ = seg.seq;
    }
    uint64_t next = 0;
    ASSIGN_OR_RETURN(LineRead kind,
                     ReadLineAt(read_fd_.get(), cursor_.offset,
                                options_.max_record_bytes + kSpoolRecordOverhead, &line, &next));
    if (kind == LineRead::kEof) {
      cursor_.offset = seg.size;  // a torn tail of an older segment
      continue;
    }
    std::optional<std::string_view> payload;
    if (kind == LineRead::kLine) payload = DecodeSpoolRecord(line);
    if (!payload) {
      cursor_.offset = next;  // skipped: counted when the segment was scanned
      continue;
    }
    front_ = std::string(*payload);
    front_end_ = next;
    return true;
  }
  return false;
}

core::Result<std::optional<std::string>> Spool::Front() {
  if (!front_) {
    ASSIGN_OR_RETURN(bool found, ReadFrontRecord());
    if (!found) return std::optional<std::string>();
  }
  return front_;
}

core::Status Spool::PopFront() {
  if (!front_) {
    ASSIGN_OR_RETURN(bool found, ReadFrontRecord());
    if (!found) return core::Error(core::ErrorCode::kInvalidArgument, "spool: nothing to pop");
  }
  cursor_.offset = front_end_;
  ++front_consumed_;
  --records_;
  front_.reset();
  RETURN_IF_ERROR(DropConsumedSegments());
  if (records_ == 0 && segments_.size() == 1 && segments_.front().size > 0) {
    // Everything was sent: give the space back and start the segment over.
    Segment& only = segments_.front();
    if (::ftruncate(append_fd_.get(), 0) != 0) return ErrnoStatus("spool truncate", errno);
    bytes_ -= std::min(bytes_, only.size);
    only.size = 0;
    only.records = 0;
    cursor_.offset = 0;
    front_consumed_ = 0;
  }
  RETURN_IF_ERROR(WriteCursor());
  return MaybeSync(options_.fsync == FsyncPolicy::kAlways);
}

core::Status Spool::WriteCursor() {
  ++cursor_.generation;
  std::string slot = EncodeCursorSlot(cursor_);
  off_t at = static_cast<off_t>((cursor_.generation % 2) * kCursorSlotBytes);
  ssize_t n = ::pwrite(cursor_fd_.get(), slot.data(), slot.size(), at);
  if (n != static_cast<ssize_t>(slot.size())) return ErrnoStatus("spool cursor write", errno);
  dirty_ = true;
  return core::Status::Ok();
}

core::Status Spool::MaybeSync(bool force) {
  if (options_.fsync == FsyncPolicy::kNever || !dirty_) return core::Status::Ok();
  uint64_t now = clock_.MonotonicNs();
  if (!force && now - last_sync_ns_ < options_.fsync_interval_ms * 1000000ULL) {
    return core::Status::Ok();
  }
  RETURN_IF_ERROR(Fdatasync(append_fd_.get(), "spool fdatasync"));
  RETURN_IF_ERROR(Fdatasync(cursor_fd_.get(), "spool cursor fdatasync"));
  last_sync_ns_ = now;
  dirty_ = false;
  return core::Status::Ok();
}

core::Status Spool::Sync() { return MaybeSync(true); }

SpoolStats Spool::Stats() const {
  return SpoolStats{records_, bytes_, segments_.size(), dropped_, corrupt_};
}

}  // namespace bulwark::runtime::output
