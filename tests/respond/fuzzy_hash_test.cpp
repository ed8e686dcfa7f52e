// ssdeep fuzzy hashes: the value the `ssdeep` tool computes (or its format
// when the tool is not installed), similar files compare high, unrelated
// ones near zero, and triage reports the hash in every format.
#include "respond/fuzzy_hash.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "respond/triage.hpp"
#include "respond/triage_render.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::vector<uint8_t> out(n);
  for (auto& b : out) b = static_cast<uint8_t>(gen() & 0xff);
  return out;
}

// Text-like input: ssdeep's rolling hash needs some structure to be stable.
std::vector<uint8_t> TextLike(size_t lines, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string s;
  for (size_t i = 0; i < lines; ++i) s += "line " + std::to_string(gen() % 100000) + " of the sample file\n";
  return {s.begin(), s.end()};
}

// "blocksize:hash:hash": digits, then two base64 runs.
bool LooksLikeSsdeep(const std::string& h) {
  size_t colon = h.find(':');
  if (colon == 0 || colon == std::string::npos) return false;
  for (size_t i = 0; i < colon; ++i) {
    if (h[i] < '0' || h[i] > '9') return false;
  }
  int colons = 0;
  for (size_t i = colon; i < h.size(); ++i) {
    char c = h[i];
    if (c == ':') ++colons;
    else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return colons == 2;
}

std::string Hash(const std::vector<uint8_t>& data) {
  auto h = FuzzyHash(data);
  EXPECT_TRUE(h.ok()) << h.status().message();
  return h.ok() ? h.value() : "";
}

TEST(FuzzyHash, MatchesTheSsdeepToolOrItsFormat) {
  if (!FuzzyHashAvailable()) GTEST_SKIP() << "this build has no libfuzzy";
  auto data = RandomBytes(64 * 1024, 7);
  std::string mine = Hash(data);
  EXPECT_TRUE(LooksLikeSsdeep(mine)) << mine;
  const std::filesystem::path tool = "/usr/bin/ssdeep";
  if (!std::filesystem::exists(tool)) GTEST_SKIP() << "no ssdeep tool: checked the format only";
  auto dir = bulwark::testing::MakeTempDir("fuzzy-hash");
  bulwark::testing::WriteFile(dir / "sample", std::string(data.begin(), data.end()));
  auto r = bulwark::testing::RunCommand({tool.string(), "-s", "-b", (dir / "sample").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // "ssdeep,1.1--blocksize:hash:hash,filename" then "HASH,\"sample\"".
  auto line = r.out.substr(r.out.find('\n') + 1);
  EXPECT_EQ(line.substr(0, line.find(',')), mine) << r.out;
}

TEST(FuzzyHash, SimilarFilesCompareHighUnrelatedNearZero) {
  if (!FuzzyHashAvailable()) GTEST_SKIP() << "this build has no libfuzzy";
  auto original = TextLike(4000, 1);
  auto edited = original;
  for (size_t i : {100u, 5000u, 40000u, 70000u}) edited[i] ^= 0x20;  // a few bytes
  auto unrelated = TextLike(4000, 2);
  auto noise = RandomBytes(original.size(), 3);
  std::string a = Hash(original), b = Hash(edited), c = Hash(unrelated), d = Hash(noise);
  auto same = FuzzyCompare(a, a);
  auto similar = FuzzyCompare(a, b);
  auto other = FuzzyCompare(a, d);
  ASSERT_TRUE(same.ok() && similar.ok() && other.ok());
  EXPECT_EQ(*same, 100);
  EXPECT_GT(*similar, 50) << a << " vs " << b;
  EXPECT_LT(*other, 10) << a << " vs " << d;
  EXPECT_LT(*FuzzyCompare(c, d), 10);
}

TEST(FuzzyHash, CompareRefusesNonHashes) {
  if (!FuzzyHashAvailable()) GTEST_SKIP() << "this build has no libfuzzy";
  EXPECT_FALSE(FuzzyCompare("not a hash", "3:abc:def").ok());
  EXPECT_FALSE(FuzzyCompare("", "").ok());
}

TEST(FuzzyHash, InEveryTriageFormat) {
  auto data = TextLike(200, 4);
  TriageReport report = TriageBytes(data, "sample.txt");
  auto json = TriageJson(report);
  std::string text = TriageText(report), md = TriageMarkdown(report);
  if (!FuzzyHashAvailable()) {
    EXPECT_TRUE(json["hashes"]["ssdeep"].is_null());
    EXPECT_NE(text.find("ssdeep:     -"), std::string::npos);
    bool said = false;
    for (const auto& l : report.limits) said = said || l.find("ssdeep") != std::string::npos;
    EXPECT_TRUE(said);
    return;
  }
  ASSERT_FALSE(report.hashes.ssdeep.empty());
  EXPECT_EQ(json["hashes"]["ssdeep"], report.hashes.ssdeep);
  EXPECT_NE(text.find("ssdeep:     " + report.hashes.ssdeep), std::string::npos) << text;
  EXPECT_NE(md.find("| ssdeep | " + report.hashes.ssdeep + " |"), std::string::npos) << md;
}

}  // namespace
}  // namespace bulwark::respond
