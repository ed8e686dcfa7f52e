// Fast paths for the comparisons rules make most often: the one value of a
// string field against a string, a set of strings, a prefix, a suffix, a
// substring or a glob; the one value of a number or boolean field against a
// number. Chosen once per check at load; each returns exactly what
// CompareCheck would (a value of an unexpected kind goes to CompareCheck),
// in one call instead of three, with the operator decided in advance.
//
// Stateless; thread-safe for distinct scratch buffers.
#pragma once

#include <string>

#include "runtime/rules/compare.hpp"

namespace bulwark::runtime::rules {

using FastCheck = bool (*)(const Extraction& x, const Operand& o, std::string& scratch);

// nullptr when no fast path applies: the caller uses CompareCheck.
FastCheck ChooseFastCheck(FieldType type, Multiplicity mult, Op op, const Operand& o);

}  // namespace bulwark::runtime::rules
