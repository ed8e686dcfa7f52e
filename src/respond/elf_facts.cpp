#include "respond/elf_facts.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "respond/file_kind.hpp"

namespace bulwark::respond {
namespace {

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr uint32_t kShtSymtab = 2, kShtStrtab = 3, kShtDynamic = 6, kShtNobits = 8,
                   kShtDynsym = 11;
constexpr uint64_t kDtNull = 0, kDtNeeded = 1;

// Bounds-checked little/big-endian reads over the file's bytes.
class Reader {
 public:
  Reader(std::span<const uint8_t> data, bool le) : data_(data), le_(le) {}
  size_t size() const { return data_.size(); }
  bool Has(uint64_t off, uint64_t len) const {
    return off <= data_.size() && len <= data_.size() - off;
  }
  // Reads `width` (1, 2, 4 or 8) bytes at `off`; false when outside.
  bool Uint(uint64_t off, int width, uint64_t& out) const {
    if (!Has(off, static_cast<uint64_t>(width))) return false;
    out = 0;
    for (int i = 0; i < width; ++i) {
      uint64_t b = data_[off + (le_ ? width - 1 - i : i)];
      out = (out << 8) | b;
    }
    return true;
  }
  uint64_t UintOr0(uint64_t off, int width) const {
    uint64_t v = 0;
    return Uint(off, width, v) ? v : 0;
  }
  // NUL-terminated string at `off`, limited to [off, end) and kMaxElfName.
  std::string CString(uint64_t off, uint64_t end) const {
    std::string out;
    end = std::min<uint64_t>(end, data_.size());
    for (uint64_t i = off; i < end && out.size() < kMaxElfName && data_[i] != 0; ++i) {
      out += static_cast<char>(data_[i]);
    }
    return out;
  }
  std::span<const uint8_t> Bytes(uint64_t off, uint64_t len) const {
    return Has(off, len) ? data_.subspan(off, len) : std::span<const uint8_t>();
  }

 private:
  std::span<const uint8_t> data_;
  bool le_;
};

// Field offsets of the ELF32 / ELF64 layouts.
struct Layout {
  int addr;  // width of addresses and offsets
  uint64_t ehsize, phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;
  uint64_t ph_size, ph_offset, ph_vaddr, ph_filesz;
  uint64_t sh_size, sh_type, sh_flags, sh_offset, sh_sz, sh_link, sh_entsize;
  uint64_t sym_size, sym_shndx;
};
constexpr Layout kElf64 = {8, 64, 32, 40, 54, 56, 58, 60, 62, 56, 8, 16, 32,
                           64, 4, 8, 24, 32, 40, 56, 24, 6};
constexpr Layout kElf32 = {4, 52, 28, 32, 42, 44, 46, 48, 50, 32, 4, 8, 16,
                           40, 4, 8, 16, 20, 24, 36, 16, 14};

struct Segment {
  uint32_t type;
  uint64_t offset, vaddr, filesz;
};

struct RawSection {
  uint32_t name_off, type, link;
  uint64_t flags, offset, size, entsize;
};

std::string MachineName(uint64_t m) {
  switch (m) {
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC64";
    case 22: return "S390";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    case 258: return "LoongArch";
    default: return fmt::format("machine 0x{:x}", m);
  }
}

std::string TypeName(uint64_t t) {
  switch (t) {
    case 1: return "relocatable";
    case 2: return "executable";
    case 3: return "shared object (PIE or library)";
    case 4: return "core dump";
    default: return fmt::format("type 0x{:x}", t);
  }
}

bool SameByte(uint8_t a, char b) { return a == static_cast<uint8_t>(b); }

std::span<const uint8_t>::iterator Search(std::span<const uint8_t> data, std::string_view needle) {
  return std::search(data.begin(), data.end(), needle.begin(), needle.end(), SameByte);
}

class ElfParser {
 public:
  ElfParser(std::span<const uint8_t> data, bool le, const Layout& l)
      : r_(data, le), l_(l), data_(data) {}

