// What one Engine::Load may build in total, over all its rule files.
//
// Rule files are untrusted input, and the per-item bounds (a condition of at
// most kMaxConditionBytes after list substitution, kMaxExpandedNodes after
// macro expansion) do not bound a load: every macro of a small file may
// take its full share (twenty macros `m15 and m15`, each 131,071 nodes and
// under the per-macro bound, took 840 MB from a 1.3 KB file, twice that
// under ASan). These totals do. Falco's
// default rule files with bulwark's use about 1,500 list items, 90 KB of
// condition text and 5,000 nodes: the totals leave room for rule sets a
// hundred times that size.
//
// Plain counters, one per load; not thread-safe.
#pragma once

#include <cstddef>

namespace bulwark::runtime::rules {

// List items after nested lists are expanded, all lists together.
inline constexpr size_t kMaxLoadListItems = 1000000;
// Condition text after list substitution, all macros and rules together.
inline constexpr size_t kMaxLoadConditionBytes = size_t{8} << 20;
// Nodes visited and copied by macro expansion, all macros and rules together.
inline constexpr size_t kMaxLoadExpandedNodes = 500000;

// What is left of each total.
struct LoadBudget {
  size_t condition_bytes = kMaxLoadConditionBytes;
  size_t expanded_nodes = kMaxLoadExpandedNodes;
};

}  // namespace bulwark::runtime::rules
