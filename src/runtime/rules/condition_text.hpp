// The textual rewrites Falco applies to a condition before parsing it
// (notes sections 1.4 and 1.5), on position-mapped text:
//
// - exceptions become `(<cond>) and not (<ex1>) and not (<ex2>)...`, each
//   value tuple `(f1 c1 v1 and f2 c2 v2)` ORed, values quoted when they hold
//   a space, parenthesised for list operators;
// - lists are substituted textually, in definition order: an occurrence of
//   a list's name delimited by blanks, '(', ')', ',', '=' (or the ends) is
//   replaced by its items joined with ", " (items with a space quoted),
//   surrounding blanks consumed; an empty list also removes one adjacent
//   comma. Substitution also happens inside quoted strings, as in Falco.
//
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/rules/collector.hpp"
#include "runtime/rules/load_budget.hpp"
#include "runtime/rules/mapped_text.hpp"

namespace bulwark::runtime::rules {

// Conditions longer than this after substitution are refused (a list
// referenced thousands of times could otherwise grow without bound).
inline constexpr size_t kMaxConditionBytes = size_t{1} << 20;

struct ExpandedList {
  std::string name;
  std::vector<std::string> items;  // nested lists already flattened
  bool too_large = false;          // left empty: past the load's total (ExpandLists)
};

// Falco's list compile: an item naming a list defined earlier (index below
// this list's visibility) is replaced by that list's own items. A list that
// names a large list many times grows as their product, so the lists
// together hold at most `max_total_items`; a list that would pass it is left
// empty and marked too_large.
std::vector<ExpandedList> ExpandLists(const std::vector<ListInfo>& lists, const Collector& collector,
                                      size_t max_total_items = kMaxLoadListItems);

// Substitutes every list into `cond`; marks used[i] for lists that occurred.
// False when the result would exceed kMaxConditionBytes (cond unchanged then).
bool SubstituteLists(MappedText& cond, const std::vector<ExpandedList>& lists, std::vector<bool>& used);

// Falco's quote_item: wraps in double quotes when the item holds a space
// and is not quoted already.
std::string QuoteItem(const std::string& item);

// Appends the exceptions; false with `error` set on a malformed one
// (values whose length differs from the fields').
bool AppendExceptions(MappedText& cond, const std::vector<ExceptionInfo>& exceptions, std::string& error,
                      SrcPos& error_pos);

}  // namespace bulwark::runtime::rules
