// Python 3 source tokenizer. Turns source text into NAME, NUMBER, STRING, OP,
// COMMENT, NEWLINE/NL and INDENT/DEDENT tokens, each with a 1-based line and
// (byte) column and its byte offset, so that code checks see code and never
// the inside of a comment, docstring or string literal.
//
// The tokenizer follows CPython's rules (PEP 701 f-strings included) but is
// built for hostile input: an unterminated string, a stray character or an
// invalid UTF-8 sequence becomes a kError token plus a diagnostic, and
// tokenizing goes on. It never throws, never recurses without bound and runs
// in time linear in the input.
//
// Tokens hold string_views into the source: the caller keeps the source alive
// as long as the tokens. Stateless free function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse {

enum class PyTokenKind : uint8_t {
  kName,
  kNumber,
  kString,
  kOp,
  kComment,
  kNewline,  // end of a logical line
  kNl,       // a line break that does not end a logical line (blank line, inside brackets)
  kIndent,
  kDedent,
  kEndMarker,
  kError,  // bytes that are not Python: see the diagnostics for why
};

const char* PyTokenKindName(PyTokenKind kind);

// Flags of a kString token (and of a kError token that began as a string).
enum PyStringFlags : uint8_t {
  kPyStrRaw = 1 << 0,
  kPyStrBytes = 1 << 1,
  kPyStrFormat = 1 << 2,  // f-string (or a PEP 750 t-string)
  kPyStrTriple = 1 << 3,
  kPyStrHasExpressions = 1 << 4,  // an f-string with at least one {replacement field}
  kPyStrUnterminated = 1 << 5,    // only on kError tokens
};

struct PyToken {
  PyTokenKind kind = PyTokenKind::kError;
  uint8_t flags = 0;  // PyStringFlags for strings
  int line = 0;       // 1-based
  int column = 0;     // 1-based, in bytes
  int end_line = 0;   // position just past the token's last byte
  int end_column = 0;
  size_t offset = 0;  // byte offset of the first byte
  std::string_view text;

  bool IsOp(std::string_view op) const { return kind == PyTokenKind::kOp && text == op; }
  bool IsName(std::string_view name) const { return kind == PyTokenKind::kName && text == name; }
  bool IsString() const { return kind == PyTokenKind::kString; }
  // A string with no run-time parts: not an f-string with {expressions}.
  bool IsConstantString() const {
    return kind == PyTokenKind::kString && (flags & kPyStrHasExpressions) == 0;
  }
};

struct PyTokenDiagnostic {
  int line = 0;
  int column = 0;
  size_t offset = 0;
  std::string message;
};

struct PyTokenizerOptions {
  bool emit_indentation = true;  // INDENT/DEDENT tokens
  size_t max_diagnostics = 100;  // further problems are counted in one last diagnostic
};

struct PyTokenStream {
  std::vector<PyToken> tokens;  // always ends with kEndMarker
  std::vector<PyTokenDiagnostic> diagnostics;
};

PyTokenStream TokenizePython(std::string_view source, const PyTokenizerOptions& options = {});

// The parts of a string token's text: prefix letters, the quote and the body
// between the quotes (escapes not processed).
struct PyStringParts {
  std::string_view prefix;
  std::string_view body;
  char quote = '"';
  bool triple = false;
};
PyStringParts SplitPyString(std::string_view token_text);

// The value of a constant string literal: escapes decoded for non-raw
// strings (\N{...} and invalid escapes are kept as written), braces of an
// f-string without fields un-doubled. Bytes are kept as they are.
std::string PyStringValue(const PyToken& token);

}  // namespace bulwark::parse
