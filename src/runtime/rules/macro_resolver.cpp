#include "runtime/rules/macro_resolver.hpp"

#include <utility>

#include "runtime/rules/load_budget.hpp"

namespace bulwark::runtime::rules {

MacroResolver::MacroResolver(std::vector<MacroBody>& macros, size_t& total_nodes)
    : macros_(macros), total_nodes_(total_nodes) {
  for (size_t i = 0; i < macros_.size(); ++i) by_name_.emplace(macros_[i].name, i);
}

void MacroResolver::ResolveMacro(size_t i) {
  MacroBody& m = macros_[i];
  if (m.state != MacroBody::State::kPending) return;
  if (m.ast == nullptr) {
    m.state = MacroBody::State::kFailed;
    return;
  }
  m.state = MacroBody::State::kResolving;
  ResolveError err;
  // Resolve into a local tree: resolving may recurse into other macros.
  std::unique_ptr<Expr> ast = std::move(m.ast);
  bool ok = Resolve(ast, m.visibility, err);
  MacroBody& again = macros_[i];
  if (!ok) {
    // A failed macro is never copied: keeping its half-expanded tree would
    // only hold memory (up to the per-condition bound, for every such macro).
    again.state = MacroBody::State::kFailed;
    again.error = err.message;
    again.error_pos = err.pos;
    return;
  }
  again.ast = std::move(ast);
  again.nodes = CountNodes(*again.ast, kMaxExpandedNodes + 1);
  again.state = MacroBody::State::kDone;
}

bool MacroResolver::Resolve(std::unique_ptr<Expr>& e, uint32_t visibility, ResolveError& error) {
  size_t budget = kMaxExpandedNodes;
  if (!Substitute(e, visibility, budget, error)) return false;
  if (TreeDepth(*e, kMaxExpandedDepth + 1) > kMaxExpandedDepth) {
    error = {"condition nests more than " + std::to_string(kMaxExpandedDepth) + " levels after macro expansion", e->pos};
    return false;
  }
  return true;
}

bool MacroResolver::Take(size_t n, size_t& budget, size_t pos, ResolveError& error) {
  if (n > budget) {
    error = {"condition has more than " + std::to_string(kMaxExpandedNodes) + " nodes after macro expansion", pos};
    return false;
  }
  if (n > total_nodes_) {
    error = {"the rule files expand to more than " + std::to_string(kMaxLoadExpandedNodes) +
                 " condition nodes in total (all macros and rules); nothing more is expanded",
             pos};
    return false;
  }
  budget -= n;
  total_nodes_ -= n;
  return true;
}

bool MacroResolver::Substitute(std::unique_ptr<Expr>& e, uint32_t visibility, size_t& budget, ResolveError& error) {
  if (!Take(1, budget, e->pos, error)) return false;
  if (e->kind != ExprKind::kIdentifier) {
    for (auto& child : e->children) {
      if (!Substitute(child, visibility, budget, error)) return false;
    }
    return true;
  }
  auto it = by_name_.find(e->identifier);
  if (it == by_name_.end() || macros_[it->second].index >= visibility) {
    error = {"Undefined macro '" + e->identifier + "' used in filter.", e->pos};
    return false;
  }
  size_t i = it->second;
  if (macros_[i].state == MacroBody::State::kResolving) {
    error = {"Reference loop in macro '" + e->identifier + "'", e->pos};
    return false;
  }
  ResolveMacro(i);
  MacroBody& m = macros_[i];
  if (m.state != MacroBody::State::kDone) {
    error = {"macro '" + e->identifier + "' has errors (reported at its definition)", e->pos};
    return false;
  }
  if (!Take(m.nodes, budget, e->pos, error)) return false;
  m.used = true;
  e = m.ast->Clone();
  // Positions inside the copy are offsets in the macro's own text.
  std::vector<Expr*> stack = {e.get()};
  while (!stack.empty()) {
    Expr* n = stack.back();
    stack.pop_back();
    if (n->origin_macro < 0) n->origin_macro = static_cast<int32_t>(i);
    for (auto& c : n->children) stack.push_back(c.get());
  }
  return true;
}

size_t TreeDepth(const Expr& e, size_t limit) {
  size_t max = 0;
  std::vector<std::pair<const Expr*, size_t>> stack = {{&e, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > max) max = depth;
    if (max >= limit) return max;
    for (const auto& c : node->children) stack.emplace_back(c.get(), depth + 1);
  }
  return max;
}

}  // namespace bulwark::runtime::rules
