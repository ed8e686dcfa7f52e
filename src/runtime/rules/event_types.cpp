#include "runtime/rules/event_types.hpp"

namespace bulwark::runtime::rules {
namespace {

bool IsTypeCheck(const Expr& e) {
  return e.kind == ExprKind::kCheck && e.field.name == "evt.type" && !e.field.has_arg && e.field.transformers.empty() &&
         (e.op == "=" || e.op == "==" || e.op == "!=" || e.op == "in");
}

// `negated`: an odd number of `not` above this node.
EventTypeSet Visit(const Expr& e, bool negated) {
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      // Under negation, De Morgan swaps the connective.
      bool intersect = (e.kind == ExprKind::kAnd) != negated;
      EventTypeSet acc = intersect ? AllEventTypes() : EventTypeSet();
      for (const auto& c : e.children) {
        EventTypeSet s = Visit(*c, negated);
        acc = intersect ? (acc & s) : (acc | s);
      }
      return acc;
    }
    case ExprKind::kNot: return Visit(*e.children[0], !negated);
    case ExprKind::kIdentifier: return AllEventTypes();
    case ExprKind::kCheck: {
      if (!IsTypeCheck(e)) return AllEventTypes();
      EventTypeSet named;
      for (const auto& v : e.values) {
        if (auto t = EventTypeFromName(v)) named.set(static_cast<size_t>(*t));
      }
      bool invert = (e.op == "!=") != negated;
      return invert ? (AllEventTypes() & ~named) : named;
    }
  }
  return AllEventTypes();
}

}  // namespace

EventTypeSet AllEventTypes() {
  EventTypeSet all;
  all.set();
  all.reset(static_cast<size_t>(EventType::kUnknown));
  return all;
}

EventTypeSet EventTypesOf(const Expr& condition) { return Visit(condition, false); }

std::vector<EventType> EventTypeList(const EventTypeSet& set) {
  std::vector<EventType> out;
  for (size_t i = 1; i < kEventTypeCount; ++i) {
    if (set.test(i)) out.push_back(static_cast<EventType>(i));
  }
  return out;
}

}  // namespace bulwark::runtime::rules
