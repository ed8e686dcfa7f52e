#include "host/json_access.hpp"

namespace bulwark::host {

const nlohmann::json* JsonAt(const nlohmann::json& doc, std::string_view pointer) {
  const nlohmann::json* node = &doc;
  size_t pos = 0;
  if (pointer.empty()) return node;
  if (pointer[0] != '/') return nullptr;
  while (pos < pointer.size()) {
    size_t next = pointer.find('/', pos + 1);
    std::string_view token = pointer.substr(pos + 1, (next == std::string_view::npos ? pointer.size() : next) - pos - 1);
    if (node->is_object()) {
      auto it = node->find(std::string(token));
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      size_t index = 0;
      if (token.empty()) return nullptr;
      for (char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<size_t>(c - '0');
        if (index > node->size()) return nullptr;
      }
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    if (next == std::string_view::npos) break;
    pos = next;
  }
  return node;
}

std::string JsonString(const nlohmann::json& doc, std::string_view pointer, std::string fallback) {
  const nlohmann::json* node = JsonAt(doc, pointer);
  if (node == nullptr || !node->is_string()) return fallback;
  return node->get<std::string>();
}

bool JsonBool(const nlohmann::json& doc, std::string_view pointer, bool fallback) {
  const nlohmann::json* node = JsonAt(doc, pointer);
  if (node == nullptr || !node->is_boolean()) return fallback;
  return node->get<bool>();
}

int64_t JsonInt(const nlohmann::json& doc, std::string_view pointer, int64_t fallback) {
  const nlohmann::json* node = JsonAt(doc, pointer);
  if (node == nullptr) return fallback;
  if (node->is_number_integer()) return node->get<int64_t>();
  if (node->is_number_unsigned()) {
    auto value = node->get<uint64_t>();
    return value > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(value);
  }
  return fallback;
}

std::vector<std::string> JsonStrings(const nlohmann::json& doc, std::string_view pointer) {
  std::vector<std::string> out;
  const nlohmann::json* node = JsonAt(doc, pointer);
  if (node == nullptr || !node->is_array()) return out;
  for (const auto& item : *node) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace bulwark::host
