// libFuzzer target: the YAML tree loader (anchors, merge keys, limits) and
// the strict JSON reader on arbitrary bytes. Walks every loaded tree so the
// expansion bound is exercised too.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "parse/yaml_tree.hpp"

namespace {

// Iterative walk bounded by the node budget the loader enforced.
size_t Walk(const bulwark::parse::YamlNodePtr& root) {
  size_t visited = 0;
  std::vector<const bulwark::parse::YamlNode*> stack = {root.get()};
  while (!stack.empty() && visited < 4'000'000) {
    const auto* node = stack.back();
    stack.pop_back();
    ++visited;
    (void)node->AsBool(true);
    (void)node->AsInt();
    for (const auto& item : node->items()) stack.push_back(item.get());
    for (const auto& entry : node->entries()) {
      stack.push_back(entry.key.get());
      stack.push_back(entry.value.get());
    }
  }
  return visited;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::parse::YamlLimits limits;
  limits.max_nodes = 200'000;
  if (auto stream = bulwark::parse::LoadYaml(text, limits); stream.ok()) {
    for (const auto& document : stream->documents) Walk(document.root);
  } else {
    (void)bulwark::parse::ErrorMark(stream.status());
  }
  if (auto json = bulwark::parse::LoadJson(text, limits); json.ok()) {
    Walk(json->documents.front().root);
  }
  return 0;
}
