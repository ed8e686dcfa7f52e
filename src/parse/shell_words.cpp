#include "parse/shell_words.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace bulwark::parse {
namespace {

// Substitutions nested deeper than this are kept as plain text; it bounds
// recursion on hostile input such as 5 MB of "$(".
constexpr int kMaxDepth = 16;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool IsOperatorChar(char c) {
  return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>' ||
         c == '\n';
}

// Words that open or close compound commands; dropped when they stand
// where a command name would, so `if curl ...; then` shows `curl`.
bool IsReservedWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"if", "then", "else",  "elif",  "fi",
                                                "do", "done", "while", "until", "{",
                                                "}",  "!",    "esac",  "time"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

bool IsAssignment(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) {
    return false;
  }
  for (char c : word) {
    if (c == '=') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return false;
}

class Tokenizer {
 public:
  Tokenizer(std::string_view script, ShellScript& out) : s_(script), out_(out) {}

  void Parse(size_t begin, size_t end, int depth) {
    State st;
    st.end = end;
    st.depth = depth;
    st.pipeline = ++pipelines_;
    size_t i = begin;
    while (i < end) i = Step(st, i);
    EndCommand(st, ShellOperator::kNone);
  }

 private:
  struct Heredoc {
    std::string delimiter;
    bool strip_tabs = false;
  };

  struct State {
    size_t end = 0;
    int depth = 0;
    int pipeline = 0;
    ShellCommand cmd;
    ShellWord word;
    bool in_word = false;
    std::vector<Heredoc> heredocs;
    size_t last = static_cast<size_t>(-1);  // last command emitted by this State
    int case_depth = 0;                     // open `case ... in` statements
    bool case_pattern = false;              // reading a `pat1 | pat2)` clause pattern
  };

  size_t Step(State& st, size_t i) {
    char c = s_[i];
    char next = i + 1 < st.end ? s_[i + 1] : '\0';
    if (st.case_pattern && (c == '|' || c == '(' || c == ')')) return CasePattern(st, i);
    if (st.case_depth > 0 && c == ';' && next == ';') {
      EndCommand(st, ShellOperator::kSemicolon);
      st.case_pattern = true;
      return i + ((i + 2 < st.end && (s_[i + 2] == '&')) ? 3 : 2);
    }
    switch (c) {
      case '\\':
        return Backslash(st, i);
      case '\'':
        return SingleQuoted(st, i);
      case '"':
        return DoubleQuoted(st, i);
      case '`':
        return Backtick(st, i);
      case '$':
        return Dollar(st, i);
      case '<':
      case '>':
        return next == '(' ? ProcessSubstitution(st, i) : Redirect(st, i);
      case '\n':
        EndCommand(st, ShellOperator::kNewline);
        return SkipHeredocBodies(st, i + 1);
      case ';':
        EndCommand(st, ShellOperator::kSemicolon);
        return i + ((next == ';' || next == '&') ? 2 : 1);
      case '&':
        return Ampersand(st, i, next);
      case '|':
        EndCommand(st, next == '|' ? ShellOperator::kOr : ShellOperator::kPipe);
        return i + ((next == '|' || next == '&') ? 2 : 1);
      case '(':
      case ')':
        EndCommand(st, ShellOperator::kNone);
        return i + 1;
      case '#':
        if (!st.in_word) return std::min(s_.find('\n', i), st.end);
        break;
      default:
        if (IsBlank(c)) {
          FinishWord(st);
          return i + 1;
        }
    }
    Append(st, i, std::string_view(&s_[i], 1), i + 1, false);
    return i + 1;
  }

  void Append(State& st, size_t begin, std::string_view text, size_t end, bool quoted) {
    if (!st.in_word) {
      st.in_word = true;
      st.word = ShellWord{};
      st.word.offset = begin;
    }
    st.word.text.append(text);
    st.word.end = end;
    st.word.quoted = st.word.quoted || quoted;
  }

  // In `case x in a | b) ...`, '|' separates patterns and ')' ends them:
  // neither is a pipe or a subshell, and the pattern words are not a command.
  size_t CasePattern(State& st, size_t i) {
    FinishWord(st);
    if (s_[i] == ')') {
      st.cmd = ShellCommand{};
      st.case_pattern = false;
    }
    return i + 1;
  }

  // `case WORD in` opens a case statement; `esac` closes it.
  bool CaseKeyword(State& st) {
    ShellCommand& cmd = st.cmd;
    if (st.word.quoted) return false;
    if (st.word.text == "esac" && cmd.words.empty() && st.case_depth > 0) {
      --st.case_depth;
      st.case_pattern = false;
      cmd = ShellCommand{};
      return true;
    }
    if (st.word.text == "in" && cmd.words.size() == 2 && cmd.words[0].text == "case" &&
        !cmd.words[0].quoted) {
      cmd.words.push_back(std::move(st.word));
      EndCommand(st, ShellOperator::kNone);
      ++st.case_depth;
      st.case_pattern = true;
      return true;
    }
    return false;
  }

