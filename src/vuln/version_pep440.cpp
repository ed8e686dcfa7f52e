// PyPI versions, PEP 440 ("Version specifiers", packaging.python.org; see
// ../shared/notes/sca.md §3): [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local],
// with the spec's alternative spellings and separators. Order as pypa/
// packaging's Version key. A string that is not PEP 440 is ordered as
// setuptools' legacy versions were, below every valid version.
#include <string>
#include <vector>

#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

enum class Pre { kNone, kA, kB, kRc };

struct Pep440 {
  std::string_view epoch;    // digits, empty = 0
  std::string_view release;  // "1.2.3"
  Pre pre = Pre::kNone;
  std::string_view pre_n;
  bool has_post = false;
  std::string_view post_n;
  bool has_dev = false;
  std::string_view dev_n;
  std::string_view local;  // after '+', separators [-_.]
};

bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(std::size_t k = 0) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  std::string_view Digits() {
    std::size_t n = SpanOf(s_.substr(pos_), IsDigit);
    std::string_view d = s_.substr(pos_, n);
    pos_ += n;
    return d;
  }
  // Consumes one of `words` (longest listed first), case-insensitively,
  // optionally preceded by a separator; returns its index or -1.
  template <std::size_t N>
  int Word(const std::string_view (&words)[N]) {
    std::size_t start = pos_ + (IsSep(Peek()) ? 1 : 0);
    for (std::size_t i = 0; i < N; ++i) {
      if (StartsWithIgnoreCase(s_.substr(start), words[i])) {
        pos_ = start + words[i].size();
        return static_cast<int>(i);
      }
    }
    return -1;
  }
  // "[-_.]?N": the separator is only taken together with digits.
  std::string_view SepDigits() {
    std::size_t start = pos_ + (IsSep(Peek()) ? 1 : 0);
    std::size_t n = SpanOf(s_.substr(start), IsDigit);
    if (n == 0) return {};
    pos_ = start + n;
    return s_.substr(start, n);
  }
  void SkipSpaces() { pos_ += SpanOf(s_.substr(pos_), IsSpace); }
  void Skip(std::size_t n) { pos_ += n; }
  std::size_t pos() const { return pos_; }
  std::string_view Slice(std::size_t from) const { return s_.substr(from, pos_ - from); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

void ParsePre(Cursor& c, Pep440& v) {
  static constexpr std::string_view kWords[] = {"alpha",   "a",   "beta", "b",
                                                "preview", "pre", "rc",   "c"};
  static constexpr Pre kLabels[] = {Pre::kA,  Pre::kA,  Pre::kB,  Pre::kB,
                                    Pre::kRc, Pre::kRc, Pre::kRc, Pre::kRc};
  int w = c.Word(kWords);
  if (w < 0) return;
  v.pre = kLabels[w];
  v.pre_n = c.SepDigits();
}

void ParsePost(Cursor& c, Pep440& v) {
  if (c.Peek() == '-' && IsDigit(c.Peek(1))) {  // implicit post release: 1.0-1
    c.Skip(1);
    v.has_post = true;
    v.post_n = c.Digits();
    return;
  }
  static constexpr std::string_view kWords[] = {"post", "rev", "r"};
  if (c.Word(kWords) < 0) return;
  v.has_post = true;
  v.post_n = c.SepDigits();
}

void ParseDev(Cursor& c, Pep440& v) {
  static constexpr std::string_view kWords[] = {"dev"};
  if (c.Word(kWords) < 0) return;
  v.has_dev = true;
  v.dev_n = c.SepDigits();
}

bool ParseLocal(Cursor& c, Pep440& v) {
  if (c.Peek() != '+') return true;
  c.Skip(1);
  std::size_t start = c.pos();
  while (true) {
    std::size_t n = 0;
    while (IsAlnum(c.Peek(n))) ++n;
    if (n == 0) return false;
    c.Skip(n);
    if (!(IsSep(c.Peek()) && IsAlnum(c.Peek(1)))) break;
    c.Skip(1);
  }
  v.local = c.Slice(start);
  return true;
}

bool ParsePep440(std::string_view s, Pep440& v) {
  Cursor c(s);
  c.SkipSpaces();
  if (c.Peek() == 'v' || c.Peek() == 'V') c.Skip(1);
  std::string_view first = c.Digits();
  if (first.empty()) return false;
  std::size_t release_start = c.pos() - first.size();
  if (c.Peek() == '!') {
    v.epoch = first;
    c.Skip(1);
    release_start = c.pos();
    if (c.Digits().empty()) return false;
  }
  while (c.Peek() == '.' && IsDigit(c.Peek(1))) {
    c.Skip(1);
    c.Digits();
  }
  v.release = c.Slice(release_start);
  ParsePre(c, v);
  ParsePost(c, v);
  ParseDev(c, v);
  if (!ParseLocal(c, v)) return false;
  c.SkipSpaces();
  return c.AtEnd();
}

// Release segments compare numerically, the shorter padded with zeros.
int CompareRelease(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    std::size_t na = SpanOf(a, IsDigit);
    std::size_t nb = SpanOf(b, IsDigit);
    if (int r = CompareDigits(a.substr(0, na), b.substr(0, nb)); r != 0) return r;
    a.remove_prefix(na < a.size() ? na + 1 : na);
    b.remove_prefix(nb < b.size() ? nb + 1 : nb);
  }
  return 0;
}

