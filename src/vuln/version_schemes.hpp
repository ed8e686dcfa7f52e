// Internal to src/vuln: one comparison and one validity check per version
// scheme, dispatched by version.cpp (the public API is version.hpp). Each
// function takes any bytes, never allocates on the common path, never fails
// and is thread-safe. Digit runs are compared as strings (length after the
// leading zeros, then bytes), so no input overflows an integer.
#pragma once

#include <cstddef>
#include <string_view>

namespace bulwark::vuln::internal {

int CompareDebian(std::string_view a, std::string_view b);
bool IsValidDebian(std::string_view version);

int CompareApk(std::string_view a, std::string_view b);
bool IsValidApk(std::string_view version);
// apk's fuzzy match ("~" in a dependency): with fuzzy set, `a` equals `b`
// when b's tokens are a prefix of a's (3.6.9 ~ 3.6). Returns <0, 0, >0.
int CompareApkFuzzy(std::string_view a, std::string_view b, bool fuzzy);

int CompareRpm(std::string_view a, std::string_view b);  // [epoch:]version[-release]
int RpmVerCmp(std::string_view a, std::string_view b);   // one field, rpmvercmp
bool IsValidRpm(std::string_view version);

int ComparePep440(std::string_view a, std::string_view b);
bool IsValidPep440(std::string_view version);

int CompareSemver(std::string_view a, std::string_view b);  // lenient: 'v', any count
bool IsValidSemver(std::string_view version);               // strict SemVer 2.0.0

// A strict SemVer 2.0.0 version split into its parts (no 'v').
struct SemverView {
  std::string_view major, minor, patch;  // digits
  std::string_view prerelease;           // without the '-'; empty if none
  std::string_view build;                // without the '+'
};
bool ParseSemverStrict(std::string_view s, SemverView& out);
int CompareSemverViews(const SemverView& a, const SemverView& b);
// Pre-release tags without the '-' ("" = a release, which sorts last).
int CompareSemverPrerelease(std::string_view a, std::string_view b);

int CompareGo(std::string_view a, std::string_view b);
bool IsValidGo(std::string_view version);

int CompareMaven(std::string_view a, std::string_view b);
bool IsValidMaven(std::string_view version);

int CompareRubyGems(std::string_view a, std::string_view b);
bool IsValidRubyGems(std::string_view version);

int ComparePackagist(std::string_view a, std::string_view b);
bool IsValidPackagist(std::string_view version);

// Shared helpers ------------------------------------------------------------

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsAlpha(char c) { return IsLower(c) || IsUpper(c); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

inline int Sign(int v) { return (v > 0) - (v < 0); }

// Length of the run of characters at the front of `s` satisfying `pred`.
template <typename Pred>
std::size_t SpanOf(std::string_view s, Pred pred) {
  std::size_t n = 0;
  while (n < s.size() && pred(s[n])) ++n;
  return n;
}

// Numeric order of two digit strings of any length ("" counts as 0).
inline int CompareDigits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

// Byte order, as strcmp/memcmp on unsigned chars.
inline int CompareBytes(std::string_view a, std::string_view b) { return Sign(a.compare(b)); }

// ASCII case-insensitive equality.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

inline bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace bulwark::vuln::internal
