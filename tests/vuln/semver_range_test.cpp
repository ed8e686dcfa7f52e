// SemverRangeSatisfies against node-semver's documented range semantics
// (npm docs "semver": Advanced Range Syntax, Prerelease Tags), cases written
// from those docs in the style of node-semver's range-include/exclude lists.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "vuln/version.hpp"

namespace bulwark::vuln {
namespace {

using Case = std::pair<const char*, const char*>;  // range, version

TEST(SemverRange, Includes) {
  const Case cases[] = {
      {"1.0.0 - 2.0.0", "1.2.3"},
      {"1.2 - 2.3.4", "1.2.0"},
      {"1.2.3 - 2.3", "2.3.9"},
      {"1.2.3 - 2", "2.9.9"},
      {"x - 1.0.0", "0.9.7"},
      {"1.0.0 - x", "1.9.7"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2"},
      {"1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha"},
      {"^1.2.3+build", "1.2.3"},
      {"^1.2.3+build", "1.3.0"},
      {"1.0.0", "1.0.0"},
      {"=1.0.0", "v1.0.0"},
      {">=*", "0.2.4"},
      {"", "1.0.0"},
      {"*", "1.2.3"},
      {"x", "1.2.3"},
      {">=1.0.0", "1.0.0"},
      {">1.0.0", "1.0.1"},
      {"<=2.0.0", "2.0.0"},
      {"<2.0.0", "1.9999.9999"},
      {">= 1.0.0", "1.0.0"},
      {">=  1.0.0", "1.0.1"},
      {"> 1.0.0", "1.0.1"},
      {"0.1.20 || 1.2.4", "1.2.4"},
      {">=0.2.3 || <0.0.1", "0.0.0"},
      {">=0.2.3 || <0.0.1", "0.2.4"},
      {"||", "1.3.4"},
      {"2.x.x", "2.1.3"},
      {"1.2.x", "1.2.3"},
      {"1.2.x || 2.x", "2.1.3"},
      {"2.*.*", "2.1.3"},
      {"2", "2.1.2"},
      {"2.3", "2.3.1"},
      {"~0.0.1", "0.0.1"},
      {"~x", "0.0.9"},
      {"~2", "2.0.9"},
      {"~2.4", "2.4.5"},
      {"~>3.2.1", "3.2.2"},
      {"~> 1", "1.2.3"},
      {"~ 1.0", "1.0.2"},
      {"~1.2.3-beta.2", "1.2.3-beta.4"},
      {"~1.2.3-beta.2", "1.2.9"},
      {">=1", "1.0.0"},
      {"< 1.2", "1.1.1"},
      {"~v0.5.4-pre", "0.5.5"},
      {"~v0.5.4-pre", "0.5.4"},
      {"=0.7.x", "0.7.2"},
      {"<=0.7.x", "0.7.2"},
      {">=0.7.x", "0.7.2"},
      {"<=0.7.x", "0.6.2"},
      {"~1.2.1 >=1.2.3", "1.2.3"},
      {"~1.2.1 =1.2.3", "1.2.3"},
      {"~1.2.1 1.2.3", "1.2.3"},
      {">=1.2.3 >=1.2.1", "1.2.3"},
      {">=1.2", "1.2.8"},
      {"^1.2.3", "1.8.1"},
      {"^0.1.2", "0.1.2"},
      {"^0.1", "0.1.9"},
      {"^0.0.1", "0.0.1"},
      {"^1.2", "1.4.2"},
      {"^1.2 ^1", "1.4.2"},
      {"^1.2.3-alpha", "1.2.3-pre"},
      {"^1.2.0-alpha", "1.2.0-pre"},
      {"^0.0.1-alpha", "0.0.1-beta"},
      {"^0.0.1-alpha", "0.0.1"},
      {"^0.1.1-alpha", "0.1.1-beta"},
      {"^x", "1.2.3"},
      {"^0.x", "0.9.0"},
      {"<=7.x", "7.9.9"},
      {"^1.2.3", "1.2.3+build"},
      {">1", "2.0.0"},
      {"<=1.2", "1.2.9"},
      {"<1", "0.9.9"},
      {"^ 1.2", "1.9.0"},
      {">=0.0.0 <2.0.0 || >=3.0.0", "3.1.0"},
      {"^9007199254740990.0.0", "9007199254740990.5.0"},
  };
  for (const auto& [range, version] : cases) {
    EXPECT_TRUE(SemverRangeSatisfies(range, version))
        << "'" << range << "' should include " << version;
  }
}

TEST(SemverRange, Excludes) {
  const Case cases[] = {
      {"1.0.0 - 2.0.0", "2.2.3"},
      {"1.2.3 - 2.3", "2.4.0"},
      {"1.2.3 - 2.3", "2.4.0-0"},
      {"1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2"},
      {"1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha"},
      {"^1.2.3+build", "2.0.0"},
      {"^1.2.3+build", "1.2.0"},
      {"^1.2.3", "1.2.3-pre"},
      {"^1.2", "1.2.0-pre"},
      {">1.2", "1.3.0-beta"},
      {"<=1.2.3", "1.2.3-beta"},
      {"^1.2.3", "1.2.3-beta"},
      {"=0.7.x", "0.7.0-asdf"},
      {">=0.7.x", "0.7.0-asdf"},
      {"<=0.7.x", "0.7.0-asdf"},
      {"1", "1.0.0beta"},
      {"<1", "1.0.0beta"},
      {"1.0.0", "1.0.1"},
      {">=1.0.0", "0.0.1"},
      {">1.0.0", "0.1.0"},
      {"<=2.0.0", "3.0.0"},
      {"<=2.0.0", "2.2.9"},
      {"<2.0.0", "2.9999.9999"},
      {">=0.1.97", "v0.1.93"},
      {"0.1.20 || 1.2.4", "1.2.3"},
      {">=0.2.3 || <0.0.1", "0.0.3"},
      {">=0.2.3 || <0.0.1", "0.2.2"},
      {"2.x.x", "1.1.3"},
      {"2.x.x", "3.1.3"},
      {"1.2.x", "1.3.3"},
      {"1.2.x || 2.x", "3.1.3"},
      {"2.*.*", "1.1.3"},
      {"1.2.*", "1.3.3"},
      {"2", "1.1.2"},
      {"2.3", "2.4.1"},
      {"~0.0.1", "0.1.0-alpha"},
      {"~0.0.1", "0.1.0"},
      {"~2.4", "2.5.0"},
      {"~2.4", "2.3.9"},
      {"~>3.2.1", "3.3.2"},
      {"~>3.2.1", "3.2.0"},
      {"~1", "0.2.3"},
      {"~>1", "2.2.3"},
      {"~1.0", "1.1.0"},
      {"~1.2.3-beta.2", "1.2.4-beta.2"},
      {"<1", "1.0.0"},
      {">=1.2", "1.1.1"},
      {"~v0.5.4-beta", "0.5.4-alpha"},
      {"=0.7.x", "0.8.2"},
      {">=0.7.x", "0.6.2"},
      {"<0.7.x", "0.7.2"},
      {"<1.2.3", "1.2.3-beta"},
      {"=1.2.3", "1.2.3-beta"},
      {">1.2", "1.2.8"},
      {"^0.0.1", "0.0.2-alpha"},
      {"^0.0.1", "0.0.2"},
      {"^1.2.3", "2.0.0-alpha"},
      {"^1.2.3", "1.2.2"},
      {"^1.2", "1.1.9"},
      {"^0.1", "0.2.0"},
      {"*", "1.0.0-beta"},
      {"", "1.0.0-beta"},
      {"<x", "0.0.0"},
      {">x", "1.0.0"},
      {">1", "1.9.9"},
      {"^0.x", "1.0.0"},
  };
  for (const auto& [range, version] : cases) {
    EXPECT_FALSE(SemverRangeSatisfies(range, version))
        << "'" << range << "' should exclude " << version;
  }
}

// An unparsable range or version satisfies nothing; neither does a number
// above 2^53-1 (node-semver's limit).
TEST(SemverRange, RejectsInvalidInput) {
  const Case cases[] = {
      {"blerg", "1.2.3"},
      {"git+https://user:password0123@github.com/foo", "123.0.0"},
      {">=", "1.2.3"},
      {"1.2.3.4", "1.2.3"},
      {">=01.2.3", "1.2.3"},
      {"1 - 2 - 3", "1.5.0"},
      {"1.2.3-", "1.2.3"},
      {"a.b.c", "1.2.3"},
      {"^1.2.3", "1.2"},
      {"^1.2.3", ""},
      {"*", "not-a-version"},
      {"1.2.3 || blerg", "1.2.3"},
      {"*", "9007199254740992.0.0"},
      {">=9007199254740992.0.0", "1.0.0"},
  };
  for (const auto& [range, version] : cases) {
    EXPECT_FALSE(SemverRangeSatisfies(range, version)) << "'" << range << "' with " << version;
  }
}

TEST(SemverRange, SurvivesHostileInput) {
  std::string long_range;
  for (int i = 0; i < 20000; ++i) long_range += ">=1.0.0 ";
  EXPECT_TRUE(SemverRangeSatisfies(long_range, "1.2.3"));
  std::string bars(100000, '|');
  EXPECT_TRUE(SemverRangeSatisfies(bars, "1.2.3"));  // only empty sets: any release
  EXPECT_FALSE(SemverRangeSatisfies(std::string(100000, '9'), "1.2.3"));
  EXPECT_FALSE(SemverRangeSatisfies(std::string("1.2.3\0", 6), "1.2.3"));
  EXPECT_FALSE(SemverRangeSatisfies("\xff\xfe", "1.2.3"));
  EXPECT_FALSE(SemverRangeSatisfies(std::string(100000, '-'), "1.2.3"));
}

}  // namespace
}  // namespace bulwark::vuln