// packaging's pre key: a dev release with neither pre nor post sorts before
// every pre-release; no pre-release sorts after all of them.
int PreRank(const Pep440& v) {
  if (v.pre == Pre::kNone && !v.has_post && v.has_dev) return -1;
  if (v.pre == Pre::kNone) return 10;
  return static_cast<int>(v.pre);
}

std::string_view NextLocalPart(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && !IsSep(s[n])) ++n;
  std::string_view part = s.substr(0, n);
  s.remove_prefix(n < s.size() ? n + 1 : n);
  return part;
}

// Local segments: numeric parts compare as numbers and above any string
// part; string parts compare case-insensitively; a longer run wins a tie.
int CompareLocal(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    std::string_view pa = NextLocalPart(a);
    std::string_view pb = NextLocalPart(b);
    bool na = SpanOf(pa, IsDigit) == pa.size();
    bool nb = SpanOf(pb, IsDigit) == pb.size();
    int r = 0;
    if (na && nb) {
      r = CompareDigits(pa, pb);
    } else if (na != nb) {
      r = na ? 1 : -1;
    } else {
      for (std::size_t i = 0; i < pa.size() && i < pb.size() && r == 0; ++i) {
        r = Sign(static_cast<unsigned char>(ToLower(pa[i])) -
                 static_cast<unsigned char>(ToLower(pb[i])));
      }
      if (r == 0) r = Sign(static_cast<int>(pa.size()) - static_cast<int>(pb.size()));
    }
    if (r != 0) return r;
  }
  return Sign(static_cast<int>(!a.empty()) - static_cast<int>(!b.empty()));
}

