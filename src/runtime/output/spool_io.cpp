#include "runtime/output/spool_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

#include "runtime/output/fd.hpp"

namespace bulwark::runtime::output {
namespace {

constexpr std::string_view kPrefix = "seg-";
constexpr std::string_view kSuffix = ".log";
constexpr size_t kDigits = 20;
constexpr size_t kChunk = 64 * 1024;

}  // namespace

std::string SpoolSegmentName(uint64_t seq) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "seg-%020llu.log", static_cast<unsigned long long>(seq));
  return buf;
}

core::Result<std::vector<uint64_t>> ListSpoolSegments(const std::filesystem::path& dir) {
  std::vector<uint64_t> seqs;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() != kPrefix.size() + kDigits + kSuffix.size() ||
        name.compare(0, kPrefix.size(), kPrefix) != 0 ||
        name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      continue;
    }
    const char* digits = name.data() + kPrefix.size();
    uint64_t seq = 0;
    auto [ptr, perr] = std::from_chars(digits, digits + kDigits, seq);
    if (perr != std::errc() || ptr != digits + kDigits) continue;
    seqs.push_back(seq);
  }
  if (ec) return core::Error(core::ErrorCode::kIoError, "cannot list spool " + dir.string() +
                                                            ": " + ec.message());
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

core::Result<std::string> ReadPrefix(int fd, uint64_t limit) {
  std::string data;
  char buf[kChunk];
  while (data.size() < limit) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, limit - data.size()));
    ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(data.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("spool read", errno);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

core::Result<LineRead> ReadLineAt(int fd, uint64_t offset, size_t limit, std::string* line,
                                  uint64_t* next) {
  line->clear();
  char buf[kChunk];
  // Alerts are usually a few hundred bytes: start small and grow, so that
  // draining a spool does not copy 64 KiB per record.
  size_t want = 4096;
  uint64_t at = offset;
  bool too_long = false;
  for (;;) {
    ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("spool read", errno);
    }
    if (n == 0) return LineRead::kEof;
    std::string_view chunk(buf, static_cast<size_t>(n));
    size_t nl = chunk.find('\n');
    size_t take = nl == std::string_view::npos ? chunk.size() : nl;
    if (!too_long) {
      line->append(chunk.substr(0, take));
      if (line->size() > limit) {
        too_long = true;
        line->clear();
      }
    }
    at += take;
    want = std::min(want * 2, sizeof buf);
    if (nl != std::string_view::npos) {
      *next = at + 1;
      return too_long ? LineRead::kTooLong : LineRead::kLine;
    }
  }
}

core::Status FsyncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open " + dir.string(), errno);
  if (::fsync(fd.get()) != 0) return ErrnoStatus("fsync " + dir.string(), errno);
  return core::Status::Ok();
}

}  // namespace bulwark::runtime::output
