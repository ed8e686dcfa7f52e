// Dockerfile syntax tree with exact byte offsets, as BuildKit reads it:
// parser directives (`# syntax=`, `# escape=`), comments, line continuations
// (with comment and blank lines inside them), heredocs, JSON (exec) and shell
// forms, `--flags`, multi-stage builds and ARG expansion in FROM.
//
// ParseDockerfile never fails: whatever cannot be understood becomes a
// DockerfileProblem with a line and column, and everything else is still
// parsed. Offsets let `bulwark fix` edit the file in place; stages, ports and
// users feed `bulwark model`. All types are plain values; a parsed Dockerfile
// is immutable and safe to read from several threads.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/dockerfile_image.hpp"

namespace bulwark::parse {

// Something in the input that is not valid Dockerfile syntax. 1-based.
struct DockerfileProblem {
  int line = 0;
  int column = 0;
  std::string message;
};

// A run of `length` bytes that sits at `logical` in an instruction's joined
// (logical) text and at `file` in the file.
struct TextSpan {
  size_t logical = 0;
  size_t file = 0;
  size_t length = 0;
};

// A whitespace-separated argument, or one element of a JSON array.
struct Word {
  std::string raw;        // as written, quotes kept
  std::string value;      // quotes removed, escapes applied; variables not expanded
  size_t offset = 0;      // file offset of the first byte
  size_t end_offset = 0;  // file offset one past the last byte
  int line = 0;
  int column = 0;
};

// `--name=value` or `--name` before the arguments (FROM --platform, COPY
// --from/--chown/--chmod/--link, RUN --mount/--network/--security...).
struct Flag {
  std::string name;   // lower case, without the dashes
  std::string value;  // quotes removed
  bool has_value = false;
  size_t offset = 0;      // of the leading "--"
  size_t end_offset = 0;  // one past the flag's last byte
  int line = 0;
  int column = 0;
};

// One `key=value` of ENV, LABEL or ARG (or the legacy `ENV key value`).
struct KeyValue {
  std::string key;
  std::string value;  // quotes removed
  bool has_value = false;
  size_t offset = 0;      // of the key
  size_t end_offset = 0;  // one past the pair (the value's last byte when there is one)
  int line = 0;
  int column = 0;
  size_t value_offset = 0;
  int value_line = 0;
  int value_column = 0;
};

// `<<EOF ... EOF` attached to RUN, COPY or ADD.
struct Heredoc {
  std::string delimiter;    // unquoted
  bool strip_tabs = false;  // `<<-`
  bool expand = true;       // false when the delimiter was quoted
  // The exact bytes between the instruction line and the terminator line
  // (line endings kept, leading tabs kept even with `<<-`).
  std::string content;
  size_t content_offset = 0;
  int first_line = 0;  // first content line
  int end_line = 0;    // the terminator line (last line of the file if unterminated)
  bool terminated = true;

  // The content as the build sees it (leading tabs removed for `<<-`).
  std::string Body() const;
};

struct Instruction {
  std::string keyword;  // upper case, e.g. "RUN"
  std::string raw;      // the exact text [begin_offset, end_offset), heredocs included
  // Arguments after the flags: continuation lines joined, comment lines and
  // the escape characters that ended lines dropped, as BuildKit does.
  std::string args_text;
  std::vector<Word> args;  // words, JSON elements, or the single string of USER/WORKDIR...
  std::vector<Flag> flags;
  std::vector<KeyValue> pairs;  // ENV, LABEL, ARG
  std::vector<Heredoc> heredocs;
  std::vector<Instruction> trigger;  // ONBUILD: the instruction it registers (0 or 1)
  bool json_form = false;            // exec form: RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME ["..."]
  bool known = true;                 // a Dockerfile keyword
  int stage_index = -1;              // -1 for instructions before the first FROM
  int start_line = 0;
  int end_line = 0;
  int column = 0;           // of the keyword
  size_t begin_offset = 0;  // first byte of the keyword
  size_t end_offset = 0;    // one past the last byte (line ending excluded)
  int args_line = 0;
  int args_column = 0;
  std::vector<TextSpan> spans;  // args_text positions -> file offsets

  // File offset of position `pos` in args_text (clamped to the text).
  size_t FileOffset(size_t pos) const;
  const Flag* FindFlag(std::string_view name) const;
};

struct Stage {
  int index = 0;
  std::string name;               // the `AS` alias as written; empty when none
  std::string base_raw;           // the image word as written
  std::string base;               // after expanding global ARGs
  bool base_resolved = true;      // every variable in the base had a value
  std::optional<ImageRef> image;  // set when the base is an external image
  int parent_stage = -1;          // the earlier stage this one is built FROM
  bool scratch = false;
  std::string platform;   // --platform, as written
  size_t from_index = 0;  // index of the FROM in Dockerfile::instructions
  size_t end_index = 0;   // one past the stage's last instruction
  int line = 0;           // of FROM
  int image_line = 0;
  int image_column = 0;
};

struct Directive {
  std::string name;  // lower case: "syntax", "escape", "check"
  std::string value;
  int line = 0;
};

struct Comment {
  std::string text;  // without the leading '#', trimmed
  int line = 0;
  size_t offset = 0;  // of the '#'
};

struct Dockerfile {
  char escape = '\\';
  std::string syntax;  // `# syntax=` value, empty when absent
  std::vector<Directive> directives;
  std::vector<Comment> comments;
  std::vector<Instruction> instructions;
  std::vector<Stage> stages;
  // ARGs declared before the first FROM, with their defaults (expanded).
  std::map<std::string, std::optional<std::string>, std::less<>> global_args;
  std::vector<DockerfileProblem> problems;
  std::vector<size_t> line_starts;  // byte offset of every line

  // 1-based line and byte column of a file offset.
  std::pair<int, int> Position(size_t offset) const;
  const Stage* FinalStage() const;
  // A stage named by alias (case-insensitive) or by number; -1 when none.
  int FindStage(std::string_view ref) const;
};

// Files larger than this are reported as a problem and not parsed.
inline constexpr size_t kMaxDockerfileBytes = 32u << 20;

Dockerfile ParseDockerfile(std::string_view text);

}  // namespace bulwark::parse