int CompareParsed(const Pep440& a, const Pep440& b) {
  if (int r = CompareDigits(a.epoch, b.epoch); r != 0) return r;
  if (int r = CompareRelease(a.release, b.release); r != 0) return r;
  if (int r = Sign(PreRank(a) - PreRank(b)); r != 0) return r;
  if (a.pre != Pre::kNone) {
    if (int r = CompareDigits(a.pre_n, b.pre_n); r != 0) return r;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (int r = CompareDigits(a.post_n, b.post_n); r != 0) return r;
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (int r = CompareDigits(a.dev_n, b.dev_n); r != 0) return r;
  if (a.local.empty() != b.local.empty()) return a.local.empty() ? -1 : 1;
  return CompareLocal(a.local, b.local);
}

// --- setuptools legacy versions (packaging < 22 LegacyVersion) -------------

struct LegacyPart {
  bool number = false;
  std::string_view text;  // digits, or the word after its '*' marker
};

bool IsLegacyFinal(const LegacyPart& p) { return !p.number && p.text == "final-"; }
bool IsLegacyZero(const LegacyPart& p) {
  return p.number && p.text.size() <= 8 &&
         SpanOf(p.text, [](char ch) { return ch == '0'; }) == p.text.size();
}

// Strings are "*word", numbers zero-filled to 8 digits; '*' < '0'.
int CompareLegacyPart(const LegacyPart& a, const LegacyPart& b) {
  if (a.number != b.number) return a.number ? 1 : -1;
  if (!a.number) return CompareBytes(a.text, b.text);
  std::size_t la = a.text.size() < 8 ? 8 : a.text.size();
  std::size_t lb = b.text.size() < 8 ? 8 : b.text.size();
  for (std::size_t i = 0; i < la || i < lb; ++i) {
    auto at = [](const LegacyPart& p, std::size_t len, std::size_t k) -> int {
      if (k >= len) return -1;
      std::size_t pad = len - p.text.size();
      return k < pad ? '0' : static_cast<unsigned char>(p.text[k - pad]);
    };
    int ca = at(a, la, i);
    int cb = at(b, lb, i);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

std::string_view LegacyWord(std::string_view w) {
  if (w == "pre" || w == "preview" || w == "rc") return "c";
  if (w == "-") return "final-";
  if (w == "dev") return "@";
  return w;
}

void PushLegacy(std::vector<LegacyPart>& parts, LegacyPart p) {
  if (!p.number) {
    if (p.text < std::string_view("final")) {
      while (!parts.empty() && IsLegacyFinal(parts.back())) parts.pop_back();
    }
    while (!parts.empty() && IsLegacyZero(parts.back())) parts.pop_back();
  }
  parts.push_back(p);
}

// The key is built over a lower-cased copy held by the caller; legacy
// versions are rare (only strings that are not PEP 440), so this may allocate.
std::vector<LegacyPart> LegacyKey(std::string_view s, std::string& lowered) {
  lowered.assign(s);
  for (char& ch : lowered) ch = ToLower(ch);
  std::vector<LegacyPart> parts;
  std::string_view rest = lowered;
  while (!rest.empty()) {
    std::size_t n;
    LegacyPart p;
    if (IsDigit(rest[0])) {
      n = SpanOf(rest, IsDigit);
      p = {true, rest.substr(0, n)};
    } else if (IsLower(rest[0])) {
      n = SpanOf(rest, IsLower);
      p = {false, LegacyWord(rest.substr(0, n))};
    } else if (rest[0] == '.' || rest[0] == '-') {
      n = 1;
      p = {false, LegacyWord(rest.substr(0, 1))};
    } else {
      n = SpanOf(rest,
                 [](char ch) { return !IsDigit(ch) && !IsLower(ch) && ch != '.' && ch != '-'; });
      p = {false, rest.substr(0, n)};
    }
    rest.remove_prefix(n);
    if (!p.number && p.text == ".") continue;
    PushLegacy(parts, p);
  }
  PushLegacy(parts, {false, "final"});
  return parts;
}

int CompareLegacy(std::string_view a, std::string_view b) {
  std::string la;
  std::string lb;
  std::vector<LegacyPart> ka = LegacyKey(a, la);
  std::vector<LegacyPart> kb = LegacyKey(b, lb);
  for (std::size_t i = 0; i < ka.size() && i < kb.size(); ++i) {
    if (int r = CompareLegacyPart(ka[i], kb[i]); r != 0) return r;
  }
  return Sign(static_cast<int>(ka.size() > kb.size()) - static_cast<int>(ka.size() < kb.size()));
}

}  // namespace

int ComparePep440(std::string_view a, std::string_view b) {
  Pep440 pa;
  Pep440 pb;
  bool va = ParsePep440(a, pa);
  bool vb = ParsePep440(b, pb);
  if (va && vb) return CompareParsed(pa, pb);
  if (va != vb) return va ? 1 : -1;
  return CompareLegacy(a, b);
}

bool IsValidPep440(std::string_view version) {
  Pep440 v;
  return ParsePep440(version, v);
}

}  // namespace bulwark::vuln::internal
