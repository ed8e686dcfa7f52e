// SemVer 2.0.0 precedence (semver.org §11; see ../shared/notes/sca.md §3),
// used for npm, crates.io, NuGet, Hex and OSV "SEMVER" ranges. Comparison is
// lenient the way OSV's reference (osv-scalibr) is: an optional 'v', any
// number of dot-separated numbers (missing ones are 0), and whatever follows
// the numbers is the pre-release (build metadata after '+' is ignored). A
// fourth and later number joins the pre-release identifiers, so an invalid
// "1.2.3.4" still orders deterministically.
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

bool IsIdentChar(char c) { return IsAlnum(c) || c == '-'; }

struct LenientSemver {
  std::string_view numbers;  // "1.2.3.4" (dots may repeat)
  std::string_view pre;      // tail without a leading '-', cut at '+'
  bool extras_dropped = false;
};

LenientSemver SplitLenient(std::string_view s) {
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  std::size_t n = SpanOf(s, [](char c) { return IsDigit(c) || c == '.'; });
  LenientSemver v{s.substr(0, n), s.substr(n)};
  if (!v.pre.empty() && v.pre.front() == '-') v.pre.remove_prefix(1);
  if (std::size_t plus = v.pre.find('+'); plus != std::string_view::npos) {
    v.pre = v.pre.substr(0, plus);
    v.extras_dropped = true;  // numbers past the third sit after the '+'
  }
  return v;
}

// Walks the dot-separated numbers, skipping empty ones ("1..2" is 1, 2).
std::string_view NextNumber(std::string_view& s) {
  while (!s.empty() && s.front() == '.') s.remove_prefix(1);
  std::size_t n = SpanOf(s, IsDigit);
  std::string_view d = s.substr(0, n);
  s.remove_prefix(n);
  return d;
}

// Pre-release identifiers: those of the tail, then any numbers past the
// third. An empty tail still yields one empty identifier when numbers follow.
class PreIdents {
 public:
  PreIdents(std::string_view tail, std::string_view extra_numbers)
      : tail_(tail), extra_(extra_numbers) {
    while (!extra_.empty() && extra_.front() == '.') extra_.remove_prefix(1);
    in_tail_ = !tail_.empty() || !extra_.empty();
  }
  bool Empty() const { return !in_tail_ && extra_.empty(); }
  bool Next(std::string_view& ident) {
    if (in_tail_) {
      std::size_t dot = tail_.find('.');
      ident = tail_.substr(0, dot);
      if (dot == std::string_view::npos) {
        in_tail_ = false;
      } else {
        tail_.remove_prefix(dot + 1);
      }
      return true;
    }
    if (extra_.empty()) return false;
    ident = NextNumber(extra_);
    while (!extra_.empty() && extra_.front() == '.') extra_.remove_prefix(1);
    return true;
  }

 private:
  std::string_view tail_;
  std::string_view extra_;
  bool in_tail_ = false;
};

bool IsNumeric(std::string_view s) { return !s.empty() && SpanOf(s, IsDigit) == s.size(); }

int CompareIdent(std::string_view a, std::string_view b) {
  bool na = IsNumeric(a);
  bool nb = IsNumeric(b);
  if (na && nb) return CompareDigits(a, b);
  if (na != nb) return na ? -1 : 1;  // numeric identifiers sort first
  return CompareBytes(a, b);
}

int ComparePre(PreIdents a, PreIdents b) {
  if (a.Empty() != b.Empty()) return a.Empty() ? 1 : -1;  // a release beats its pre-releases
  std::string_view ia;
  std::string_view ib;
  while (true) {
    bool ha = a.Next(ia);
    bool hb = b.Next(ib);
    if (!ha || !hb) return Sign(static_cast<int>(ha) - static_cast<int>(hb));
    if (int r = CompareIdent(ia, ib); r != 0) return r;
  }
}

bool ValidNumber(std::string_view s) { return IsNumeric(s) && (s.size() == 1 || s.front() != '0'); }

// Dot-separated non-empty identifiers of [0-9A-Za-z-]; numeric ones without
// leading zeros when `numeric_rule` (pre-release, not build metadata).
bool ValidIdents(std::string_view s, bool numeric_rule) {
  while (true) {
    std::size_t dot = s.find('.');
    std::string_view id = s.substr(0, dot);
    if (id.empty() || SpanOf(id, IsIdentChar) != id.size()) return false;
    if (numeric_rule && IsNumeric(id) && !ValidNumber(id)) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

}  // namespace

bool ParseSemverStrict(std::string_view s, SemverView& out) {
  out = SemverView{};
  std::string_view* fields[] = {&out.major, &out.minor, &out.patch};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (s.empty() || s.front() != '.') return false;
      s.remove_prefix(1);
    }
    std::size_t n = SpanOf(s, IsDigit);
    *fields[i] = s.substr(0, n);
    if (!ValidNumber(*fields[i])) return false;
    s.remove_prefix(n);
  }
  std::size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    out.build = s.substr(plus + 1);
    if (!ValidIdents(out.build, false)) return false;
    s = s.substr(0, plus);
  }
  if (s.empty()) return true;
  if (s.front() != '-') return false;
  out.prerelease = s.substr(1);
  return ValidIdents(out.prerelease, true);
}

int CompareSemverPrerelease(std::string_view a, std::string_view b) {
  return ComparePre(PreIdents(a, {}), PreIdents(b, {}));
}

int CompareSemverViews(const SemverView& a, const SemverView& b) {
  if (int r = CompareDigits(a.major, b.major); r != 0) return r;
  if (int r = CompareDigits(a.minor, b.minor); r != 0) return r;
  if (int r = CompareDigits(a.patch, b.patch); r != 0) return r;
  return CompareSemverPrerelease(a.prerelease, b.prerelease);
}

int CompareSemver(std::string_view a, std::string_view b) {
  LenientSemver va = SplitLenient(a);
  LenientSemver vb = SplitLenient(b);
  for (int i = 0; i < 3; ++i) {
    if (int r = CompareDigits(NextNumber(va.numbers), NextNumber(vb.numbers)); r != 0) return r;
  }
  return ComparePre(PreIdents(va.pre, va.extras_dropped ? std::string_view() : va.numbers),
                    PreIdents(vb.pre, vb.extras_dropped ? std::string_view() : vb.numbers));
}

bool IsValidSemver(std::string_view version) {
  SemverView v;
  return ParseSemverStrict(version, v);
}

}  // namespace bulwark::vuln::internal
