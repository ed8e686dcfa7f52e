// Debian version order, as dpkg implements deb-version(7) and Debian Policy
// §5.6.12 (see ../shared/notes/sca.md §3): [epoch:]upstream[-revision];
// epochs compare numerically, then upstream and revision with dpkg's
// verrevcmp: alternating non-digit runs (letters before other characters,
// '~' before everything, even the end) and digit runs (numerically).
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

struct DebianParts {
  std::string_view epoch;  // digits only; empty means 0
  std::string_view upstream;
  std::string_view revision;  // empty when absent (orders like "0")
};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// dpkg's parseversion: the epoch ends at the first ':', the revision starts
// after the last '-'. A non-numeric "epoch" is kept as part of upstream so an
// invalid string still orders deterministically.
DebianParts SplitDebian(std::string_view v) {
  DebianParts parts;
  v = TrimSpaces(v);
  if (std::size_t colon = v.find(':'); colon != std::string_view::npos) {
    std::string_view epoch = v.substr(0, colon);
    if (!epoch.empty() && SpanOf(epoch, IsDigit) == epoch.size()) {
      parts.epoch = epoch;
      v.remove_prefix(colon + 1);
    }
  }
  if (std::size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    parts.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  parts.upstream = v;
  return parts;
}

// dpkg's order(): digits 0 (they end a non-digit run), letters by ASCII,
// '~' lowest, other characters after all letters, end of string 0.
int CharOrder(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  char c = s[i];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = CharOrder(a, i);
      int bc = CharOrder(b, j);
      if (ac != bc) return Sign(ac - bc);
      ++i;
      ++j;
    }
    // Past the end (both ended the loop above together) counts as "".
    std::string_view da = i < a.size() ? a.substr(i) : std::string_view();
    std::string_view db = j < b.size() ? b.substr(j) : std::string_view();
    std::size_t na = SpanOf(da, IsDigit);
    std::size_t nb = SpanOf(db, IsDigit);
    if (int r = CompareDigits(da.substr(0, na), db.substr(0, nb)); r != 0) return r;
    i += na;
    j += nb;
  }
  return 0;
}

bool AllOf(std::string_view s, bool (*ok)(char)) { return SpanOf(s, ok) == s.size(); }

bool UpstreamChar(char c) {
  return IsAlnum(c) || c == '.' || c == '+' || c == '-' || c == '~' || c == ':';
}
bool RevisionChar(char c) { return IsAlnum(c) || c == '.' || c == '+' || c == '~'; }

}  // namespace

int CompareDebian(std::string_view a, std::string_view b) {
  DebianParts pa = SplitDebian(a);
  DebianParts pb = SplitDebian(b);
  if (int r = CompareDigits(pa.epoch, pb.epoch); r != 0) return r;
  if (int r = VerRevCmp(pa.upstream, pb.upstream); r != 0) return r;
  return VerRevCmp(pa.revision, pb.revision);
}

// dpkg's parseversion checks: non-empty upstream starting with a digit, only
// the allowed characters, and a non-empty revision when a '-' is present.
bool IsValidDebian(std::string_view version) {
  std::string_view v = TrimSpaces(version);
  if (v.empty() || v.find(' ') != std::string_view::npos) return false;
  std::size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = v.substr(0, colon);
    if (epoch.empty() || !AllOf(epoch, IsDigit)) return false;
  }
  DebianParts parts = SplitDebian(v);
  if (parts.upstream.empty() || !IsDigit(parts.upstream.front())) return false;
  if (v.rfind('-') != std::string_view::npos && parts.revision.empty()) return false;
  return AllOf(parts.upstream, UpstreamChar) && AllOf(parts.revision, RevisionChar);
}

}  // namespace bulwark::vuln::internal
