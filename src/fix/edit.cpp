#include "fix/edit.hpp"

#include <algorithm>

namespace bulwark::fix {

core::Result<std::string> ApplyEdits(std::string_view original, std::vector<TextEdit> edits) {
  // Stable sort keeps the given order of insertions at one offset.
  std::stable_sort(edits.begin(), edits.end(),
                   [](const TextEdit& a, const TextEdit& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(original.size() + 256);
  size_t cursor = 0;
  const TextEdit* previous = nullptr;
  for (const TextEdit& edit : edits) {
    if (edit.end < edit.begin || edit.end > original.size()) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                                 "edit for " + edit.check_id + " reaches past the end of the file");
    }
    if (edit.begin < cursor) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                                 "edits for " + (previous ? previous->check_id : std::string("?")) +
                                     " and " + edit.check_id + " overlap");
    }
    out.append(original.substr(cursor, edit.begin - cursor));
    out.append(edit.text);
    cursor = edit.end;
    previous = &edit;
  }
  out.append(original.substr(cursor));
  return out;
}

std::string_view DetectLineEnding(std::string_view text) {
  size_t crlf = 0;
  size_t lf = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    if (i > 0 && text[i - 1] == '\r') {
      ++crlf;
    } else {
      ++lf;
    }
  }
  return crlf > lf ? "\r\n" : "\n";
}

bool EndsWithNewline(std::string_view text) { return text.empty() || text.back() == '\n'; }

size_t LineStartOffset(std::string_view text, int line) {
  size_t offset = 0;
  for (int current = 1; current < line; ++current) {
    size_t newline = text.find('\n', offset);
    if (newline == std::string_view::npos) return text.size();
    offset = newline + 1;
  }
  return offset;
}

size_t LineEndOffset(std::string_view text, int line) {
  size_t start = LineStartOffset(text, line);
  size_t newline = text.find('\n', start);
  if (newline == std::string_view::npos) return text.size();
  if (newline > start && text[newline - 1] == '\r') return newline - 1;
  return newline;
}

size_t NextLineOffset(std::string_view text, int line) {
  size_t start = LineStartOffset(text, line);
  size_t newline = text.find('\n', start);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

size_t OffsetOf(std::string_view text, int line, int column) {
  size_t start = LineStartOffset(text, line);
  size_t offset = start + static_cast<size_t>(std::max(column, 1) - 1);
  return std::min(offset, LineEndOffset(text, line));
}

TextEdit InsertLinesAfter(std::string_view text, int line, const std::vector<std::string>& lines,
                          std::string_view eol, std::string check_id) {
  TextEdit edit;
  edit.check_id = std::move(check_id);
  edit.begin = line <= 0 ? 0 : NextLineOffset(text, line);
  edit.end = edit.begin;
  if (edit.begin == text.size() && !EndsWithNewline(text)) edit.text.append(eol);
  for (const std::string& one : lines) {
    edit.text.append(one);
    edit.text.append(eol);
  }
  return edit;
}

}  // namespace bulwark::fix
