// The text-level helpers of the YAML tree: encoding validation (shared by
// the YAML and JSON loaders), printable excerpts for messages, and reading
// the position back out of an error status.
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "parse/yaml_tree.hpp"

namespace bulwark::parse {
namespace {

std::string WithMark(YamlMark mark, std::string_view message) {
  return std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " +
         std::string(message);
}

// Length of the UTF-8 sequence starting at text[i], 0 when invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t min = 0;
  uint32_t code = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
    code = lead & 0x07;
  } else
    return 0;
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

core::Status ValidateTextEncoding(std::string_view text) {
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    return core::Error(core::ErrorCode::kParseError,
                       "1:1: UTF-16/UTF-32 text is not supported; save the file as UTF-8");
  }
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      return core::Error(core::ErrorCode::kParseError,
                         WithMark({line, column}, "binary content (NUL byte), not a text file"));
    }
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
      return core::Error(core::ErrorCode::kParseError,
                         WithMark({line, column}, std::string("invalid UTF-8 (byte ") + hex + ")"));
    }
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      column += static_cast<int>(length);
    }
    i += length;
  }
  return core::Status::Ok();
}

std::string Printable(std::string_view text, size_t max) {
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() < text.size() && out.size() >= max) {
    // Do not cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "...";
  }
  return out;
}

YamlMark ErrorMark(const core::Status& status) {
  const std::string& message = status.message();
  int line = 0;
  int column = 0;
  const char* begin = message.data();
  const char* end = begin + message.size();
  auto [after_line, line_error] = std::from_chars(begin, end, line);
  if (line_error != std::errc() || after_line == end || *after_line != ':') return {};
  auto [after_column, column_error] = std::from_chars(after_line + 1, end, column);
  if (column_error != std::errc() || after_column == end || *after_column != ':') return {};
  if (line <= 0 || column <= 0) return {};
  return {line, column};
}

}  // namespace bulwark::parse
