// Internal to YamlEditor: what it knows and has pending about one
// collection (yaml_edit.cpp records, yaml_edit_plan.cpp turns it into edits).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fix/yaml_edit.hpp"

namespace bulwark::fix {

struct YamlEditor::Collection {
  const parse::YamlNode* node = nullptr;
  bool flow = false;
  size_t open = 0, close = 0;  // flow: the brackets
  struct Child {
    size_t begin = 0;  // block: the key or the dash; flow: the entry or item
    size_t end = 0;
    size_t content = 0;  // sequence items: where the item itself starts
  };
  std::vector<Child> children;
  std::map<size_t, std::string> removed;  // child -> check ID
  struct Insert {
    std::string key;  // maps only
    YamlValue value;
    std::string check_id;
  };
  std::vector<Insert> inserts;  // in the order asked for; same map keys merged
};

// A null value (`key:` / `key: ~`) that gets a block collection.
struct YamlEditor::Fill {
  const parse::YamlNode* map = nullptr;
  const parse::YamlEntry* entry = nullptr;
  YamlValue value;
  std::string check_id;
};

}  // namespace bulwark::fix
