#include "host/checks_common.hpp"

#include "host/json_access.hpp"

namespace bulwark::host::common {

std::string Quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JoinList(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

std::string JoinLimited(const std::vector<std::string>& items, size_t limit,
                        std::string_view separator) {
  if (items.size() <= limit) return JoinList(items, separator);
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(limit));
  return JoinList(head, separator) + std::string(separator) + "... (" +
         std::to_string(items.size() - limit) + " more)";
}

std::string JsonText(const nlohmann::json& doc, std::string_view pointer) {
  const nlohmann::json* node = JsonAt(doc, pointer);
  // Engine documents are UTF-8; replace rather than throw on a bad byte.
  return node == nullptr ? "null"
                         : node->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool IsRootUser(const std::string& user) {
  std::string name = user.substr(0, user.find(':'));
  return name.empty() || name == "root" || name == "0";
}

bool DaemonHasSecurityOption(const HostFacts& facts, std::string_view name) {
  std::string prefix = "name=" + std::string(name);
  for (const std::string& option : JsonStrings(facts.engine.info, "/SecurityOptions")) {
    if (option == name || option == prefix || option.rfind(prefix + ",", 0) == 0) return true;
  }
  return false;
}

std::string DaemonSecurityOptionsText(const HostFacts& facts) {
  return "/info SecurityOptions=" + JsonText(facts.engine.info, "/SecurityOptions");
}

std::string NormalPath(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace bulwark::host::common