  void FinishWord(State& st) {
    if (!st.in_word) return;
    st.in_word = false;
    ShellCommand& cmd = st.cmd;
    if (CaseKeyword(st)) return;
    if (st.case_pattern) return;  // pattern words are discarded at ')'
    if (cmd.words.empty() && !st.word.quoted) {
      if (IsReservedWord(st.word.text)) return;
      if (IsAssignment(st.word.text)) {
        if (cmd.assignments.empty()) cmd.offset = st.word.offset;
        cmd.assignments.push_back(std::move(st.word));
        return;
      }
    }
    if (cmd.words.empty() && cmd.assignments.empty()) cmd.offset = st.word.offset;
    cmd.words.push_back(std::move(st.word));
  }

  void EndCommand(State& st, ShellOperator op) {
    FinishWord(st);
    ShellCommand& cmd = st.cmd;
    if (!cmd.words.empty() || !cmd.assignments.empty() || !cmd.redirects.empty()) {
      cmd.next = op;
      cmd.pipeline = st.pipeline;
      cmd.depth = st.depth;
      st.last = out_.commands.size();
      out_.commands.push_back(std::move(cmd));
    } else if (op != ShellOperator::kNone && st.last < out_.commands.size() &&
               out_.commands[st.last].next == ShellOperator::kNone) {
      // An operator after ')' or '}' belongs to the command that closed the group.
      out_.commands[st.last].next = op;
    }
    cmd = ShellCommand{};
    if (op != ShellOperator::kPipe && op != ShellOperator::kNone) st.pipeline = ++pipelines_;
  }

  size_t Backslash(State& st, size_t i) {
    if (i + 1 < st.end && s_[i + 1] == '\n') return i + 2;
    if (i + 2 < st.end && s_[i + 1] == '\r' && s_[i + 2] == '\n') return i + 3;
    if (i + 1 >= st.end) return i + 1;
    Append(st, i, std::string_view(&s_[i + 1], 1), i + 2, true);
    return i + 2;
  }

  size_t SingleQuoted(State& st, size_t i) {
    size_t close = std::min(s_.find('\'', i + 1), st.end);
    Append(st, i, s_.substr(i + 1, close - i - 1), std::min(close + 1, st.end), true);
    return std::min(close + 1, st.end);
  }

  size_t DoubleQuoted(State& st, size_t i) {
    std::string text;
    size_t j = i + 1;
    while (j < st.end && s_[j] != '"') {
      char c = s_[j];
      if (c == '\\' && j + 1 < st.end) {
        char n = s_[j + 1];
        if (n == '$' || n == '`' || n == '"' || n == '\\' || n == '\n') {
          if (n != '\n') text += n;
          j += 2;
          continue;
        }
      } else if (c == '$' && j + 1 < st.end && s_[j + 1] == '(') {
        size_t close = Substitution(st, j + 1);
        text.append(s_.substr(j, close - j));
        j = close;
        continue;
      } else if (c == '`') {
        size_t close = BacktickSubstitution(st, j);
        text.append(s_.substr(j, close - j));
        j = close;
        continue;
      }
      text += c;
      ++j;
    }
    size_t after = std::min(j + 1, st.end);
    Append(st, i, text, after, true);
    return after;
  }

  // Index of the ')' matching the '(' at `open` (quotes and nesting
  // respected), or `end` when there is none.
  size_t FindCloseParen(size_t open, size_t end) const {
    int depth = 0;
    for (size_t j = open; j < end; ++j) {
      char c = s_[j];
      if (c == '\\') {
        ++j;
      } else if (c == '\'') {
        j = std::min(s_.find('\'', j + 1), end);
      } else if (c == '"') {
        for (++j; j < end && s_[j] != '"'; ++j) {
          if (s_[j] == '\\') ++j;
        }
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return j;
      }
    }
    return end;
  }

  // Tokenizes the inside of the parentheses opening at `open`; returns the
  // index after the closing ')'.
  size_t Substitution(const State& st, size_t open) {
    size_t close = FindCloseParen(open, st.end);
    if (st.depth < kMaxDepth) Parse(open + 1, close, st.depth + 1);
    return std::min(close + 1, st.end);
  }

  size_t BacktickSubstitution(const State& st, size_t i) {
    size_t j = i + 1;
    while (j < st.end && s_[j] != '`') j += s_[j] == '\\' ? 2 : 1;
    j = std::min(j, st.end);
    if (st.depth < kMaxDepth) Parse(i + 1, j, st.depth + 1);
    return std::min(j + 1, st.end);
  }

  size_t Backtick(State& st, size_t i) {
    size_t after = BacktickSubstitution(st, i);
    Append(st, i, s_.substr(i, after - i), after, false);
    return after;
  }

