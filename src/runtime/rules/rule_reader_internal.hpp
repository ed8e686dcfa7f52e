// Internal to the rule reader (rule_reader*.cpp): the per-file reader with
// its YAML helpers. Every helper that fails has already reported the
// problem; callers only abandon the item.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "runtime/rules/collector.hpp"
#include "runtime/rules/diagnostic.hpp"

namespace bulwark::runtime::rules::internal {

// Bounds on one item of an untrusted file.
inline constexpr size_t kMaxListItems = 100000;
inline constexpr size_t kMaxTags = 1000;
inline constexpr size_t kMaxExceptions = 1000;
inline constexpr size_t kMaxExceptionValues = 100000;
inline constexpr size_t kMaxScalarBytes = size_t{1} << 20;

// What the diagnostics of one item name.
struct ItemCtx {
  std::string kind;
  std::string name;
  SrcPos pos;
};

class FileReader {
 public:
  FileReader(uint32_t source, std::string_view text, Collector& collector, Diagnostics& diags)
      : source_(source), text_(text), collector_(collector), diags_(diags) {}

  void ReadDocument(const YAML::Node& doc);

  // Helpers shared with rule_reader_rule.cpp.
  SrcPos Pos(const YAML::Node& node) const;
  MappedText Text(const YAML::Node& node) const;
  bool Fail(const ItemCtx& ctx, const YAML::Node& at, std::string_view code, std::string message);
  void Warn(const ItemCtx& ctx, const YAML::Node& at, std::string_view code, std::string message);
  // A required (or optional when `required` is false) non-empty scalar.
  // Returns false after reporting when the key is malformed or missing.
  bool Scalar(const YAML::Node& item, const char* key, const ItemCtx& ctx, bool required, std::string& out);
  bool Bool(const YAML::Node& item, const char* key, const ItemCtx& ctx, bool& out);
  bool StringSeq(const YAML::Node& item, const char* key, const ItemCtx& ctx, size_t max,
                 std::vector<std::string>& out);
  void WarnUnknownKeys(const YAML::Node& item, const ItemCtx& ctx, const std::set<std::string_view>& known);
  // Parses `override:`; fills the keys to append and to replace.
  bool Overrides(const YAML::Node& item, const ItemCtx& ctx, const std::set<std::string>& appendable,
                 const std::set<std::string>& replaceable, std::set<std::string>& append,
                 std::set<std::string>& replace);

  Collector& collector() { return collector_; }
  Diagnostics& diags() { return diags_; }

  // rule_reader_rule.cpp
  void ReadRule(const YAML::Node& item);
  bool ReadExceptions(const YAML::Node& item, const ItemCtx& ctx, bool append, std::vector<ExceptionInfo>& out);

 private:
  void ReadItem(const YAML::Node& item);
  void ReadEngineVersion(const YAML::Node& item);
  void ReadPluginVersions(const YAML::Node& item);
  void ReadList(const YAML::Node& item);
  void ReadMacro(const YAML::Node& item);
  bool ReadExceptionEntry(const YAML::Node& node, const ItemCtx& ctx, int depth, ExceptionEntry& out);

  uint32_t source_;
  std::string_view text_;
  Collector& collector_;
  Diagnostics& diags_;
};

}  // namespace bulwark::runtime::rules::internal
