// ElfFile: a bounds-checked reader of ELF section and program headers over
// bytes already in memory, for the binary catalogers (Go build info, Rust
// cargo-auditable). ELF32 and ELF64, little and big endian.
//
// The bytes come from an image and are untrusted: every offset, size, count
// and name is checked against the buffer before use, so a hostile header can
// make Parse fail but never read out of bounds or allocate without limit.
// The ElfFile borrows the buffer (string_view); keep it alive. Immutable
// after Parse, so safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "image/file_view.hpp"

namespace bulwark::sbom {

struct ElfSection {
  std::string name;   // from the section-name string table; "" when unreadable
  uint32_t type = 0;  // SHT_*: 1 PROGBITS, 8 NOBITS, ...
  uint64_t flags = 0;
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct ElfSegment {
  uint32_t type = 0;   // PT_*: 1 LOAD
  uint32_t flags = 0;  // PF_X 1, PF_W 2, PF_R 4
  uint64_t offset = 0;
  uint64_t vaddr = 0;
  uint64_t filesz = 0;
};

class ElfFile {
 public:
  static constexpr uint32_t kSectionNoBits = 8;
  static constexpr uint32_t kSegmentLoad = 1;
  static constexpr uint32_t kSegmentWrite = 2;
  static constexpr uint32_t kSegmentExecute = 1;
  static constexpr size_t kMaxSections = 1 << 16;
  static constexpr size_t kMaxSegments = 1 << 12;

  // kParseError when `data` is not an ELF file or its headers point outside
  // it. Section names that cannot be read are left empty.
  static core::Result<ElfFile> Parse(std::string_view data);

  bool Is64() const { return is64_; }
  bool BigEndian() const { return big_endian_; }
  const std::vector<ElfSection>& Sections() const { return sections_; }
  const std::vector<ElfSegment>& Segments() const { return segments_; }

  // The first section with this name, or nullptr.
  const ElfSection* FindSection(std::string_view name) const;
  // A section's bytes in the file: empty for NOBITS, kParseError when the
  // section claims bytes past the end of the file.
  core::Result<std::string_view> SectionData(const ElfSection& section) const;
  // Up to `size` bytes mapped at virtual address `vaddr` by a PT_LOAD
  // segment (clipped to the segment's file bytes); empty when unmapped.
  std::string_view ReadAddress(uint64_t vaddr, uint64_t size) const;

  // Integer decoding in this file's byte order; 0 when `at` is out of range.
  uint64_t ReadUnsigned(std::string_view bytes, size_t at, size_t width) const;

 private:
  core::Status ParseHeader();
  core::Status ParseSections(uint64_t shoff, uint64_t count, uint64_t entsize, uint64_t shstrndx);
  core::Status ParseSegments(uint64_t phoff, uint64_t count, uint64_t entsize);
  std::string NameAt(const ElfSection& strtab, uint32_t offset) const;

  std::string_view data_;
  bool is64_ = false;
  bool big_endian_ = false;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
};

bool LooksLikeElf(std::string_view data);

// Shared by the Go and Rust catalogers (Wants must decide on metadata only):
// a regular file with an execute bit, between 1 KiB and 512 MiB.
bool IsExecutableCandidate(const image::FileEntry& entry);
inline constexpr uint64_t kMaxExecutableBytes = 512ull << 20;

}  // namespace bulwark::sbom
