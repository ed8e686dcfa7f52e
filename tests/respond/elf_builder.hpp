// Builds small ELF64 little-endian files from parts, for the triage tests:
// sections (with their bytes), segments covering a section's bytes, and
// header fields the test can then corrupt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::respond::testing {

inline void Put(std::string& out, uint64_t offset, uint64_t value, int width) {
  if (out.size() < offset + width) out.resize(offset + width, '\0');
  for (int i = 0; i < width; ++i) out[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

class ElfBuilder {
 public:
  struct Section {
    std::string name;
    uint32_t type = 1;  // PROGBITS
    uint64_t flags = 0;
    std::string data;
    uint32_t link = 0;
    uint64_t entsize = 0;
  };
  uint16_t elf_type = 2;  // ET_EXEC
  uint16_t machine = 62;  // x86-64

  // Returns the section's index in the section table (the null section is 0).
  uint32_t AddSection(Section s) {
    sections_.push_back(std::move(s));
    return static_cast<uint32_t>(sections_.size());
  }
  // A program header covering section `index`'s bytes.
  void AddSegment(uint32_t type, uint32_t index) { segments_.push_back({type, index}); }

  // Offsets of the built file's tables (valid after Build()).
  uint64_t shoff = 0;
  uint64_t phoff = 64;

  std::string Build() {
    std::string out(64, '\0');
    out[0] = 0x7f, out[1] = 'E', out[2] = 'L', out[3] = 'F';
    out[4] = 2, out[5] = 1, out[6] = 1;
    Put(out, 16, elf_type, 2);
    Put(out, 18, machine, 2);
    Put(out, 20, 1, 4);
    out.resize(64 + 56 * segments_.size(), '\0');
    std::vector<uint64_t> offsets;
    std::string shstrtab(1, '\0');
    std::vector<uint32_t> name_offsets;
    for (const auto& s : sections_) {
      offsets.push_back(out.size());
      out += s.data;
      name_offsets.push_back(static_cast<uint32_t>(shstrtab.size()));
      shstrtab += s.name + '\0';
    }
    uint32_t shstr_name = static_cast<uint32_t>(shstrtab.size());
    shstrtab += std::string(".shstrtab") + '\0';
    uint64_t shstr_off = out.size();
    out += shstrtab;
    while (out.size() % 8) out += '\0';
    shoff = out.size();
    size_t count = sections_.size() + 2;
    out.resize(shoff + 64 * count, '\0');
    for (size_t i = 0; i < sections_.size(); ++i) {
      uint64_t h = shoff + 64 * (i + 1);
      const auto& s = sections_[i];
      Put(out, h, name_offsets[i], 4);
      Put(out, h + 4, s.type, 4);
      Put(out, h + 8, s.flags, 8);
      Put(out, h + 16, 0x400000 + offsets[i], 8);
      Put(out, h + 24, offsets[i], 8);
      Put(out, h + 32, s.data.size(), 8);
      Put(out, h + 40, s.link, 4);
      Put(out, h + 56, s.entsize, 8);
    }
    uint64_t h = shoff + 64 * (count - 1);
    Put(out, h, shstr_name, 4);
    Put(out, h + 4, 3, 4);
    Put(out, h + 24, shstr_off, 8);
    Put(out, h + 32, shstrtab.size(), 8);
    for (size_t i = 0; i < segments_.size(); ++i) {
      uint64_t p = 64 + 56 * i;
      uint32_t idx = segments_[i].second;
      Put(out, p, segments_[i].first, 4);
      Put(out, p + 8, offsets[idx - 1], 8);
      Put(out, p + 16, 0x400000 + offsets[idx - 1], 8);
      Put(out, p + 32, sections_[idx - 1].data.size(), 8);
      Put(out, p + 40, sections_[idx - 1].data.size(), 8);
    }
    Put(out, 32, segments_.empty() ? 0 : 64, 8);  // e_phoff
    Put(out, 40, shoff, 8);
    Put(out, 52, 64, 2);
    Put(out, 54, 56, 2);
    Put(out, 56, segments_.size(), 2);
    Put(out, 58, 64, 2);
    Put(out, 60, count, 2);
    Put(out, 62, count - 1, 2);
    return out;
  }

 private:
  std::vector<Section> sections_;
  std::vector<std::pair<uint32_t, uint32_t>> segments_;
};

// A dynamically linked executable: PT_INTERP, DT_NEEDED libc.so.6 and
// libcrypto.so.3, imports fopen and connect, a defined symbol main.
inline std::string DynamicElf(bool with_symtab = false) {
  ElfBuilder b;
  uint32_t interp = b.AddSection({".interp", 1, 2, std::string("/lib64/ld-linux-x86-64.so.2") + '\0'});
  std::string dynstr = std::string("\0libc.so.6\0libcrypto.so.3\0fopen\0connect\0main\0", 45);
  uint32_t str = b.AddSection({".dynstr", 3, 2, dynstr});
  std::string syms(24 * 4, '\0');
  Put(syms, 24 * 1, 26, 4);  // fopen, undefined
  Put(syms, 24 * 2, 32, 4);  // connect, undefined
  Put(syms, 24 * 3, 40, 4);  // main, defined
  Put(syms, 24 * 3 + 6, 5, 2);
  b.AddSection({".dynsym", 11, 2, syms, str, 24});
  std::string dyn;
  Put(dyn, 0, 1, 8), Put(dyn, 8, 1, 8);    // DT_NEEDED libc.so.6
  Put(dyn, 16, 1, 8), Put(dyn, 24, 11, 8);  // DT_NEEDED libcrypto.so.3
  Put(dyn, 32, 0, 8), Put(dyn, 40, 0, 8);   // DT_NULL
  uint32_t dynamic = b.AddSection({".dynamic", 6, 3, dyn, str, 16});
  b.AddSection({".text", 1, 6, std::string(64, '\x90')});
  if (with_symtab) b.AddSection({".symtab", 2, 0, std::string(48, '\0'), 0, 24});
  b.AddSegment(3, interp);
  b.AddSegment(2, dynamic);
  return b.Build();
}

// A static stripped executable with just .text.
inline std::string StaticElf() {
  ElfBuilder b;
  b.AddSection({".text", 1, 6, std::string(128, '\x90')});
  return b.Build();
}

}  // namespace bulwark::respond::testing
