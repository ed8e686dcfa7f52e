// The Dockerfile line scanner: parser directives, comments, continuation
// lines and heredoc bodies, then stages. Instruction arguments are split in
// dockerfile_instruction.cpp.
#include "parse/dockerfile.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "parse/dockerfile_internal.hpp"

namespace bulwark::parse {
namespace {

using internal::LogicalLine;
using internal::ParseState;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

struct PhysicalLine {
  size_t begin = 0;
  size_t end = 0;   // content end: "\n" and a "\r" before it excluded
  size_t next = 0;  // start of the following line
};

class LineReader {
 public:
  LineReader(std::string_view text, size_t pos) : text_(text), pos_(pos) {}
  bool AtEnd() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }
  PhysicalLine Next() {
    PhysicalLine line;
    line.begin = pos_;
    size_t nl = text_.find('\n', pos_);
    line.next = nl == std::string_view::npos ? text_.size() : nl + 1;
    line.end = nl == std::string_view::npos ? text_.size() : nl;
    if (line.end > line.begin && text_[line.end - 1] == '\r') --line.end;
    pos_ = line.next;
    return line;
  }
  std::string_view Content(const PhysicalLine& line) const {
    return text_.substr(line.begin, line.end - line.begin);
  }

 private:
  std::string_view text_;
  size_t pos_;
};

size_t LeadingSpace(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && IsSpace(text[n])) ++n;
  return n;
}

