// RubyGems version order, as Gem::Version#<=> (see ../shared/notes/sca.md
// §3). A version is the runs of digits and of ASCII letters in it ('-'
// reads as ".pre."); a letter run makes it a pre-release, sorting below the
// release. Trailing zeros are dropped from the numeric part and from the
// rest ("1.0.a" == "1.a"), then segments compare pairwise, a missing one
// counting as 0: numbers numerically, words as byte strings, a word below a
// number.
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

struct Segment {
  bool number = false;
  std::string_view text;  // digits without leading zeros, or letters
};

bool IsZero(const Segment& s) { return s.number && s.text.empty(); }

// Yields the raw segments of a version ("1.0-b2" -> 1 0 pre b 2).
class SegmentReader {
 public:
  explicit SegmentReader(std::string_view s) : rest_(s) {}
  bool Next(Segment& seg) {
    while (!rest_.empty()) {
      const char c = rest_.front();
      if (c == '-') {
        rest_.remove_prefix(1);
        seg = {false, "pre"};
        return true;
      }
      if (IsDigit(c)) {
        std::size_t n = SpanOf(rest_, IsDigit);
        std::string_view digits = rest_.substr(0, n);
        rest_.remove_prefix(n);
        while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
        seg = {true, digits};
        return true;
      }
      if (IsAlpha(c)) {
        std::size_t n = SpanOf(rest_, IsAlpha);
        seg = {false, rest_.substr(0, n)};
        rest_.remove_prefix(n);
        return true;
      }
      rest_.remove_prefix(1);
    }
    return false;
  }

 private:
  std::string_view rest_;
};

// canonical_segments, lazily: a run of zeros is skipped when only zeros
// follow it up to the first word (or the end).
class CanonicalReader {
 public:
  explicit CanonicalReader(std::string_view s) : reader_(s) { has_ = reader_.Next(next_); }
  bool Next(Segment& seg) {
    if (has_ && IsZero(next_) && !seen_word_ && keep_zeros_ == 0) SkipTrailingZeros();
    if (!has_) return false;
    seg = next_;
    if (!seg.number) seen_word_ = true;
    if (keep_zeros_ > 0) --keep_zeros_;
    has_ = reader_.Next(next_);
    return true;
  }

 private:
  // At a zero in the numeric part: drop the run of zeros if only a word or
  // the end follows it, else let the whole run through without re-probing.
  void SkipTrailingZeros() {
    SegmentReader probe = reader_;
    Segment after;
    bool more = probe.Next(after);
    std::size_t zeros = 1;
    while (more && IsZero(after)) {
      ++zeros;
      more = probe.Next(after);
    }
    if (more && after.number) {
      keep_zeros_ = zeros;
      return;
    }
    reader_ = probe;
    next_ = after;
    has_ = more;
  }

  SegmentReader reader_;
  Segment next_;
  bool has_ = false;
  bool seen_word_ = false;
  std::size_t keep_zeros_ = 0;
};

int CompareSegments(const Segment& a, const Segment& b) {
  if (a.number && b.number) return CompareDigits(a.text, b.text);
  if (a.number != b.number) return a.number ? 1 : -1;
  return CompareBytes(a.text, b.text);
}

std::string_view TrimSpaces(std::string_view s) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

int CompareRubyGems(std::string_view a, std::string_view b) {
  CanonicalReader ra(TrimSpaces(a));
  CanonicalReader rb(TrimSpaces(b));
  const Segment zero{true, {}};
  while (true) {
    Segment sa;
    Segment sb;
    bool ha = ra.Next(sa);
    bool hb = rb.Next(sb);
    if (!ha && !hb) return 0;
    if (int r = CompareSegments(ha ? sa : zero, hb ? sb : zero); r != 0) return r;
  }
}

// Gem::Version::ANCHORED_VERSION_PATTERN:
// \A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z
bool IsValidRubyGems(std::string_view version) {
  std::string_view v = TrimSpaces(version);
  if (v.empty()) return true;  // Gem::Version treats a blank version as "0"
  std::size_t n = SpanOf(v, IsDigit);
  if (n == 0) return false;
  v.remove_prefix(n);
  while (!v.empty() && v.front() == '.') {
    n = SpanOf(v.substr(1), IsAlnum);
    if (n == 0) return false;
    v.remove_prefix(n + 1);
  }
  if (v.empty()) return true;
  if (v.front() != '-') return false;
  auto pre_char = [](char c) { return IsAlnum(c) || c == '-'; };
  v.remove_prefix(1);
  while (true) {
    n = SpanOf(v, pre_char);
    if (n == 0) return false;
    v.remove_prefix(n);
    if (v.empty()) return true;
    if (v.front() != '.') return false;
    v.remove_prefix(1);
  }
}

}  // namespace bulwark::vuln::internal
