// MappedText: a condition or output string that remembers, byte by byte,
// where in which rule file it came from. Conditions are rewritten before
// they are parsed (appends, exceptions, textual list substitution), so a
// parse error at offset N of the final text is reported at the file
// position of the byte that ended up there.
//
// MapScalar builds one from a YAML scalar: it walks the raw file text from
// the scalar's start mark in step with the scalar's value, skipping what
// YAML removed (quotes, block indicators, folded line breaks, indentation).
// Value type; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/rules/diagnostic.hpp"

namespace bulwark::runtime::rules {

struct MappedText {
  std::string text;
  std::vector<SrcPos> pos;  // pos.size() == text.size()
  SrcPos origin;            // where the text as a whole comes from

  bool empty() const { return text.empty(); }
  size_t size() const { return text.size(); }
  // Appends `s`, every byte attributed to `p`.
  void Append(std::string_view s, SrcPos p);
  void Append(const MappedText& other);
  // Position of byte `i`; past the end: just after the last byte (or `origin`).
  SrcPos At(size_t i) const;
};

MappedText PlainText(std::string_view s, SrcPos p);

// `mark_offset`, `mark_line`, `mark_column` (0-based, as yaml-cpp reports
// them) locate the scalar's first character in `file_text`.
MappedText MapScalar(std::string_view value, std::string_view file_text, size_t mark_offset, int mark_line,
                     int mark_column, uint32_t source);

}  // namespace bulwark::runtime::rules
