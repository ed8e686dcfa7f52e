// ssdeep (context-triggered piecewise) fuzzy hashes with Debian's libfuzzy,
// when the build found it (BULWARK_HAVE_FUZZY): two files that differ in a
// few bytes get hashes that compare as similar, where MD5/SHA-x differ
// completely. Without libfuzzy every call says so (kUnavailable).
// Pure functions over the caller's bytes; thread-safe (libfuzzy keeps no
// global state).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/status.hpp"

namespace bulwark::respond {

bool FuzzyHashAvailable();
// "blocksize:hash:hash", as the `ssdeep` tool prints it.
core::Result<std::string> FuzzyHash(std::span<const uint8_t> data);
// Similarity of two ssdeep hashes, 0 (unrelated) .. 100 (same);
// kInvalidArgument when either is not an ssdeep hash.
core::Result<int> FuzzyCompare(const std::string& a, const std::string& b);

}  // namespace bulwark::respond
