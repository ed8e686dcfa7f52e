// TextEdit: one replacement of a byte range of a file's original text, the
// unit every fixer produces. ApplyEdits() applies a set of them at once, so
// fixers never see each other's output and offsets stay those of the parsed
// text. Helpers for the file's own conventions (line ending, indentation)
// live here too, so every fixer writes new lines the way the file does.
// Plain value types and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::fix {

struct TextEdit {
  size_t begin = 0;  // byte offset in the original text
  size_t end = 0;    // one past the last replaced byte; == begin for an insertion
  std::string text;  // replacement
  std::string check_id;  // the finding this edit fixes (for the summary)
};

// Applies edits to `original`. Insertions at the same offset keep the order
// they were given in; an edit may not overlap another's replaced range
// (an error naming both check IDs) or reach past the end of the text.
core::Result<std::string> ApplyEdits(std::string_view original, std::vector<TextEdit> edits);

// "\r\n" when most line breaks of the text are CRLF, else "\n".
std::string_view DetectLineEnding(std::string_view text);

// True when the text is empty or ends with a line break.
bool EndsWithNewline(std::string_view text);

// Byte offset where 1-based `line` starts (text.size() past the last line).
size_t LineStartOffset(std::string_view text, int line);
// Byte offset of the end of 1-based `line`, before its line break.
size_t LineEndOffset(std::string_view text, int line);
// Byte offset just past the line break that ends 1-based `line` (text.size()
// when the line is the last one without a break).
size_t NextLineOffset(std::string_view text, int line);
// Byte offset of 1-based (line, column); column counts bytes.
size_t OffsetOf(std::string_view text, int line, int column);

// An insertion of whole lines after 1-based `line` (0: at the start of the
// text). Adds the missing line break first when `line` is the last line and
// has none. Each of `lines` gets `eol` appended.
TextEdit InsertLinesAfter(std::string_view text, int line, const std::vector<std::string>& lines,
                          std::string_view eol, std::string check_id);

}  // namespace bulwark::fix
