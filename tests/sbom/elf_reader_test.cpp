// ElfFile on hand-built ELF images (all four class/byte-order variants,
// built below byte by byte), on the system's /bin/true, and on hostile
// headers: truncated, pointing past the end, absurd counts.
#include "sbom/elf_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sbom/fixtures/binary-catalogers/elf_builder.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::ElfBuilder;

struct Variant {
  bool is64, big;
};

class ElfVariants : public ::testing::TestWithParam<Variant> {};

TEST_P(ElfVariants, FindsSectionsAndMapsAddresses) {
  ElfBuilder builder(GetParam().is64, GetParam().big);
  builder.Add(".text", std::string(100, '\x90'));
  uint64_t data_at = builder.Add(".go.buildinfo", "hello, sections");
  builder.Add(".bss", "", 8);
  std::string image = builder.Build();

  core::Result<ElfFile> elf = ElfFile::Parse(image);
  ASSERT_TRUE(elf.ok()) << elf.status().message();
  EXPECT_EQ(elf->Is64(), GetParam().is64);
  EXPECT_EQ(elf->BigEndian(), GetParam().big);
  ASSERT_EQ(elf->Sections().size(), 5u);  // null, three, .shstrtab
  const ElfSection* section = elf->FindSection(".go.buildinfo");
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(section->addr, data_at);
  core::Result<std::string_view> bytes = elf->SectionData(*section);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "hello, sections");
  EXPECT_EQ(elf->FindSection(".nope"), nullptr);
  core::Result<std::string_view> bss = elf->SectionData(*elf->FindSection(".bss"));
  ASSERT_TRUE(bss.ok());
  EXPECT_TRUE(bss->empty());

  ASSERT_EQ(elf->Segments().size(), 1u);
  EXPECT_EQ(elf->ReadAddress(data_at, 5), "hello");
  EXPECT_EQ(elf->ReadAddress(data_at + 7, 1000).substr(0, 8), "sections");
  EXPECT_TRUE(elf->ReadAddress(0x10, 4).empty());
  EXPECT_TRUE(elf->ReadAddress(ElfBuilder::kBase + image.size(), 4).empty());
}

INSTANTIATE_TEST_SUITE_P(AllClasses, ElfVariants,
                         ::testing::Values(Variant{true, false}, Variant{true, true},
                                           Variant{false, false}, Variant{false, true}));

TEST(ElfReader, ReadsTheSystemsBinTrue) {
  std::string image = testing::ReadFile("/bin/true");
  ASSERT_GT(image.size(), 1024u) << "SKIPPED would be wrong here: /bin/true is part of coreutils";
  core::Result<ElfFile> elf = ElfFile::Parse(image);
  ASSERT_TRUE(elf.ok()) << elf.status().message();
  ASSERT_NE(elf->FindSection(".text"), nullptr);
  ASSERT_NE(elf->FindSection(".shstrtab"), nullptr);
  EXPECT_EQ(elf->FindSection(".go.buildinfo"), nullptr);
  bool has_load = false;
  for (const ElfSegment& segment : elf->Segments())
    has_load |= segment.type == ElfFile::kSegmentLoad;
  EXPECT_TRUE(has_load);
  // .rodata is mapped by a PT_LOAD: reading it by address gives its bytes.
  const ElfSection* rodata = elf->FindSection(".rodata");
  ASSERT_NE(rodata, nullptr);
  core::Result<std::string_view> bytes = elf->SectionData(*rodata);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(elf->ReadAddress(rodata->addr, 64), bytes->substr(0, 64));
}

