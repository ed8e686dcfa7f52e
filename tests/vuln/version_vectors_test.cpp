// Conformance of every version scheme against the public vectors in
// ../shared/data/version-vectors (see its SOURCE.md): osv-scalibr's
// `A <op> B` files and apk-tools' version.data. Every line is checked, both
// ways round (compare(b, a) must have the opposite sign). Lines where the
// vector disagrees with the scheme's reference implementation are listed
// below with the reason; such a line that starts to agree fails the test too,
// so the list stays exact. Skips loudly without the shared data.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "vuln/version.hpp"
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln {
namespace {

struct Exception {
  const char* file;
  const char* line;
  const char* reason;
};

// Each of these disagrees with the reference implementation the scheme follows.
constexpr Exception kExceptions[] = {
    {"alpine-versions.txt", "1-r = 1-r0",
     "osv-scalibr reads a bare '-r' as -r0; apk-tools 3 rejects it (version.data: `!0.1-r`) and "
     "orders the invalid token below -r0, so 1-r < 1-r0"},
    {"alpine-versions.txt", "1-r0-1 = 1-r-2",
     "apk-tools 3: 1-r0-1 has revision 0 before its invalid tail, 1-r-2 turns invalid at '-r-', "
     "and invalid sorts lowest, so 1-r0-1 > 1-r-2 (osv-scalibr ignores the tails)"},
    {"packagist-versions.txt", "1.2.3.# = 1.2.3",
     "PHP version_compare turns '#' into a separator (\"1.2.3.\"), and an empty trailing part "
     "sorts below the end: 1.2.3.# < 1.2.3 (osv-scalibr keeps '#' as a part ranked like a number)"},
    {"packagist-versions.txt", "1.2.3.# = 1.2.3.1",
     "as above: PHP compares \"1.2.3.\" with \"1.2.3.1\", the empty part sorts below 1"},
};

const Exception* FindException(const std::string& file, const std::string& line) {
  for (const Exception& e : kExceptions) {
    if (file == e.file && line == e.line) return &e;
  }
  return nullptr;
}

int SignOf(int v) { return (v > 0) - (v < 0); }

std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Tally {
  int lines = 0;
  int agree = 0;
  int excepted = 0;
};

void Report(const std::string& name, const Tally& t) {
  std::cout << "[ VECTORS  ] " << name << ": " << t.lines << " lines, " << t.agree << " agree, "
            << t.excepted << " documented exceptions\n";
  ::testing::Test::RecordProperty(name, std::to_string(t.agree) + "/" + std::to_string(t.lines));
}

// osv-scalibr's format (semantic/compare_test.go): skip blank lines and lines
// starting "# " or "// "; every other line is exactly "A op B".
Tally RunOsvFile(const std::filesystem::path& dir, const std::string& file, VersionScheme scheme) {
  Tally t;
  const auto lines = ReadLines(dir / file);
  EXPECT_FALSE(lines.empty()) << file;
  for (const std::string& line : lines) {
    if (line.empty() || line.rfind("# ", 0) == 0 || line.rfind("// ", 0) == 0) continue;
    ++t.lines;
    std::istringstream in(line);
    std::string a, op, b, extra;
    in >> a >> op >> b;
    if (b.empty() || (in >> extra) || (op != "<" && op != "=" && op != ">")) {
      ADD_FAILURE() << file << ": malformed line '" << line << "'";
      continue;
    }
    const int want = op == "<" ? -1 : op == ">" ? 1 : 0;
    const int got = SignOf(CompareVersions(scheme, a, b));
    const int back = SignOf(CompareVersions(scheme, b, a));
    const bool ok = got == want && back == -want;
    const Exception* ex = FindException(file, line);
    if (ex != nullptr) {
      ++t.excepted;
      EXPECT_FALSE(ok) << file << ": documented exception now agrees, remove it: " << line;
      continue;
    }
    if (ok) {
      ++t.agree;
    } else {
      ADD_FAILURE() << file << " [" << VersionSchemeName(scheme) << "]: '" << line << "' gave "
                    << got << ", reversed " << back;
    }
  }
  Report(file + " (" + std::string(VersionSchemeName(scheme)) + ")", t);
  return t;
}

class OsvVectors : public ::testing::TestWithParam<std::pair<const char*, VersionScheme>> {};

TEST_P(OsvVectors, EveryLineAgrees) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto dir = data / "version-vectors" / "osv-scalibr";
  Tally t = RunOsvFile(dir, GetParam().first, GetParam().second);
  EXPECT_GT(t.lines, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Files, OsvVectors,
    ::testing::Values(std::pair{"debian-versions.txt", VersionScheme::kDebian},
                      std::pair{"debian-versions-generated.txt", VersionScheme::kDebian},
                      std::pair{"alpine-versions.txt", VersionScheme::kApk},
                      std::pair{"alpine-versions-generated.txt", VersionScheme::kApk},
                      std::pair{"redhat-versions.txt", VersionScheme::kRpm},
                      std::pair{"pypi-versions.txt", VersionScheme::kPep440},
                      std::pair{"pypi-versions-generated.txt", VersionScheme::kPep440},
                      std::pair{"semver-versions.txt", VersionScheme::kSemver},
                      std::pair{"semver-versions.txt", VersionScheme::kGo},
                      std::pair{"maven-versions.txt", VersionScheme::kMaven},
                      std::pair{"maven-versions-generated.txt", VersionScheme::kMaven},
                      std::pair{"rubygems-versions.txt", VersionScheme::kRubyGems},
                      std::pair{"rubygems-versions-generated.txt", VersionScheme::kRubyGems},
                      std::pair{"packagist-versions.txt", VersionScheme::kPackagist},
                      std::pair{"packagist-versions-generated.txt", VersionScheme::kPackagist}),
    [](const auto& info) {
      std::string name = std::string(VersionSchemeName(info.param.second)) + "_" + info.param.first;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

// apk-tools test/unit/version.data: `VER` must be valid, `!VER` invalid,
// `A OP B` must hold and `A !OP B` must not. OP is made of '<', '>', '='
// and '~' (fuzzy: B's tokens a prefix of A's), as apk_version_match reads it.
bool ApkOpHolds(const std::string& a, const std::string& op, const std::string& b) {
  const bool fuzzy = op.find('~') != std::string::npos;
  const int r = SignOf(internal::CompareApkFuzzy(a, b, fuzzy));
  if (r < 0) return op.find('<') != std::string::npos;
  if (r > 0) return op.find('>') != std::string::npos;
  return op.find('=') != std::string::npos || fuzzy;
}

TEST(ApkToolsVectors, EveryLineAgrees) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto lines = ReadLines(data / "version-vectors" / "apk-tools" / "version.data");
  ASSERT_FALSE(lines.empty());
  Tally t;
  int validity = 0;
  int fuzzy = 0;
  for (std::string line : lines) {
    line = line.substr(0, line.find('#'));
    std::istringstream in(line);
    std::string a, op, b;
    in >> a >> op >> b;
    if (a.empty()) continue;
    ++t.lines;
    bool ok = false;
    if (op.empty()) {
      ++validity;
      const bool want_valid = a[0] != '!';
      ok = IsValidVersion(VersionScheme::kApk, want_valid ? a : a.substr(1)) == want_valid;
    } else {
      const bool negated = op[0] == '!';
      const std::string bare = negated ? op.substr(1) : op;
      fuzzy += bare.find('~') != std::string::npos;
      ok = ApkOpHolds(a, bare, b) != negated;
      if (bare.find('~') == std::string::npos) {  // exact ops: the reverse must mirror
        const int fwd = SignOf(CompareVersions(VersionScheme::kApk, a, b));
        ok = ok && SignOf(CompareVersions(VersionScheme::kApk, b, a)) == -fwd;
      }
    }
    if (ok) {
      ++t.agree;
    } else {
      ADD_FAILURE() << "version.data: '" << line << "'";
    }
  }
  std::cout << "[ VECTORS  ] apk-tools version.data: " << validity << " validity lines, " << fuzzy
            << " fuzzy lines\n";
  Report("apk-tools/version.data (apk)", t);
  EXPECT_GE(t.lines, 785);
}

}  // namespace
}  // namespace bulwark::vuln