// `# name = value` at the top of the file (BuildKit's directive grammar).
bool MatchDirective(std::string_view line, std::string& name, std::string& value) {
  line.remove_prefix(LeadingSpace(line));
  if (line.empty() || line[0] != '#') return false;
  size_t i = 1;
  while (i < line.size() && IsSpace(line[i])) ++i;
  size_t name_begin = i;
  if (i >= line.size() || !std::isalpha(static_cast<unsigned char>(line[i]))) return false;
  while (i < line.size() && std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
  name = internal::ToLower(line.substr(name_begin, i - name_begin));
  while (i < line.size() && IsSpace(line[i])) ++i;
  if (i >= line.size() || line[i] != '=') return false;
  ++i;
  while (i < line.size() && IsSpace(line[i])) ++i;
  size_t end = line.size();
  while (end > i && IsSpace(line[end - 1])) --end;
  if (end == i) return false;
  value = std::string(line.substr(i, end - i));
  return true;
}

// Reads the directive lines at the top; returns where instructions start.
size_t ReadDirectives(std::string_view text, size_t pos, Dockerfile& df, ParseState& state) {
  LineReader lines(text, pos);
  while (!lines.AtEnd()) {
    PhysicalLine line = lines.Next();
    std::string name, value;
    if (!MatchDirective(lines.Content(line), name, value)) break;
    if (name != "syntax" && name != "escape" && name != "check") break;
    bool seen = std::any_of(df.directives.begin(), df.directives.end(),
                            [&](const Directive& d) { return d.name == name; });
    if (seen) state.Problem(line.begin, "only one " + name + " parser directive can be used");
    if (name == "escape") {
      if (value == "\\" || value == "`") {
        df.escape = value[0];
        state.set_escape(value[0]);
      } else {
        state.Problem(line.begin, "invalid escape token '" + value + "': use ` or \\");
      }
    }
    if (name == "syntax" && !seen) df.syntax = value;
    df.directives.push_back(Directive{name, value, state.Position(line.begin).first});
    pos = line.next;
  }
  return pos;
}

// Strips a trailing escape character (and blanks after it) that continues
// the line; an escape preceded by another escape does not continue it.
bool TrimContinuation(std::string_view& piece, char escape) {
  size_t end = piece.size();
  while (end > 0 && (piece[end - 1] == ' ' || piece[end - 1] == '\t')) --end;
  if (end == 0 || piece[end - 1] != escape) return false;
  if (end >= 2 && piece[end - 2] == escape) return false;
  piece = piece.substr(0, end - 1);
  return true;
}

void AddComment(std::string_view text, size_t line_begin, Dockerfile& df, const ParseState& state) {
  size_t hash = line_begin + LeadingSpace(text);
  std::string_view body = text.substr(LeadingSpace(text) + 1);
  body.remove_prefix(LeadingSpace(body));
  while (!body.empty() && IsSpace(body.back())) body.remove_suffix(1);
  df.comments.push_back(Comment{std::string(body), state.Position(hash).first, hash});
}

bool CanHaveHeredoc(const Instruction& inst) {
  const Instruction& target = inst.trigger.empty() ? inst : inst.trigger.front();
  if (target.json_form) return false;
  return target.keyword == "RUN" || target.keyword == "COPY" || target.keyword == "ADD";
}

size_t EndWithoutNewline(std::string_view text) {
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  if (end > 0 && text[end - 1] == '\r') --end;
  return end;
}

// Reads the bodies of the heredocs opened on the instruction line.
void ReadHeredocs(std::string_view text, LineReader& lines, const LogicalLine& logical,
                  Instruction& inst, ParseState& state) {
  Instruction& target = inst.trigger.empty() ? inst : inst.trigger.front();
  for (internal::HeredocMarker& marker : internal::FindHeredocMarkers(logical.text)) {
    Heredoc doc;
    doc.delimiter = std::move(marker.name);
    doc.strip_tabs = marker.strip_tabs;
    doc.expand = marker.expand;
    doc.content_offset = lines.pos();
    doc.first_line = state.Position(lines.pos()).first;
    doc.terminated = false;
    while (!lines.AtEnd()) {
      PhysicalLine line = lines.Next();
      std::string_view candidate = lines.Content(line);
      if (doc.strip_tabs)
        candidate.remove_prefix(std::min(candidate.find_first_not_of('\t'), candidate.size()));
      if (candidate != doc.delimiter) continue;
      doc.content = std::string(text.substr(doc.content_offset, line.begin - doc.content_offset));
      doc.end_line = state.Position(line.begin).first;
      inst.end_offset = line.end;
      doc.terminated = true;
      break;
    }
    if (!doc.terminated) {
      doc.content = std::string(text.substr(doc.content_offset));
      inst.end_offset = std::max(inst.end_offset, EndWithoutNewline(text));
      doc.end_line = state.Position(inst.end_offset > 0 ? inst.end_offset - 1 : 0).first;
      state.Problem(inst.begin_offset, "unterminated heredoc: no line '" + doc.delimiter +
                                           "' closes the <<" + doc.delimiter + " opened here");
    }
    target.heredocs.push_back(std::move(doc));
  }
}

void FinishInstruction(std::string_view text, const ParseState& state, Instruction& inst) {
  inst.raw = std::string(text.substr(inst.begin_offset, inst.end_offset - inst.begin_offset));
  inst.end_line =
      state.Position(inst.end_offset > inst.begin_offset ? inst.end_offset - 1 : inst.begin_offset)
          .first;
  for (Instruction& child : inst.trigger) {
    child.end_offset = inst.end_offset;
    child.end_line = inst.end_line;
    child.raw = std::string(text.substr(child.begin_offset, child.end_offset - child.begin_offset));
  }
}

// Reads one instruction starting on `first` (its keyword at `lead`); nullopt
// when the joined text is blank (a lone escape character continued to nothing).
std::optional<Instruction> ReadInstruction(std::string_view text, LineReader& lines,
                                           const PhysicalLine& first, size_t lead, Dockerfile& df,
                                           ParseState& state) {
  LogicalLine logical;
  std::string_view piece = lines.Content(first).substr(lead);
  bool continued = TrimContinuation(piece, state.escape());
  logical.Append(piece, first.begin + lead);
  size_t end = first.end;
  while (continued && !lines.AtEnd()) {
    PhysicalLine line = lines.Next();
    std::string_view content = lines.Content(line);
    size_t indent = LeadingSpace(content);
    if (indent == content.size()) continue;  // BuildKit skips empty continuation lines
    if (content[indent] == '#') {
      AddComment(content, line.begin, df, state);
      continue;
    }
    continued = TrimContinuation(content, state.escape());
    logical.Append(content, line.begin);
    end = line.end;
  }
  // A line that is only an escape character continues into the next one,
  // whose indentation then leads the joined text.
  size_t blank = LeadingSpace(logical.text);
  if (blank == logical.text.size()) return std::nullopt;
  if (blank > 0) logical = logical.Suffix(blank);
  Instruction inst;
  internal::ParseInstructionText(logical, state, inst);
  inst.end_offset = end;
  if (CanHaveHeredoc(inst)) ReadHeredocs(text, lines, logical, inst, state);
  FinishInstruction(text, state, inst);
  return inst;
}

std::vector<size_t> LineStarts(std::string_view text) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  if (starts.size() > 1 && starts.back() == text.size()) starts.pop_back();
  return starts;
}

}  // namespace

