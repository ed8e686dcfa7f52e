// ELF facts from crafted files: the right facts from well-formed ones, and
// hostile or truncated headers never crash (run under ASan in build-asan)
// and are reported as anomalies.
#include "respond/elf_facts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <span>
#include <string>

#include "elf_builder.hpp"
#include "respond/triage.hpp"

namespace bulwark::respond {
namespace {

using testing::DynamicElf;
using testing::ElfBuilder;
using testing::Put;
using testing::StaticElf;

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool HasSection(const ElfFacts& f, const std::string& name) {
  return std::any_of(f.sections.begin(), f.sections.end(), [&](const auto& s) { return s.name == name; });
}

bool AnomalyMentions(const ElfFacts& f, const std::string& word) {
  return std::any_of(f.anomalies.begin(), f.anomalies.end(),
                     [&](const auto& a) { return a.find(word) != std::string::npos; });
}

TEST(ElfFacts, NotElf) {
  EXPECT_FALSE(ParseElf(Bytes("hello world")).has_value());
  EXPECT_FALSE(ParseElf(Bytes(std::string("\x7f" "ELF\x03\x01", 6))).has_value());  // bad class
}

TEST(ElfFacts, MinimalStaticStrippedExecutable) {
  auto f = ParseElf(Bytes(StaticElf()));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->bits, 64);
  EXPECT_TRUE(f->little_endian);
  EXPECT_EQ(f->machine, "x86-64");
  EXPECT_EQ(f->type, "executable");
  EXPECT_FALSE(f->is_dynamic);
  EXPECT_TRUE(f->stripped);
  EXPECT_TRUE(f->has_section_headers);
  EXPECT_TRUE(HasSection(*f, ".text"));
  EXPECT_TRUE(HasSection(*f, ".shstrtab"));
  EXPECT_TRUE(f->anomalies.empty()) << f->anomalies.front();
  for (const auto& s : f->sections) {
    if (s.name == ".text") {
      EXPECT_DOUBLE_EQ(s.entropy, 0.0);  // 128 x 0x90
    }
  }
}

TEST(ElfFacts, DynamicWithNeededAndImports) {
  auto f = ParseElf(Bytes(DynamicElf()));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->is_dynamic);
  EXPECT_EQ(f->interpreter, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(f->needed, (std::vector<std::string>{"libc.so.6", "libcrypto.so.3"}));
  EXPECT_EQ(f->imports, (std::vector<std::string>{"fopen", "connect"}));  // main is defined
  EXPECT_TRUE(f->stripped);
  EXPECT_TRUE(f->anomalies.empty()) << f->anomalies.front();
}

TEST(ElfFacts, SymtabMeansNotStripped) {
  auto f = ParseElf(Bytes(DynamicElf(true)));
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->stripped);
}

TEST(ElfFacts, UpxMarks) {
  ElfBuilder b;
  b.AddSection({"UPX0", 8, 7, ""});
  b.AddSection({"UPX1", 1, 6, std::string("UPX!") + std::string(60, 'x')});
  auto f = ParseElf(Bytes(b.Build()));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->upx_sections);
  EXPECT_TRUE(f->upx_magic);
  auto report = TriageBytes(Bytes(b.Build()), "upx");
  bool packer = std::any_of(report.assessment.reasons.begin(), report.assessment.reasons.end(),
                            [](const Reason& r) { return r.signal == "packer-upx" && r.attack == "T1027.002"; });
  EXPECT_TRUE(packer);
}

TEST(ElfFacts, GoBuildId) {
  ElfBuilder b;
  b.AddSection({".note.go.buildid", 7, 2, std::string("\x04\0\0\0\xff Go build ID: \"abc/def\"\n", 29)});
  b.AddSection({".gopclntab", 1, 2, std::string(16, '\x01')});
  auto f = ParseElf(Bytes(b.Build()));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->go_build_id, "abc/def");
  EXPECT_EQ(f->go_sections, (std::vector<std::string>{".note.go.buildid", ".gopclntab"}));
}

TEST(ElfFacts, Elf32BigEndianHeader) {
  std::string e(52, '\0');
  e[0] = 0x7f, e[1] = 'E', e[2] = 'L', e[3] = 'F', e[4] = 1, e[5] = 2;
  e[17] = 2;  // ET_EXEC, big-endian
  e[19] = 8;  // MIPS
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->bits, 32);
  EXPECT_FALSE(f->little_endian);
  EXPECT_EQ(f->machine, "MIPS");
  EXPECT_EQ(f->type, "executable");
}

// Every prefix of a valid dynamic ELF: no crash, and the header cut short is said.
TEST(ElfFacts, TruncatedAtEveryLength) {
  std::string full = DynamicElf(true);
  for (size_t n = 0; n <= full.size(); ++n) {
    std::string cut = full.substr(0, n);
    auto f = ParseElf(Bytes(cut));
    auto report = TriageBytes(Bytes(cut), "cut");
    if (n < 6) {
      EXPECT_FALSE(f.has_value());
      continue;
    }
    ASSERT_TRUE(f.has_value()) << n;
    if (n < 64) {
      EXPECT_TRUE(AnomalyMentions(*f, "ELF header")) << n;
    }
    if (n >= 64 && n < full.size()) {
      EXPECT_FALSE(f->anomalies.empty()) << "cut at " << n << " of " << full.size();
    }
  }
}

