// Expressions, calls and arguments of the Python model: what a token range
// is made of (constant, formatted, request data) and which calls it holds.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "audit/python_model.hpp"

namespace bulwark::audit::py {
namespace {

// Arguments longer than this are not looked into (they count as non-constant);
// keeps nested calls on hostile input linear.
constexpr size_t kMaxExprTokens = 512;
constexpr size_t kMaxLiteral = 4096;

constexpr std::array<std::string_view, 35> kKeywords = {
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

// Attributes of a web request object whose values the client controls
// (Flask/Werkzeug, Django, Starlette/FastAPI).
constexpr std::array<std::string_view, 18> kRequestAttrs = {
    "args",     "form",         "values",       "json",        "data",   "get_json",
    "get_data", "cookies",      "headers",      "files",       "GET",    "POST",
    "body",     "query_params", "query_string", "path_params", "stream", "environ"};

// Calls whose result no longer carries the caller's text as-is.
constexpr std::array<std::string_view, 9> kSanitizers = {
    "quote", "escape", "secure_filename", "safe_join", "basename", "int", "float", "bool", "len"};

bool IsOpenerTok(const PyToken& t) { return t.IsOp("(") || t.IsOp("[") || t.IsOp("{"); }

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void AppendLiteral(ExprFacts* f, std::string_view text) {
  if (f->literal.size() >= kMaxLiteral) return;
  f->literal.append(text.substr(0, kMaxLiteral - f->literal.size()));
}

// "request.args.get" -> "request.args"; "input" -> "input()".
std::string TaintLabel(std::string_view raw, bool called) {
  if (raw == "input" || raw == "builtins.input") return called ? "input()" : "input";
  size_t prefix = raw.substr(0, 6) == "flask." ? 6 : 0;
  size_t second_dot = raw.find('.', raw.find('.', prefix) + 1);
  return std::string(raw.substr(
      prefix, second_dot == std::string_view::npos ? std::string_view::npos : second_dot - prefix));
}

// Local state of one Evaluate() call.
struct EvalState {
  bool dynamic = false;
  bool percent = false;
  bool plus = false;
  bool format_call = false;
  bool join_call = false;
};

}  // namespace

bool IsPythonKeyword(std::string_view word) {
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

bool PyModel::IsTaintSource(std::string_view raw, std::string_view resolved) const {
  for (std::string_view name : {raw, resolved}) {
    std::string_view rest;
    if (name.substr(0, 8) == "request.") {
      rest = name.substr(8);
    } else if (name.substr(0, 14) == "flask.request.") {
      rest = name.substr(14);
    } else {
      continue;
    }
    std::string_view attr = rest.substr(0, rest.find('.'));
    if (std::find(kRequestAttrs.begin(), kRequestAttrs.end(), attr) != kRequestAttrs.end()) {
      return true;
    }
  }
  return false;
}

ExprFacts PyModel::Evaluate(size_t begin, size_t end) const {
  ExprFacts f;
  end = std::min(end, tokens_.size());
  if (begin >= end) return f;
  f.empty = false;
  EvalState st;
  if (end - begin > kMaxExprTokens) {
    end = begin + kMaxExprTokens;
    st.dynamic = true;
    f.origin = Origin::kOther;
  }
  const PyToken& first = tokens_[begin];
  if (first.IsOp("(") && match_[begin] == end - 1) {
    // (expr) is the expression itself; a tuple is looked into as it is.
    bool comma = false;
    for (size_t i = begin + 1; i + 1 < end && !comma; ++i) {
      comma = tokens_[i].IsOp(",");
      if (IsOpenerTok(tokens_[i])) i = std::min(match_[i], end - 1);
    }
    if (!comma) return Evaluate(begin + 1, end - 1);
  }
  for (size_t i = begin; i < end; ++i) {
    const PyToken& t = tokens_[i];
    if (t.kind == PyTokenKind::kString) {
      f.has_string = true;
      if ((t.flags & parse::kPyStrHasExpressions) != 0) {
        st.dynamic = true;
        if (f.origin == Origin::kNone) f.origin = Origin::kFString;
        ScanFStringNames(t.text, &f, &st.dynamic);
      }
      AppendLiteral(&f, parse::PyStringValue(t));
    } else if (t.kind == PyTokenKind::kName) {
      bool after_dot = i > begin && tokens_[i - 1].IsOp(".");
      bool called = i + 1 < end && tokens_[i + 1].IsOp("(");
      if (after_dot) {
        st.format_call |= t.text == "format" && called;
        st.join_call |= t.text == "join" && called;
        continue;
      }
      if (end - begin == 1 && (t.text == "True" || t.text == "False")) {
        f.is_true = t.text == "True";
        f.is_false = t.text == "False";
      }
      if (IsPythonKeyword(t.text)) continue;
      EvaluateName(&i, end, &f, &st.dynamic);
    } else if (t.kind == PyTokenKind::kNumber) {
      if (end - begin == 1) {
        bool zero = t.text.find_first_not_of("0._") == std::string_view::npos;
        f.is_true = !zero;
        f.is_false = zero;
      }
    } else if (t.kind == PyTokenKind::kOp) {
      st.percent |= t.IsOp("%");
      st.plus |= t.IsOp("+");
    }
  }
  f.constant = !st.dynamic;
  if (!f.constant) {
    bool string_op = f.has_string && (st.percent || st.plus || st.format_call || st.join_call);
    if (f.origin == Origin::kFString || string_op) f.formatted = true;
    if (f.origin != Origin::kFString && string_op) {
      f.origin = st.percent       ? Origin::kPercent
                 : st.format_call ? Origin::kFormatMethod
                                  : Origin::kConcat;
    }
  }
  f.sql_like = f.sql_like || LooksLikeSql(f.literal);
  return f;
}

// A name (or dotted chain) inside an expression: a variable with known
// facts, request data, or something unknown (not constant).
void PyModel::EvaluateName(size_t* i, size_t end, ExprFacts* f, bool* dynamic) const {
  size_t chain_end = *i;
  std::string raw = ReadChain(*i, &chain_end);
  chain_end = std::min(chain_end, end);
  std::string resolved = Resolve(raw);
  bool called = chain_end < end && tokens_[chain_end].IsOp("(");
  *i = chain_end - 1;
  std::string_view last = std::string_view(raw).substr(raw.rfind('.') + 1);
  if (called && std::find(kSanitizers.begin(), kSanitizers.end(), last) != kSanitizers.end()) {
    // The result of a quoting or converting call is not request data any more.
    *dynamic = true;
    if (f->name.empty()) f->name = raw;
    if (f->origin == Origin::kNone) f->origin = Origin::kCall;
    *i = std::min(match_[chain_end], end - 1);
    return;
  }
  if (IsTaintSource(raw, resolved) ||
      (called && (resolved == "input" || resolved == "builtins.input"))) {
    f->tainted = true;
    if (f->taint_source.empty()) f->taint_source = TaintLabel(raw, called);
  }
  std::string head = raw.substr(0, raw.find('.'));
  const ExprFacts* var = Lookup(head);
  if (var != nullptr) {
    f->tainted |= var->tainted;
    if (var->tainted && f->taint_source.empty()) f->taint_source = var->taint_source;
    f->has_string |= var->has_string;
    f->sql_like |= var->sql_like;
    f->formatted |= var->formatted && head == raw;
    if (var->constant) AppendLiteral(f, var->literal);
    if (head == raw && var->constant) return;
  }
  *dynamic = true;
  if (f->name.empty()) f->name = raw;
  if (f->origin == Origin::kNone) f->origin = called ? Origin::kCall : Origin::kVariable;
  if (var != nullptr && called && (last == "format" || last == "join")) f->formatted = true;
}

// Names used inside the {fields} of an f-string: a tainted variable or
// request data there makes the whole string tainted.
void PyModel::ScanFStringNames(std::string_view text, ExprFacts* f, bool* dynamic) const {
  *dynamic = true;
  int depth = 0;
  bool in_spec = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (depth == 0) {
      if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
        ++i;
      } else if (c == '{') {
        depth = 1;
        in_spec = false;
      }
      continue;
    }
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) in_spec = false;
    } else if (c == ':' && depth == 1) {
      in_spec = true;
    } else if (c == '!' && i + 1 < text.size() && std::strchr("rsa", text[i + 1]) != nullptr) {
      ++i;
    } else if (c == '\'' || c == '"') {
      size_t close = text.find(c, i + 1);
      i = close == std::string_view::npos ? text.size() : close;
    } else if (IsIdentStart(c) && !(in_spec && depth == 1)) {
      size_t j = i;
      while (j < text.size() && (IsIdentChar(text[j]) || (text[j] == '.' && j + 1 < text.size() &&
                                                          IsIdentStart(text[j + 1])))) {
        ++j;
      }
      std::string chain(text.substr(i, j - i));
      bool called = j < text.size() && text[j] == '(';
      i = j - 1;
      if (IsPythonKeyword(chain)) continue;
      std::string resolved = Resolve(chain);
      if (IsTaintSource(chain, resolved) || (called && chain == "input")) {
        f->tainted = true;
        if (f->taint_source.empty()) f->taint_source = TaintLabel(chain, called);
      }
      std::string head = chain.substr(0, chain.find('.'));
      if (const ExprFacts* var = Lookup(head); var != nullptr && var->tainted) {
        f->tainted = true;
        if (f->taint_source.empty()) f->taint_source = var->taint_source;
      }
      if (f->name.empty()) f->name = chain;
    }
  }
}

