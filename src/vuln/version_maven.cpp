// Maven version order, as org.apache.maven.artifact.versioning.
// ComparableVersion (maven-artifact 3.8, which the OSV vectors were made
// with; see ../shared/notes/sca.md §3). A version is a list of numbers and
// qualifiers split at '.', '-' and digit/letter changes; '-' and a change of
// kind open a sub-list nested in the current one, so the lists form a chain:
// each list's last element may be the next list. We keep that chain flat —
// items tagged with their depth — so neither parsing nor comparing recurses.
// One departure from 3.8, following Maven's version order specification and
// Maven 3.9: a list left holding only its sub-list stands for that sub-list
// (1-ga-1 == 1-1); no version in the OSV Maven data is affected.
#include <vector>

#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

// Qualifier order: alpha < beta < milestone < rc < snapshot < "" (release)
// < sp < anything else (alphabetically).
constexpr int kRelease = 5;
constexpr int kUnknown = 7;

// Trivially constructible: the inline arrays in CompareMaven stay
// uninitialised until Parser::Push fills an entry.
struct Item {
  bool is_int;
  bool removed;
  int depth;
  int qualifier;          // strings only
  std::string_view text;  // digits without leading zeros, or the qualifier
};

int QualifierIndex(std::string_view s, bool followed_by_digit) {
  if (followed_by_digit && s.size() == 1) {
    switch (ToLower(s[0])) {
      case 'a':
        return 0;
      case 'b':
        return 1;
      case 'm':
        return 2;
      default:
        break;
    }
  }
  static constexpr std::string_view kNames[] = {"alpha",    "beta", "milestone", "rc",
                                                "snapshot", "",     "sp"};
  for (int i = 0; i < 7; ++i) {
    if (EqualsIgnoreCase(s, kNames[i])) return i;
  }
  if (EqualsIgnoreCase(s, "ga") || EqualsIgnoreCase(s, "final") || EqualsIgnoreCase(s, "release")) {
    return kRelease;
  }
  if (EqualsIgnoreCase(s, "cr")) return 3;
  return kUnknown;
}

bool IsNull(const Item& item) {
  return item.is_int ? item.text.empty() : item.qualifier == kRelease;
}

// Collects items into `out`; false when it is too small.
class Parser {
 public:
  Parser(Item* out, std::size_t capacity) : out_(out), capacity_(capacity) {}
  bool Parse(std::string_view s);
  std::size_t size() const { return size_; }

 private:
  bool Push(bool is_int, std::string_view text, bool followed_by_digit) {
    if (size_ == capacity_) return false;
    Item& item = out_[size_++];
    item.is_int = is_int;
    item.removed = false;
    item.depth = depth_;
    item.qualifier = kUnknown;
    if (is_int) {
      while (!text.empty() && text.front() == '0') text.remove_prefix(1);
    } else {
      item.qualifier = QualifierIndex(text, followed_by_digit);
    }
    item.text = text;
    return true;
  }

  Item* out_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  int depth_ = 0;
};

bool Parser::Parse(std::string_view s) {
  bool digit = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' || c == '-') {
      // An empty part ("1..2", "1-") counts as 0.
      if (!Push(i == start || digit, s.substr(start, i - start), false)) return false;
      start = i + 1;
      if (c == '-') ++depth_;
    } else if (IsDigit(c)) {
      if (!digit && i > start) {
        if (!Push(false, s.substr(start, i - start), true)) return false;
        start = i;
        ++depth_;
      }
      digit = true;
    } else {
      if (digit && i > start) {
        if (!Push(true, s.substr(start, i - start), false)) return false;
        start = i;
        ++depth_;
      }
      digit = false;
    }
  }
  if (s.size() > start) return Push(digit, s.substr(start), false);
  return true;
}

// ListItem.normalize, deepest list first: drop each list's trailing null
// items (0, "", "ga", "final", ...); an emptied list disappears with them.
void Normalize(Item* items, std::size_t n) {
  std::size_t end = n;
  while (end > 0) {
    int depth = items[end - 1].depth;
    std::size_t begin = end;
    while (begin > 0 && items[begin - 1].depth == depth) --begin;
    for (std::size_t i = end; i > begin && IsNull(items[i - 1]); --i) items[i - 1].removed = true;
    end = begin;
  }
}

// The elements of one list: its own items, then its sub-list if any.
class ListCursor {
 public:
  ListCursor(const Item* items, std::size_t n, std::size_t pos, int depth)
      : items_(items), n_(n), pos_(pos), depth_(depth) {
    SkipRemoved();
  }
  enum Kind { kNone, kItem, kList };
  Kind Peek() const {
    if (pos_ >= n_) return kNone;
    return items_[pos_].depth == depth_ ? kItem : kList;
  }
  const Item& item() const { return items_[pos_]; }
  void Advance() {
    ++pos_;
    SkipRemoved();
  }
  // The sub-list. A list left with nothing but its own sub-list ("1-ga-1"
  // after "ga" is trimmed) stands for that sub-list, as the Maven version
  // order specification has it (1-ga-1 == 1-1).
  ListCursor Sub() const { return ListCursor(items_, n_, pos_, items_[pos_].depth); }

