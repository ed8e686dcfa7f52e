// The syntax tree of a Falco condition (libs grammar, notes section 1.6):
// `and` / `or` with any number of children, `not`, a check of a field
// against an operator and value(s), and a bare identifier (a macro
// reference until the macro resolver replaces it). Each node keeps the
// offset in the condition text where it starts, for diagnostics.
//
// Passes over the tree are ExprVisitor subclasses that override only what
// they need; the default methods walk into children. Value types with
// unique ownership of children; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bulwark::runtime::rules {

enum class ExprKind : uint8_t { kAnd, kOr, kNot, kCheck, kIdentifier };

// A field on the left of a check, possibly wrapped in transformers
// (innermost first: "toupper(basename(proc.exe))" -> {"basename", "toupper"}).
struct FieldRef {
  std::string name;  // "proc.aname"
  std::string arg;   // "2" for proc.aname[2]
  bool has_arg = false;
  std::vector<std::string> transformers;
  size_t pos = 0;

  // "proc.aname[2]", "tolower(proc.name)".
  std::string ToString() const;
};

struct Expr {
  ExprKind kind = ExprKind::kCheck;
  size_t pos = 0;  // byte offset in the condition text
  // -1: `pos` is in the rule's (or macro's) own text; else the index of the
  // macro whose text `pos` is in (set when a macro body is substituted).
  int32_t origin_macro = -1;
  std::vector<std::unique_ptr<Expr>> children;  // and, or: >= 2; not: 1

  // kCheck
  FieldRef field;
  std::string op;                   // "=", "contains", "in", "exists", ...
  std::vector<std::string> values;  // unquoted; one for scalar operators
  bool value_is_list = false;       // the value was written as "( ... )"
  size_t value_pos = 0;

  // kIdentifier: the macro name
  std::string identifier;

  std::unique_ptr<Expr> Clone() const;
  // A normalised rendering for tests and debugging: "(a and (not b))".
  std::string ToString() const;
};

std::unique_ptr<Expr> MakeAnd(std::vector<std::unique_ptr<Expr>> children, size_t pos);
std::unique_ptr<Expr> MakeOr(std::vector<std::unique_ptr<Expr>> children, size_t pos);
std::unique_ptr<Expr> MakeNot(std::unique_ptr<Expr> child, size_t pos);

// Counts nodes; stops counting at `limit` (bounded work on hostile input).
size_t CountNodes(const Expr& e, size_t limit);

class ExprVisitor {
 public:
  virtual ~ExprVisitor() = default;
  void Visit(const Expr& e);

 protected:
  virtual void VisitAnd(const Expr& e) { VisitChildren(e); }
  virtual void VisitOr(const Expr& e) { VisitChildren(e); }
  virtual void VisitNot(const Expr& e) { VisitChildren(e); }
  virtual void VisitCheck(const Expr&) {}
  virtual void VisitIdentifier(const Expr&) {}
  void VisitChildren(const Expr& e);
};

}  // namespace bulwark::runtime::rules
