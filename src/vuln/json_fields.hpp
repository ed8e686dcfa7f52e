// Small, non-throwing accessors for nlohmann::json values read from
// untrusted advisory data: a missing key or a value of the wrong type reads
// as empty instead of throwing. Header-only; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bulwark::vuln::json_fields {

using Json = nlohmann::json;

// The member `key` of an object, or nullptr (not an object, no such key).
inline const Json* Member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A string member, "" when absent or not a string.
inline std::string String(const Json& object, std::string_view key) {
  const Json* value = Member(object, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

// An array member, or nullptr.
inline const Json* Array(const Json& object, std::string_view key) {
  const Json* value = Member(object, key);
  return value && value->is_array() ? value : nullptr;
}

// An object member, or nullptr.
inline const Json* Object(const Json& object, std::string_view key) {
  const Json* value = Member(object, key);
  return value && value->is_object() ? value : nullptr;
}

// The strings of an array member (other elements skipped) appended to `out`.
template <typename Out>
void AppendStrings(const Json& object, std::string_view key, Out& out) {
  const Json* array = Array(object, key);
  if (!array) return;
  for (const Json& item : *array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
}

}  // namespace bulwark::vuln::json_fields
