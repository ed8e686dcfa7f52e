#include "parse/python_tokenizer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

namespace bulwark::parse {
namespace {

// Nesting bound for f-strings inside f-string replacement fields; CPython
// stops far earlier, and the bound keeps recursion off the stack limit.
constexpr int kMaxStringNesting = 64;
constexpr int kMaxIndentColumn = 1 << 24;

bool IsAsciiIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsAsciiIdentChar(unsigned char c) { return IsAsciiIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence at `pos` (2..4), or 0 when the bytes
// there are not valid UTF-8 (overlong forms and surrogates included).
size_t Utf8SequenceLength(std::string_view s, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(pos);
  size_t len = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Offset of the first byte of [begin, end) that is not valid UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s, size_t begin, size_t end) {
  for (size_t i = begin; i < end;) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

uint8_t PrefixFlags(std::string_view prefix, bool* valid) {
  uint8_t flags = 0;
  int count_r = 0, count_b = 0, count_f = 0, count_u = 0;
  for (char c : prefix) {
    switch (c | 0x20) {
      case 'r':
        flags |= kPyStrRaw, ++count_r;
        break;
      case 'b':
        flags |= kPyStrBytes, ++count_b;
        break;
      case 'f':
      case 't':
        flags |= kPyStrFormat, ++count_f;
        break;
      case 'u':
        ++count_u;
        break;
      default:
        *valid = false;
        return 0;
    }
  }
  *valid = prefix.size() <= 2 && count_r <= 1 && count_b + count_f <= 1 && count_b <= 1 &&
           (count_u == 0 || prefix.size() == 1);
  return flags;
}

constexpr std::array<std::string_view, 4> kThreeCharOps = {"**=", "//=", ">>=", "<<="};
constexpr std::array<std::string_view, 20> kTwoCharOps = {
    "!=", "==", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "@=", "**", "//", "<<", ">>", ":=", "<>"};
constexpr std::string_view kOneCharOps = "()[]{}:,;.+-*/%&|^~<>=@";

class Tokenizer {
 public:
  Tokenizer(std::string_view src, const PyTokenizerOptions& options)
      : src_(src), options_(options) {}

  PyTokenStream Run();

 private:
  struct StringScan {
    size_t end = 0;
    bool terminated = false;
  };

  void ScanToken(unsigned char c);
  void HandleIndentation();
  void HandleNewline();
  void HandleBackslash();
  void ScanName();
  void ScanNumber();
  void ScanString(size_t start, size_t quote_pos, uint8_t flags);
  StringScan ScanStringBody(size_t pos, char quote, bool triple, bool format, int nesting,
                            bool* has_expressions);
  StringScan ScanReplacementField(size_t pos, char quote, bool triple, int nesting,
                                  bool* has_expressions);
  StringScan ScanFormatSpec(size_t pos, char quote, bool triple, int nesting,
                            bool* has_expressions);
  StringScan ScanNestedString(size_t pos, int nesting, bool* has_expressions);
  void ScanOperatorOrError();
  void ScanInvalid();

  void Emit(PyTokenKind kind, size_t begin, size_t end, uint8_t flags = 0);
  void AdvanceLines(size_t begin, size_t end);
  void Diagnose(size_t offset, std::string message);
  void DiagnoseAt(int line, int column, size_t offset, std::string message);
  void CheckUtf8(size_t begin, size_t end, const char* what);
  bool AtLineEnd(size_t pos) const {
    return pos >= src_.size() || src_[pos] == '\n' ||
           (src_[pos] == '\r' && pos + 1 < src_.size() && src_[pos + 1] == '\n');
  }

  std::string_view src_;
  const PyTokenizerOptions& options_;
  PyTokenStream out_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  int bracket_depth_ = 0;
  bool at_line_start_ = true;
  bool line_has_tokens_ = false;
  std::vector<int> indents_ = {0};
  size_t suppressed_diagnostics_ = 0;
};

PyTokenStream Tokenizer::Run() {
  if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
  while (pos_ < src_.size()) {
    if (at_line_start_ && bracket_depth_ == 0) {
      HandleIndentation();
      if (pos_ >= src_.size()) break;
    }
    at_line_start_ = false;
    ScanToken(static_cast<unsigned char>(src_[pos_]));
  }
  if (bracket_depth_ > 0) Diagnose(src_.size(), "unexpected end of file: unclosed bracket");
  if (line_has_tokens_) Emit(PyTokenKind::kNewline, src_.size(), src_.size());
  if (options_.emit_indentation) {
    for (size_t i = 1; i < indents_.size(); ++i)
      Emit(PyTokenKind::kDedent, src_.size(), src_.size());
  }
  Emit(PyTokenKind::kEndMarker, src_.size(), src_.size());
  if (suppressed_diagnostics_ > 0) {
    out_.diagnostics.push_back(
        {line_, 1, src_.size(),
         std::to_string(suppressed_diagnostics_) + " further problems not shown"});
  }
  return std::move(out_);
}

void Tokenizer::ScanToken(unsigned char c) {
  if (c == ' ' || c == '\t' || c == '\f') {
    ++pos_;
  } else if (c == '\n' || (c == '\r' && AtLineEnd(pos_))) {
    HandleNewline();
  } else if (c == '\r') {
    ++pos_;  // a lone CR is whitespace: lines are counted by LF as everywhere in bulwark
  } else if (c == '#') {
    size_t end = pos_;
    while (!AtLineEnd(end)) ++end;
    CheckUtf8(pos_, end, "comment");
    Emit(PyTokenKind::kComment, pos_, end);
  } else if (c == '\\') {
    HandleBackslash();
  } else if (IsAsciiIdentStart(c) || c >= 0x80) {
    ScanName();
  } else if (IsDigit(c) || (c == '.' && pos_ + 1 < src_.size() &&
                            IsDigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
    ScanNumber();
  } else if (c == '"' || c == '\'') {
    ScanString(pos_, pos_, 0);
  } else {
    ScanOperatorOrError();
  }
}

// An explicit line join: no NEWLINE, and the next line's indentation does not count.
void Tokenizer::HandleBackslash() {
  size_t next = pos_ + 1;
  if (next < src_.size() && src_[next] == '\r') ++next;
  if (next < src_.size() && src_[next] == '\n') {
    AdvanceLines(pos_, next + 1);
    pos_ = next + 1;
    return;
  }
  Diagnose(pos_, "unexpected character after line continuation character");
  Emit(PyTokenKind::kError, pos_, pos_ + 1);
}

// Measures the indentation of a new logical line and emits INDENT/DEDENT.
// Blank and comment-only lines do not count, as in CPython.
void Tokenizer::HandleIndentation() {
  int column = 0;
  size_t p = pos_;
  for (; p < src_.size(); ++p) {
    char c = src_[p];
    if (c == ' ') {
      ++column;
    } else if (c == '\t') {
      column = (column / 8 + 1) * 8;
    } else if (c == '\f') {
      column = 0;
    } else {
      break;
    }
    column =
        std::min(column, kMaxIndentColumn);  // deeper changes nothing; keeps the count in range
  }
  size_t ws_begin = pos_;
  pos_ = p;
  if (p >= src_.size() || src_[p] == '#' || AtLineEnd(p) || src_[p] == '\r') return;
  if (!options_.emit_indentation) return;
  if (column > indents_.back()) {
    indents_.push_back(column);
    Emit(PyTokenKind::kIndent, ws_begin, p);
    return;
  }
  while (column < indents_.back()) {
    indents_.pop_back();
    Emit(PyTokenKind::kDedent, p, p);
  }
  if (column != indents_.back()) {
    Diagnose(p, "unindent does not match any outer indentation level");
    indents_.push_back(column);  // carry on as if this were a new block
  }
}

void Tokenizer::HandleNewline() {
  size_t end = pos_ + (src_[pos_] == '\r' ? 2 : 1);
  bool logical = bracket_depth_ == 0 && line_has_tokens_;
  Emit(logical ? PyTokenKind::kNewline : PyTokenKind::kNl, pos_, end);
  if (logical) line_has_tokens_ = false;
  at_line_start_ = bracket_depth_ == 0;
}

void Tokenizer::ScanName() {
  size_t begin = pos_;
  size_t p = pos_;
  while (p < src_.size()) {
    unsigned char c = static_cast<unsigned char>(src_[p]);
    if (IsAsciiIdentChar(c)) {
      ++p;
    } else if (c >= 0x80) {
      size_t len = Utf8SequenceLength(src_, p);
      if (len == 0) break;
      p += len;
    } else {
      break;
    }
  }
  if (p == begin) {  // an invalid byte where a name could have started
    ScanInvalid();
    return;
  }
  if (p < src_.size() && (src_[p] == '"' || src_[p] == '\'') && p - begin <= 2) {
    bool valid = true;
    uint8_t flags = PrefixFlags(src_.substr(begin, p - begin), &valid);
    if (valid) {
      ScanString(begin, p, flags);
      return;
    }
  }
  pos_ = p;
  Emit(PyTokenKind::kName, begin, p);
}

// Numbers are read leniently (digits, letters, underscores, one exponent
// sign); CPython's finer syntax errors do not matter to the checks.
void Tokenizer::ScanNumber() {
  size_t begin = pos_;
  size_t p = pos_;
  auto is_num_char = [&](size_t i) {
    return i < src_.size() && IsAsciiIdentChar(static_cast<unsigned char>(src_[i]));
  };
  bool radix = src_[p] == '0' && p + 1 < src_.size() &&
               std::strchr("xXoObB", src_[p + 1]) != nullptr && src_[p + 1] != '\0';
  if (radix) {
    p += 2;
    while (is_num_char(p)) ++p;
  } else {
    while (p < src_.size() && (IsDigit(static_cast<unsigned char>(src_[p])) || src_[p] == '_')) ++p;
    if (p < src_.size() && src_[p] == '.') {
      ++p;
      while (p < src_.size() && (IsDigit(static_cast<unsigned char>(src_[p])) || src_[p] == '_'))
        ++p;
    }
    if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < src_.size() && IsDigit(static_cast<unsigned char>(src_[q]))) {
        p = q;
        while (p < src_.size() && (IsDigit(static_cast<unsigned char>(src_[p])) || src_[p] == '_'))
          ++p;
      }
    }
    if (p < src_.size() && (src_[p] == 'j' || src_[p] == 'J')) ++p;
  }
  pos_ = p;
  Emit(PyTokenKind::kNumber, begin, p);
}

void Tokenizer::ScanString(size_t start, size_t quote_pos, uint8_t flags) {
  char quote = src_[quote_pos];
  bool triple =
      quote_pos + 2 < src_.size() && src_[quote_pos + 1] == quote && src_[quote_pos + 2] == quote;
  if (triple) flags |= kPyStrTriple;
  bool has_expressions = false;
  size_t body = quote_pos + (triple ? 3 : 1);
  StringScan scan =
      ScanStringBody(body, quote, triple, (flags & kPyStrFormat) != 0, 0, &has_expressions);
  if (has_expressions) flags |= kPyStrHasExpressions;
  pos_ = scan.end;
  if (scan.terminated) {
    CheckUtf8(start, scan.end, "string literal");
    Emit(PyTokenKind::kString, start, scan.end, flags);
    return;
  }
  Diagnose(start,
           triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
  Emit(PyTokenKind::kError, start, scan.end, flags | kPyStrUnterminated);
}

// Scans a string body from `pos` up to and including the closing quote(s).
// On failure `end` is where scanning stopped: the line end for a one-line
// string, the end of input for a triple-quoted one.
Tokenizer::StringScan Tokenizer::ScanStringBody(size_t pos, char quote, bool triple, bool format,
                                                int nesting, bool* has_expressions) {
  size_t p = pos;
  while (p < src_.size()) {
    char c = src_[p];
    if (c == '\\') {
      p += 2;  // an escape, or a backslash-newline inside the string
      if (p - 1 < src_.size() && src_[p - 1] == '\r' && p < src_.size() && src_[p] == '\n') ++p;
      continue;
    }
    if (c == '\n' && !triple) {
      size_t end = (p > pos && src_[p - 1] == '\r') ? p - 1 : p;
      return {end, false};
    }
    if (c == quote) {
      if (!triple) return {p + 1, true};
      if (p + 2 < src_.size() && src_[p + 1] == quote && src_[p + 2] == quote) return {p + 3, true};
    } else if (format && c == '{') {
      if (p + 1 < src_.size() && src_[p + 1] == '{') {
        p += 2;
        continue;
      }
      *has_expressions = true;
      StringScan field = ScanReplacementField(p + 1, quote, triple, nesting + 1, has_expressions);
      if (!field.terminated) return field;
      p = field.end;
      continue;
    }
    ++p;
  }
  return {src_.size(), false};
}

// The expression part of an f-string field, from after '{' to after '}'.
// Quotes inside it open nested strings (PEP 701), brackets nest, and a ':'
// at depth 0 starts the format spec.
Tokenizer::StringScan Tokenizer::ScanReplacementField(size_t pos, char quote, bool triple,
                                                      int nesting, bool* has_expressions) {
  if (nesting > kMaxStringNesting) return {pos, false};
  int depth = 0;
  size_t p = pos;
  while (p < src_.size()) {
    char c = src_[p];
    if (c == '\n' && !triple) return {(p > pos && src_[p - 1] == '\r') ? p - 1 : p, false};
    if (c == '"' || c == '\'') {
      StringScan inner = ScanNestedString(p, nesting + 1, has_expressions);
      if (!inner.terminated) return inner;
      p = inner.end;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']') {
      if (depth > 0) --depth;
    } else if (c == '}') {
      if (depth == 0) return {p + 1, true};
      --depth;
    } else if (c == ':' && depth == 0 && !(p + 1 < src_.size() && src_[p + 1] == '=')) {
      return ScanFormatSpec(p + 1, quote, triple, nesting, has_expressions);
    } else if (c == '\\') {
      ++p;  // only legal inside nested strings, but never let it hide a quote
    }
    ++p;
  }
  return {src_.size(), false};
}

// A format spec: literal text in which '{' opens a nested field and '}'
// closes the field. The enclosing quote ends it too (an unclosed field).
Tokenizer::StringScan Tokenizer::ScanFormatSpec(size_t pos, char quote, bool triple, int nesting,
                                                bool* has_expressions) {
  size_t p = pos;
  while (p < src_.size()) {
    char c = src_[p];
    if (c == '\n' && !triple) return {(p > pos && src_[p - 1] == '\r') ? p - 1 : p, false};
    if (c == '}') return {p + 1, true};
    if (c == quote) return {p, true};
    if (c == '{') {
      StringScan field = ScanReplacementField(p + 1, quote, triple, nesting + 1, has_expressions);
      if (!field.terminated) return field;
      p = field.end;
      continue;
    }
    ++p;
  }
  return {src_.size(), false};
}

// A string literal inside an f-string field, with an optional prefix
// already consumed by the caller's scan (prefix letters are plain name
// characters there). Its own fields count for the outer string.
Tokenizer::StringScan Tokenizer::ScanNestedString(size_t pos, int nesting, bool* has_expressions) {
  if (nesting > kMaxStringNesting) return {pos, false};
  size_t prefix_begin = pos;
  while (prefix_begin > 0 && pos - prefix_begin < 2 &&
         IsAsciiIdentStart(static_cast<unsigned char>(src_[prefix_begin - 1]))) {
    --prefix_begin;
  }
  bool valid = true;
  uint8_t flags = PrefixFlags(src_.substr(prefix_begin, pos - prefix_begin), &valid);
  bool format = valid && (flags & kPyStrFormat) != 0;
  char quote = src_[pos];
  bool triple = pos + 2 < src_.size() && src_[pos + 1] == quote && src_[pos + 2] == quote;
  return ScanStringBody(pos + (triple ? 3 : 1), quote, triple, format, nesting, has_expressions);
}

void Tokenizer::ScanOperatorOrError() {
  std::string_view rest = src_.substr(pos_, 3);
  size_t len = 0;
  for (std::string_view op : kThreeCharOps) {
    if (rest == op) len = 3;
  }
  if (rest == "...") len = 3;
  if (len == 0 && rest.size() >= 2) {
    for (std::string_view op : kTwoCharOps) {
      if (rest.substr(0, 2) == op) len = 2;
    }
  }
  if (len == 0 && kOneCharOps.find(src_[pos_]) != std::string_view::npos) len = 1;
  if (len == 0) {
    ScanInvalid();
    return;
  }
  char c = src_[pos_];
  if (len == 1 && (c == '(' || c == '[' || c == '{')) ++bracket_depth_;
  if (len == 1 && (c == ')' || c == ']' || c == '}') && bracket_depth_ > 0) --bracket_depth_;
  Emit(PyTokenKind::kOp, pos_, pos_ + len);
}

// A run of bytes that cannot start any token: one error token, one diagnostic.
void Tokenizer::ScanInvalid() {
  size_t begin = pos_;
  size_t p = pos_;
  while (p < src_.size()) {
    unsigned char c = static_cast<unsigned char>(src_[p]);
    bool ascii_bad = c < 0x80 && !IsAsciiIdentChar(c) &&
                     std::strchr(" \t\f\r\n#\\\"'", c) == nullptr &&
                     kOneCharOps.find(static_cast<char>(c)) == std::string_view::npos;
    if (c == 0) ascii_bad = true;
    bool utf8_bad = c >= 0x80 && Utf8SequenceLength(src_, p) == 0;
    if (!ascii_bad && !utf8_bad) break;
    ++p;
  }
  if (p == begin) p = begin + 1;  // never stall
  unsigned char first = static_cast<unsigned char>(src_[begin]);
  if (first >= 0x80) {
    Diagnose(begin, "invalid UTF-8 byte sequence");
  } else {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", first);
    Diagnose(begin, std::string("invalid character ") + hex + " in source");
  }
  Emit(PyTokenKind::kError, begin, p);
  pos_ = p;
}

void Tokenizer::Emit(PyTokenKind kind, size_t begin, size_t end, uint8_t flags) {
  PyToken token;
  token.kind = kind;
  token.flags = flags;
  token.line = line_;
  token.column = static_cast<int>(begin - line_start_) + 1;
  token.offset = begin;
  token.text = src_.substr(begin, end - begin);
  AdvanceLines(begin, end);
  token.end_line = line_;
  token.end_column = static_cast<int>(end - line_start_) + 1;
  out_.tokens.push_back(token);
  bool structural = kind == PyTokenKind::kNewline || kind == PyTokenKind::kNl ||
                    kind == PyTokenKind::kComment || kind == PyTokenKind::kIndent ||
                    kind == PyTokenKind::kDedent || kind == PyTokenKind::kEndMarker;
  if (!structural) line_has_tokens_ = true;
  pos_ = std::max(pos_, end);
}

void Tokenizer::AdvanceLines(size_t begin, size_t end) {
  const char* base = src_.data();
  const char* p = base + begin;
  const char* stop = base + end;
  while (p < stop) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(stop - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    ++line_;
    line_start_ = static_cast<size_t>(p - base);
  }
}

void Tokenizer::Diagnose(size_t offset, std::string message) {
  // Diagnostics are raised before the token is emitted, so the offset is on
  // the current line (or on a later one only for end-of-file reports).
  int column = offset >= line_start_ ? static_cast<int>(offset - line_start_) + 1 : 1;
  DiagnoseAt(line_, column, offset, std::move(message));
}

void Tokenizer::DiagnoseAt(int line, int column, size_t offset, std::string message) {
  if (out_.diagnostics.size() >= options_.max_diagnostics) {
    ++suppressed_diagnostics_;
    return;
  }
  out_.diagnostics.push_back({line, column, offset, std::move(message)});
}

void Tokenizer::CheckUtf8(size_t begin, size_t end, const char* what) {
  size_t bad = FirstInvalidUtf8(src_, begin, end);
  if (bad == std::string_view::npos) return;
  // Count lines up to the bad byte without moving the tokenizer's state.
  int line = line_;
  size_t line_start = line_start_;
  for (size_t i = begin; i < bad; ++i) {
    if (src_[i] == '\n') ++line, line_start = i + 1;
  }
  DiagnoseAt(line, static_cast<int>(bad - line_start) + 1, bad,
             std::string("invalid UTF-8 byte sequence in ") + what);
}

}  // namespace

PyTokenStream TokenizePython(std::string_view source, const PyTokenizerOptions& options) {
  return Tokenizer(source, options).Run();
}

}  // namespace bulwark::parse
