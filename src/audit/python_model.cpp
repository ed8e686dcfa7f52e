// Statement walking, imports, scopes and assignments of the Python model.
#include "audit/python_model.hpp"

#include <algorithm>
#include <utility>

namespace bulwark::audit::py {
namespace {

bool IsCodeToken(const PyToken& t) {
  switch (t.kind) {
    case PyTokenKind::kComment:
    case PyTokenKind::kNl:
    case PyTokenKind::kError:
    case PyTokenKind::kEndMarker:
      return false;
    default:
      return true;
  }
}

bool IsOpener(const PyToken& t) { return t.IsOp("(") || t.IsOp("[") || t.IsOp("{"); }
bool IsCloser(const PyToken& t) { return t.IsOp(")") || t.IsOp("]") || t.IsOp("}"); }

constexpr std::string_view kAssignOps[] = {
    "=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="};

bool IsAssignOp(const PyToken& t) {
  if (t.kind != PyTokenKind::kOp) return false;
  return std::find(std::begin(kAssignOps), std::end(kAssignOps), t.text) != std::end(kAssignOps);
}

bool IsBlockKeyword(std::string_view word) {
  return word == "if" || word == "elif" || word == "else" || word == "while" || word == "for" ||
         word == "with" || word == "try" || word == "except" || word == "finally" ||
         word == "async";
}

}  // namespace

const Arg* CallSite::Keyword(std::string_view name) const {
  for (const Arg& arg : args) {
    if (arg.keyword == name) return &arg;
  }
  return nullptr;
}

const Arg* CallSite::Positional(size_t index) const {
  size_t seen = 0;
  for (const Arg& arg : args) {
    if (!arg.keyword.empty() || arg.star) continue;
    if (seen++ == index) return &arg;
  }
  return nullptr;
}

PyModel::PyModel(const parse::PyTokenStream& stream, std::string path) : path_(std::move(path)) {
  tokens_.reserve(stream.tokens.size());
  for (const PyToken& t : stream.tokens) {
    if (IsCodeToken(t)) tokens_.push_back(t);
  }
  scopes_.push_back(Scope{});
  BuildMatches();
}

// One pass with a stack; a NEWLINE closes whatever is still open, so an
// unbalanced bracket never reaches past its statement.
void PyModel::BuildMatches() {
  match_.assign(tokens_.size(), kNoMatch);
  std::vector<size_t> open;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const PyToken& t = tokens_[i];
    if (IsOpener(t)) {
      open.push_back(i);
    } else if (IsCloser(t) && !open.empty()) {
      match_[open.back()] = i;
      open.pop_back();
    } else if (t.kind == PyTokenKind::kNewline) {
      for (size_t o : open) match_[o] = i;
      open.clear();
    }
  }
  for (size_t o : open) match_[o] = tokens_.size();
}

void PyModel::ForEachStatement(const std::function<void(size_t, size_t)>& visit) {
  size_t begin = 0;
  int depth = 0;
  for (size_t i = 0; i <= tokens_.size(); ++i) {
    bool at_end = i == tokens_.size();
    const PyToken* t = at_end ? nullptr : &tokens_[i];
    bool separator = at_end || t->kind == PyTokenKind::kNewline ||
                     t->kind == PyTokenKind::kIndent || t->kind == PyTokenKind::kDedent ||
                     t->IsOp(";");
    if (!separator) continue;
    if (i > begin) {
      visit(begin, i);
      RecordImport(begin, i);
      RecordAssignment(begin, i);
      RecordScopeHeader(begin, i);
    }
    begin = i + 1;
    if (at_end) break;
    if (t->kind == PyTokenKind::kIndent) {
      EnterBlock(++depth);
    } else if (t->kind == PyTokenKind::kDedent) {
      --depth;
      while (scopes_.size() > 1 && scopes_.back().depth > depth) scopes_.pop_back();
    }
  }
}

void PyModel::EnterBlock(int depth) {
  if (!pending_scope_) return;
  scopes_.push_back(Scope{pending_function_, depth, {}});
  for (const std::string& param : pending_params_) {
    ExprFacts facts;
    facts.empty = false;
    facts.constant = false;
    facts.tainted = true;
    facts.origin = Origin::kVariable;
    facts.name = param;
    facts.taint_source = "a route parameter";
    scopes_.back().vars[param] = std::move(facts);
  }
  pending_params_.clear();
  pending_scope_ = false;
}