TEST(ElfFacts, SectionTableOutsideTheFile) {
  std::string e = StaticElf();
  Put(e, 40, e.size() + 100, 8);  // e_shoff past the end
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->sections.empty());
  EXPECT_TRUE(AnomalyMentions(*f, "outside the file"));
  Put(e, 40, ~0ull - 10, 8);  // an offset that overflows when added to
  f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->sections.empty());
}

TEST(ElfFacts, HugeCounts) {
  std::string e = DynamicElf();
  Put(e, 60, 0xffff, 2);  // e_shnum
  Put(e, 56, 0xffff, 2);  // e_phnum
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(AnomalyMentions(*f, "capped"));
  EXPECT_LE(f->sections.size(), kMaxSections);
}

TEST(ElfFacts, SmallEntrySizesRefused) {
  std::string e = StaticElf();
  Put(e, 58, 8, 2);  // e_shentsize smaller than a section header
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->sections.empty());
  EXPECT_TRUE(AnomalyMentions(*f, "entry size"));
}

TEST(ElfFacts, NameTableIndexOutOfRange) {
  std::string e = StaticElf();
  Put(e, 62, 200, 2);  // e_shstrndx
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_FALSE(f->sections.empty());
  for (const auto& s : f->sections) EXPECT_TRUE(s.name.empty());
  EXPECT_TRUE(AnomalyMentions(*f, "name table"));
}

TEST(ElfFacts, SectionBytesAndNamesOutsideTheFile) {
  ElfBuilder b;
  b.AddSection({".text", 1, 6, std::string(32, 'A')});
  std::string e = b.Build();
  uint64_t text = b.shoff + 64;
  Put(e, text + 24, 1ull << 62, 8);  // sh_offset
  Put(e, text, 0xfffffff0, 4);       // sh_name past the name table
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  ASSERT_GE(f->sections.size(), 2u);
  EXPECT_FALSE(f->sections[1].in_file);
  EXPECT_TRUE(f->sections[1].name.empty());
  EXPECT_TRUE(AnomalyMentions(*f, "outside the file"));
}

TEST(ElfFacts, DynamicPointingAnywhere) {
  std::string e = DynamicElf();
  auto clean = ParseElf(Bytes(e));
  ASSERT_TRUE(clean.has_value());
  // Every section's sh_link to a bogus index and every DT_NEEDED to a huge offset.
  std::string bad = e;
  uint64_t shoff = 0;
  for (int i = 0; i < 8; ++i) shoff |= static_cast<uint64_t>(static_cast<uint8_t>(bad[40 + i])) << (8 * i);
  for (int i = 1; i < 7; ++i) Put(bad, shoff + 64 * i + 40, 0xffffffff, 4);
  auto f = ParseElf(Bytes(bad));
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->needed.empty());
  EXPECT_TRUE(f->imports.empty());
  EXPECT_FALSE(f->anomalies.empty());
}

// Overlapping sections: a thousand sections all covering the whole file.
TEST(ElfFacts, OverlappingSections) {
  std::string e(64, '\0');
  e[0] = 0x7f, e[1] = 'E', e[2] = 'L', e[3] = 'F', e[4] = 2, e[5] = 1;
  Put(e, 16, 2, 2);
  const uint64_t n = 1000, shoff = 64;
  e.resize(shoff + 64 * n, '\0');
  for (uint64_t i = 0; i < n; ++i) {
    Put(e, shoff + 64 * i + 4, 1, 4);
    Put(e, shoff + 64 * i + 8, 4, 8);  // executable
    Put(e, shoff + 64 * i + 24, 0, 8);
    Put(e, shoff + 64 * i + 32, e.size(), 8);
  }
  Put(e, 40, shoff, 8);
  Put(e, 58, 64, 2);
  Put(e, 60, n, 2);
  Put(e, 62, 0, 2);
  auto f = ParseElf(Bytes(e));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->sections.size(), n);
  auto report = TriageBytes(Bytes(e), "overlap");
  EXPECT_NE(report.assessment.verdict, Verdict::kClean);
}

// Random byte flips in a valid file: no crash, bounded output.
TEST(ElfFacts, RandomMutationsNeverCrash) {
  const std::string base = DynamicElf(true);
  std::mt19937 rng(1234);
  for (int round = 0; round < 3000; ++round) {
    std::string e = base;
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; ++i) {
      size_t at = rng() % (round % 2 ? 64 : e.size());
      e[at] = static_cast<char>(rng());
    }
    auto f = ParseElf(Bytes(e));
    ASSERT_TRUE(!f || f->sections.size() <= kMaxSections);
    ASSERT_TRUE(!f || f->imports.size() <= kMaxImports);
    (void)TriageJson(TriageBytes(Bytes(e), "m")).dump();
  }
}

}  // namespace
}  // namespace bulwark::respond
