// Lexical helpers of the Dockerfile parser: words, JSON arrays, heredoc
// markers and the logical-line offset map.
#include <algorithm>
#include <cctype>

#include "parse/dockerfile_internal.hpp"

namespace bulwark::parse::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void AppendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<unsigned> ReadHex4(std::string_view text, size_t pos) {
  if (pos + 4 > text.size()) return std::nullopt;
  unsigned value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    char c = text[i];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                   ? c - '0'
                                                   : std::tolower(c) - 'a' + 10);
  }
  return value;
}

// Reads a JSON string starting at the opening quote `pos`; returns the index
// one past the closing quote, or npos when the string is malformed.
size_t ReadJsonString(std::string_view text, size_t pos, std::string& out) {
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') return i + 1;
    if (static_cast<unsigned char>(c) < 0x20) return std::string_view::npos;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= text.size()) return std::string_view::npos;
    switch (text[i]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::optional<unsigned> code = ReadHex4(text, i + 1);
        if (!code) return std::string_view::npos;
        i += 4;
        if (*code >= 0xD800 && *code < 0xDC00 && i + 2 < text.size() && text[i + 1] == '\\' &&
            text[i + 2] == 'u') {
          std::optional<unsigned> low = ReadHex4(text, i + 3);
          if (low && *low >= 0xDC00 && *low < 0xE000) {
            *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(out, *code);
        break;
      }
      default:
        return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

size_t SkipJsonSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && IsJsonSpace(text[pos])) ++pos;
  return pos;
}

// Skips a JSON number, true, false or null at `pos`; npos when there is none.
size_t SkipJsonScalar(std::string_view text, size_t pos) {
  for (std::string_view word : {"true", "false", "null"}) {
    if (text.substr(pos, word.size()) == word) return pos + word.size();
  }
  size_t i = pos;
  if (i < text.size() && text[i] == '-') ++i;
  size_t digits = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == digits) return std::string_view::npos;
  if (i < text.size() && text[i] == '.') {
    size_t frac = ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == frac) return std::string_view::npos;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    if (++i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == exp) return std::string_view::npos;
  }
  return i;
}

}  // namespace

std::pair<int, int> ParseState::Position(size_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts_.begin());
  if (line == 0) return {1, 1};
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

void ParseState::Problem(size_t offset, std::string message) {
  if (problems_.size() > kMaxProblems) return;
  auto [line, column] = Position(offset);
  if (problems_.size() == kMaxProblems) {
    message = "too many problems; the rest of the file is not reported";
  }
  // Messages quote the input: keep them printable and bounded.
  constexpr size_t kMaxMessage = 300;
  if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + "...";
  for (char& c : message) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  problems_.push_back(DockerfileProblem{line, column, std::move(message)});
}

void LogicalLine::Append(std::string_view piece, size_t file_offset) {
  if (piece.empty()) return;
  if (!spans.empty()) {
    TextSpan& last = spans.back();
    if (last.logical + last.length == text.size() && last.file + last.length == file_offset) {
      last.length += piece.size();
      text.append(piece);
      return;
    }
  }
  spans.push_back(TextSpan{text.size(), file_offset, piece.size()});
  text.append(piece);
}

size_t LogicalLine::FileOffset(size_t pos) const {
  if (spans.empty()) return 0;
  auto it = std::upper_bound(spans.begin(), spans.end(), pos,
                             [](size_t p, const TextSpan& s) { return p < s.logical; });
  const TextSpan& span = it == spans.begin() ? spans.front() : *(it - 1);
  size_t delta = pos > span.logical ? pos - span.logical : 0;
  return span.file + std::min(delta, span.length);
}

LogicalLine LogicalLine::Suffix(size_t pos) const {
  LogicalLine out;
  pos = std::min(pos, text.size());
  out.text = text.substr(pos);
  for (const TextSpan& span : spans) {
    if (span.logical + span.length <= pos) continue;
    size_t skip = pos > span.logical ? pos - span.logical : 0;
    out.spans.push_back(TextSpan{span.logical + skip - pos, span.file + skip, span.length - skip});
  }
  return out;
}

