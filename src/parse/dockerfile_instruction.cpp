// Splits one logical Dockerfile line into keyword, flags and arguments,
// following BuildKit's per-instruction rules (JSON or shell form, key=value
// pairs, single strings, ONBUILD triggers).
#include <cctype>
#include <tuple>

#include "parse/dockerfile_internal.hpp"

namespace bulwark::parse::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

size_t SkipSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

// Text fit for a message: bounded and with control bytes replaced.
std::string Printable(std::string_view text, size_t max = 40) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > max) out += "...";
  return out;
}

void SetPosition(const ParseState& state, size_t offset, size_t& out_offset, int& line,
                 int& column) {
  out_offset = offset;
  std::tie(line, column) = state.Position(offset);
}

Word MakeWord(const LogicalLine& args, const ParseState& state, size_t begin, size_t end,
              std::string value) {
  Word word;
  word.raw = args.text.substr(begin, end - begin);
  word.value = std::move(value);
  SetPosition(state, args.FileOffset(begin), word.offset, word.line, word.column);
  word.end_offset = end > begin ? args.FileOffset(end - 1) + 1 : word.offset;
  return word;
}

void ShellWords(const LogicalLine& args, const ParseState& state, Instruction& out) {
  for (RawWord& raw : SplitWords(args.text, state.escape())) {
    out.args.push_back(MakeWord(args, state, raw.begin, raw.end, std::move(raw.value)));
  }
}

// `[` directly followed by a quote, or a bracketed list with commas: the
// author meant exec form (a test command `[ -f x ]` has a space after `[`).
bool LooksMeantAsJson(std::string_view text) {
  if (text.size() < 2 || text[0] != '[') return false;
  if (text[1] == '"' || text[1] == '\'') return true;
  return text.back() == ']' && text.find(',') != std::string_view::npos;
}

// RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME: exec form when the
// arguments are a JSON array of strings, shell form otherwise.
void MaybeJson(const LogicalLine& args, ParseState& state, Instruction& out) {
  std::string_view text = args.text;
  if (!text.empty() && text[0] == '[') {
    std::vector<JsonElement> elements;
    JsonArrayStatus status = ParseJsonStringArray(text, elements);
    if (status == JsonArrayStatus::kOk) {
      out.json_form = true;
      for (JsonElement& e : elements) {
        out.args.push_back(MakeWord(args, state, e.begin, e.end, std::move(e.value)));
      }
      return;
    }
    size_t at = args.FileOffset(0);
    if (status == JsonArrayStatus::kNotStrings) {
      state.Problem(at, out.keyword + ": a JSON array must contain only strings");
    } else if (LooksMeantAsJson(text)) {
      state.Problem(at, out.keyword +
                            " arguments look like a JSON array but are not valid JSON "
                            "(use double quotes); they are treated as a shell command");
    }
  }
  if (out.keyword == "SHELL") state.Problem(args.FileOffset(0), "SHELL requires a JSON array");
  ShellWords(args, state, out);
}

KeyValue MakePair(const LogicalLine& args, const ParseState& state, const RawWord& word,
                  size_t eq) {
  std::string_view raw = std::string_view(args.text).substr(word.begin, word.end - word.begin);
  KeyValue kv;
  SetPosition(state, args.FileOffset(word.begin), kv.offset, kv.line, kv.column);
  kv.end_offset = args.FileOffset(word.end - 1) + 1;
  if (eq == std::string_view::npos) {
    kv.key = Unquote(raw, state.escape());
    kv.value_offset = kv.offset;
    return kv;
  }
  kv.key = Unquote(raw.substr(0, eq), state.escape());
  kv.value = Unquote(raw.substr(eq + 1), state.escape());
  kv.has_value = true;
  SetPosition(state, args.FileOffset(word.begin + eq + 1), kv.value_offset, kv.value_line,
              kv.value_column);
  return kv;
}

// ENV and LABEL: `key=value ...`, or the legacy `key value with spaces`.
void NameValuePairs(const LogicalLine& args, ParseState& state, Instruction& out) {
  std::vector<RawWord> words = SplitWords(args.text, state.escape());
  if (words.empty()) return;
  std::string_view text = args.text;
  size_t first_eq = text.substr(words[0].begin, words[0].end - words[0].begin).find('=');
  if (first_eq == std::string_view::npos) {
    KeyValue kv = MakePair(args, state, words[0], std::string_view::npos);
    size_t value_begin = SkipSpace(text, words[0].end);
    if (value_begin >= text.size()) {
      state.Problem(kv.offset, out.keyword + " " + Printable(kv.key) + " has no value");
    } else {
      kv.value = Unquote(text.substr(value_begin), state.escape());
      kv.has_value = true;
      kv.end_offset = args.FileOffset(text.size() - 1) + 1;
      SetPosition(state, args.FileOffset(value_begin), kv.value_offset, kv.value_line,
                  kv.value_column);
    }
    out.pairs.push_back(std::move(kv));
    return;
  }
  for (const RawWord& word : words) {
    size_t eq = text.substr(word.begin, word.end - word.begin).find('=');
    if (eq == std::string_view::npos) {
      state.Problem(args.FileOffset(word.begin),
                    out.keyword + ": expected name=value, found '" + Printable(word.value) + "'");
      continue;
    }
    out.pairs.push_back(MakePair(args, state, word, eq));
  }
}

void ArgPairs(const LogicalLine& args, ParseState& state, Instruction& out) {
  std::string_view text = args.text;
  for (const RawWord& word : SplitWords(text, state.escape())) {
    size_t eq = text.substr(word.begin, word.end - word.begin).find('=');
    out.pairs.push_back(MakePair(args, state, word, eq));
  }
}

