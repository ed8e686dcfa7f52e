#include "vuln/json_reader.hpp"

#include <cctype>

namespace bulwark::vuln {
namespace {

constexpr int kMaxDepth = 32;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

void JsonReader::SkipSpace() {
  while (pos_ < text_.size() &&
         (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
    ++pos_;
  }
}

bool JsonReader::AtEnd() {
  SkipSpace();
  return pos_ == text_.size();
}

bool JsonReader::Expect(char c) {
  if (!ok_) return false;
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != c) return Fail();
  ++pos_;
  return true;
}

bool JsonReader::Begin(char c) {
  if (!Expect(c)) return false;
  first_ = true;
  return true;
}

bool JsonReader::NextElement() {
  if (!ok_) return false;
  SkipSpace();
  if (pos_ >= text_.size()) return Fail();
  if (text_[pos_] == ']' || text_[pos_] == '}') {
    ++pos_;
    first_ = false;  // the enclosing container has had an element: this one
    return false;
  }
  if (!first_) {
    if (text_[pos_] != ',') return Fail();
    ++pos_;
  }
  first_ = false;
  return true;
}

bool JsonReader::NextKey(std::string& key) {
  if (!NextElement()) return false;
  if (!ReadString(key) || !Expect(':')) return Fail();
  first_ = false;
  return true;
}

bool JsonReader::ReadEscape(std::string& out) {
  if (pos_ >= text_.size()) return Fail();
  char c = text_[pos_++];
  switch (c) {
    case '"': case '\\': case '/': out.push_back(c); return true;
    case 'b': out.push_back('\b'); return true;
    case 'f': out.push_back('\f'); return true;
    case 'n': out.push_back('\n'); return true;
    case 'r': out.push_back('\r'); return true;
    case 't': out.push_back('\t'); return true;
    case 'u': break;
    default: return Fail();
  }
  auto hex4 = [&](uint32_t& value) {
    if (pos_ + 4 > text_.size()) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(text_[pos_++]);
      if (h < 0) return false;
      value = value * 16 + static_cast<uint32_t>(h);
    }
    return true;
  };
  uint32_t cp = 0;
  if (!hex4(cp)) return Fail();
  if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
    uint32_t low = 0;
    if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return Fail();
    pos_ += 2;
    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return Fail();
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return Fail();
  }
  AppendUtf8(out, cp);
  return true;
}

bool JsonReader::ReadString(std::string& out) {
  if (!ok_) return false;
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != '"') return Fail();
  ++pos_;
  out.clear();
  for (;;) {
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
           static_cast<unsigned char>(text_[pos_]) >= 0x20) {
      ++pos_;
    }
    out.append(text_.data() + start, pos_ - start);
    if (pos_ >= text_.size() || static_cast<unsigned char>(text_[pos_]) < 0x20) return Fail();
    if (text_[pos_++] == '"') return true;
    if (!ReadEscape(out)) return false;
  }
}

bool JsonReader::ReadInt(int64_t& out) {
  if (!ok_) return false;
  SkipSpace();
  bool negative = pos_ < text_.size() && text_[pos_] == '-';
  if (negative) ++pos_;
  size_t start = pos_;
  uint64_t value = 0;
  while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && pos_ - start < 18) {
    value = value * 10 + static_cast<uint64_t>(text_[pos_++] - '0');
  }
  if (pos_ == start) return Fail();
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

bool JsonReader::Skip(int depth) {
  if (!ok_ || depth > kMaxDepth) return Fail();
  SkipSpace();
  if (pos_ >= text_.size()) return Fail();
  char c = text_[pos_];
  if (c == '"') {
    std::string ignored;
    return ReadString(ignored);
  }
  if (c == '{') {
    BeginObject();
    std::string key;
    while (NextKey(key)) {
      if (!Skip(depth + 1)) return false;
    }
    return ok_;
  }
  if (c == '[') {
    BeginArray();
    while (NextElement()) {
      if (!Skip(depth + 1)) return false;
    }
    return ok_;
  }
  // A number, true, false or null: the run of characters that can form one.
  size_t start = pos_;
  while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
                                  text_[pos_] == '+' || text_[pos_] == '.')) {
    ++pos_;
  }
  return pos_ > start ? true : Fail();
}

}  // namespace bulwark::vuln