std::vector<RawWord> SplitWords(std::string_view text, char escape) {
  std::vector<RawWord> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    RawWord word;
    word.begin = i;
    char quote = 0;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (quote == 0 && IsSpace(c)) break;
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == escape && quote != '\'' && i + 1 < text.size()) {
        word.value += text[++i];
      } else if (c != escape || quote == '\'') {
        word.value += c;
      }
    }
    word.end = i;
    words.push_back(std::move(word));
  }
  return words;
}

std::string Unquote(std::string_view text, char escape) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == 0 && (c == '\'' || c == '"')) {
      quote = c;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == escape && quote != '\'' && i + 1 < text.size()) {
      out += text[++i];
    } else {
      out += c;
    }
  }
  return out;
}

JsonArrayStatus ParseJsonStringArray(std::string_view text, std::vector<JsonElement>& out) {
  out.clear();
  size_t pos = SkipJsonSpace(text, 0);
  if (pos >= text.size() || text[pos] != '[') return JsonArrayStatus::kNotArray;
  pos = SkipJsonSpace(text, pos + 1);
  bool only_strings = true;
  auto finish = [&](size_t after) {
    if (SkipJsonSpace(text, after) != text.size()) return JsonArrayStatus::kInvalid;
    return only_strings ? JsonArrayStatus::kOk : JsonArrayStatus::kNotStrings;
  };
  if (pos < text.size() && text[pos] == ']') return finish(pos + 1);
  while (pos < text.size()) {
    size_t end = std::string_view::npos;
    if (text[pos] == '"') {
      JsonElement element;
      element.begin = pos;
      end = ReadJsonString(text, pos, element.value);
      element.end = end;
      if (end != std::string_view::npos) out.push_back(std::move(element));
    } else {
      // A valid array with numbers or literals is a different error (BuildKit
      // rejects it) from text that is not JSON at all (run as shell form).
      end = SkipJsonScalar(text, pos);
      only_strings = false;
    }
    if (end == std::string_view::npos) return JsonArrayStatus::kInvalid;
    pos = SkipJsonSpace(text, end);
    if (pos >= text.size()) return JsonArrayStatus::kInvalid;
    if (text[pos] == ']') return finish(pos + 1);
    if (text[pos] != ',') return JsonArrayStatus::kInvalid;
    pos = SkipJsonSpace(text, pos + 1);
  }
  return JsonArrayStatus::kInvalid;
}

std::vector<HeredocMarker> FindHeredocMarkers(std::string_view logical) {
  std::vector<HeredocMarker> markers;
  // BuildKit lexes heredoc words with '\' whatever the escape directive says.
  for (const RawWord& word : SplitWords(logical, '\\')) {
    std::string_view raw = logical.substr(word.begin, word.end - word.begin);
    size_t i = 0;
    while (i < raw.size() && std::isdigit(static_cast<unsigned char>(raw[i]))) ++i;
    if (raw.substr(i, 2) != "<<") continue;
    i += 2;
    HeredocMarker marker;
    if (i < raw.size() && raw[i] == '-') {
      marker.strip_tabs = true;
      ++i;
    }
    std::string_view rest = raw.substr(i);
    if (rest.empty() || rest.find('<') != std::string_view::npos) continue;
    marker.expand = rest.find_first_of("'\"") == std::string_view::npos;
    marker.name = Unquote(rest, '\\');
    if (marker.name.empty()) continue;
    markers.push_back(std::move(marker));
  }
  return markers;
}

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsKnownKeyword(std::string_view upper) {
  static constexpr std::string_view kKeywords[] = {
      "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
      "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
      "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};
  return std::find(std::begin(kKeywords), std::end(kKeywords), upper) != std::end(kKeywords);
}

}  // namespace bulwark::parse::internal
