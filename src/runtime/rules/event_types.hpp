// The set of event types a condition can match, derived as Falco derives it
// (libs filter/ppm_codes.cpp): `evt.type = X`, `evt.type in (...)` and
// `evt.type != X` give sets, every other check matches all types; `and`
// intersects, `or` unites, and negation is pushed down to the checks with
// De Morgan's laws so that `not proc.name = x` stays "all types". A rule
// whose condition does not restrict evt.type applies to every type. Names
// bulwark's sensor never produces match nothing.
//
// Stateless; thread-safe.
#pragma once

#include <bitset>
#include <string>
#include <vector>

#include "runtime/event/event.hpp"
#include "runtime/rules/condition_ast.hpp"

namespace bulwark::runtime::rules {

using EventTypeSet = std::bitset<kEventTypeCount>;

// Every type the sensor produces (kUnknown excluded).
EventTypeSet AllEventTypes();
EventTypeSet EventTypesOf(const Expr& condition);
std::vector<EventType> EventTypeList(const EventTypeSet& set);

}  // namespace bulwark::runtime::rules
