// node-semver range semantics (npm's `semver.satisfies`, default options),
// as the npm docs' "Advanced Range Syntax" describes: "||"-separated sets of
// space-separated comparators; hyphen ranges, X-ranges, '~' and '^' expand
// to primitive comparators. A pre-release version only matches a set in
// which some comparator names a pre-release of the same major.minor.patch.
// Numbers above 2^53-1 are invalid, as in node-semver. No allocation.
#include <cstdint>

#include "vuln/version.hpp"
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln {
namespace {

using internal::IsAlnum;
using internal::IsDigit;
using internal::SpanOf;

constexpr std::uint64_t kMaxSafe = (std::uint64_t{1} << 53) - 1;

struct Ver {
  std::uint64_t n[3] = {0, 0, 0};
  std::string_view pre;  // without '-'
};

int Compare(const Ver& a, const Ver& b) {
  for (int i = 0; i < 3; ++i) {
    if (a.n[i] != b.n[i]) return a.n[i] < b.n[i] ? -1 : 1;
  }
  return internal::CompareSemverPrerelease(a.pre, b.pre);
}

enum class Op { kEq, kLt, kLe, kGt, kGe };

// Evaluates the comparators of one set against `v`, as they come.
struct SetState {
  const Ver& v;
  bool all_pass = true;
  bool pre_allowed = false;  // some comparator has a pre-release on v's tuple

  void Add(Op op, const Ver& c) {
    int r = Compare(v, c);
    bool pass = (op == Op::kEq && r == 0) || (op == Op::kLt && r < 0) ||
                (op == Op::kLe && r <= 0) || (op == Op::kGt && r > 0) || (op == Op::kGe && r >= 0);
    all_pass = all_pass && pass;
    if (!c.pre.empty() && c.n[0] == v.n[0] && c.n[1] == v.n[1] && c.n[2] == v.n[2]) {
      pre_allowed = true;
    }
  }
  void AddNone() { all_pass = false; }  // "<0.0.0-0": nothing matches
};

bool ParseNumber(std::string_view digits, std::uint64_t& out) {
  if (digits.empty() || digits.size() > 16 || (digits.size() > 1 && digits[0] == '0')) return false;
  out = 0;
  for (char c : digits) out = out * 10 + static_cast<std::uint64_t>(c - '0');
  return out <= kMaxSafe;
}

// Dot-separated identifiers; `pre` forbids leading zeros in numeric ones.
bool ValidIdents(std::string_view s, bool pre) {
  auto ident_char = [](char c) { return IsAlnum(c) || c == '-'; };
  while (true) {
    std::size_t dot = s.find('.');
    std::string_view id = s.substr(0, dot);
    if (id.empty() || SpanOf(id, ident_char) != id.size()) return false;
    if (pre && id.size() > 1 && id[0] == '0' && SpanOf(id, IsDigit) == id.size()) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

// "1", "1.x", "1.2.*", "1.2.3-beta.1+build", "v1.2"; parts[i] unset = X.
struct Partial {
  int given = 0;  // leading parts that are numbers (not X)
  Ver v;
};

bool ParsePartial(std::string_view s, Partial& p) {
  while (!s.empty() && (s.front() == 'v' || s.front() == '=')) s.remove_prefix(1);
  bool saw_x = false;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (s.empty() || s.front() != '.') break;
      s.remove_prefix(1);
    }
    if (!s.empty() && (s.front() == 'x' || s.front() == 'X' || s.front() == '*')) {
      s.remove_prefix(1);
      saw_x = true;
      continue;
    }
    std::size_t n = SpanOf(s, IsDigit);
    if (!ParseNumber(s.substr(0, n), p.v.n[i])) return false;
    s.remove_prefix(n);
    if (!saw_x) p.given = i + 1;
    if (i < 2 && !s.empty() && s.front() != '.') return false;
    if (i == 2) {
      std::size_t plus = s.find('+');
      std::string_view build = plus == std::string_view::npos ? "" : s.substr(plus + 1);
      if (plus != std::string_view::npos && !ValidIdents(build, false)) return false;
      s = s.substr(0, plus);
      if (!s.empty()) {
        if (s.front() != '-' || !ValidIdents(s.substr(1), true)) return false;
        p.v.pre = s.substr(1);
      }
      return true;
    }
  }
  if (saw_x) {
    for (int i = p.given; i < 3; ++i) p.v.n[i] = 0;
  }
  return s.empty();
}

Ver Make(std::uint64_t major, std::uint64_t minor, std::uint64_t patch, std::string_view pre = {}) {
  Ver v;
  v.n[0] = major;
  v.n[1] = minor;
  v.n[2] = patch;
  v.pre = pre;
  return v;
}

// An upper bound just below a release: excludes its pre-releases too.
Ver Below(std::uint64_t major, std::uint64_t minor, std::uint64_t patch) {
  return Make(major, minor, patch, "0");
}

void Tilde(const Partial& p, SetState& set) {
  const auto* n = p.v.n;
  if (p.given == 0) return;  // any
  if (p.given == 1) {
    set.Add(Op::kGe, Make(n[0], 0, 0));
    set.Add(Op::kLt, Below(n[0] + 1, 0, 0));
    return;
  }
  set.Add(Op::kGe, p.given == 2 ? Make(n[0], n[1], 0) : p.v);
  set.Add(Op::kLt, Below(n[0], n[1] + 1, 0));
}

void Caret(const Partial& p, SetState& set) {
  const auto* n = p.v.n;
  if (p.given == 0) return;
  if (p.given == 1) {
    set.Add(Op::kGe, Make(n[0], 0, 0));
    set.Add(Op::kLt, Below(n[0] + 1, 0, 0));
    return;
  }
  set.Add(Op::kGe, p.given == 2 ? Make(n[0], n[1], 0) : p.v);
  if (n[0] != 0) {
    set.Add(Op::kLt, Below(n[0] + 1, 0, 0));
  } else if (p.given == 2 || n[1] != 0) {
    set.Add(Op::kLt, Below(0, n[1] + 1, 0));
  } else {
    set.Add(Op::kLt, Below(0, 0, n[2] + 1));
  }
}

// A primitive or X-range with operator `op` ("" = kEq).
void XRange(Op op, const Partial& p, SetState& set) {
  const auto* n = p.v.n;
  if (p.given == 3) return set.Add(op, p.v);
  if (p.given == 0) {
    if (op == Op::kLt || op == Op::kGt) set.AddNone();
    return;
  }
  const bool minor_x = p.given == 1;
  switch (op) {
    case Op::kEq:
      set.Add(Op::kGe, Make(n[0], minor_x ? 0 : n[1], 0));
      set.Add(Op::kLt, minor_x ? Below(n[0] + 1, 0, 0) : Below(n[0], n[1] + 1, 0));
      return;
    case Op::kGt:  // >1 is >=2.0.0, >1.2 is >=1.3.0
      return set.Add(Op::kGe, minor_x ? Make(n[0] + 1, 0, 0) : Make(n[0], n[1] + 1, 0));
    case Op::kLe:  // <=1.2 is <1.3.0-0
      return set.Add(Op::kLt, minor_x ? Below(n[0] + 1, 0, 0) : Below(n[0], n[1] + 1, 0));
    case Op::kGe:
      return set.Add(Op::kGe, Make(n[0], minor_x ? 0 : n[1], 0));
    case Op::kLt:
      return set.Add(Op::kLt, Below(n[0], minor_x ? 0 : n[1], 0));
  }
}

void Hyphen(const Partial& from, const Partial& to, SetState& set) {
  if (from.given > 0) XRange(Op::kGe, from, set);
  const auto* n = to.v.n;
  if (to.given == 0) return;
  if (to.given == 1) return set.Add(Op::kLt, Below(n[0] + 1, 0, 0));
  if (to.given == 2) return set.Add(Op::kLt, Below(n[0], n[1] + 1, 0));
  set.Add(Op::kLe, to.v);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// One comparator token starting at `s` (an operator, optional spaces, a
// partial); advances past it. False when it does not parse.
bool Comparator(std::string_view& s, SetState& set) {
  enum { kPlain, kTilde, kCaret } kind = kPlain;
  Op op = Op::kEq;
  if (s.substr(0, 2) == "~>") {
    kind = kTilde;
    s.remove_prefix(2);
  } else if (s.front() == '~' || s.front() == '^') {
    kind = s.front() == '~' ? kTilde : kCaret;
    s.remove_prefix(1);
  } else if (s.front() == '<' || s.front() == '>') {
    bool less = s.front() == '<';
    bool eq = s.size() > 1 && s[1] == '=';
    op = less ? (eq ? Op::kLe : Op::kLt) : (eq ? Op::kGe : Op::kGt);
    s.remove_prefix(eq ? 2 : 1);
  }
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  std::size_t end = 0;
  while (end < s.size() && !IsSpace(s[end])) ++end;
  Partial p;
  if (end == 0 || !ParsePartial(s.substr(0, end), p)) return false;
  s.remove_prefix(end);
  if (kind == kTilde) {
    Tilde(p, set);
  } else if (kind == kCaret) {
    Caret(p, set);
  } else {
    XRange(op, p, set);
  }
  return true;
}

// One "||" alternative. Returns false when it does not parse.
bool EvalSet(std::string_view s, SetState& set) {
  s = Trim(s);
  for (std::size_t i = 1; i + 2 < s.size(); ++i) {
    if (s[i] == '-' && IsSpace(s[i - 1]) && IsSpace(s[i + 1])) {
      Partial from;
      Partial to;
      if (!ParsePartial(Trim(s.substr(0, i)), from) || !ParsePartial(Trim(s.substr(i + 1)), to)) {
        return false;
      }
      Hyphen(from, to, set);
      return true;
    }
  }
  while (!s.empty()) {
    if (!Comparator(s, set)) return false;
    while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  }
  return true;
}

bool ParseVersion(std::string_view s, Ver& v) {
  s = Trim(s);
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  internal::SemverView parts;
  if (!internal::ParseSemverStrict(s, parts)) return false;
  v.pre = parts.prerelease;
  return ParseNumber(parts.major, v.n[0]) && ParseNumber(parts.minor, v.n[1]) &&
         ParseNumber(parts.patch, v.n[2]);
}

}  // namespace

bool SemverRangeSatisfies(std::string_view range, std::string_view version) {
  Ver v;
  if (!ParseVersion(version, v)) return false;
  bool matched = false;
  while (true) {
    std::size_t bar = range.find("||");
    SetState set{v};
    if (!EvalSet(range.substr(0, bar), set)) return false;  // the whole range is invalid
    matched = matched || (set.all_pass && (v.pre.empty() || set.pre_allowed));
    if (bar == std::string_view::npos) return matched;
    range.remove_prefix(bar + 2);
  }
}

}  // namespace bulwark::vuln