// def/class headers open a scope at the next INDENT; a decorator that
// registers a web route makes the def's parameters request data.
void PyModel::RecordScopeHeader(size_t begin, size_t end) {
  const PyToken& first = tokens_[begin];
  if (first.IsOp("@")) {
    std::string chain;
    size_t chain_end = begin + 1;
    if (begin + 1 < end && tokens_[begin + 1].kind == PyTokenKind::kName) {
      chain = ReadChain(begin + 1, &chain_end);
    }
    std::string_view last = std::string_view(chain).substr(chain.rfind('.') + 1);
    static constexpr std::string_view kRouteDecorators[] = {
        "route", "get", "post", "put", "patch", "delete", "api_route", "websocket"};
    pending_route_ = chain.find('.') != std::string::npos &&
                     std::find(std::begin(kRouteDecorators), std::end(kRouteDecorators), last) !=
                         std::end(kRouteDecorators);
    return;
  }
  size_t i = begin;
  if (tokens_[i].IsName("async")) ++i;
  bool is_def = i < end && tokens_[i].IsName("def");
  bool is_class = i < end && tokens_[i].IsName("class");
  bool route = pending_route_;
  pending_route_ = false;
  pending_scope_ = false;
  if ((!is_def && !is_class) || i + 1 >= end || !tokens_[end - 1].IsOp(":")) return;
  pending_scope_ = true;
  pending_function_ = is_def ? std::string(tokens_[i + 1].text) : function();
  pending_params_.clear();
  if (!is_def || !route || i + 2 >= end || !tokens_[i + 2].IsOp("(")) return;
  size_t close = match_[i + 2];
  for (const Arg& arg : SplitArgs(i + 2, std::min(close, end))) {
    if (!arg.star && arg.begin < arg.end && tokens_[arg.begin].kind == PyTokenKind::kName) {
      pending_params_.emplace_back(tokens_[arg.begin].text);
    } else if (!arg.keyword.empty()) {
      pending_params_.emplace_back(arg.keyword);  // a parameter with a default value
    }
  }
}

// import a.b as c / import a.b / from a.b import c as d, e / from x import (y)
void PyModel::RecordImport(size_t begin, size_t end) {
  const PyToken& first = tokens_[begin];
  if (!first.IsName("import") && !first.IsName("from")) return;
  size_t i = begin + 1;
  std::string from_module;
  if (first.IsName("from")) {
    while (i < end && (tokens_[i].IsOp(".") || tokens_[i].IsOp("...")))
      from_module += tokens_[i++].text;
    if (i < end && tokens_[i].kind == PyTokenKind::kName && !tokens_[i].IsName("import")) {
      size_t chain_end = i;
      from_module += ReadChain(i, &chain_end);
      i = chain_end;
    }
    if (i >= end || !tokens_[i].IsName("import")) return;
    ++i;
  }
  while (i < end) {
    if (tokens_[i].IsOp("(") || tokens_[i].IsOp(")") || tokens_[i].IsOp(",")) {
      ++i;
      continue;
    }
    if (tokens_[i].kind != PyTokenKind::kName) break;
    size_t chain_end = i;
    std::string name = ReadChain(i, &chain_end);
    i = chain_end;
    std::string local;
    if (i + 1 < end && tokens_[i].IsName("as") && tokens_[i + 1].kind == PyTokenKind::kName) {
      local = std::string(tokens_[i + 1].text);
      i += 2;
    }
    std::string qualified = from_module.empty() ? name : from_module + "." + name;
    if (local.empty()) local = from_module.empty() ? name.substr(0, name.find('.')) : name;
    if (local.empty() || local == "*") continue;
    // "import os.path" binds "os" to the package itself.
    aliases_[local] =
        (from_module.empty() && local == name.substr(0, name.find('.')) && name != local)
            ? local
            : qualified;
  }
}

// Records what the value of `x = value` is, for later statements in the
// same scope; also remembers which names hold a Flask application.
void PyModel::RecordAssignment(size_t begin, size_t end) {
  Assignment assign;
  if (!ParseAssignment(begin, end, &assign)) return;
  ExprFacts value = Evaluate(assign.value_begin, assign.value_end);
  for (auto [tb, te] : assign.targets) {
    if (te != tb + 1 || tokens_[tb].kind != PyTokenKind::kName) continue;
    std::string name(tokens_[tb].text);
    ExprFacts facts = value;
    if (assign.op != "=") {
      // x += y: the old value still counts; a string grown this way is formatted.
      if (const ExprFacts* old = Lookup(name)) {
        facts.tainted |= old->tainted;
        facts.sql_like |= old->sql_like;
        facts.has_string |= old->has_string;
        facts.literal = old->literal + facts.literal;
        facts.constant = facts.constant && old->constant;
      }
      if (!facts.constant && facts.has_string) facts.formatted = true;
      if (!facts.constant && facts.origin == Origin::kNone) facts.origin = Origin::kConcat;
    }
    scopes_.back().vars[name] = std::move(facts);
    size_t call_end = 0;
    if (tokens_[assign.value_begin].kind == PyTokenKind::kName &&
        assign.value_end > assign.value_begin) {
      std::string callee = Resolve(ReadChain(assign.value_begin, &call_end));
      if ((callee == "flask.Flask" || callee == "Flask") && call_end < assign.value_end &&
          tokens_[call_end].IsOp("(")) {
        flask_apps_.push_back(name);
      }
    }
  }
}

