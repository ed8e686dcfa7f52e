// A small POSIX-shell tokenizer for Dockerfile RUN bodies: splits a script
// into simple commands (at && || ; | & newlines and parentheses), each a list
// of words with quotes removed, and descends into $(...), `...` and <(...)
// so that `bash -c "$(curl ...)"` shows its inner curl. It does not expand
// variables or run anything. Enough for checks that look for commands and
// their options (curl | sh, sudo, chmod 777, apt-get flags...).
// Pure function over a string; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse {

enum class ShellOperator { kNone, kAnd, kOr, kSemicolon, kPipe, kBackground, kNewline };

struct ShellWord {
  std::string text;     // quotes removed, backslash escapes applied; $VAR, $(...) kept as written
  size_t offset = 0;    // byte offset in the script of the word's first byte
  size_t end = 0;       // one past its last byte
  bool quoted = false;  // some part of it was quoted
};

struct ShellCommand {
  std::vector<ShellWord> assignments;  // leading NAME=value words
  std::vector<ShellWord> words;        // the command and its arguments
  std::vector<ShellWord> redirects;    // redirection targets: "/dev/null", heredoc delimiters
  ShellOperator next = ShellOperator::kNone;  // the operator after this command
  int pipeline = 0;                           // commands joined by '|' share the number
  int depth = 0;                              // 0 at top level, >0 inside $(...), `...` or <(...)
  size_t offset = 0;                          // of the first word (or assignment)
};

struct ShellScript {
  std::vector<ShellCommand> commands;  // in source order (a substitution before its command)
};

ShellScript SplitShell(std::string_view script);

// "curl" for "/usr/bin/curl"; the word itself when it has no '/'.
std::string_view CommandName(std::string_view word);

}  // namespace bulwark::parse
