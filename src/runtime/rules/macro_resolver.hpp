// Macro substitution at AST level (notes section 1.5): an identifier in a
// condition is a macro reference, replaced by a copy of the macro's
// (already resolved) tree. A macro sees only macros whose first definition
// comes before its latest definition (Falco's visibility); rules see all.
// Undefined macros, reference loops and macros that failed are errors
// naming the macro and the offset of the reference.
//
// Untrusted input: expansion is bounded in nodes (checked before copying,
// so exponential macro nesting is refused cheaply), per condition and in
// total over the load (load_budget.hpp), and in depth. A macro that fails
// keeps no tree.
//
// Not thread-safe (resolves macros lazily in place).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/rules/condition_ast.hpp"

namespace bulwark::runtime::rules {

inline constexpr size_t kMaxExpandedNodes = 200000;
inline constexpr size_t kMaxExpandedDepth = 1000;
inline constexpr uint32_t kSeeAllMacros = std::numeric_limits<uint32_t>::max();

struct MacroBody {
  enum class State : uint8_t { kPending, kResolving, kDone, kFailed };

  std::string name;
  uint32_t index = 0;
  uint32_t visibility = 0;
  std::unique_ptr<Expr> ast;  // null when the condition did not parse
  State state = State::kPending;
  size_t nodes = 0;           // once resolved
  std::string error;          // when failed by resolution (not by parsing)
  size_t error_pos = 0;       // offset in the macro's own condition text
  bool used = false;
};

struct ResolveError {
  std::string message;
  size_t pos = 0;
};

class MacroResolver {
 public:
  // `total_nodes` is what the whole load may still expand (shared by every
  // resolver of one load); each node visited or copied takes one.
  MacroResolver(std::vector<MacroBody>& macros, size_t& total_nodes);

  // Resolves macro `i` (and, on demand, those it references).
  void ResolveMacro(size_t i);
  // Resolves `e` seeing the macros whose index is below `visibility`.
  bool Resolve(std::unique_ptr<Expr>& e, uint32_t visibility, ResolveError& error);

 private:
  bool Substitute(std::unique_ptr<Expr>& e, uint32_t visibility, size_t& budget, ResolveError& error);
  // Takes `n` nodes from the condition's `budget` and the load's total;
  // false (taking none) with `error` set at `pos` when either is short.
  bool Take(size_t n, size_t& budget, size_t pos, ResolveError& error);

  std::vector<MacroBody>& macros_;
  size_t& total_nodes_;
  std::unordered_map<std::string, size_t> by_name_;
};

// Depth of a tree, computed without recursion; stops at `limit`.
size_t TreeDepth(const Expr& e, size_t limit);

}  // namespace bulwark::runtime::rules