TEST(ElfReader, RejectsWhatIsNotElf) {
  EXPECT_FALSE(ElfFile::Parse("").ok());
  EXPECT_FALSE(ElfFile::Parse("#!/bin/sh\necho hello world\n").ok());
  std::string bad_class = std::string(
                              "\x7f"
                              "ELF",
                              4) +
                          '\x07' + '\x01' + std::string(58, '\0');
  EXPECT_FALSE(ElfFile::Parse(bad_class).ok());
  std::string short_header = std::string(
                                 "\x7f"
                                 "ELF",
                                 4) +
                             '\x02' + '\x01' + std::string(20, '\0');
  EXPECT_FALSE(ElfFile::Parse(short_header).ok());
}

// Patches a little-endian field of a 64-bit image.
void Patch(std::string& image, size_t at, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) image[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

TEST(ElfReader, HostileHeadersFailCleanly) {
  ElfBuilder builder(true, false);
  builder.Add(".go.buildinfo", "payload");
  const std::string good = builder.Build();
  ASSERT_TRUE(ElfFile::Parse(good).ok());

  std::string past_end = good;
  Patch(past_end, 40, good.size() + 100, 8);  // e_shoff
  EXPECT_FALSE(ElfFile::Parse(past_end).ok());

  std::string small_entries = good;
  Patch(small_entries, 58, 8, 2);  // e_shentsize
  EXPECT_FALSE(ElfFile::Parse(small_entries).ok());

  std::string many_sections = good;
  Patch(many_sections, 60, 0xfff0, 2);  // e_shnum, far past the end
  EXPECT_FALSE(ElfFile::Parse(many_sections).ok());

  std::string many_segments = good;
  Patch(many_segments, 56, 0xfffe, 2);  // e_phnum
  EXPECT_FALSE(ElfFile::Parse(many_segments).ok());

  // A section whose bytes run past the end: parse works, data does not.
  core::Result<ElfFile> elf = ElfFile::Parse(good);
  size_t shoff = static_cast<size_t>(elf->ReadUnsigned(good, 40, 8));
  std::string long_section = good;
  Patch(long_section, shoff + 64 + 32, uint64_t{1} << 40, 8);  // section 1 sh_size
  core::Result<ElfFile> hostile = ElfFile::Parse(long_section);
  ASSERT_TRUE(hostile.ok());
  EXPECT_FALSE(hostile->SectionData(*hostile->FindSection(".go.buildinfo")).ok());

  // A string-table index out of range leaves names empty.
  std::string no_names = good;
  Patch(no_names, 62, 77, 2);
  core::Result<ElfFile> nameless = ElfFile::Parse(no_names);
  ASSERT_TRUE(nameless.ok());
  EXPECT_EQ(nameless->FindSection(".go.buildinfo"), nullptr);
}

TEST(ElfReader, EveryTruncationIsSafe) {
  ElfBuilder builder(false, true);
  builder.Add(".dep-v0", std::string(40, 'x'));
  std::string image = builder.Build();
  for (size_t size = 0; size <= image.size(); ++size) {
    std::string_view prefix(image.data(), size);
    core::Result<ElfFile> elf = ElfFile::Parse(prefix);
    if (!elf.ok()) continue;
    for (const ElfSection& section : elf->Sections()) (void)elf->SectionData(section);
    (void)elf->ReadAddress(ElfBuilder::kBase, 1 << 20);
  }
}

TEST(ElfReader, ExecutableCandidates) {
  image::FileEntry entry;
  entry.path = "usr/bin/app";
  entry.mode = 0755;
  entry.size = 4096;
  EXPECT_TRUE(IsExecutableCandidate(entry));
  entry.mode = 0644;
  EXPECT_FALSE(IsExecutableCandidate(entry));
  entry.mode = 0700;
  entry.size = 100;
  EXPECT_FALSE(IsExecutableCandidate(entry));
  entry.size = kMaxExecutableBytes + 1;
  EXPECT_FALSE(IsExecutableCandidate(entry));
  entry.size = 4096;
  entry.type = image::FileType::kSymlink;
  EXPECT_FALSE(IsExecutableCandidate(entry));
}

}  // namespace
}  // namespace bulwark::sbom