  ElfFacts Parse(ElfFacts facts) {
    facts_ = std::move(facts);
    facts_.type = TypeName(r_.UintOr0(16, 2));
    facts_.machine = MachineName(r_.UintOr0(18, 2));
    if (!r_.Has(0, l_.ehsize)) {
      Anomaly(fmt::format("file ends inside the ELF header ({} of {} bytes)", r_.size(), l_.ehsize));
      ScanWholeFile();
      return std::move(facts_);
    }
    ReadSegments();
    ReadSections();
    ReadDynamic();
    ReadDynsym();
    ScanWholeFile();
    return std::move(facts_);
  }

 private:
  void Anomaly(std::string what) {
    if (facts_.anomalies.size() < 64) facts_.anomalies.push_back(std::move(what));
  }

  // Reads a table header (offset, entry size, count) and checks the whole
  // table lies in the file; returns the usable count (0 when it does not).
  size_t Table(const char* what, uint64_t off, uint64_t entsize, uint64_t count,
               uint64_t min_entsize, size_t cap) {
    if (count == 0) return 0;
    if (entsize < min_entsize) {
      Anomaly(fmt::format("{} entry size {} is smaller than {}", what, entsize, min_entsize));
      return 0;
    }
    if (count > cap) {
      Anomaly(fmt::format("{} count {} capped at {}", what, count, cap));
      count = cap;
    }
    if (!r_.Has(off, entsize * count)) {  // entsize <= 65535, count <= cap: no overflow
      Anomaly(fmt::format("{} table at offset 0x{:x} ({} x {} bytes) lies outside the file", what,
                          off, count, entsize));
      return 0;
    }
    return count;
  }

  void ReadSegments() {
    uint64_t phoff = r_.UintOr0(l_.phoff, l_.addr);
    uint64_t entsize = r_.UintOr0(l_.phentsize, 2);
    size_t n = Table("program header", phoff, entsize, r_.UintOr0(l_.phnum, 2), l_.ph_size,
                     kMaxSegments);
    for (size_t i = 0; i < n; ++i) {
      uint64_t base = phoff + i * entsize;
      Segment s{static_cast<uint32_t>(r_.UintOr0(base, 4)), r_.UintOr0(base + l_.ph_offset, l_.addr),
                r_.UintOr0(base + l_.ph_vaddr, l_.addr), r_.UintOr0(base + l_.ph_filesz, l_.addr)};
      segments_.push_back(s);
      if (s.type == kPtDynamic) facts_.is_dynamic = true;
      if (s.type == kPtInterp) {
        facts_.is_dynamic = true;
        if (r_.Has(s.offset, s.filesz)) {
          facts_.interpreter = r_.CString(s.offset, s.offset + s.filesz);
        } else {
          Anomaly("PT_INTERP points outside the file");
        }
      }
    }
  }