 private:
  void SkipRemoved() {
    while (pos_ < n_ && items_[pos_].removed) ++pos_;
  }
  const Item* items_;
  std::size_t n_;
  std::size_t pos_;
  int depth_;
};

int CompareQualifiers(const Item& a, const Item& b) {
  if (a.qualifier != b.qualifier) return a.qualifier < b.qualifier ? -1 : 1;
  if (a.qualifier != kUnknown) return 0;
  for (std::size_t i = 0; i < a.text.size() && i < b.text.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(ToLower(a.text[i]));
    unsigned char y = static_cast<unsigned char>(ToLower(b.text[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return Sign(static_cast<int>(a.text.size() > b.text.size()) -
              static_cast<int>(a.text.size() < b.text.size()));
}

// Item.compareTo(null) for the list's first element: how it compares with a
// missing one (maven-artifact 3.8 looks no further than that element).
int CompareWithNull(ListCursor list) {
  while (true) {
    switch (list.Peek()) {
      case ListCursor::kNone:
        return 0;  // an empty list
      case ListCursor::kItem: {
        const Item& item = list.item();
        if (item.is_int) return item.text.empty() ? 0 : 1;
        return Sign(item.qualifier - kRelease);
      }
      case ListCursor::kList:
        list = list.Sub();
        break;  // its first element
    }
  }
}

// Numbers > lists > qualifiers when kinds differ.
int KindRank(ListCursor::Kind kind, const ListCursor& c) {
  if (kind == ListCursor::kList) return 1;
  return c.item().is_int ? 2 : 0;
}

int CompareLists(ListCursor a, ListCursor b) {
  while (true) {
    ListCursor::Kind ka = a.Peek();
    ListCursor::Kind kb = b.Peek();
    if (ka == ListCursor::kNone && kb == ListCursor::kNone) return 0;
    // Against a missing element: an item compares and the walk goes on; a
    // sub-list (always the last element) decides by its first element.
    if (ka == ListCursor::kNone || kb == ListCursor::kNone) {
      ListCursor& present = ka == ListCursor::kNone ? b : a;
      const int sign = ka == ListCursor::kNone ? -1 : 1;
      if (present.Peek() == ListCursor::kList) return sign * CompareWithNull(present.Sub());
      if (int r = CompareWithNull(present); r != 0) return sign * r;
      present.Advance();
      continue;
    }
    if (ka == ListCursor::kList && kb == ListCursor::kList) {
      a = a.Sub();  // a sub-list is its list's last element
      b = b.Sub();
      continue;
    }
    if (ka == ListCursor::kList && kb != ListCursor::kList) {
      // A list against a lone item: only the rank matters.
      return Sign(KindRank(ka, a) - KindRank(kb, b));
    }
    if (kb == ListCursor::kList) return Sign(KindRank(ka, a) - KindRank(kb, b));
    const Item& x = a.item();
    const Item& y = b.item();
    int r = 0;
    if (x.is_int != y.is_int) {
      r = x.is_int ? 1 : -1;
    } else {
      r = x.is_int ? CompareDigits(x.text, y.text) : CompareQualifiers(x, y);
    }
    if (r != 0) return r;
    a.Advance();
    b.Advance();
  }
}

constexpr std::size_t kInline = 48;

int CompareParsed(const Item* a, std::size_t na, const Item* b, std::size_t nb) {
  return CompareLists(ListCursor(a, na, 0, 0), ListCursor(b, nb, 0, 0));
}

}  // namespace

int CompareMaven(std::string_view a, std::string_view b) {
  Item ia[kInline];
  Item ib[kInline];
  Parser pa(ia, kInline);
  Parser pb(ib, kInline);
  if (pa.Parse(a) && pb.Parse(b)) {
    Normalize(ia, pa.size());
    Normalize(ib, pb.size());
    return CompareParsed(ia, pa.size(), ib, pb.size());
  }
  // Long versions: one item per byte at most.
  std::vector<Item> va(a.size() + 1);
  std::vector<Item> vb(b.size() + 1);
  Parser qa(va.data(), va.size());
  Parser qb(vb.data(), vb.size());
  qa.Parse(a);
  qb.Parse(b);
  Normalize(va.data(), qa.size());
  Normalize(vb.data(), qb.size());
  return CompareParsed(va.data(), qa.size(), vb.data(), qb.size());
}

// Maven accepts any string; we ask for a non-empty one starting with a digit
// and made of letters, digits, '.', '-', '_' and '+'.
bool IsValidMaven(std::string_view version) {
  if (version.empty() || !IsDigit(version.front())) return false;
  return SpanOf(version, [](char c) {
           return IsAlnum(c) || c == '.' || c == '-' || c == '_' || c == '+';
         }) == version.size();
}

}  // namespace bulwark::vuln::internal
