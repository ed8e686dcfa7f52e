#include "runtime/rules/condition_parser.hpp"

#include <array>
#include <utility>

namespace bulwark::runtime::rules {
namespace {

constexpr std::array<std::string_view, 4> kNumOps = {"<=", "<", ">=", ">"};
// Symbol operators need no blank after them; word operators do.
constexpr std::array<std::string_view, 3> kSymbolStrOps = {"==", "=", "!="};
constexpr std::array<std::string_view, 9> kWordStrOps = {"glob",       "iglob",       "contains",
                                                          "icontains",  "bcontains",   "startswith",
                                                          "bstartswith", "endswith",   "regex"};
constexpr std::array<std::string_view, 3> kListOps = {"intersects", "in", "pmatch"};
constexpr std::array<std::string_view, 5> kTransformers = {"tolower", "toupper", "b64", "basename", "len"};
constexpr std::array<std::string_view, 4> kUnsupportedTransformers = {"val", "join", "concat", "getopt"};

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; }
// POSIX [:space:].
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
// libs' lex_blank set.
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n'; }

class Parser {
 public:
  Parser(std::string_view in, uint32_t max_depth) : in_(in), max_depth_(max_depth) {}

  ParseResult Run() {
    ParseResult r;
    if (in_.empty()) {
      Fail("filter input string is empty");
    } else {
      r.expr = ParseOr();
      if (r.expr && pos_ != in_.size()) {
        Fail("unexpected token after '" + last_token_ + "', expecting 'or', 'and'");
      }
    }
    if (!error_.empty()) {
      r.expr.reset();
      r.error = error_;
      r.error_pos = error_pos_;
    }
    return r;
  }

 private:
  using Ptr = std::unique_ptr<Expr>;

  // Counts recursion like libs' depth_guard; over the limit is an error.
  class Depth {
   public:
    explicit Depth(Parser& p) : p_(p) {
      if (++p_.depth_ >= p_.max_depth_) p_.Fail("exceeded max depth limit of " + std::to_string(p_.max_depth_));
    }
    ~Depth() { --p_.depth_; }
    bool ok() const { return p_.error_.empty(); }

   private:
    Parser& p_;
  };

  char Cur(size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }

