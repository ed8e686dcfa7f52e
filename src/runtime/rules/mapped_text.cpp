#include "runtime/rules/mapped_text.hpp"

#include <algorithm>

namespace bulwark::runtime::rules {

void MappedText::Append(std::string_view s, SrcPos p) {
  text.append(s);
  pos.insert(pos.end(), s.size(), p);
}

void MappedText::Append(const MappedText& other) {
  text += other.text;
  pos.insert(pos.end(), other.pos.begin(), other.pos.end());
}

SrcPos MappedText::At(size_t i) const {
  if (i < pos.size()) return pos[i];
  if (pos.empty()) return origin;
  // Past the end (an error at the end of the text): just after the last byte.
  SrcPos p = pos.back();
  p.column += static_cast<uint32_t>(std::min<size_t>(i - pos.size() + 1, 1000));
  return p;
}

MappedText PlainText(std::string_view s, SrcPos p) {
  MappedText m;
  m.origin = p;
  m.Append(s, p);
  return m;
}

MappedText MapScalar(std::string_view value, std::string_view file_text, size_t mark_offset, int mark_line,
                     int mark_column, uint32_t source) {
  MappedText m;
  m.origin = SrcPos{source, static_cast<uint32_t>(mark_line + 1), static_cast<uint32_t>(mark_column + 1)};
  m.text = std::string(value);
  m.pos.reserve(value.size());
  // How far ahead a value byte may be found in the raw text: YAML removes
  // at most a line break, an indentation and a quote or escape between two
  // value bytes. Beyond that the mapping has lost step; the last good
  // position is reused until it finds it again.
  constexpr size_t kMaxSkip = 160;
  size_t j = mark_offset <= file_text.size() ? mark_offset : file_text.size();
  uint32_t line = m.origin.line, col = m.origin.column;
  for (char c : value) {
    size_t k = j;
    uint32_t kline = line, kcol = col;
    while (k < file_text.size() && k - j < kMaxSkip && file_text[k] != c) {
      if (file_text[k] == '\n') {
        ++kline;
        kcol = 1;
      } else {
        ++kcol;
      }
      ++k;
    }
    if (k < file_text.size() && file_text[k] == c) {
      m.pos.push_back(SrcPos{source, kline, kcol});
      j = k + 1;
      line = kline;
      col = kcol + 1;
      if (c == '\n') {
        ++line;
        col = 1;
      }
    } else {
      m.pos.push_back(SrcPos{source, line, col});
    }
  }
  return m;
}

}  // namespace bulwark::runtime::rules
