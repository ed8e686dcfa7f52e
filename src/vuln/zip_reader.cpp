// Zip entries through libarchive (OSV's all.zip), bounded per entry and in
// entry count, so a hostile or truncated archive ends in an error, not in
// unbounded memory or a crash.
#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include "vuln/importers.hpp"

namespace bulwark::vuln {
namespace {

constexpr int64_t kMaxEntries = 5'000'000;
// Bounds the work a zip bomb can cause (OSV's biggest all.zip holds a few GB).
constexpr uint64_t kMaxTotalBytes = 32ull << 30;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

core::Status ZipError(const std::filesystem::path& zip, archive* a, std::string_view where) {
  const char* message = archive_error_string(a);
  return core::Error(core::ErrorCode::kParseError, zip.string() + (where.empty() ? "" : ": ") + std::string(where) +
                                                       ": " + (message ? message : "damaged zip archive"));
}

core::Result<std::string> ReadEntry(archive* a, const std::filesystem::path& zip, const std::string& name,
                                    uint64_t max_bytes) {
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return data;
    if (n < 0) return ZipError(zip, a, name);
    if (data.size() + static_cast<uint64_t>(n) > max_bytes) {
      return core::Error(core::ErrorCode::kTooLarge, zip.string() + ": " + name + ": entry larger than " +
                                                         std::to_string(max_bytes) + " bytes");
    }
    data.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

core::Status ForEachZipEntry(const std::filesystem::path& zip, uint64_t max_entry_bytes,
                             const std::function<core::Status(std::string_view, std::string_view)>& fn) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), zip.c_str(), 1 << 16) != ARCHIVE_OK) return ZipError(zip, a.get(), "");
  archive_entry* entry = nullptr;
  int64_t entries = 0;
  uint64_t total = 0;
  for (;;) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) return core::Status::Ok();
    if (rc < ARCHIVE_WARN) return ZipError(zip, a.get(), "");
    if (++entries > kMaxEntries) {
      return core::Error(core::ErrorCode::kTooLarge, zip.string() + ": more than " + std::to_string(kMaxEntries) +
                                                         " entries");
    }
    const char* path = archive_entry_pathname(entry);
    std::string name = path ? path : "";
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > static_cast<la_int64_t>(max_entry_bytes)) {
      return core::Error(core::ErrorCode::kTooLarge, zip.string() + ": " + name + ": entry larger than " +
                                                         std::to_string(max_entry_bytes) + " bytes");
    }
    ASSIGN_OR_RETURN(std::string data, ReadEntry(a.get(), zip, name, max_entry_bytes));
    total += data.size();
    if (total > kMaxTotalBytes) {
      return core::Error(core::ErrorCode::kTooLarge, zip.string() + ": more than " + std::to_string(kMaxTotalBytes) +
                                                         " bytes uncompressed");
    }
    RETURN_IF_ERROR(fn(name, data));
  }
}

}  // namespace bulwark::vuln