  std::nullptr_t Fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_pos_ = pos_;
    }
    return nullptr;
  }

  bool LexBlank() {
    bool found = false;
    while (pos_ < in_.size() && IsBlank(in_[pos_])) {
      ++pos_;
      found = true;
    }
    return found;
  }

  bool LexStr(std::string_view s) {
    if (in_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    last_token_ = std::string(s);
    return true;
  }

  // A word operator must be followed by a blank ("contains ").
  bool LexWord(std::string_view w) {
    if (in_.substr(pos_, w.size()) != w || !IsSpace(Cur(w.size()))) return false;
    pos_ += w.size();
    last_token_ = std::string(w);
    return true;
  }

  // "not" followed by at least one space (regex `not[[:space:]]+`).
  bool LexNotBlank() {
    if (in_.substr(pos_, 3) != "not" || !IsSpace(Cur(3))) return false;
    pos_ += 3;
    while (IsSpace(Cur())) ++pos_;
    last_token_ = "not";
    return true;
  }

  size_t IdentEnd(size_t from) const {
    if (from >= in_.size() || !IsAlpha(in_[from])) return from;
    size_t i = from + 1;
    while (i < in_.size() && IsIdentChar(in_[i])) ++i;
    return i;
  }

  bool LexIdentifier() {
    size_t end = IdentEnd(pos_);
    if (end == pos_) return false;
    last_token_ = std::string(in_.substr(pos_, end - pos_));
    pos_ = end;
    return true;
  }

  // identifier ('.' identifier)+
  bool LexFieldName() {
    size_t end = IdentEnd(pos_);
    if (end == pos_) return false;
    bool dotted = false;
    while (end < in_.size() && in_[end] == '.') {
      size_t next = IdentEnd(end + 1);
      if (next == end + 1) break;
      end = next;
      dotted = true;
    }
    if (!dotted) return false;
    last_token_ = std::string(in_.substr(pos_, end - pos_));
    pos_ = end;
    return true;
  }

  // A name from `names` directly followed by '('.
  template <size_t N>
  bool LexCall(const std::array<std::string_view, N>& names) {
    for (auto n : names) {
      if (in_.substr(pos_, n.size()) == n && Cur(n.size()) == '(') {
        pos_ += n.size() + 1;
        last_token_ = std::string(n);
        return true;
      }
    }
    return false;
  }

  bool LexQuoted(std::string& out) {
    char q = Cur();
    if (q != '"' && q != '\'') return false;
    size_t i = pos_ + 1;
    while (i < in_.size() && in_[i] != q) i += in_[i] == '\\' ? 2 : 1;
    if (i >= in_.size()) return false;  // unterminated: not a quoted string
    std::string err;
    if (!UnescapeQuoted(in_.substr(pos_, i + 1 - pos_), out, err)) {
      Fail(err);
      return false;
    }
    last_token_ = std::string(in_.substr(pos_, i + 1 - pos_));
    pos_ = i + 1;
    return true;
  }

  template <typename Pred>
  bool LexRun(Pred accept, std::string& out) {
    size_t i = pos_;
    while (i < in_.size() && accept(in_[i])) ++i;
    if (i == pos_) return false;
    out = std::string(in_.substr(pos_, i - pos_));
    last_token_ = out;
    pos_ = i;
    return true;
  }

  bool LexBareStr(std::string& out) {
    return LexRun([](char c) { return !IsSpace(c) && c != '(' && c != ')' && c != '"' && c != '\'' && c != '=' && c != ','; },
                  out);
  }

  bool LexNumber(std::string& out) {
    size_t i = pos_;
    if (Cur() == '0' && (Cur(1) == 'x' || Cur(1) == 'X') && IsIdentChar(Cur(2)) && Cur(2) != '_') {
      i += 2;
      while (i < in_.size() && (IsAlpha(in_[i]) || IsDigit(in_[i]))) ++i;
    } else {
      if (i < in_.size() && (in_[i] == '+' || in_[i] == '-')) ++i;
      size_t digits = i;
      while (i < in_.size() && IsDigit(in_[i])) ++i;
      if (i == digits) return false;
      if (i < in_.size() && in_[i] == '.') ++i;
      while (i < in_.size() && IsDigit(in_[i])) ++i;
      auto at = [this](size_t k) { return k < in_.size() ? in_[k] : '\0'; };
      if ((at(i) == 'e' || at(i) == 'E') && (at(i + 1) == '+' || at(i + 1) == '-') && IsDigit(at(i + 2))) {
        i += 2;
        while (IsDigit(at(i))) ++i;
      }
    }
    out = std::string(in_.substr(pos_, i - pos_));
    last_token_ = out;
    pos_ = i;
    return true;
  }

  Ptr ParseOr() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    LexBlank();
    size_t pos = pos_;
    std::vector<Ptr> children;
    Ptr first = ParseAnd();
    if (!first) return nullptr;
    children.push_back(std::move(first));
    LexBlank();
    while (LexStr("or")) {
      Ptr child;
      if (LexBlank()) {
        child = ParseAnd();
      } else if (LexStr("(")) {
        child = ParseEmbeddedRemainder();
      } else {
        return Fail("expected blank or '(' after 'or'");
      }
      if (!child) return nullptr;
      children.push_back(std::move(child));
      LexBlank();
    }
    return children.size() > 1 ? MakeOr(std::move(children), pos) : std::move(children[0]);
  }

  Ptr ParseAnd() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    LexBlank();
    size_t pos = pos_;
    std::vector<Ptr> children;
    Ptr first = ParseNot();
    if (!first) return nullptr;
    children.push_back(std::move(first));
    LexBlank();
    while (LexStr("and")) {
      Ptr child;
      if (LexBlank()) {
        child = ParseNot();
      } else if (LexStr("(")) {
        child = ParseEmbeddedRemainder();
      } else {
        return Fail("expected blank or '(' after 'and'");
      }
      if (!child) return nullptr;
      children.push_back(std::move(child));
      LexBlank();
    }
    return children.size() > 1 ? MakeAnd(std::move(children), pos) : std::move(children[0]);
  }

  Ptr ParseNot() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    LexBlank();
    size_t pos = pos_;
    bool negate = false;
    while (LexNotBlank()) negate = !negate;
    Ptr child;
    if (LexStr("not(")) {
      negate = !negate;
      child = ParseEmbeddedRemainder();
    } else {
      child = ParseCheck();
    }
    if (!child) return nullptr;
    return negate ? MakeNot(std::move(child), pos) : std::move(child);
  }

  // After a '(' was consumed.
  Ptr ParseEmbeddedRemainder() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    LexBlank();
    Ptr child = ParseOr();
    if (!child) return nullptr;
    LexBlank();
    if (!LexStr(")")) return Fail("expected a ')' token");
    return child;
  }

  Ptr ParseCheck() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    LexBlank();
    size_t pos = pos_;
    if (LexStr("(")) return ParseEmbeddedRemainder();
    FieldRef field;
    field.pos = pos;
    if (LexFieldName()) {
      field.name = last_token_;
      if (!ParseFieldArg(field)) return nullptr;
      return ParseOperator(std::move(field), pos);
    }
    if (LexCall(kTransformers)) {
      const std::string name = last_token_;  // lexing below overwrites last_token_
      if (!ParseTransformerRemainder(name, field)) return nullptr;
      return ParseOperator(std::move(field), pos);
    }
    if (LexCall(kUnsupportedTransformers)) {
      pos_ = pos;
      return Fail("field transformer '" + last_token_ + "(' is not supported by bulwark");
    }
    if (LexIdentifier()) {
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kIdentifier;
      e->pos = pos;
      e->identifier = last_token_;
      return e;
    }
    return Fail("expected a '(' token, a field check, or an identifier");
  }

  bool ParseFieldArg(FieldRef& field) {
    if (!LexStr("[")) return true;
    std::string arg;
    if (!LexQuoted(arg)) {
      if (!error_.empty()) return false;
      if (!LexRun([](char c) { return !IsSpace(c) && c != '[' && c != ']' && c != '"' && c != '\''; }, arg)) {
        Fail("expected a valid field argument: a quoted string or a bare string");
        return false;
      }
    }
    field.arg = arg;
    field.has_arg = true;
    if (!LexStr("]")) {
      Fail("expected a ']' token");
      return false;
    }
    return true;
  }

  // After "name(" was consumed: a nested transformer or a field, then ')'.
  bool ParseTransformerRemainder(const std::string& name, FieldRef& field) {
    Depth d(*this);
    if (!d.ok()) return false;
    LexBlank();
    if (LexCall(kTransformers)) {
      const std::string inner = last_token_;
      if (!ParseTransformerRemainder(inner, field)) return false;
    } else if (LexFieldName()) {
      field.name = last_token_;
      field.pos = pos_ - field.name.size();
      if (!ParseFieldArg(field)) return false;
    } else {
      Fail("expected a field or a nested valid transformer: 'tolower', 'toupper', 'b64', 'basename', 'len'");
      return false;
    }
    LexBlank();
    if (!LexStr(")")) {
      Fail("expected a ')' token closing the transformer");
      return false;
    }
    field.transformers.push_back(name);
    return true;
  }

  Ptr ParseOperator(FieldRef field, size_t pos) {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kCheck;
    e->pos = pos;
    e->field = std::move(field);
    LexBlank();
    if (LexStr("exists")) {
      e->op = "exists";
      return e;
    }
    LexBlank();
    bool ok = false;
    if (LexAny(kNumOps)) {
      e->op = last_token_;
      ok = ParseNumValue(*e);
    } else if (LexAny(kSymbolStrOps) || LexAnyWord(kWordStrOps)) {
      e->op = last_token_;
      ok = ParseStrValue(*e);
    } else if (LexAny(kListOps)) {
      e->op = last_token_;
      ok = ParseListValue(*e);
    } else {
      return Fail(
          "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', "
          "'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', "
          "'intersects', 'in', 'pmatch'");
    }
    return ok ? std::move(e) : nullptr;
  }

  template <size_t N>
  bool LexAny(const std::array<std::string_view, N>& ops) {
    for (auto op : ops) {
      if (LexStr(op)) return true;
    }
    return false;
  }

  template <size_t N>
  bool LexAnyWord(const std::array<std::string_view, N>& ops) {
    for (auto op : ops) {
      if (LexWord(op)) return true;
    }
    return false;
  }

  bool RejectRightTransformer() {
    size_t at = pos_;
    if (LexCall(kTransformers) || LexCall(kUnsupportedTransformers)) {
      pos_ = at;
      Fail("field references and transformers on the right-hand side ('" + last_token_ +
           "(') are not supported by bulwark");
      return true;
    }
    return false;
  }

  bool ParseNumValue(Expr& e) {
    LexBlank();
    e.value_pos = pos_;
    if (RejectRightTransformer()) return false;
    std::string v;
    if (!LexNumber(v)) {
      Fail("expected a number value");
      return false;
    }
    e.values.push_back(std::move(v));
    return true;
  }

  bool ParseStrValue(Expr& e) {
    LexBlank();
    e.value_pos = pos_;
    if (RejectRightTransformer()) return false;
    std::string v;
    if (!LexQuoted(v) && !LexBareStr(v)) {
      Fail("expected a string value");
      return false;
    }
    e.values.push_back(std::move(v));
    return true;
  }

  bool ParseListValue(Expr& e) {
    LexBlank();
    e.value_pos = pos_;
    if (LexStr("(")) {
      e.value_is_list = true;
      LexBlank();
      std::string v;
      if (LexQuoted(v) || LexBareStr(v)) {
        e.values.push_back(std::move(v));
        LexBlank();
        while (LexStr(",")) {
          LexBlank();
          if (!LexQuoted(v) && !LexBareStr(v)) {
            Fail("expected a string value");
            return false;
          }
          e.values.push_back(std::move(v));
          LexBlank();
        }
      }
      if (!error_.empty()) return false;
      if (!LexStr(")")) {
        Fail("expected a ')' token");
        return false;
      }
      return true;
    }
    if (RejectRightTransformer()) return false;
    if (LexIdentifier()) {
      e.values.push_back(last_token_);
      return true;
    }
    Fail("expected a list or an identifier");
    return false;
  }

  std::string_view in_;
  uint32_t max_depth_;
  uint32_t depth_ = 0;
  size_t pos_ = 0;
  std::string last_token_;
  std::string error_;
  size_t error_pos_ = 0;
};

}  // namespace

