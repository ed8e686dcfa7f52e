// Text helpers of the Dockerfile fixer: whole-line insertions and removals
// that keep the file's line endings and final-newline state, indentation and
// keyword case, JSON strings for exec form.
#include <cctype>
#include <cstdio>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {

TextEdit InsertLines(const Session& s, int line, const std::vector<std::string>& lines,
                     std::string check_id) {
  std::string_view text = s.text();
  TextEdit edit;
  edit.check_id = std::move(check_id);
  edit.begin = line <= 0 ? 0 : NextLineOffset(text, line);
  edit.end = edit.begin;
  if (edit.begin == text.size() && !EndsWithNewline(text)) {
    // The last line has no break: put ours before each new line instead of
    // after, so the file still ends without one.
    for (const std::string& one : lines) {
      edit.text.append(s.eol());
      edit.text.append(one);
    }
    return edit;
  }
  for (const std::string& one : lines) {
    edit.text.append(one);
    edit.text.append(s.eol());
  }
  return edit;
}

TextEdit RemoveInstruction(const Session& s, const parse::Instruction& inst, std::string check_id) {
  std::string_view text = s.text();
  TextEdit edit;
  edit.check_id = std::move(check_id);
  edit.begin = LineStartOffset(text, inst.start_line);
  edit.end = NextLineOffset(text, inst.end_line);
  if (edit.end == text.size() && !EndsWithNewline(text) && inst.start_line > 1) {
    // The last line has no break: remove the one before it instead.
    edit.begin = LineEndOffset(text, inst.start_line - 1);
  }
  return edit;
}

std::string IndentOf(const Session& s, const parse::Instruction& inst) {
  size_t start = LineStartOffset(s.text(), inst.start_line);
  if (inst.begin_offset < start) return "";
  std::string_view lead = s.text().substr(start, inst.begin_offset - start);
  for (char c : lead) {
    if (c != ' ' && c != '\t') return "";
  }
  return std::string(lead);
}

std::string KeywordLike(const parse::Instruction& inst, std::string_view keyword) {
  std::string_view written = std::string_view(inst.raw).substr(0, inst.keyword.size());
  bool lower = !written.empty();
  for (char c : written) {
    if (std::isupper(static_cast<unsigned char>(c))) lower = false;
  }
  return lower ? Lower(keyword) : std::string(keyword);
}

size_t ArgsEnd(const parse::Instruction& inst, size_t end) {
  return end == 0 ? inst.FileOffset(0) : inst.FileOffset(end - 1) + 1;
}

std::string JsonString(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += JsonString(values[i]);
  }
  return out + "]";
}

bool OnOneLine(const Session& s, size_t begin, size_t end) {
  if (end < begin || end > s.text().size()) return false;
  return s.text().substr(begin, end - begin).find('\n') == std::string_view::npos;
}

std::string Lower(std::string_view text) { return audit::dockerfile::Lower(text); }

}  // namespace bulwark::fix::dockerfile
