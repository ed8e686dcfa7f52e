// Packagist (Composer) version order: PHP's version_compare(), which
// Composer uses after dropping a leading 'v'. The version is canonicalised
// ('-', '_', '+' and other symbols become '.', and a '.' is put between
// digits and letters), then compared part by part: numbers numerically,
// words by their special form dev < alpha = a < beta = b < RC = rc < (number)
// < pl = p, any other word below them all.
#include <string>

#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

bool IsSpecialSep(char c) { return c == '-' || c == '_' || c == '+'; }

// php_canonicalize_version into `out` (at most twice the input's length).
std::size_t Canonicalize(std::string_view v, char* out) {
  std::size_t n = 0;
  if (v.empty()) return 0;
  out[n++] = v[0];
  auto dot = [&] {
    if (out[n - 1] != '.') out[n++] = '.';
  };
  for (std::size_t i = 1; i < v.size(); ++i) {
    const char lp = v[i - 1];
    const char p = v[i];
    const bool lp_digit = IsDigit(lp);
    const bool lp_word = !IsDigit(lp) && lp != '.';
    if (IsSpecialSep(p)) {
      dot();
    } else if ((lp_word && IsDigit(p)) || (lp_digit && !IsDigit(p) && p != '.')) {
      dot();
      out[n++] = p;
    } else if (!IsAlnum(p)) {
      dot();
    } else {
      out[n++] = p;
    }
  }
  return n;
}

// compare_special_version_forms: the first name that prefixes the word.
int SpecialForm(std::string_view word) {
  struct Form {
    std::string_view name;
    int order;
  };
  static constexpr Form kForms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
                                    {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
  for (const Form& form : kForms) {
    if (word.substr(0, form.name.size()) == form.name) return form.order;
  }
  return -1;
}

// Splits off the part before the next '.'; `more` says whether a '.' followed.
std::string_view NextPart(std::string_view& rest, bool& more) {
  std::size_t dot = rest.find('.');
  std::string_view part = rest.substr(0, dot);
  more = dot != std::string_view::npos;
  rest = more ? rest.substr(dot + 1) : std::string_view();
  return part;
}

int ComparePart(std::string_view a, std::string_view b) {
  const bool da = !a.empty() && IsDigit(a[0]);
  const bool db = !b.empty() && IsDigit(b[0]);
  if (da && db)
    return CompareDigits(a.substr(0, SpanOf(a, IsDigit)), b.substr(0, SpanOf(b, IsDigit)));
  if (da) return Sign(4 - SpecialForm(b));  // a number ranks as "#"
  if (db) return Sign(SpecialForm(a) - 4);
  return Sign(SpecialForm(a) - SpecialForm(b));
}

// The parts left over on the longer side, against nothing: a number wins,
// an empty remainder loses, a word ranks against "#".
int CompareTail(std::string_view rest) {
  while (true) {
    if (rest.empty()) return -1;
    bool more = false;
    std::string_view part = NextPart(rest, more);
    if (IsDigit(part.empty() ? '\0' : part[0])) return 1;
    if (int r = Sign(SpecialForm(part) - 4); r != 0) return r;
    if (!more) return 0;
  }
}

int CompareCanonical(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty())
    return Sign(static_cast<int>(!a.empty()) - static_cast<int>(!b.empty()));
  bool more_a = true;
  bool more_b = true;
  while (!a.empty() && !b.empty() && more_a && more_b) {
    std::string_view pa = NextPart(a, more_a);
    std::string_view pb = NextPart(b, more_b);
    if (int r = ComparePart(pa, pb); r != 0) return r;
  }
  // The walk stopped at an empty part with parts left on both sides: the
  // empty side is the smaller (PHP looks only at the left one here, which
  // would make the order depend on the argument order).
  if (more_a && more_b && (a.empty() || b.empty())) {
    return Sign(static_cast<int>(!a.empty()) - static_cast<int>(!b.empty()));
  }
  if (more_a) {
    if (!a.empty() && IsDigit(a[0])) return 1;
    return CompareTail(a);
  }
  if (more_b) {
    if (!b.empty() && IsDigit(b[0])) return -1;
    return -CompareTail(b);
  }
  return 0;
}

std::string_view TrimV(std::string_view v) {
  if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) v.remove_prefix(1);
  return v;
}

}  // namespace

int ComparePackagist(std::string_view a, std::string_view b) {
  a = TrimV(a);
  b = TrimV(b);
  if (a == b) return 0;
  constexpr std::size_t kInline = 128;
  char ia[kInline];
  char ib[kInline];
  std::string ha;
  std::string hb;
  char* ca = ia;
  char* cb = ib;
  if (2 * a.size() > kInline) {
    ha.resize(2 * a.size());
    ca = ha.data();
  }
  if (2 * b.size() > kInline) {
    hb.resize(2 * b.size());
    cb = hb.data();
  }
  std::string_view va(ca, Canonicalize(a, ca));
  std::string_view vb(cb, Canonicalize(b, cb));
  return CompareCanonical(va, vb);
}

// Composer's normalisable versions, loosely: a number first, then letters,
// digits and separators only.
bool IsValidPackagist(std::string_view version) {
  version = TrimV(version);
  if (version.empty() || !IsDigit(version.front())) return false;
  return SpanOf(version, [](char c) { return IsAlnum(c) || c == '.' || IsSpecialSep(c); }) ==
         version.size();
}

}  // namespace bulwark::vuln::internal
