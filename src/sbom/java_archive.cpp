#include "sbom/java_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <memory>

namespace bulwark::sbom {
namespace {

constexpr std::array<std::string_view, 8> kExtensions = {".jar", ".war", ".ear", ".par",
                                                         ".sar", ".nar", ".jpi", ".hpi"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool IsPomProperties(std::string_view path) {
  return path.starts_with("META-INF/maven/") && path.ends_with("/pom.properties");
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// State shared by every level of one top-level archive.
struct Scan {
  const JavaArchiveLimits& limits;
  const JavaArchiveVisitor& visit;
  std::vector<std::string>& notes;
  uint64_t budget;  // decompressed bytes left
  bool budget_noted = false;
};

enum class ReadOutcome { kOk, kTooLarge, kBudget, kError };

// Reads the current entry's data, at most `cap` bytes, charging the budget.
ReadOutcome ReadEntry(archive* a, uint64_t cap, Scan& scan, std::string& out) {
  char buffer[64 * 1024];
  while (true) {
    la_ssize_t n = archive_read_data(a, buffer, sizeof(buffer));
    if (n == 0) return ReadOutcome::kOk;
    if (n < 0) return ReadOutcome::kError;
    uint64_t size = static_cast<uint64_t>(n);
    if (size > scan.budget) {
      scan.budget = 0;
      return ReadOutcome::kBudget;
    }
    scan.budget -= size;
    if (out.size() + size > cap) return ReadOutcome::kTooLarge;
    out.append(buffer, size);
  }
}

void ScanLevel(std::string_view data, const std::string& location, int depth, Scan& scan);

class LevelReader {
 public:
  LevelReader(const std::string& location, int depth, Scan& scan)
      : location_(location), depth_(depth), scan_(scan) {
    archive_.location = location;
  }

  void Run(std::string_view data) {
    std::unique_ptr<archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_format_zip(reader.get());
    if (archive_read_open_memory(reader.get(), data.data(), data.size()) != ARCHIVE_OK) {
      Note("not a readable zip archive: " + Error(reader.get()));
      return;
    }
    uint64_t entries = 0;
    archive_entry* entry = nullptr;
    int status = ARCHIVE_OK;
    while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK ||
           status == ARCHIVE_WARN) {
      opened_ = true;
      if (++entries > scan_.limits.max_entries) {
        Note("more than " + std::to_string(scan_.limits.max_entries) +
             " entries; the rest not read");
        break;
      }
      if (!Entry(reader.get(), entry)) break;
    }
    if (status == ARCHIVE_FATAL) {
      Note(opened_ ? "archive damaged, read up to the error: " + Error(reader.get())
                   : "not a readable zip archive: " + Error(reader.get()));
    }
    if (opened_) scan_.visit(archive_);
  }

 private:
  // False stops reading this archive.
  bool Entry(archive* a, archive_entry* entry) {
    if (archive_entry_filetype(entry) != AE_IFREG) return true;
    const char* raw = archive_entry_pathname(entry);
    if (raw == nullptr) raw = archive_entry_pathname_utf8(entry);
    if (raw == nullptr) return true;
    std::string path = raw;
    bool manifest = EqualsIgnoreCase(path, "META-INF/MANIFEST.MF");
    bool pom = IsPomProperties(path);
    bool nested = IsJavaArchivePath(path);
    if (!manifest && !pom && !nested) return true;
    if (nested && depth_ >= scan_.limits.max_depth) {
      NoteOnce(depth_noted_, path + ": archives nested deeper than " +
                                 std::to_string(scan_.limits.max_depth) + " levels not read");
      return true;
    }
    if (pom && archive_.pom_properties.size() >= scan_.limits.max_pom_files) {
      NoteOnce(poms_noted_, path + ": more than " + std::to_string(scan_.limits.max_pom_files) +
                                " pom.properties files; the rest not read");
      return true;
    }
    uint64_t cap = nested ? scan_.limits.max_nested_archive
                   : pom  ? scan_.limits.max_pom_file
                          : scan_.limits.max_text_file;
    if (archive_entry_size_is_set(entry) &&
        static_cast<uint64_t>(archive_entry_size(entry)) > cap) {
      Note(path + ": " + std::to_string(archive_entry_size(entry)) + " bytes, over the limit of " +
           std::to_string(cap) + "; not read");
      return true;
    }
    std::string content;
    switch (ReadEntry(a, cap, scan_, content)) {
      case ReadOutcome::kOk:
        break;
      case ReadOutcome::kTooLarge:
        Note(path + ": inflates past the limit of " + std::to_string(cap) + " bytes; not read");
        return true;
      case ReadOutcome::kBudget:
        NoteOnce(scan_.budget_noted, path + ": decompressed-bytes budget of " +
                                         std::to_string(scan_.limits.max_total_bytes) +
                                         " exhausted; the rest of the archive not read");
        return false;
      case ReadOutcome::kError:
        Note(path + ": unreadable entry: " + Error(a));
        return true;
    }
    if (manifest) {
      archive_.manifest = std::move(content);
    } else if (pom) {
      archive_.pom_properties.emplace_back(path, std::move(content));
    } else {
      ScanLevel(content, location_ + ":" + path, depth_ + 1, scan_);
    }
    return scan_.budget > 0;
  }

  static std::string Error(archive* a) {
    const char* message = archive_error_string(a);
    return message != nullptr ? message : "unknown error";
  }

  void Note(const std::string& message) { scan_.notes.push_back(location_ + ": " + message); }
  void NoteOnce(bool& noted, const std::string& message) {
    if (!noted) Note(message);
    noted = true;
  }

  const std::string& location_;
  int depth_;
  Scan& scan_;
  JavaArchive archive_;
  bool opened_ = false;
  bool depth_noted_ = false;
  bool poms_noted_ = false;
};

void ScanLevel(std::string_view data, const std::string& location, int depth, Scan& scan) {
  LevelReader reader(location, depth, scan);
  reader.Run(data);
}

}  // namespace

bool IsJavaArchivePath(std::string_view path) {
  if (path.size() < 5 || path.back() == '/') return false;
  std::string_view extension = path.substr(path.size() - 4);
  for (std::string_view known : kExtensions) {
    if (EqualsIgnoreCase(extension, known)) return true;
  }
  return false;
}

void ScanJavaArchive(std::string_view data, const std::string& location,
                     const JavaArchiveLimits& limits, const JavaArchiveVisitor& visit,
                     std::vector<std::string>& notes) {
  Scan scan{limits, visit, notes, limits.max_total_bytes};
  ScanLevel(data, location, 0, scan);
}

}  // namespace bulwark::sbom