std::string Heredoc::Body() const {
  if (!strip_tabs) return content;
  std::string out;
  bool line_start = true;
  for (char c : content) {
    if (line_start && c == '\t') continue;
    line_start = c == '\n';
    out += c;
  }
  return out;
}

size_t Instruction::FileOffset(size_t pos) const {
  if (spans.empty()) return begin_offset;
  auto it = std::upper_bound(spans.begin(), spans.end(), pos,
                             [](size_t p, const TextSpan& s) { return p < s.logical; });
  const TextSpan& span = it == spans.begin() ? spans.front() : *(it - 1);
  size_t delta = pos > span.logical ? pos - span.logical : 0;
  return span.file + std::min(delta, span.length);
}

const Flag* Instruction::FindFlag(std::string_view name) const {
  for (const Flag& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::pair<int, int> Dockerfile::Position(size_t offset) const {
  if (line_starts.empty()) return {1, 1};
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts.begin());
  return {static_cast<int>(line), static_cast<int>(offset - line_starts[line - 1] + 1)};
}

const Stage* Dockerfile::FinalStage() const { return stages.empty() ? nullptr : &stages.back(); }

int Dockerfile::FindStage(std::string_view ref) const {
  if (ref.empty()) return -1;
  if (std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (ref.size() > 6) return -1;
    size_t index = std::stoul(std::string(ref));
    return index < stages.size() ? static_cast<int>(index) : -1;
  }
  std::string lower = internal::ToLower(ref);
  for (const Stage& stage : stages) {
    if (!stage.name.empty() && internal::ToLower(stage.name) == lower) return stage.index;
  }
  return -1;
}

Dockerfile ParseDockerfile(std::string_view text) {
  Dockerfile df;
  ParseState state(df.line_starts, df.problems);
  if (text.size() > kMaxDockerfileBytes) {
    df.line_starts = {0};
    state.Problem(
        0, "file is larger than " + std::to_string(kMaxDockerfileBytes >> 20) + " MiB; not parsed");
    return df;
  }
  df.line_starts = LineStarts(text);
  size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  LineReader lines(text, ReadDirectives(text, start, df, state));
  while (!lines.AtEnd()) {
    PhysicalLine line = lines.Next();
    std::string_view content = lines.Content(line);
    size_t lead = LeadingSpace(content);
    if (lead == content.size()) continue;
    if (content[lead] == '#') {
      AddComment(content, line.begin, df, state);
      continue;
    }
    if (std::optional<Instruction> inst = ReadInstruction(text, lines, line, lead, df, state)) {
      df.instructions.push_back(std::move(*inst));
    }
  }
  internal::BuildStages(df, state);
  return df;
}

}  // namespace bulwark::parse
