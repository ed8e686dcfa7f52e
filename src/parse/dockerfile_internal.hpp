// Internals of the Dockerfile parser shared by its .cpp files: the joined
// (logical) text of one instruction with its map back to file offsets, word
// splitting, the JSON-array reader and heredoc marker detection. Not part of
// the public API. Value types and pure functions; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/dockerfile.hpp"

namespace bulwark::parse::internal {

// At most this many problems are kept per file; junk input would otherwise
// produce one per line.
inline constexpr size_t kMaxProblems = 200;

// Shared state of one parse: positions, the escape character, problems.
class ParseState {
 public:
  ParseState(const std::vector<size_t>& line_starts, std::vector<DockerfileProblem>& problems)
      : line_starts_(line_starts), problems_(problems) {}

  std::pair<int, int> Position(size_t offset) const;
  void Problem(size_t offset, std::string message);
  char escape() const { return escape_; }
  void set_escape(char escape) { escape_ = escape; }

 private:
  const std::vector<size_t>& line_starts_;
  std::vector<DockerfileProblem>& problems_;
  char escape_ = '\\';
};

// The text of one instruction with continuation lines joined.
struct LogicalLine {
  std::string text;
  std::vector<TextSpan> spans;

  void Append(std::string_view piece, size_t file_offset);
  size_t FileOffset(size_t pos) const;
  // The part from `pos` on, with spans re-based to start at 0.
  LogicalLine Suffix(size_t pos) const;
};

// A word of `text` (quote-aware, BuildKit's rules): [begin, end) in `text`.
struct RawWord {
  size_t begin = 0;
  size_t end = 0;
  std::string value;  // quotes removed, escapes applied
};

std::vector<RawWord> SplitWords(std::string_view text, char escape);
// Removes quotes and escapes from a whole string, keeping inner whitespace.
std::string Unquote(std::string_view text, char escape);

// One element of a JSON array of strings: its decoded value and [begin, end)
// of the element (quotes included) in the parsed text.
struct JsonElement {
  std::string value;
  size_t begin = 0;
  size_t end = 0;
};

enum class JsonArrayStatus { kOk, kNotArray, kInvalid, kNotStrings };

// Reads `text` (which must be only the array, surrounding space allowed).
JsonArrayStatus ParseJsonStringArray(std::string_view text, std::vector<JsonElement>& out);

struct HeredocMarker {
  std::string name;
  bool strip_tabs = false;
  bool expand = true;
};

// Heredoc markers (`<<EOF`, `<<-"EOF"`, `3<<EOF`) among the words of a
// logical line, in order.
std::vector<HeredocMarker> FindHeredocMarkers(std::string_view logical);

// Parses the keyword, flags and arguments of `line` into `out` (positions,
// args, flags, pairs, json_form, trigger). Heredoc bodies are not read here.
void ParseInstructionText(const LogicalLine& line, ParseState& state, Instruction& out,
                          int depth = 0);

// Fills Dockerfile::stages, global_args and every stage_index from the
// parsed instructions (dockerfile_stages.cpp).
void BuildStages(Dockerfile& df, ParseState& state);

// True for the 18 Dockerfile keywords (upper case).
bool IsKnownKeyword(std::string_view upper);
std::string ToUpper(std::string_view text);
std::string ToLower(std::string_view text);

}  // namespace bulwark::parse::internal