bool PyModel::ParseAssignment(size_t begin, size_t end, Assignment* out) const {
  std::vector<size_t> ops;
  size_t start = begin;
  // In "if x: y = 1" the assignment starts after the header's colon.
  if (tokens_[begin].kind == PyTokenKind::kName && IsBlockKeyword(tokens_[begin].text)) {
    size_t i = begin;
    while (i < end && !tokens_[i].IsOp(":"))
      i = IsOpener(tokens_[i]) ? std::min(match_[i], end) : i + 1;
    if (i >= end) return false;
    start = i + 1;
  }
  for (size_t i = start; i < end;) {
    const PyToken& t = tokens_[i];
    if (IsOpener(t)) {
      i = std::min(match_[i], end - 1) + 1;
      continue;
    }
    if (t.IsName("lambda")) break;  // its default arguments are not assignments
    if (IsAssignOp(t)) ops.push_back(i);
    ++i;
  }
  if (ops.empty()) return false;
  out->op = tokens_[ops.back()].text;
  out->op_token = ops.back();
  if (out->op != "=" && ops.size() > 1) return false;
  size_t target_begin = start;
  for (size_t op : ops) {
    size_t target_end = op;
    // Annotated assignment "x: int = 1": the target stops at the colon.
    for (size_t j = target_begin; j < op; ++j) {
      if (tokens_[j].IsOp(":")) {
        target_end = j;
        break;
      }
      if (IsOpener(tokens_[j])) j = std::min(match_[j], op);
    }
    if (target_end > target_begin) out->targets.emplace_back(target_begin, target_end);
    target_begin = op + 1;
  }
  out->value_begin = ops.back() + 1;
  out->value_end = end;
  return !out->targets.empty() && out->value_end > out->value_begin;
}

std::string PyModel::Resolve(std::string_view dotted) const {
  size_t dot = dotted.find('.');
  std::string_view head = dotted.substr(0, dot);
  auto it = aliases_.find(head);
  if (it == aliases_.end()) return std::string(dotted);
  std::string out = it->second;
  if (dot != std::string_view::npos) out.append(dotted.substr(dot));
  return out;
}

std::string PyModel::ReadChain(size_t i, size_t* end) const {
  std::string out(tokens_[i].text);
  size_t j = i + 1;
  while (j + 1 < tokens_.size() && tokens_[j].IsOp(".") &&
         tokens_[j + 1].kind == PyTokenKind::kName) {
    out += '.';
    out += tokens_[j + 1].text;
    j += 2;
  }
  *end = j;
  return out;
}

const ExprFacts* PyModel::Lookup(std::string_view name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto found = it->vars.find(name);
    if (found != it->vars.end()) return &found->second;
  }
  return nullptr;
}

bool PyModel::IsFlaskApp(std::string_view receiver) const {
  if (std::find(flask_apps_.begin(), flask_apps_.end(), receiver) != flask_apps_.end()) return true;
  // Without a visible Flask() call (app made in another module), trust the usual names.
  return receiver == "app" || receiver == "application";
}

bool PyModel::ParseTarget(size_t begin, size_t end, TargetName* out) const {
  if (begin >= end || tokens_[begin].kind != PyTokenKind::kName) return false;
  size_t chain_end = begin;
  std::string chain = ReadChain(begin, &chain_end);
  if (chain_end == end) {
    size_t dot = chain.rfind('.');
    out->base = dot == std::string::npos ? std::string() : chain.substr(0, dot);
    out->key = chain.substr(dot == std::string::npos ? 0 : dot + 1);
    return true;
  }
  // base["key"]
  if (chain_end + 3 == end && tokens_[chain_end].IsOp("[") &&
      tokens_[chain_end + 1].IsConstantString() && tokens_[chain_end + 2].IsOp("]")) {
    out->base = chain;
    out->key = parse::PyStringValue(tokens_[chain_end + 1]);
    out->subscript = true;
    return true;
  }
  return false;
}

core::Location PyModel::Loc(size_t first, size_t last) const {
  core::Location loc;
  loc.path = path_;
  if (tokens_.empty()) return loc;
  first = std::min(first, tokens_.size() - 1);
  last = std::min(std::max(first, last), tokens_.size() - 1);
  loc.line = tokens_[first].line;
  loc.column = tokens_[first].column;
  loc.end_line = tokens_[last].end_line;
  loc.end_column = tokens_[last].end_column;
  return loc;
}

}  // namespace bulwark::audit::py