std::vector<CallSite> PyModel::Calls(size_t begin, size_t end) const {
  std::vector<CallSite> out;
  end = std::min(end, tokens_.size());
  for (size_t i = begin; i < end; ++i) {
    const PyToken& t = tokens_[i];
    if (t.kind != PyTokenKind::kName) continue;
    bool after_dot = i > begin && tokens_[i - 1].IsOp(".");
    std::string prefix;
    if (after_dot) {
      // A method called on a call result, a subscript or a literal:
      // conn.cursor().execute(...), "...".format(...).
      const PyToken& before = i >= begin + 2 ? tokens_[i - 2] : t;
      if (!(before.IsOp(")") || before.IsOp("]") || before.kind == PyTokenKind::kString)) continue;
      prefix = "?.";
    } else if (IsPythonKeyword(t.text) ||
               (i > begin && (tokens_[i - 1].IsName("def") || tokens_[i - 1].IsName("class")))) {
      continue;
    }
    size_t chain_end = i;
    std::string raw = ReadChain(i, &chain_end);
    if (chain_end >= end || !tokens_[chain_end].IsOp("(")) {
      i = chain_end - 1;
      continue;
    }
    CallSite call;
    call.raw = prefix + raw;
    call.callee = prefix.empty() ? Resolve(raw) : call.raw;
    size_t dot = call.raw.rfind('.');
    call.receiver = dot == std::string::npos ? std::string() : call.raw.substr(0, dot);
    call.last = tokens_[chain_end - 1].text;
    call.name_begin = i;
    call.open = chain_end;
    call.close = std::min(match_[chain_end], end);
    call.args = SplitArgs(call.open, call.close);
    out.push_back(std::move(call));
    i = chain_end - 1;  // the arguments are scanned next, for nested calls
  }
  return out;
}