  void ReadSections() {
    uint64_t shoff = r_.UintOr0(l_.shoff, l_.addr);
    uint64_t entsize = r_.UintOr0(l_.shentsize, 2);
    uint64_t count = r_.UintOr0(l_.shnum, 2);
    if (count == 0 && shoff != 0) {
      Anomaly("section count 0 with a section table offset (extended numbering is not read)");
    }
    size_t n = Table("section header", shoff, entsize, count, l_.sh_size, kMaxSections);
    for (size_t i = 0; i < n; ++i) {
      uint64_t base = shoff + i * entsize;
      RawSection s{static_cast<uint32_t>(r_.UintOr0(base, 4)),
                   static_cast<uint32_t>(r_.UintOr0(base + l_.sh_type, 4)),
                   static_cast<uint32_t>(r_.UintOr0(base + l_.sh_link, 4)),
                   r_.UintOr0(base + l_.sh_flags, l_.addr), r_.UintOr0(base + l_.sh_offset, l_.addr),
                   r_.UintOr0(base + l_.sh_sz, l_.addr), r_.UintOr0(base + l_.sh_entsize, l_.addr)};
      raw_.push_back(s);
    }
    facts_.has_section_headers = !raw_.empty();
    // Section names live in the section named by e_shstrndx.
    uint64_t shstrndx = r_.UintOr0(l_.shstrndx, 2);
    const RawSection* names = nullptr;
    if (!raw_.empty()) {
      if (shstrndx < raw_.size() && r_.Has(raw_[shstrndx].offset, raw_[shstrndx].size)) {
        names = &raw_[shstrndx];
      } else {
        Anomaly(fmt::format("section name table index {} is not a section inside the file", shstrndx));
      }
    }
    for (size_t i = 0; i < raw_.size(); ++i) {
      const RawSection& s = raw_[i];
      ElfSection out;
      if (names != nullptr && s.name_off < names->size) {
        out.name = r_.CString(names->offset + s.name_off, names->offset + names->size);
      }
      out.type = s.type;
      out.flags = s.flags;
      out.offset = s.offset;
      out.size = s.size;
      out.in_file = s.type != kShtNobits && r_.Has(s.offset, s.size);
      if (s.type != kShtNobits && s.size > 0 && !out.in_file) {
        Anomaly(fmt::format("section {} ({}) lies outside the file", i, out.name));
      }
      // Overlapping sections could make this quadratic: a budget of bytes.
      if (out.in_file && s.size <= entropy_budget_) {
        entropy_budget_ -= s.size;
        out.entropy = ShannonEntropy(r_.Bytes(s.offset, s.size));
      } else if (out.in_file) {
        Anomaly(fmt::format("section {} entropy not computed: sections overlap past the read budget", i));
      }
      if (s.type == kShtSymtab) facts_.stripped = false;
      if (out.name == "UPX0" || out.name == "UPX1" || out.name == "UPX2") facts_.upx_sections = true;
      if (out.name == ".go.buildinfo" || out.name == ".gopclntab" || out.name == ".note.go.buildid" ||
          out.name == ".gosymtab") {
        facts_.go_sections.push_back(out.name);
      }
      facts_.sections.push_back(std::move(out));
    }
  }

  // The file range of a string table: the section a section links to.
  bool LinkedStrtab(uint32_t link, uint64_t& off, uint64_t& end) const {
    if (link >= raw_.size() || raw_[link].type != kShtStrtab) return false;
    if (!r_.Has(raw_[link].offset, raw_[link].size)) return false;
    off = raw_[link].offset;
    end = off + raw_[link].size;
    return true;
  }

  // File offset of a virtual address through the PT_LOAD segments.
  bool VaddrToOffset(uint64_t vaddr, uint64_t& off) const {
    for (const Segment& s : segments_) {
      if (s.type == kPtLoad && vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz) {
        off = s.offset + (vaddr - s.vaddr);
        return off < r_.size();
      }
    }
    return false;
  }

