// Reading fields of untrusted JSON (a --baseline report, result files a
// user or another tool left in the results directory) without exceptions: a
// missing member or one of the wrong type reads as empty, zero or false;
// NestingDepth lets a reader refuse a nesting bomb before building the DOM.
// Stateless; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::core::json_read {

using nlohmann::json;

inline const json& Member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

inline bool Has(const json& j, const char* key) { return j.is_object() && j.contains(key); }

inline std::string Str(const json& j, const char* key) {
  const json& v = Member(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

inline int Int(const json& j, const char* key) {
  const json& v = Member(j, key);
  if (v.is_number_integer()) {
    auto n = v.get<int64_t>();
    return n > 1'000'000'000 || n < -1'000'000'000 ? 0 : static_cast<int>(n);
  }
  return 0;
}

inline bool Bool(const json& j, const char* key) {
  const json& v = Member(j, key);
  return v.is_boolean() && v.get<bool>();
}

// Only the string items of an array; at most `limit` of them.
inline std::vector<std::string> Strings(const json& list,
                                        size_t limit = std::numeric_limits<size_t>::max()) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (out.size() >= limit) break;
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// An array member, or an empty array when it is absent or not an array.
inline const json& Array(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json& v = Member(j, key);
  return v.is_array() ? v : kEmpty;
}

// The deepest nesting of arrays and objects in JSON text, counted without
// parsing (strings and their escapes are skipped).
int NestingDepth(std::string_view text);

}  // namespace bulwark::core::json_read