std::vector<Arg> PyModel::SplitArgs(size_t open, size_t close) const {
  std::vector<Arg> out;
  close = std::min(close, tokens_.size());
  size_t b = open + 1;
  auto add = [&](size_t e) {
    if (e <= b) return;
    Arg arg;
    arg.begin = b;
    arg.end = e;
    const PyToken& t = tokens_[b];
    if (t.IsOp("*") || t.IsOp("**")) {
      arg.star = true;
      arg.begin = b + 1;
    } else if (e - b >= 2 && t.kind == PyTokenKind::kName && tokens_[b + 1].IsOp("=")) {
      arg.keyword = t.text;
      arg.begin = b + 2;
    }
    out.push_back(arg);
  };
  for (size_t i = open + 1; i < close;) {
    if (tokens_[i].IsOp(",")) {
      add(i);
      b = ++i;
    } else if (IsOpenerTok(tokens_[i])) {
      i = std::min(match_[i], close) + (match_[i] < close ? 1 : 0);
    } else {
      ++i;
    }
  }
  add(close);
  return out;
}

bool LooksLikeSql(std::string_view text) {
  std::string s;
  s.reserve(std::min(text.size(), kMaxLiteral) + 2);
  s += ' ';
  for (char c : text.substr(0, kMaxLiteral)) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && s.back() == ' ') continue;
    s += space ? ' ' : lower;
  }
  s += ' ';
  auto has = [&](std::string_view w) { return s.find(w) != std::string::npos; };
  return (has(" select ") && has(" from ")) || has(" insert into ") ||
         (has(" update ") && has(" set ")) || has(" delete from ") || has(" drop table ") ||
         has(" create table ") || has(" alter table ") || has(" truncate table ") ||
         has(" replace into ") || (has(" where ") && has(" from "));
}

std::string Describe(const ExprFacts& facts) {
  bool direct = facts.tainted && !facts.name.empty() &&
                facts.name.substr(0, facts.taint_source.size()) == facts.taint_source &&
                (facts.origin == Origin::kVariable || facts.origin == Origin::kCall);
  if (direct) return "request data (" + facts.taint_source + ")";
  std::string what;
  switch (facts.origin) {
    case Origin::kFString:
      what = "an f-string with {expressions}";
      break;
    case Origin::kPercent:
      what = "%-formatting";
      break;
    case Origin::kFormatMethod:
      what = "str.format()";
      break;
    case Origin::kConcat:
      what = "string concatenation";
      break;
    case Origin::kVariable:
      what = "the variable '" + facts.name + "'";
      break;
    case Origin::kCall:
      what = "the result of " + facts.name + "()";
      break;
    case Origin::kOther:
    case Origin::kNone:
      what = "a non-constant expression";
      break;
  }
  if (facts.tainted) what += ", carrying request data (" + facts.taint_source + ")";
  return what;
}

}  // namespace bulwark::audit::py