  size_t ProcessSubstitution(State& st, size_t i) {
    FinishWord(st);
    size_t after = Substitution(st, i + 1);
    Append(st, i, s_.substr(i, after - i), after, false);
    FinishWord(st);
    return after;
  }

  size_t Dollar(State& st, size_t i) {
    char next = i + 1 < st.end ? s_[i + 1] : '\0';
    size_t after = i + 1;
    if (next == '(') {
      bool arithmetic = i + 2 < st.end && s_[i + 2] == '(';
      after = arithmetic ? std::min(FindCloseParen(i + 1, st.end) + 1, st.end)
                         : Substitution(st, i + 1);
    } else if (next == '{') {
      after = std::min(s_.find('}', i + 2), st.end);
      after = std::min(after + 1, st.end);
    } else if (next == '\'') {
      size_t j = i + 2;
      while (j < st.end && s_[j] != '\'') j += s_[j] == '\\' ? 2 : 1;
      j = std::min(j, st.end);
      Append(st, i, s_.substr(i + 2, j - i - 2), std::min(j + 1, st.end), true);
      return std::min(j + 1, st.end);
    }
    Append(st, i, s_.substr(i, after - i), after, false);
    return after;
  }

  size_t Ampersand(State& st, size_t i, char next) {
    if (next == '&') {
      EndCommand(st, ShellOperator::kAnd);
      return i + 2;
    }
    if (next == '>') {
      FinishWord(st);
      size_t j = i + 2;
      if (j < st.end && s_[j] == '>') ++j;
      return ReadRedirectTarget(st, j, false, false);
    }
    EndCommand(st, ShellOperator::kBackground);
    return i + 1;
  }

  size_t Redirect(State& st, size_t i) {
    bool fd_prefix = st.in_word && !st.word.quoted && !st.word.text.empty() &&
                     std::all_of(st.word.text.begin(), st.word.text.end(), [](char c) {
                       return std::isdigit(static_cast<unsigned char>(c));
                     });
    if (fd_prefix) {
      st.in_word = false;  // "2>": the digits name a descriptor, not an argument
    } else {
      FinishWord(st);
    }
    char c = s_[i];
    char n1 = i + 1 < st.end ? s_[i + 1] : '\0';
    char n2 = i + 2 < st.end ? s_[i + 2] : '\0';
    if (c == '<' && n1 == '<') {
      if (n2 == '<') return ReadRedirectTarget(st, i + 3, false, false);
      bool strip = n2 == '-';
      return ReadRedirectTarget(st, i + (strip ? 3 : 2), true, strip);
    }
    size_t j = i + 1;
    if (n1 == '>' || n1 == '|' || (c == '<' && n1 == '>')) ++j;
    if (n1 == '&') {
      ++j;
      size_t k = j;
      while (k < st.end && (std::isdigit(static_cast<unsigned char>(s_[k])) || s_[k] == '-')) ++k;
      if (k > j) return k;
    }
    return ReadRedirectTarget(st, j, false, false);
  }

  size_t ReadRedirectTarget(State& st, size_t j, bool heredoc, bool strip_tabs) {
    while (j < st.end && IsBlank(s_[j])) ++j;
    ShellWord target;
    target.offset = j;
    char quote = 0;
    for (; j < st.end; ++j) {
      char c = s_[j];
      if (quote == 0 && (IsBlank(c) || IsOperatorChar(c))) break;
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
        target.quoted = true;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '\\' && j + 1 < st.end && quote != '\'') {
        target.text += s_[++j];
      } else {
        target.text += c;
      }
    }
    target.end = j;
    if (heredoc && !target.text.empty()) st.heredocs.push_back(Heredoc{target.text, strip_tabs});
    if (st.cmd.words.empty() && st.cmd.assignments.empty() && st.cmd.redirects.empty()) {
      st.cmd.offset = target.offset;
    }
    st.cmd.redirects.push_back(std::move(target));
    return j;
  }

  // After a newline: the bodies of heredocs opened on the line just ended.
  size_t SkipHeredocBodies(State& st, size_t i) {
    for (const Heredoc& doc : st.heredocs) {
      while (i < st.end) {
        size_t eol = std::min(s_.find('\n', i), st.end);
        std::string_view line = s_.substr(i, eol - i);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (doc.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
        i = std::min(eol + 1, st.end);
        if (line == doc.delimiter) break;
      }
    }
    st.heredocs.clear();
    return i;
  }

  std::string_view s_;
  ShellScript& out_;
  int pipelines_ = 0;
};

}  // namespace

ShellScript SplitShell(std::string_view script) {
  ShellScript out;
  Tokenizer(script, out).Parse(0, script.size(), 0);
  return out;
}

std::string_view CommandName(std::string_view word) {
  size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

}  // namespace bulwark::parse