ParseResult ParseCondition(std::string_view text, uint32_t max_depth) { return Parser(text, max_depth).Run(); }

const std::vector<std::string>& SupportedOperators() {
  static const std::vector<std::string> ops = {
      "exists", "<=",        "<",          ">=",          ">",        "==",    "=",  "!=",
      "glob",   "iglob",     "contains",   "icontains",   "bcontains", "startswith", "bstartswith",
      "endswith", "regex",   "intersects", "in",          "pmatch"};
  return ops;
}

bool IsListOperator(std::string_view op) { return op == "in" || op == "intersects" || op == "pmatch"; }

bool UnescapeQuoted(std::string_view token, std::string& out, std::string& error) {
  out.clear();
  if (token.size() < 2) return true;
  char delim = token[0];
  bool escaped = false;
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    char c = token[i];
    if (!escaped) {
      if (c == '\\') {
        escaped = true;
      } else {
        out += c;
      }
      continue;
    }
    escaped = false;
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case ' ':   // libs keeps "\ " as a backslash (one rule relied on it)
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case '"':
      case '\'':
        if (c != delim) {
          error = std::string("invalid \\") + c + " escape in " + delim + "-quoted string";
          return false;
        }
        out += c;
        break;
      default:
        error = std::string("unsupported string escape sequence: \\") + c;
        return false;
    }
  }
  return true;
}

}  // namespace bulwark::runtime::rules
