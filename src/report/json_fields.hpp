// Reading fields of untrusted JSON (result files a user or another tool
// left in the results directory) without exceptions: a missing member or
// one of the wrong type reads as empty, zero or false. Internal to
// bulwark_report; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::report::json_fields {

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
inline std::vector<std::string> Strings(const json& list, size_t limit = 1000) {
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

}  // namespace bulwark::report::json_fields
