// The view of one Python file that the code checks work on: code tokens
// (comments, blank-line breaks and error tokens dropped) with bracket
// matches, logical statements, import aliases, call sites with their
// arguments, and per-scope facts about variables (constant string, string
// built by formatting, value reaching from request data). It is a token
// level approximation of Python, not an interpreter: it aims at the code
// people write, and errs towards "not constant" when it cannot tell.
//
// Internal to the Python checks (python_*.cpp). Built and used by one
// analyzer on one thread; not thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "parse/python_tokenizer.hpp"

namespace bulwark::audit::py {

using parse::PyToken;
using parse::PyTokenKind;

constexpr size_t kNoMatch = static_cast<size_t>(-1);

// How a non-constant string was built, for messages.
enum class Origin { kNone, kFString, kPercent, kFormatMethod, kConcat, kVariable, kCall, kOther };

// What is known about an expression (a token range) or a variable.
struct ExprFacts {
  bool empty = true;
  bool constant = true;     // only literals and constant variables
  bool formatted = false;   // a string built at run time: f-string, %, .format, +, join
  bool tainted = false;     // reaches from request data or input()
  bool has_string = false;  // contains a string literal or a string variable
  bool sql_like = false;    // its literal text looks like SQL
  bool is_true = false;     // exactly True (or a non-zero number)
  bool is_false = false;    // exactly False (or 0)
  Origin origin = Origin::kNone;
  std::string literal;       // decoded text of the literal parts (bounded)
  std::string name;          // the variable or dotted name, when it is one
  std::string taint_source;  // e.g. "request.args"
};

struct Arg {
  std::string_view keyword;  // empty for positional
  size_t begin = 0;          // value tokens [begin, end)
  size_t end = 0;
  bool star = false;  // *args or **kwargs
};

struct CallSite {
  std::string callee;     // resolved dotted name: "subprocess.check_output", "eval", "?.execute"
  std::string raw;        // as written: "sp.check_output"
  std::string receiver;   // raw receiver ("app", "cursor"), empty for a bare call
  std::string_view last;  // last part of the name: "check_output"
  size_t name_begin = 0;  // first token of the callee
  size_t open = 0;        // '(' token
  size_t close = 0;       // ')' token (or statement end when unclosed)
  std::vector<Arg> args;

  const Arg* Keyword(std::string_view name) const;
  const Arg* Positional(size_t index) const;
};

// One assignment statement: targets = value (or target op= value).
struct Assignment {
  std::vector<std::pair<size_t, size_t>> targets;
  size_t value_begin = 0;
  size_t value_end = 0;
  std::string_view op;  // "=", "+=", ...
  size_t op_token = 0;
};

// What an assignment target names: "x" -> {"", "x"}, "app.secret_key" ->
// {"app", "secret_key"}, 'app.config["DEBUG"]' -> {"app.config", "DEBUG", subscript}.
struct TargetName {
  std::string base;
  std::string key;
  bool subscript = false;
};

struct Scope {
  std::string function;  // empty at module level
  int depth = 0;
  std::map<std::string, ExprFacts, std::less<>> vars;
};

class PyModel {
 public:
  PyModel(const parse::PyTokenStream& stream, std::string path);

  const std::vector<PyToken>& tokens() const { return tokens_; }
  const PyToken& At(size_t i) const { return tokens_[i]; }
  size_t size() const { return tokens_.size(); }
  // Index of the bracket that closes the opener at i, or the statement end.
  size_t Match(size_t i) const { return match_[i]; }
  const std::string& path() const { return path_; }
  const std::string& function() const { return scopes_.back().function; }
  bool at_module_level() const { return scopes_.size() == 1; }

  // Walks the statements in order, keeping scopes, imports and variable
  // facts up to date, and calls `visit(begin, end)` for each statement.
  void ForEachStatement(const std::function<void(size_t, size_t)>& visit);

  // Import-aware name resolution: "sp.run" -> "subprocess.run".
  std::string Resolve(std::string_view dotted) const;
  // Reads NAME(.NAME)* from i; returns the dotted text and sets *end.
  std::string ReadChain(size_t i, size_t* end) const;
  ExprFacts Evaluate(size_t begin, size_t end) const;
  const ExprFacts* Lookup(std::string_view name) const;
  std::vector<CallSite> Calls(size_t begin, size_t end) const;
  bool ParseAssignment(size_t begin, size_t end, Assignment* out) const;
  bool IsFlaskApp(std::string_view receiver) const;
  // Fails for targets that are not a name, attribute or constant subscript.
  bool ParseTarget(size_t begin, size_t end, TargetName* out) const;

  core::Location Loc(size_t first, size_t last) const;
  core::Location Loc(size_t token) const { return Loc(token, token); }

 private:
  void BuildMatches();
  void RecordImport(size_t begin, size_t end);
  void RecordAssignment(size_t begin, size_t end);
  void RecordScopeHeader(size_t begin, size_t end);
  void EnterBlock(int depth);
  void EvaluateName(size_t* i, size_t end, ExprFacts* facts, bool* dynamic) const;
  std::vector<Arg> SplitArgs(size_t open, size_t close) const;
  bool IsTaintSource(std::string_view raw, std::string_view resolved) const;
  void ScanFStringNames(std::string_view text, ExprFacts* facts, bool* dynamic) const;

  std::string path_;
  std::vector<PyToken> tokens_;
  std::vector<size_t> match_;
  std::map<std::string, std::string, std::less<>> aliases_;
  std::vector<Scope> scopes_;
  std::vector<std::string> flask_apps_;
  bool pending_route_ = false;  // the next def is a web route: its parameters are request data
  std::string pending_function_;
  std::vector<std::string> pending_params_;
  bool pending_scope_ = false;
};

bool IsPythonKeyword(std::string_view word);
bool LooksLikeSql(std::string_view text);
std::string Describe(const ExprFacts& facts);

}  // namespace bulwark::audit::py
