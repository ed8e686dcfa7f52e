// Text helpers of the Python tokenizer: token kind names, splitting a STRING
// token into prefix, quotes and body, and decoding a constant literal's value.
#include <cstdint>
#include <string>

#include "parse/python_tokenizer.hpp"

namespace bulwark::parse {
namespace {

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

// Decodes the escape at body[i] == '\\'; returns the index after it.
size_t DecodeEscape(std::string_view body, size_t i, bool bytes, std::string& out) {
  if (i + 1 >= body.size()) {
    out += '\\';
    return i + 1;
  }
  char c = body[i + 1];
  static constexpr std::string_view kSimple = "\\'\"abfnrtv";
  static constexpr std::string_view kValues = "\\'\"\a\b\f\n\r\t\v";
  if (size_t k = kSimple.find(c); k != std::string_view::npos) {
    out += kValues[k];
    return i + 2;
  }
  if (c == '\n') return i + 2;  // backslash-newline joins the lines
  if (c == '\r') return (i + 2 < body.size() && body[i + 2] == '\n') ? i + 3 : i + 2;
  if (c >= '0' && c <= '7') {
    uint32_t value = 0;
    size_t j = i + 1;
    for (; j < body.size() && j < i + 4 && body[j] >= '0' && body[j] <= '7'; ++j) {
      value = value * 8 + static_cast<uint32_t>(body[j] - '0');
    }
    if (bytes || value < 0x80) {
      out += static_cast<char>(value & 0xFF);
    } else {
      AppendUtf8(value, out);
    }
    return j;
  }
  size_t digits = c == 'x' ? 2 : (!bytes && c == 'u') ? 4 : (!bytes && c == 'U') ? 8 : 0;
  if (digits > 0 && i + 2 + digits <= body.size()) {
    uint32_t value = 0;
    bool ok = true;
    for (size_t j = 0; j < digits && ok; ++j) {
      int h = HexValue(body[i + 2 + j]);
      ok = h >= 0;
      value = value * 16 + static_cast<uint32_t>(h < 0 ? 0 : h);
    }
    if (ok && value <= 0x10FFFF) {
      if (bytes || (c == 'x' && value < 0x80)) {
        out += static_cast<char>(value);
      } else {
        AppendUtf8(value, out);
      }
      return i + 2 + digits;
    }
  }
  out += '\\';  // unknown escape (or \N{...}): kept as written
  out += c;
  return i + 2;
}

}  // namespace

const char* PyTokenKindName(PyTokenKind kind) {
  switch (kind) {
    case PyTokenKind::kName:
      return "NAME";
    case PyTokenKind::kNumber:
      return "NUMBER";
    case PyTokenKind::kString:
      return "STRING";
    case PyTokenKind::kOp:
      return "OP";
    case PyTokenKind::kComment:
      return "COMMENT";
    case PyTokenKind::kNewline:
      return "NEWLINE";
    case PyTokenKind::kNl:
      return "NL";
    case PyTokenKind::kIndent:
      return "INDENT";
    case PyTokenKind::kDedent:
      return "DEDENT";
    case PyTokenKind::kEndMarker:
      return "ENDMARKER";
    case PyTokenKind::kError:
      return "ERRORTOKEN";
  }
  return "ERRORTOKEN";
}

PyStringParts SplitPyString(std::string_view text) {
  PyStringParts parts;
  size_t q = 0;
  while (q < text.size() && text[q] != '"' && text[q] != '\'') ++q;
  parts.prefix = text.substr(0, q);
  if (q >= text.size()) return parts;
  parts.quote = text[q];
  parts.triple = q + 2 < text.size() && text[q + 1] == parts.quote && text[q + 2] == parts.quote;
  size_t open = parts.triple ? 3 : 1;
  size_t begin = q + open;
  size_t end = text.size();
  // The closing quotes are there unless the token is an unterminated error token.
  if (end >= begin + open && text.substr(end - open, open) == std::string(open, parts.quote)) {
    end -= open;
  }
  parts.body = begin <= end ? text.substr(begin, end - begin) : std::string_view();
  return parts;
}

std::string PyStringValue(const PyToken& token) {
  PyStringParts parts = SplitPyString(token.text);
  bool raw = (token.flags & kPyStrRaw) != 0;
  bool bytes = (token.flags & kPyStrBytes) != 0;
  bool format = (token.flags & kPyStrFormat) != 0;
  bool unfold_braces = format && (token.flags & kPyStrHasExpressions) == 0;
  std::string out;
  out.reserve(parts.body.size());
  std::string_view body = parts.body;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '\\' && !raw) {
      i = DecodeEscape(body, i, bytes, out);
    } else if (unfold_braces && (c == '{' || c == '}') && i + 1 < body.size() && body[i + 1] == c) {
      out += c;
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace bulwark::parse
