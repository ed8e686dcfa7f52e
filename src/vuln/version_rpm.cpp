// RPM version order (Red Hat, Rocky, Alma, SUSE...), rpm's rpmio/rpmvercmp.c
// (see ../shared/notes/sca.md §3): [epoch:]version[-release]. Epochs compare
// numerically (missing = 0), version and release with rpmvercmp: runs of
// digits or letters, separators ignored, numbers above letters, '~' sorts
// before anything (even the end), '^' after the end but before anything else.
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

struct Evr {
  std::string_view epoch;  // digits; empty = 0
  std::string_view version;
  std::string_view release;
  bool has_release = false;
};

// rpm's parseEVR: an epoch is a run of digits ending in ':', the release
// follows the last '-'. A non-numeric "epoch" stays part of the version.
Evr ParseEvr(std::string_view s) {
  Evr evr;
  std::size_t digits = SpanOf(s, IsDigit);
  if (digits < s.size() && s[digits] == ':') {
    evr.epoch = s.substr(0, digits);
    s.remove_prefix(digits + 1);
  }
  if (std::size_t dash = s.rfind('-'); dash != std::string_view::npos) {
    evr.release = s.substr(dash + 1);
    evr.has_release = true;
    s = s.substr(0, dash);
  }
  evr.version = s;
  return evr;
}

bool IsSeparator(char c) { return !IsAlnum(c) && c != '~' && c != '^'; }

}  // namespace

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && IsSeparator(a[i])) ++i;
    while (j < b.size() && IsSeparator(b[j])) ++j;
    const bool a_end = i >= a.size();
    const bool b_end = j >= b.size();
    // '~' (pre-release) sorts before everything, the end included.
    const bool a_tilde = !a_end && a[i] == '~';
    const bool b_tilde = !b_end && b[j] == '~';
    if (a_tilde || b_tilde) {
      if (!a_tilde) return 1;
      if (!b_tilde) return -1;
      ++i;
      ++j;
      continue;
    }
    // '^' (post-release snapshot) sorts after the end, before anything else.
    const bool a_caret = !a_end && a[i] == '^';
    const bool b_caret = !b_end && b[j] == '^';
    if (a_caret || b_caret) {
      if (a_end) return -1;
      if (b_end) return 1;
      if (!a_caret) return 1;
      if (!b_caret) return -1;
      ++i;
      ++j;
      continue;
    }
    if (a_end || b_end) break;
    const bool numeric = IsDigit(a[i]);
    auto run = numeric ? IsDigit : IsAlpha;
    std::size_t na = SpanOf(a.substr(i), run);
    std::size_t nb = SpanOf(b.substr(j), run);
    // A number against letters: the number is newer.
    if (nb == 0) return numeric ? 1 : -1;
    std::string_view sa = a.substr(i, na);
    std::string_view sb = b.substr(j, nb);
    int r = numeric ? CompareDigits(sa, sb) : CompareBytes(sa, sb);
    if (r != 0) return r;
    i += na;
    j += nb;
  }
  const bool a_left = i < a.size();
  const bool b_left = j < b.size();
  if (a_left == b_left) return 0;
  return a_left ? 1 : -1;
}

// A missing release sorts before any release (OSV compares full
// version-release strings; "1.0" < "1.0-1").
int CompareRpm(std::string_view a, std::string_view b) {
  Evr ea = ParseEvr(a);
  Evr eb = ParseEvr(b);
  if (int r = CompareDigits(ea.epoch, eb.epoch); r != 0) return r;
  if (int r = RpmVerCmp(ea.version, eb.version); r != 0) return r;
  if (ea.has_release != eb.has_release) return ea.has_release ? 1 : -1;
  return RpmVerCmp(ea.release, eb.release);
}

bool IsValidRpm(std::string_view version) {
  auto ok = [](char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '+' || c == '~' || c == '^';
  };
  Evr evr = ParseEvr(version);
  if (evr.version.empty() || SpanOf(evr.version, ok) != evr.version.size()) return false;
  if (version.find(':') != std::string_view::npos && evr.epoch.empty()) return false;
  if (!evr.has_release) return true;
  return !evr.release.empty() && SpanOf(evr.release, ok) == evr.release.size();
}

}  // namespace bulwark::vuln::internal
