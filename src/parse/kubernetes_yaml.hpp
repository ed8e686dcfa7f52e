// Internal to the Kubernetes parser: reads yaml-cpp nodes into Fields with
// positions. It follows merge keys (`<<`), takes the last of duplicated keys
// (as kubectl's decoder does) and diagnoses the duplicate, and charges a work
// budget for every node it touches, so alias-expanded input (a "billion
// laughs" document) stops early instead of running for ever. One reader per
// YAML document; not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "parse/kubernetes.hpp"

namespace bulwark::parse::k8s::detail {

struct Entry {
  YAML::Node key;
  YAML::Node value;
};

class NodeReader {
 public:
  NodeReader(std::string path, int line_offset, size_t& budget,
             std::vector<core::Diagnostic>& diagnostics);

  // The entry of `key` in a map; nullopt when absent, when its value is null,
  // or when `map` is not a map.
  std::optional<Entry> Find(const YAML::Node& map, std::string_view key);
  // The map's entries with scalar keys, in document order.
  std::vector<Entry> Entries(const YAML::Node& map);
  // The items of a sequence (none if `seq` is not one), at most kMaxItemsPerList.
  std::vector<YAML::Node> Items(const YAML::Node& seq, std::string_view what);

  Pos PosOf(const YAML::Node& node) const;
  StringField String(const YAML::Node& map, std::string_view key);
  BoolField Bool(const YAML::Node& map, std::string_view key);
  IntField Int(const YAML::Node& map, std::string_view key);
  StringField StringOf(const YAML::Node& node);  // a list item
  IntField IntOf(const YAML::Node& node);
  // A map of strings (labels, annotations, matchLabels).
  std::vector<KeyValue> StringMap(const YAML::Node& map, std::string_view key);
  // A list of strings (capabilities, hostnames); `key_pos` receives the key.
  std::vector<StringField> StringList(const YAML::Node& map, std::string_view key,
                                      Pos* key_pos = nullptr);

  void Diagnose(Pos pos, std::string message);
  // True once the work budget ran out; what was read since is incomplete.
  bool exhausted() const { return exhausted_; }

 private:
  bool Spend(size_t units);
  std::optional<Entry> FindIn(const YAML::Node& map, std::string_view key, int merge_depth);

  std::string path_;
  int line_offset_;
  size_t& budget_;  // shared by the readers of one file
  bool exhausted_ = false;
  std::vector<core::Diagnostic>& diagnostics_;
};

// True when yaml-cpp does not finish parsing `text` within a number of
// events proportional to its size. yaml-cpp 0.7 loops for ever, allocating,
// on a stray ',' at document level (e.g. the document "[a],"); this dry run
// through a counting event handler finds such input before YAML::LoadAll
// would hang on it. Syntax errors are left for LoadAll to report.
bool ParserRunsAway(const std::string& text);

// YAML 1.1 / 1.2 scalars as Kubernetes' decoder reads them.
std::optional<bool> ParseYamlBool(std::string_view text);
std::optional<int64_t> ParseYamlInt(std::string_view text);

}  // namespace bulwark::parse::k8s::detail