  void ReadDynamic() {
    uint64_t dyn_off = 0, dyn_size = 0, str_off = 0, str_end = 0;
    bool have_str = false;
    for (const RawSection& s : raw_) {
      if (s.type == kShtDynamic && r_.Has(s.offset, s.size)) {
        dyn_off = s.offset;
        dyn_size = s.size;
        have_str = LinkedStrtab(s.link, str_off, str_end);
        break;
      }
    }
    if (dyn_size == 0) {  // no section headers: PT_DYNAMIC and DT_STRTAB
      for (const Segment& s : segments_) {
        if (s.type == kPtDynamic && r_.Has(s.offset, s.filesz)) {
          dyn_off = s.offset;
          dyn_size = s.filesz;
          break;
        }
      }
    }
    if (dyn_size == 0) return;
    const uint64_t ent = 2ull * l_.addr;
    std::vector<uint64_t> needed_offsets;
    uint64_t strtab_vaddr = 0, strsz = 0;
    for (uint64_t p = dyn_off; p + ent <= dyn_off + dyn_size; p += ent) {
      uint64_t tag = r_.UintOr0(p, l_.addr), val = r_.UintOr0(p + l_.addr, l_.addr);
      if (tag == kDtNull) break;
      if (tag == kDtNeeded && needed_offsets.size() < kMaxNeeded) needed_offsets.push_back(val);
      if (tag == 5) strtab_vaddr = val;  // DT_STRTAB
      if (tag == 10) strsz = val;        // DT_STRSZ
    }
    if (!have_str && strtab_vaddr != 0 && VaddrToOffset(strtab_vaddr, str_off)) {
      have_str = true;
      str_end = strsz != 0 && strsz <= r_.size() - str_off ? str_off + strsz : r_.size();
    }
    if (!have_str) {
      if (!needed_offsets.empty()) Anomaly("DT_NEEDED entries without a readable string table");
      return;
    }
    for (uint64_t off : needed_offsets) {
      if (off >= str_end - str_off) {
        Anomaly("DT_NEEDED name outside its string table");
        continue;
      }
      facts_.needed.push_back(r_.CString(str_off + off, str_end));
    }
  }

  void ReadDynsym() {
    for (const RawSection& s : raw_) {
      if (s.type != kShtDynsym) continue;
      uint64_t str_off = 0, str_end = 0;
      if (!LinkedStrtab(s.link, str_off, str_end)) {
        Anomaly(".dynsym without a readable string table");
        return;
      }
      uint64_t entsize = s.entsize != 0 ? s.entsize : l_.sym_size;
      if (entsize < l_.sym_size || entsize > 4096) {
        Anomaly(fmt::format(".dynsym entry size {} makes no sense", entsize));
        return;
      }
      if (!r_.Has(s.offset, s.size)) return;
      uint64_t count = s.size / entsize;
      for (uint64_t i = 1; i < count && facts_.imports.size() < kMaxImports; ++i) {
        uint64_t base = s.offset + i * entsize;
        uint64_t name = r_.UintOr0(base, 4);
        uint64_t shndx = r_.UintOr0(base + l_.sym_shndx, 2);
        if (shndx != 0 || name == 0 || name >= str_end - str_off) continue;
        std::string sym = r_.CString(str_off + name, str_end);
        if (!sym.empty()) facts_.imports.push_back(std::move(sym));
      }
      if (count > kMaxImports) Anomaly(fmt::format(".dynsym has {} symbols; {} read", count, kMaxImports));
      return;
    }
  }

  void ScanWholeFile() {
    facts_.upx_magic = Search(data_, "UPX!") != data_.end();
    static constexpr std::string_view kGoId = "\xff Go build ID: \"";
    auto it = Search(data_, kGoId);
    if (it != data_.end()) {
      for (auto p = it + kGoId.size(); p != data_.end() && *p != '"' && facts_.go_build_id.size() < 200;
           ++p) {
        facts_.go_build_id += static_cast<char>(*p);
      }
    }
  }

  Reader r_;
  const Layout& l_;
  std::span<const uint8_t> data_;
  ElfFacts facts_;
  std::vector<Segment> segments_;
  std::vector<RawSection> raw_;
  uint64_t entropy_budget_ = std::max<uint64_t>(64ull << 20, 4ull * data_.size());
};

}  // namespace

std::optional<ElfFacts> ParseElf(std::span<const uint8_t> data) {
  if (data.size() < 6 || std::memcmp(data.data(), "\x7f" "ELF", 4) != 0) return std::nullopt;
  uint8_t cls = data[4], order = data[5];
  if ((cls != 1 && cls != 2) || (order != 1 && order != 2)) return std::nullopt;
  ElfFacts facts;
  facts.bits = cls == 2 ? 64 : 32;
  facts.little_endian = order == 1;
  ElfParser parser(data, facts.little_endian, cls == 2 ? kElf64 : kElf32);
  return parser.Parse(std::move(facts));
}

}  // namespace bulwark::respond
