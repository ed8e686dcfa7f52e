#include "runtime/rules/condition_ast.hpp"

#include <utility>

namespace bulwark::runtime::rules {

std::string FieldRef::ToString() const {
  std::string s = name;
  if (has_arg) s += "[" + arg + "]";
  for (const auto& t : transformers) s = t + "(" + s + ")";
  return s;
}

std::unique_ptr<Expr> Expr::Clone() const {
  auto c = std::make_unique<Expr>();
  c->kind = kind;
  c->pos = pos;
  c->origin_macro = origin_macro;
  c->field = field;
  c->op = op;
  c->values = values;
  c->value_is_list = value_is_list;
  c->value_pos = value_pos;
  c->identifier = identifier;
  c->children.reserve(children.size());
  for (const auto& child : children) c->children.push_back(child->Clone());
  return c;
}

namespace {

std::string Quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::string s = "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) s += kind == ExprKind::kAnd ? " and " : " or ";
        s += children[i]->ToString();
      }
      return s + ")";
    }
    case ExprKind::kNot:
      return "(not " + children[0]->ToString() + ")";
    case ExprKind::kIdentifier:
      return identifier;
    case ExprKind::kCheck: {
      std::string s = field.ToString() + " " + op;
      if (op == "exists") return s;
      if (value_is_list) {
        s += " (";
        for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + Quote(values[i]);
        return s + ")";
      }
      return s + " " + (values.empty() ? std::string("\"\"") : Quote(values[0]));
    }
  }
  return "";
}

std::unique_ptr<Expr> MakeAnd(std::vector<std::unique_ptr<Expr>> children, size_t pos) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kAnd;
  e->pos = pos;
  e->children = std::move(children);
  return e;
}

std::unique_ptr<Expr> MakeOr(std::vector<std::unique_ptr<Expr>> children, size_t pos) {
  auto e = MakeAnd(std::move(children), pos);
  e->kind = ExprKind::kOr;
  return e;
}

std::unique_ptr<Expr> MakeNot(std::unique_ptr<Expr> child, size_t pos) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::kNot;
  e->pos = pos;
  e->children.push_back(std::move(child));
  return e;
}

size_t CountNodes(const Expr& e, size_t limit) {
  size_t n = 0;
  std::vector<const Expr*> stack = {&e};
  while (!stack.empty() && n < limit) {
    const Expr* cur = stack.back();
    stack.pop_back();
    ++n;
    for (const auto& c : cur->children) stack.push_back(c.get());
  }
  return n;
}

void ExprVisitor::Visit(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kAnd: VisitAnd(e); break;
    case ExprKind::kOr: VisitOr(e); break;
    case ExprKind::kNot: VisitNot(e); break;
    case ExprKind::kCheck: VisitCheck(e); break;
    case ExprKind::kIdentifier: VisitIdentifier(e); break;
  }
}

void ExprVisitor::VisitChildren(const Expr& e) {
  for (const auto& c : e.children) Visit(*c);
}

}  // namespace bulwark::runtime::rules
