// A compile-time rewrite of `or` groups: alternatives that compare one
// string field for equality (`fd.name = a or fd.name in (b, c)`) become a
// single `in` check over all their values, one lookup instead of one
// comparison per alternative. Falco's rules write such chains often (a
// macro of `in` lists and single names, ORed with another).
//
// Only where the results cannot differ: plain string fields with one value
// (no transformers, no ancestors or socket ends), `=`/`==`/`in`. An absent
// field makes every alternative false, and the merged check too.
//
// Not thread-safe: builds into one Program.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/rules/program.hpp"

namespace bulwark::runtime::rules {

// Rewrites `alternatives` (the children of one `or`) in place: each merged
// group takes the position of its first member.
void MergeEqualityAlternatives(Program& program, std::vector<uint32_t>& alternatives);

}  // namespace bulwark::runtime::rules
