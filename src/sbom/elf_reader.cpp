#include "sbom/elf_reader.hpp"

namespace bulwark::sbom {
namespace {

constexpr size_t kMaxNameBytes = 4096;
constexpr uint64_t kExtendedCount = 0xffff;  // SHN_XINDEX / PN_XNUM

core::Status Bad(const std::string& what) {
  return core::Error(core::ErrorCode::kParseError, "ELF: " + what);
}

// offset + count * size fits in `total` (no overflow).
bool RangeFits(uint64_t offset, uint64_t count, uint64_t size, uint64_t total) {
  if (offset > total) return false;
  if (size != 0 && count > (total - offset) / size) return false;
  return true;
}

}  // namespace

bool LooksLikeElf(std::string_view data) {
  return data.size() >= 16 && data.substr(0, 4) == std::string_view(
                                                       "\x7f"
                                                       "ELF",
                                                       4);
}

bool IsExecutableCandidate(const image::FileEntry& entry) {
  return entry.type == image::FileType::kRegular && (entry.mode & 0111) != 0 &&
         entry.size >= 1024 && entry.size <= kMaxExecutableBytes;
}

uint64_t ElfFile::ReadUnsigned(std::string_view bytes, size_t at, size_t width) const {
  if (at > bytes.size() || width > bytes.size() - at || width > 8) return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    size_t index = big_endian_ ? at + i : at + width - 1 - i;
    value = (value << 8) | static_cast<unsigned char>(bytes[index]);
  }
  return value;
}

core::Result<ElfFile> ElfFile::Parse(std::string_view data) {
  ElfFile elf;
  elf.data_ = data;
  RETURN_IF_ERROR(elf.ParseHeader());
  return elf;
}

core::Status ElfFile::ParseHeader() {
  if (!LooksLikeElf(data_)) return Bad("no ELF magic");
  unsigned char elf_class = static_cast<unsigned char>(data_[4]);
  unsigned char encoding = static_cast<unsigned char>(data_[5]);
  if (elf_class != 1 && elf_class != 2) return Bad("unknown class " + std::to_string(elf_class));
  if (encoding != 1 && encoding != 2) {
    return Bad("unknown data encoding " + std::to_string(encoding));
  }
  is64_ = elf_class == 2;
  big_endian_ = encoding == 2;
  size_t header_size = is64_ ? 64 : 52;
  if (data_.size() < header_size) return Bad("truncated file header");
  // Field offsets differ only in the width of addresses (4 or 8 bytes).
  size_t word = is64_ ? 8 : 4;
  uint64_t phoff = ReadUnsigned(data_, 24 + word, word);
  uint64_t shoff = ReadUnsigned(data_, 24 + 2 * word, word);
  size_t counts = 24 + 3 * word + 4 + 2;  // after e_flags and e_ehsize
  uint64_t phentsize = ReadUnsigned(data_, counts, 2);
  uint64_t phnum = ReadUnsigned(data_, counts + 2, 2);
  uint64_t shentsize = ReadUnsigned(data_, counts + 4, 2);
  uint64_t shnum = ReadUnsigned(data_, counts + 6, 2);
  uint64_t shstrndx = ReadUnsigned(data_, counts + 8, 2);
  RETURN_IF_ERROR(ParseSections(shoff, shnum, shentsize, shstrndx));
  // PN_XNUM: the real program header count sits in section 0's sh_info.
  if (phnum == kExtendedCount && !sections_.empty()) {
    size_t info_at = shoff + (is64_ ? 44 : 28);
    phnum = ReadUnsigned(data_, info_at, 4);
  }
  return ParseSegments(phoff, phnum, phentsize);
}

