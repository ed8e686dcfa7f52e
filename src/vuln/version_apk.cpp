// Alpine apk version order, following apk-tools src/version.c (see
// ../shared/notes/sca.md §3): digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}.
// Both versions are read token by token; tokens of the same kind compare by
// value, and where the kinds first differ the token order decides (a version
// that continues is newer, unless it continues with a pre-release suffix).
// A malformed tail becomes an "invalid" token, which sorts lowest of all.
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

// Order matters: a token may only follow one of a lower kind, and at the
// first kind mismatch the higher kind (the shorter version) sorts first.
enum class Tok {
  kInitialDigit,
  kDigit,
  kLetter,
  kSuffix,
  kSuffixNo,
  kCommitHash,
  kRevisionNo,
  kEnd,
  kInvalid,
};

// Pre-release suffixes sort below "no suffix" (kNone), the others above.
enum Suffix { kSufInvalid, kAlpha, kBeta, kPre, kRc, kNone, kCvs, kSvn, kGit, kHg, kP };

int SuffixValue(std::string_view s) {
  static constexpr std::string_view kNames[] = {"",    "alpha", "beta", "pre", "rc", "",
                                                "cvs", "svn",   "git",  "hg",  "p"};
  for (int i = kAlpha; i <= kP; ++i) {
    if (i != kNone && s == kNames[i]) return i;
  }
  return kSufInvalid;
}

struct Token {
  Tok kind = Tok::kInitialDigit;
  int suffix = kSufInvalid;
  std::string_view value;  // digits, letter, suffix name or hash
};

// `lenient` (comparison only) also reads digits right after the letter as
// a new number, as apk-tools 2 did ("6.6.2p1-r2"); apk-tools 3 rejects that.
class Tokenizer {
 public:
  Tokenizer(std::string_view s, bool lenient) : rest_(s), lenient_(lenient) {
    token_.kind = Tok::kInitialDigit;
    ParseDigits();
  }
  const Token& token() const { return token_; }
  // True when the version went invalid before any "-r": nothing of it past
  // that point can be ordered by apk's rules.
  bool stuck_early() const { return token_.kind == Tok::kInvalid && !saw_revision_; }
  void Next();

 private:
  void ParseDigits() {
    std::size_t n = SpanOf(rest_, IsDigit);
    token_.value = rest_.substr(0, n);
    rest_.remove_prefix(n);
    if (n == 0) token_.kind = Tok::kInvalid;
  }
  void Invalid() { token_.kind = Tok::kInvalid; }

  std::string_view rest_;
  bool lenient_;
  bool saw_revision_ = false;
  Token token_;
};

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

void Tokenizer::Next() {
  if (rest_.empty()) {
    token_.kind = Tok::kEnd;
    return;
  }
  const Tok prev = token_.kind;
  const char c = rest_.front();
  if (IsLower(c)) {
    if (prev > Tok::kDigit) return Invalid();
    token_ = {Tok::kLetter, kSufInvalid, rest_.substr(0, 1)};
    rest_.remove_prefix(1);
  } else if (c == '.' || IsDigit(c)) {
    if (c == '.') {
      if (prev > Tok::kDigit) return Invalid();
      rest_.remove_prefix(1);
    }
    if (prev == Tok::kInitialDigit || prev == Tok::kDigit ||
        (lenient_ && prev == Tok::kLetter && c != '.')) {
      token_.kind = Tok::kDigit;
    } else if (prev == Tok::kSuffix) {
      token_.kind = Tok::kSuffixNo;
    } else {
      return Invalid();
    }
    ParseDigits();
  } else if (c == '_') {
    if (prev > Tok::kSuffixNo) return Invalid();
    rest_.remove_prefix(1);
    std::size_t n = SpanOf(rest_, IsLower);
    token_.value = rest_.substr(0, n);
    rest_.remove_prefix(n);
    token_.suffix = SuffixValue(token_.value);
    if (token_.suffix == kSufInvalid) return Invalid();
    token_.kind = Tok::kSuffix;
  } else if (c == '~') {
    if (prev >= Tok::kCommitHash) return Invalid();
    rest_.remove_prefix(1);
    std::size_t n = SpanOf(rest_, IsHex);
    if (n == 0) return Invalid();
    token_.value = rest_.substr(0, n);
    rest_.remove_prefix(n);
    token_.kind = Tok::kCommitHash;
  } else if (c == '-') {
    if (prev >= Tok::kRevisionNo || rest_.substr(0, 2) != "-r") return Invalid();
    rest_.remove_prefix(2);
    saw_revision_ = true;
    token_.kind = Tok::kRevisionNo;
    ParseDigits();
  } else {
    Invalid();
  }
}

int CompareTokens(const Token& a, const Token& b) {
  switch (a.kind) {
    case Tok::kDigit:
      // A leading zero makes apk (like Gentoo) compare the run as a string.
      if (a.value.front() == '0' || b.value.front() == '0') return CompareBytes(a.value, b.value);
      return CompareDigits(a.value, b.value);
    case Tok::kInitialDigit:
    case Tok::kSuffixNo:
    case Tok::kRevisionNo:
      return CompareDigits(a.value, b.value);
    case Tok::kLetter:
      return CompareBytes(a.value, b.value);
    case Tok::kSuffix:
      return Sign(a.suffix - b.suffix);
    default:
      return CompareBytes(a.value, b.value);
  }
}

}  // namespace

int CompareApkFuzzy(std::string_view a, std::string_view b, bool fuzzy) {
  Tokenizer ta(a, true);
  Tokenizer tb(b, true);
  while (ta.token().kind == tb.token().kind && ta.token().kind < Tok::kEnd) {
    if (int r = CompareTokens(ta.token(), tb.token()); r != 0) return r;
    ta.Next();
    tb.Next();
  }
  const Token& x = ta.token();
  const Token& y = tb.token();
  if (x.kind == y.kind) {
    // apk calls two versions equal once both turn invalid at the same point
    // ("0..1..0" vs "0..1..1"); when neither got as far as its revision, the
    // header's rule applies instead: invalid versions order as strings.
    if (ta.stuck_early() && tb.stuck_early()) return CompareBytes(a, b);
    return 0;
  }
  if (y.kind == Tok::kEnd && fuzzy) return 0;
  if (x.kind == Tok::kSuffix && x.suffix < kNone) return -1;
  if (y.kind == Tok::kSuffix && y.suffix < kNone) return 1;
  return x.kind > y.kind ? -1 : 1;
}

int CompareApk(std::string_view a, std::string_view b) { return CompareApkFuzzy(a, b, false); }

bool IsValidApk(std::string_view version) {
  Tokenizer t(version, false);
  while (t.token().kind < Tok::kEnd) t.Next();
  return t.token().kind == Tok::kEnd;
}

}  // namespace bulwark::vuln::internal
