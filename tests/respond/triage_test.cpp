// Hashes, file kinds, entropy, the verdict on a miner-like sample and on a
// system binary, and escaping of hostile text in every renderer.
#include "respond/triage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "elf_builder.hpp"
#include "respond/file_kind.hpp"
#include "respond/hashes.hpp"
#include "respond/triage_render.hpp"
#include "respond/verdict.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool HasReason(const TriageReport& r, const std::string& signal) {
  return std::any_of(r.assessment.reasons.begin(), r.assessment.reasons.end(),
                     [&](const Reason& x) { return x.signal == signal; });
}

bool HasTechnique(const TriageReport& r, const std::string& id) {
  return std::find(r.assessment.attack.begin(), r.assessment.attack.end(), id) != r.assessment.attack.end();
}

// A static, stripped ELF whose .rodata holds what a cryptominer carries.
std::string MinerLikeElf() {
  testing::ElfBuilder b;
  std::string rodata;
  for (const char* s : {"xmrig", "--donate-level=0", "stratum+tcp://pool.example.com:3333",
                        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
                        "/etc/cron.d/kworker", "/etc/ld.so.preload", "/var/run/docker.sock", "/etc/shadow",
                        "/proc/sys/vm/nr_hugepages"}) {
    rodata += std::string(s) + '\0';
  }
  b.AddSection({".rodata", 1, 2, rodata});
  b.AddSection({".text", 1, 6, std::string(256, '\x90')});
  return b.Build();
}

TEST(Hashes, KnownVectors) {
  Hashes h = HashBytes(Bytes("abc"));
  EXPECT_EQ(h.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(h.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(h.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Hashes empty = HashBytes({});
  EXPECT_EQ(empty.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hashes, FileStreamedAndBounded) {
  auto dir = bulwark::testing::MakeTempDir("triage-hash");
  std::string big(200000, 'z');
  big += "abc";
  bulwark::testing::WriteFile(dir / "f", big);
  auto h = HashFile((dir / "f").string(), 1 << 20);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(h->sha256, HashBytes(Bytes(big)).sha256);
  auto refused = HashFile((dir / "f").string(), 1000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_FALSE(HashFile((dir / "missing").string(), 1000).ok());
  std::filesystem::remove_all(dir);
}

TEST(FileKind, Magic) {
  EXPECT_EQ(DetectFileType(Bytes("")).kind, FileKind::kEmpty);
  EXPECT_EQ(DetectFileType(Bytes(testing::StaticElf())).kind, FileKind::kElf);
  auto script = DetectFileType(Bytes("#!/bin/sh -e\necho hi\n"));
  EXPECT_EQ(script.kind, FileKind::kScript);
  EXPECT_EQ(script.description, "script for /bin/sh -e");
  EXPECT_EQ(DetectFileType(Bytes(std::string("\x1f\x8b\x08\0", 4))).kind, FileKind::kArchive);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  EXPECT_EQ(DetectFileType(Bytes(tar)).description, "tar archive");
  EXPECT_EQ(DetectFileType(Bytes("just some words\n")).kind, FileKind::kText);
  EXPECT_EQ(DetectFileType(Bytes(std::string("\x01\x02\0\x03", 4))).kind, FileKind::kData);
}

TEST(Entropy, Bounds) {
  EXPECT_DOUBLE_EQ(ShannonEntropy({}), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy(Bytes(std::string(1000, 'a'))), 0.0);
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_DOUBLE_EQ(ShannonEntropy(Bytes(all)), 8.0);
}

TEST(Verdict, MinerLikeSampleIsMalicious) {
  auto r = TriageBytes(Bytes(MinerLikeElf()), "miner");
  EXPECT_EQ(r.assessment.verdict, Verdict::kMalicious);
  EXPECT_EQ(r.assessment.confidence, "high");
  for (const char* s : {"miner-stratum-url", "miner-wallet", "miner-word", "miner-tuning", "persistence-cron",
                        "persistence-ld-preload", "docker-socket", "credential-files", "static-stripped"}) {
    EXPECT_TRUE(HasReason(r, s)) << s;
  }
  for (const char* t : {"T1496", "T1053.003", "T1574.006", "T1552.001", "T1611"}) {
    EXPECT_TRUE(HasTechnique(r, t)) << t;
  }
  int sum = 0;
  for (const auto& reason : r.assessment.reasons) sum += reason.weight;
  EXPECT_EQ(sum, r.assessment.score);
}

TEST(Verdict, EachSignalCountsOnce) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "xmrig-" + std::to_string(i) + " randomx\n";
  auto r = TriageBytes(Bytes(many), "words");
  EXPECT_EQ(r.assessment.score, 40);  // miner-word once, whatever the count
  EXPECT_EQ(r.assessment.verdict, Verdict::kSuspicious);
}

TEST(Verdict, SystemBinaryIsCleanOrUnknown) {
  for (const char* path : {"/bin/true", "/usr/bin/true"}) {
    if (!std::filesystem::exists(path)) continue;
    auto r = TriageFile(path);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->assessment.verdict == Verdict::kClean || r->assessment.verdict == Verdict::kUnknown)
        << VerdictName(r->assessment.verdict) << " score " << r->assessment.score;
    ASSERT_TRUE(r->elf.has_value());
    EXPECT_TRUE(r->elf->is_dynamic);
    EXPECT_FALSE(r->elf->needed.empty());
    return;
  }
  GTEST_SKIP() << "no /bin/true on this system";
}

TEST(Verdict, ScoringTableIsConsistent) {
  for (const auto& s : ScoringTable()) {
    EXPECT_GT(s.weight, 0) << s.id;
    EXPECT_FALSE(s.meaning.empty()) << s.id;
  }
}

TEST(TriageFile, RefusesWhatIsNotARegularFile) {
  auto dir = bulwark::testing::MakeTempDir("triage-file");
  auto r = TriageFile(dir.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  r = TriageFile((dir / "missing").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

// Text from the file reaches no renderer raw: no ESC on the terminal, no
// table-breaking pipe in Markdown, valid UTF-8 in JSON.
TEST(Render, HostileTextIsEscaped) {
  testing::ElfBuilder b;
  b.AddSection({std::string(".x\x1b[31m|evil\xff", 13), 1, 0, "stratum+tcp://a.example.com:1\x1b]0;t\a`|`"});
  auto r = TriageBytes(Bytes(b.Build()), "/tmp/\x1b[2Jname\n| x");
  std::string text = TriageText(r);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("\\x1B[2J"), std::string::npos);
  std::string md = TriageMarkdown(r);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find("m|evil"), std::string::npos);
  EXPECT_NE(md.find("m\\|evil"), std::string::npos);
  std::string json = TriageJson(r).dump();  // throws on invalid UTF-8
  EXPECT_NE(json.find("\\u001b"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::respond
