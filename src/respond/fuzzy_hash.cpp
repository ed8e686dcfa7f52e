#include "respond/fuzzy_hash.hpp"

#include <limits>

#ifdef BULWARK_HAVE_FUZZY
#include <fuzzy.h>
#endif

namespace bulwark::respond {

#ifdef BULWARK_HAVE_FUZZY

bool FuzzyHashAvailable() { return true; }

core::Result<std::string> FuzzyHash(std::span<const uint8_t> data) {
  // libfuzzy takes a 32-bit length; triage's own bound (256 MiB) is far below.
  if (data.size() > std::numeric_limits<uint32_t>::max()) {
    return core::Error(core::ErrorCode::kTooLarge, "too large for libfuzzy's 32-bit length");
  }
  char result[FUZZY_MAX_RESULT] = {};
  if (fuzzy_hash_buf(data.data(), static_cast<uint32_t>(data.size()), result) != 0) {
    return core::Error(core::ErrorCode::kInternal, "libfuzzy could not hash the buffer");
  }
  return std::string(result);
}

core::Result<int> FuzzyCompare(const std::string& a, const std::string& b) {
  int score = fuzzy_compare(a.c_str(), b.c_str());
  if (score < 0) return core::Error(core::ErrorCode::kInvalidArgument, "not an ssdeep hash");
  return score;
}

#else

bool FuzzyHashAvailable() { return false; }

core::Result<std::string> FuzzyHash(std::span<const uint8_t>) {
  return core::Error(core::ErrorCode::kUnavailable, "this build has no libfuzzy");
}

core::Result<int> FuzzyCompare(const std::string&, const std::string&) {
  return core::Error(core::ErrorCode::kUnavailable, "this build has no libfuzzy");
}

#endif

}  // namespace bulwark::respond
