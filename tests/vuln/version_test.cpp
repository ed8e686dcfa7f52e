// The project's own version-order cases, written from each scheme's spec or
// man page (deb-version(7), PEP 440, semver.org §11, go.dev/ref/mod, rpm's
// rpmvercmp, apk-package(5), Maven's ComparableVersion docs, Gem::Version,
// PHP version_compare). They need no shared data; the public vectors are in
// version_vectors_test.cpp.
#include "vuln/version.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "vuln/version_schemes.hpp"

namespace bulwark::vuln {
namespace {

int SignOf(int v) { return (v > 0) - (v < 0); }

// Checks each adjacent pair of `chain`, where "<" or "=" separates versions:
// {"1.0", "<", "1.1", "=", "1.1.0"}; and the reverse, and each against itself.
void ExpectChain(VersionScheme scheme, const std::vector<std::string>& chain) {
  for (std::size_t i = 0; i + 2 < chain.size(); i += 2) {
    const std::string& a = chain[i];
    const std::string& b = chain[i + 2];
    const int want = chain[i + 1] == "<" ? -1 : 0;
    EXPECT_EQ(SignOf(CompareVersions(scheme, a, b)), want)
        << VersionSchemeName(scheme) << ": " << a << " " << chain[i + 1] << " " << b;
    EXPECT_EQ(SignOf(CompareVersions(scheme, b, a)), -want)
        << VersionSchemeName(scheme) << " reversed: " << b << " vs " << a;
    EXPECT_EQ(CompareVersions(scheme, a, a), 0) << a;
  }
}

void ExpectValid(VersionScheme scheme, const std::vector<std::string>& valid,
                 const std::vector<std::string>& invalid) {
  for (const auto& v : valid)
    EXPECT_TRUE(IsValidVersion(scheme, v)) << VersionSchemeName(scheme) << ": " << v;
  for (const auto& v : invalid)
    EXPECT_FALSE(IsValidVersion(scheme, v)) << VersionSchemeName(scheme) << ": " << v;
}

TEST(DebianVersion, FollowsDebVersion7) {
  // '~' sorts before everything, even the end; letters before other symbols.
  ExpectChain(VersionScheme::kDebian,
              {"1.0~~", "<", "1.0~", "<", "1.0~beta1~svn1245", "<", "1.0~beta1", "<", "1.0", "<",
               "1.0a", "<", "1.0+", "<", "1.0.1"});
  ExpectChain(VersionScheme::kDebian, {"1.0", "=", "0:1.0", "=", "1.0-0", "=", "00:1.0-00"});
  ExpectChain(VersionScheme::kDebian, {"1.9", "<", "1.10", "<", "2.0-1", "<", "2.0-1+deb12u1", "<",
                                       "2.0-2", "<", "1:0.1", "<", "2:0.0.1"});
  ExpectChain(VersionScheme::kDebian, {"1.2.3-1~deb7u1", "<", "1.2.3-1", "<", "1.2.3-1ubuntu1"});
  ExpectChain(VersionScheme::kDebian, {"1.01", "=", "1.1", "<", "1.1-a.b"});
  ExpectValid(VersionScheme::kDebian, {"1.0", "1:2.30-1+b1", "0.9~rc1-3", "2.0.0+dfsg-1~bpo12+1"},
              {"", "a1.0", "1:", "x:1.0", "1.0-", "1.0 2", "1.0-a_b"});
}

TEST(Pep440Version, FollowsTheSpecsOrderingExample) {
  ExpectChain(VersionScheme::kPep440, {"1.0.dev456",
                                       "<",
                                       "1.0a1",
                                       "<",
                                       "1.0a2.dev456",
                                       "<",
                                       "1.0a12.dev456",
                                       "<",
                                       "1.0a12",
                                       "<",
                                       "1.0b1.dev456",
                                       "<",
                                       "1.0b2",
                                       "<",
                                       "1.0b2.post345.dev456",
                                       "<",
                                       "1.0b2.post345",
                                       "<",
                                       "1.0rc1.dev456",
                                       "<",
                                       "1.0rc1",
                                       "<",
                                       "1.0",
                                       "<",
                                       "1.0+abc.5",
                                       "<",
                                       "1.0+abc.7",
                                       "<",
                                       "1.0+5",
                                       "<",
                                       "1.0.post456.dev34",
                                       "<",
                                       "1.0.post456",
                                       "<",
                                       "1.0.15",
                                       "<",
                                       "1.1.dev1"});
  // Normalisation: spellings, separators, implicit numbers, 'v', case.
  ExpectChain(VersionScheme::kPep440, {"1.0alpha1", "=", "1.0a1", "=", "1.0-A.1", "=", "V1.0a01"});
  ExpectChain(VersionScheme::kPep440,
              {"1.0c2", "=", "1.0-preview-2", "=", "1.0rc2", "=", "1.0pre2"});
  ExpectChain(VersionScheme::kPep440, {"1.0-1", "=", "1.0.post1", "=", "1.0r1", "=", "1.0-rev1"});
  ExpectChain(VersionScheme::kPep440,
              {"1.0-dev", "=", "1.0.dev0", "<", "1.0", "=", "1.0.0", "=", " 1.0 "});
  ExpectChain(VersionScheme::kPep440, {"2.0", "<", "1!0.1", "<", "2!0.0.1"});
  // Local versions: numbers above words, longer above its prefix.
  ExpectChain(VersionScheme::kPep440,
              {"1.0+abc", "<", "1.0+abc.1", "<", "1.0+ABD", "<", "1.0+1", "<", "1.0+2"});
  // Not PEP 440 (setuptools' legacy form) sorts below every valid version.
  ExpectChain(VersionScheme::kPep440, {"french toast", "<", "0.0.1.dev0", "<", "0.1"});
  ExpectValid(VersionScheme::kPep440, {"1.0", "1!2.0rc1.post2.dev3+ubuntu.1", "1.0.post", "v1.0"},
              {"", "1.0+", "1.0+a..b", "french toast", "1.0a1b", "1..0", "!1.0"});
}

TEST(SemverVersion, FollowsSemverOrg11) {
  ExpectChain(VersionScheme::kSemver, {"1.0.0-alpha",
                                       "<",
                                       "1.0.0-alpha.1",
                                       "<",
                                       "1.0.0-alpha.beta",
                                       "<",
                                       "1.0.0-beta",
                                       "<",
                                       "1.0.0-beta.2",
                                       "<",
                                       "1.0.0-beta.11",
                                       "<",
                                       "1.0.0-rc.1",
                                       "<",
                                       "1.0.0",
                                       "<",
                                       "2.0.0",
                                       "<",
                                       "2.1.0",
                                       "<",
                                       "2.1.1"});
  ExpectChain(VersionScheme::kSemver, {"1.0.0+a", "=", "1.0.0+b", "=", "v1.0.0", "=", "1.0"});
  ExpectChain(VersionScheme::kSemver, {"1.0.0-1", "<", "1.0.0-2", "<", "1.0.0-10", "<", "1.0.0-a"});
  ExpectValid(VersionScheme::kSemver,
              {"1.0.0", "1.0.0-alpha+001", "1.0.0-x.7.z.92", "1.0.0+20130313144700"},
              {"", "1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "v1.0.0", "1.0.0-a..b"});
}

TEST(GoVersion, OrdersPseudoVersionsAndShorthands) {
  ExpectChain(VersionScheme::kGo,
              {"v0.0.0-20191109021931-daa7c04131f5", "<", "v0.1.0", "<", "v1.2.3-pre", "<",
               "v1.2.3-pre.0.20191109021931-daa7c04131f5", "<", "v1.2.3", "<",
               "v1.2.4-0.20191109021931-daa7c04131f5", "<", "v1.2.4"});
  ExpectChain(VersionScheme::kGo,
              {"v2.0.0+incompatible", "=", "v2.0.0", "=", "2.0.0", "=", "v2.0", "=", "v2"});
  ExpectChain(VersionScheme::kGo, {"go1.21rc2", "<", "go1.21.0", "=", "1.21.0", "<", "go1.21.5"});
  ExpectValid(VersionScheme::kGo,
              {"v1.2.3", "1.2.3", "v1.2", "v1", "v2.0.0+incompatible",
               "v0.0.0-20191109021931-daa7c04131f5"},
              {"", "v", "v01.2.3", "v1.2-pre", "v1.2.3.4", "vv1.2.3"});
}

TEST(RpmVersion, FollowsRpmvercmp) {
  ExpectChain(VersionScheme::kRpm,
              {"1.0~rc1~git123", "<", "1.0~rc1", "<", "1.0~rc1^git1", "<", "1.0~rc2", "<", "1.0",
               "<", "1.0^", "<", "1.0^git1", "<", "1.0^git2", "<", "1.01"});
  ExpectChain(VersionScheme::kRpm, {"5.5p1", "<", "5.5p2", "<", "5.5p10", "<", "5.6"});
  ExpectChain(VersionScheme::kRpm, {"xyz.4", "<", "8", "<", "10xyz", "<", "10.1xyz"});
  ExpectChain(VersionScheme::kRpm, {"1b.fc17", "<", "1.fc17", "<", "1g.fc17"});
  ExpectChain(VersionScheme::kRpm, {"1.0", "=", "1_0", "=", "1+0", "<", "2.0a", "<", "2.0.1"});
  // EVR: epoch first, then version, then release; no release sorts first.
  ExpectChain(VersionScheme::kRpm, {"2.0", "<", "2.0-1", "<", "2.0-2.el9", "<", "2.1-1", "<",
                                    "0:3.0", "<", "1:1.0-1", "=", "01:1.0-1"});
  EXPECT_EQ(internal::RpmVerCmp("1.0", "1.0.0"), -1);
  ExpectValid(VersionScheme::kRpm, {"1.0", "1.0-1", "1:1.0-1.el9_2", "1.0~rc1^git2-3"},
              {"", "1.0-", "-1", "a:1.0", "1.0 1"});
}

TEST(ApkVersion, FollowsApkPackage5) {
  ExpectChain(VersionScheme::kApk,
              {"1.0_alpha1", "<", "1.0_beta1", "<", "1.0_pre1", "<", "1.0_rc1", "<", "1.0",    "<",
               "1.0_cvs1",   "<", "1.0_svn1",  "<", "1.0_git1", "<", "1.0_hg1", "<", "1.0_p1", "<",
               "1.0a",       "<", "1.0b",      "<", "1.1"});
  ExpectChain(VersionScheme::kApk,
              {"1.0", "<", "1.0-r0", "<", "1.0-r1", "<", "1.0-r9", "<", "1.0-r10"});
  ExpectChain(VersionScheme::kApk, {"1.0_rc1", "<", "1.0_rc1-r5", "<", "1.0_rc2", "<", "1.0_rc10"});
  ExpectChain(VersionScheme::kApk, {"1.0~0a1", "<", "1.0~0b", "<", "1.0~0b-r0", "<", "1.0~0b-r1"});
  // A component with a leading zero compares as a string, as in Gentoo.
  ExpectChain(VersionScheme::kApk, {"1.01", "<", "1.010", "<", "1.1", "<", "1.10"});
  // apk-tools 2 accepted digits after the letter (old openssh releases).
  ExpectChain(VersionScheme::kApk,
              {"6.0p9-r0", "<", "6.0p10-r0", "<", "6.6.2p1-r0", "<", "6.6.2p1-r2"});
  // Invalid both before any "-r": ordered as strings.
  ExpectChain(VersionScheme::kApk, {"", "<", "a", "<", "b"});
  EXPECT_EQ(internal::CompareApkFuzzy("3.6.9", "3.6", true), 0);
  EXPECT_NE(internal::CompareApkFuzzy("3.8", "3.8.1", true), 0);
  ExpectValid(VersionScheme::kApk, {"1.2", "0.1_pre2~1234abcd", "1.2.3b_rc1_p2-r10"},
              {"", "1.2-1", "1.2a1", "1.2_foo", "1.2-r", "1.2~", "1.2-r1_pre1"});
}

TEST(MavenVersion, FollowsComparableVersion) {
  ExpectChain(VersionScheme::kMaven,
              {"1-alpha",    "<", "1-beta", "<", "1-milestone", "<", "1-rc",    "=", "1-cr",  "<",
               "1-SNAPSHOT", "<", "1",      "=", "1-ga",        "=", "1.final", "=", "1.0.0", "<",
               "1-sp",       "<", "1-abc",  "<", "1-1",         "<", "1.1"});
  ExpectChain(VersionScheme::kMaven, {"1.0-alpha-1", "=", "1.0a1", "<", "1.0-alpha-2", "<",
                                      "1.0-b1", "<", "1.0-M3", "<", "1.0.RC1", "<", "1.0"});
  ExpectChain(VersionScheme::kMaven,
              {"2.0.0.CR1", "<", "2.0.0.Final", "=", "2.0.0.RELEASE", "<", "2.0.1"});
  ExpectChain(VersionScheme::kMaven, {"1.9", "<", "1.10", "<", "1.123456789012345678901234567890"});
  ExpectChain(VersionScheme::kMaven, {"1-ga-1", "=", "1-1", "<", "1-2"});
  ExpectValid(VersionScheme::kMaven, {"1.0", "2.3.4-SNAPSHOT", "1.0.0.Final"},
              {"", "abc", "1.0 beta"});
}

TEST(RubyGemsVersion, FollowsGemVersion) {
  ExpectChain(
      VersionScheme::kRubyGems,
      {"0.9", "<", "1.0.a", "<", "1.0.a.2", "<", "1.0.b1", "<", "1.0.b2", "<", "1.0.0.pre1", "<",
       "1.0", "=", "1",     "=", "1.0.0",   "<", "1.9.3",  "<", "1.10"});
  ExpectChain(VersionScheme::kRubyGems, {"1.0-1", "=", "1.0.pre.1", "<", "1.0.rc1", "<", "1.0"});
  ExpectChain(VersionScheme::kRubyGems, {"", "=", "0", "<", "0.0.1"});
  ExpectValid(VersionScheme::kRubyGems, {"1.2.3", "1.0-beta.2", "1.0.a", " 1.0 ", ""},
              {"junk", "1..2", "1.0-", "1.0+b", "a1"});
}

TEST(PackagistVersion, FollowsPhpVersionCompare) {
  ExpectChain(
      VersionScheme::kPackagist,
      {"1.0-dev", "<", "1.0alpha1", "=", "1.0a1", "<", "1.0b2",  "<", "1.0RC1", "=", "1.0rc1", "<",
       "1.0",     "<", "1.0.0",     "<", "1.0.1", "<", "1.0pl1", "<", "1.10"});
  ExpectChain(VersionScheme::kPackagist, {"v1.0.0", "=", "1.0.0", "=", "1-0-0", "=", "1_0+0"});
  ExpectValid(VersionScheme::kPackagist, {"1.0.0", "v2.3.4-beta1", "1.0.0-RC1"},
              {"", "dev-master", "1.0 x"});
}

TEST(SchemeForEcosystem, MapsOsvEcosystemNames) {
  struct Case {
    const char* ecosystem;
    VersionScheme scheme;
  };
  const Case cases[] = {{"PyPI", VersionScheme::kPep440},
                        {"npm", VersionScheme::kSemver},
                        {"crates.io", VersionScheme::kSemver},
                        {"NuGet", VersionScheme::kSemver},
                        {"Hex", VersionScheme::kSemver},
                        {"Go", VersionScheme::kGo},
                        {"Maven", VersionScheme::kMaven},
                        {"RubyGems", VersionScheme::kRubyGems},
                        {"Packagist", VersionScheme::kPackagist},
                        {"Debian", VersionScheme::kDebian},
                        {"Debian:12", VersionScheme::kDebian},
                        {"Ubuntu:22.04:LTS", VersionScheme::kDebian},
                        {"Ubuntu:Pro:18.04:LTS", VersionScheme::kDebian},
                        {"Alpine", VersionScheme::kApk},
                        {"Alpine:v3.19", VersionScheme::kApk},
                        {"Wolfi", VersionScheme::kApk},
                        {"Chainguard", VersionScheme::kApk},
                        {"Red Hat:enterprise_linux:9::appstream", VersionScheme::kRpm},
                        {"Rocky Linux:9", VersionScheme::kRpm},
                        {"AlmaLinux:8", VersionScheme::kRpm},
                        {"openSUSE:Leap 15.5", VersionScheme::kRpm},
                        {"SUSE:Linux Enterprise Server 15 SP5", VersionScheme::kRpm}};
  for (const Case& c : cases) {
    auto scheme = SchemeForEcosystem(c.ecosystem);
    ASSERT_TRUE(scheme.has_value()) << c.ecosystem;
    EXPECT_EQ(*scheme, c.scheme) << c.ecosystem;
  }
  EXPECT_FALSE(SchemeForEcosystem("").has_value());
  EXPECT_FALSE(SchemeForEcosystem("Hackage").has_value());
  EXPECT_FALSE(SchemeForEcosystem("Debianx:12").has_value());
}

constexpr VersionScheme kAllSchemes[] = {
    VersionScheme::kDebian, VersionScheme::kApk,      VersionScheme::kRpm,
    VersionScheme::kPep440, VersionScheme::kSemver,   VersionScheme::kGo,
    VersionScheme::kMaven,  VersionScheme::kRubyGems, VersionScheme::kPackagist};

// Hostile input: huge numbers (compared as digit strings, so no overflow),
// deep nesting, empty strings and bytes outside ASCII; each finishes fast.
TEST(AllSchemes, SurviveHostileInput) {
  const std::string nines(30000, '9');
  // Joined by appending: GCC 12 warns falsely (-Warray-bounds) on operator+
  // chains over temporaries.
  auto joined = [](std::string head, const std::string& tail) { return head.append(tail); };
  const std::vector<std::string> inputs = {"",
                                           nines,
                                           joined(nines, "8"),
                                           joined("1.", nines),
                                           joined("1-", nines),
                                           std::string(30000, '-'),
                                           std::string(30000, '.'),
                                           joined(std::string(30000, '0'), "1"),
                                           std::string("1.0\0x", 5),
                                           "\xff\xfe\x80",
                                           "1.0\xc3\xa9",
                                           std::string(30000, '~'),
                                           std::string(30000, 'a')};
  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += "1-a";
  const auto start = std::chrono::steady_clock::now();
  for (VersionScheme scheme : kAllSchemes) {
    for (const auto& a : inputs) {
      for (const auto& b : {std::string("1.0"), nines, nested}) {
        EXPECT_EQ(SignOf(CompareVersions(scheme, a, b)), -SignOf(CompareVersions(scheme, b, a)))
            << VersionSchemeName(scheme) << " size " << a.size();
      }
      EXPECT_EQ(CompareVersions(scheme, a, a), 0) << VersionSchemeName(scheme);
      (void)IsValidVersion(scheme, a);
    }
    EXPECT_EQ(SignOf(CompareVersions(scheme, nines + "8", nines + "9")), -1)
        << VersionSchemeName(scheme);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

// Random short strings: compare(b, a) is always -compare(a, b), and
// compare(a, a) is 0, in every scheme.
TEST(AllSchemes, AreAntisymmetricOnRandomStrings) {
  std::mt19937 rng(20240601);
  const std::string alphabet = "0123456789.-_+~^:!abpr vxXAB*#\x80";
  auto random_version = [&] {
    std::string s;
    const int len = static_cast<int>(rng() % 10);
    for (int i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string a = random_version();
    const std::string b = random_version();
    for (VersionScheme scheme : kAllSchemes) {
      ASSERT_EQ(SignOf(CompareVersions(scheme, a, b)), -SignOf(CompareVersions(scheme, b, a)))
          << VersionSchemeName(scheme) << ": '" << a << "' vs '" << b << "'";
      ASSERT_EQ(CompareVersions(scheme, a, a), 0) << VersionSchemeName(scheme) << ": '" << a << "'";
    }
  }
}

}  // namespace
}  // namespace bulwark::vuln