// USER, WORKDIR, MAINTAINER, STOPSIGNAL: the whole text is one argument.
void SingleString(const LogicalLine& args, ParseState& state, Instruction& out) {
  if (args.text.empty()) return;
  out.args.push_back(
      MakeWord(args, state, 0, args.text.size(), Unquote(args.text, state.escape())));
}

void HealthcheckArgs(const LogicalLine& args, ParseState& state, Instruction& out) {
  std::string_view text = args.text;
  size_t type_end = 0;
  while (type_end < text.size() && !IsSpace(text[type_end])) ++type_end;
  if (type_end == 0) return;
  out.args.push_back(MakeWord(args, state, 0, type_end, std::string(text.substr(0, type_end))));
  size_t rest = SkipSpace(text, type_end);
  if (rest >= text.size()) return;
  Instruction command;
  command.keyword = "HEALTHCHECK";
  MaybeJson(args.Suffix(rest), state, command);
  out.json_form = command.json_form;
  for (Word& word : command.args) out.args.push_back(std::move(word));
}

void OnbuildTrigger(const LogicalLine& args, ParseState& state, Instruction& out, int depth) {
  if (args.text.empty()) return;
  if (depth > 0) {
    state.Problem(args.FileOffset(0), "ONBUILD triggers cannot be nested");
    return;
  }
  Instruction child;
  ParseInstructionText(args, state, child, depth + 1);
  out.trigger.push_back(std::move(child));
}

// Leading `--name[=value]` words, BuildKit style (quotes and '\' escapes in
// values); returns the position after them. A bare `--` ends the flags.
size_t ParseFlags(const LogicalLine& line, size_t pos, ParseState& state, Instruction& out) {
  std::string_view text = line.text;
  while (pos + 1 < text.size() && text[pos] == '-' && text[pos + 1] == '-') {
    size_t begin = pos;
    std::string word;
    char quote = 0;
    for (; pos < text.size() && (quote != 0 || !IsSpace(text[pos])); ++pos) {
      char c = text[pos];
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '\\' && pos + 1 < text.size()) {
        word += text[++pos];
      } else {
        word += c;
      }
    }
    size_t end = pos;
    pos = SkipSpace(text, pos);
    if (word == "--") break;
    Flag flag;
    size_t eq = word.find('=');
    flag.name = ToLower(word.substr(2, eq == std::string::npos ? std::string::npos : eq - 2));
    if (eq != std::string::npos) {
      flag.value = word.substr(eq + 1);
      flag.has_value = true;
    }
    SetPosition(state, line.FileOffset(begin), flag.offset, flag.line, flag.column);
    flag.end_offset = line.FileOffset(end - 1) + 1;
    out.flags.push_back(std::move(flag));
  }
  return pos;
}

bool NeedsArguments(std::string_view keyword) {
  return keyword != "CMD" && keyword != "ENTRYPOINT";
}

void ParseArguments(const LogicalLine& args, ParseState& state, Instruction& out, int depth) {
  const std::string& kw = out.keyword;
  if (kw == "RUN" || kw == "CMD" || kw == "ENTRYPOINT" || kw == "SHELL" || kw == "COPY" ||
      kw == "ADD" || kw == "VOLUME") {
    if (!args.text.empty()) MaybeJson(args, state, out);
  } else if (kw == "ENV" || kw == "LABEL") {
    NameValuePairs(args, state, out);
  } else if (kw == "ARG") {
    ArgPairs(args, state, out);
  } else if (kw == "USER" || kw == "WORKDIR" || kw == "MAINTAINER" || kw == "STOPSIGNAL") {
    SingleString(args, state, out);
  } else if (kw == "HEALTHCHECK") {
    HealthcheckArgs(args, state, out);
  } else if (kw == "ONBUILD") {
    OnbuildTrigger(args, state, out, depth);
  } else {
    ShellWords(args, state, out);  // FROM, EXPOSE, and unknown keywords
  }
}

}  // namespace

void ParseInstructionText(const LogicalLine& line, ParseState& state, Instruction& out, int depth) {
  std::string_view text = line.text;
  size_t keyword_end = 0;
  while (keyword_end < text.size() && !IsSpace(text[keyword_end])) ++keyword_end;
  out.keyword = ToUpper(text.substr(0, keyword_end));
  out.known = IsKnownKeyword(out.keyword);
  SetPosition(state, line.FileOffset(0), out.begin_offset, out.start_line, out.column);
  if (!out.known) {
    state.Problem(out.begin_offset,
                  "unknown instruction '" + Printable(text.substr(0, keyword_end)) + "'");
  }
  size_t pos = ParseFlags(line, SkipSpace(text, keyword_end), state, out);
  size_t end = text.size();
  while (end > pos && IsSpace(text[end - 1])) --end;
  LogicalLine args = line.Suffix(pos);
  args.text.resize(end - pos);
  out.args_text = args.text;
  out.spans = args.spans;
  size_t args_offset = 0;
  SetPosition(state, line.FileOffset(pos), args_offset, out.args_line, out.args_column);
  if (out.known && args.text.empty() && NeedsArguments(out.keyword)) {
    state.Problem(out.begin_offset, out.keyword + " requires arguments");
    return;
  }
  ParseArguments(args, state, out, depth);
  if ((out.keyword == "COPY" || out.keyword == "ADD") && !args.text.empty() &&
      out.args.size() < 2) {
    state.Problem(out.begin_offset, out.keyword + " requires a source and a destination");
  }
}

}  // namespace bulwark::parse::internal