core::Status ElfFile::ParseSections(uint64_t shoff, uint64_t count, uint64_t entsize,
                                    uint64_t shstrndx) {
  if (shoff == 0) return core::Status::Ok();  // stripped of section headers
  size_t min_entsize = is64_ ? 64 : 40;
  if (entsize < min_entsize) return Bad("section header size " + std::to_string(entsize));
  if (!RangeFits(shoff, 1, entsize, data_.size())) return Bad("section headers past end of file");
  // Extended numbering: section 0 holds the real count and string-table index.
  std::string_view first = data_.substr(shoff, entsize);
  if (count == 0) count = ReadUnsigned(first, is64_ ? 32 : 20, is64_ ? 8 : 4);
  if (shstrndx == kExtendedCount) shstrndx = ReadUnsigned(first, is64_ ? 40 : 24, 4);
  if (count > kMaxSections) return Bad("too many sections: " + std::to_string(count));
  if (!RangeFits(shoff, count, entsize, data_.size())) {
    return Bad("section headers past end of file");
  }
  sections_.reserve(count);
  std::vector<uint32_t> name_offsets;
  name_offsets.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view raw = data_.substr(shoff + i * entsize, entsize);
    ElfSection section;
    section.type = static_cast<uint32_t>(ReadUnsigned(raw, 4, 4));
    if (is64_) {
      section.flags = ReadUnsigned(raw, 8, 8);
      section.addr = ReadUnsigned(raw, 16, 8);
      section.offset = ReadUnsigned(raw, 24, 8);
      section.size = ReadUnsigned(raw, 32, 8);
    } else {
      section.flags = ReadUnsigned(raw, 8, 4);
      section.addr = ReadUnsigned(raw, 12, 4);
      section.offset = ReadUnsigned(raw, 16, 4);
      section.size = ReadUnsigned(raw, 20, 4);
    }
    name_offsets.push_back(static_cast<uint32_t>(ReadUnsigned(raw, 0, 4)));
    sections_.push_back(section);
  }
  if (shstrndx >= sections_.size()) return core::Status::Ok();  // names unknown
  ElfSection strtab = sections_[shstrndx];
  for (size_t i = 0; i < sections_.size(); ++i) sections_[i].name = NameAt(strtab, name_offsets[i]);
  return core::Status::Ok();
}

core::Status ElfFile::ParseSegments(uint64_t phoff, uint64_t count, uint64_t entsize) {
  if (phoff == 0 || count == 0) return core::Status::Ok();
  size_t min_entsize = is64_ ? 56 : 32;
  if (entsize < min_entsize) return Bad("program header size " + std::to_string(entsize));
  if (count > kMaxSegments) return Bad("too many program headers: " + std::to_string(count));
  if (!RangeFits(phoff, count, entsize, data_.size())) {
    return Bad("program headers past end of file");
  }
  segments_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view raw = data_.substr(phoff + i * entsize, entsize);
    ElfSegment segment;
    segment.type = static_cast<uint32_t>(ReadUnsigned(raw, 0, 4));
    if (is64_) {
      segment.flags = static_cast<uint32_t>(ReadUnsigned(raw, 4, 4));
      segment.offset = ReadUnsigned(raw, 8, 8);
      segment.vaddr = ReadUnsigned(raw, 16, 8);
      segment.filesz = ReadUnsigned(raw, 32, 8);
    } else {
      segment.offset = ReadUnsigned(raw, 4, 4);
      segment.vaddr = ReadUnsigned(raw, 8, 4);
      segment.filesz = ReadUnsigned(raw, 16, 4);
      segment.flags = static_cast<uint32_t>(ReadUnsigned(raw, 24, 4));
    }
    segments_.push_back(segment);
  }
  return core::Status::Ok();
}

std::string ElfFile::NameAt(const ElfSection& strtab, uint32_t offset) const {
  if (strtab.type == kSectionNoBits) return "";
  if (!RangeFits(strtab.offset, 1, strtab.size, data_.size()) || offset >= strtab.size) return "";
  std::string_view table = data_.substr(strtab.offset, strtab.size);
  std::string_view rest = table.substr(offset, kMaxNameBytes);
  size_t end = rest.find('\0');
  if (end == std::string_view::npos) return "";  // unterminated: not a name
  return std::string(rest.substr(0, end));
}

const ElfSection* ElfFile::FindSection(std::string_view name) const {
  for (const ElfSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

core::Result<std::string_view> ElfFile::SectionData(const ElfSection& section) const {
  if (section.type == kSectionNoBits) return std::string_view();
  if (!RangeFits(section.offset, 1, section.size, data_.size())) {
    return Bad("section " + section.name + " (" + std::to_string(section.size) + " bytes at " +
               std::to_string(section.offset) + ") runs past the end of the file");
  }
  return data_.substr(section.offset, section.size);
}

std::string_view ElfFile::ReadAddress(uint64_t vaddr, uint64_t size) const {
  for (const ElfSegment& segment : segments_) {
    if (segment.type != kSegmentLoad || vaddr < segment.vaddr) continue;
    uint64_t delta = vaddr - segment.vaddr;
    if (delta >= segment.filesz) continue;
    if (!RangeFits(segment.offset, 1, segment.filesz, data_.size())) continue;
    uint64_t available = segment.filesz - delta;
    return data_.substr(segment.offset + delta, size < available ? size : available);
  }
  return {};
}

}  // namespace bulwark::sbom
