// Internal to YamlEditor: where things are in the YAML text. The tree has
// start marks only, so Layout scans the text to find where a scalar's
// content ends, where a flow collection closes, where each sequence dash and
// map colon is, and which nodes are alias uses. It also answers line
// questions (indentation, comments) for the editor. Read-only after
// construction; shares nothing.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::fix::yaml_internal {

// Where and how a node was first seen in document order (its definition).
struct NodeInfo {
  const parse::YamlNode* parent = nullptr;
  const parse::YamlNode* key = nullptr;  // map values: the entry's key node
  size_t index = 0;                      // sequence items: the item's index
  bool is_key = false;
  bool in_flow = false;  // inside a flow collection
};

struct ScalarSpan {
  size_t begin = 0;          // where the node starts (its anchor or tag if any)
  size_t content_begin = 0;  // after properties; at the opening quote if quoted
  size_t end = 0;            // one past the content (past the closing quote)
  char style = 0;            // '"', '\'', '|' / '>' (block), '*' (alias) or 0 (plain)
  bool multi_line = false;
};

struct EntrySpan {
  size_t key_begin = 0;
  size_t colon_end = 0;    // just past the ':'
  size_t value_begin = 0;  // == colon_end when the value is empty
  size_t end = 0;          // one past the value's last byte
  bool empty_value = false;
  bool alias_value = false;
};

struct ItemSpan {
  size_t dash = 0;  // block sequences: the '-'; flow: the item's start
  size_t begin = 0;
  size_t end = 0;
  bool alias = false;
};

class Layout {
 public:
  Layout(std::string_view text, const std::vector<parse::YamlNodePtr>& roots);

  std::string_view text() const { return text_; }

  // ---- lines (1-based) ----
  size_t Offset(parse::YamlMark mark) const;
  int LineOf(size_t offset) const;
  int line_count() const { return static_cast<int>(line_starts_.size()); }
  size_t LineStart(int line) const;
  size_t LineEnd(int line) const;   // before the line break
  size_t NextLine(int line) const;  // past the line break (text size for the last line)
  int ColumnOf(size_t offset) const { return static_cast<int>(offset - LineStart(LineOf(offset))); }
  bool HasTabIndent(int line) const;
  bool OnlySpacesBefore(size_t offset) const;
  // The rest of the line from `offset` is spaces and perhaps a comment.
  bool OnlyCommentAfter(size_t offset) const;
  bool IsBlankOrComment(int line) const;
  // Spaces and tabs on the same line.
  size_t SkipSpaces(size_t offset) const;
  // Spaces, line breaks and comments.
  size_t SkipBlank(size_t offset) const;

  // ---- nodes ----
  const NodeInfo* Info(const parse::YamlNode& node) const;
  // Where a node written at its definition starts (anchor/tag included).
  size_t Begin(const parse::YamlNode& node) const { return Offset(node.mark()); }
  core::Result<ScalarSpan> Scalar(const parse::YamlNode& node) const;
  // One past the node's last byte (closing bracket, quote, last content).
  core::Result<size_t> End(const parse::YamlNode& node) const;
  core::Result<EntrySpan> Entry(const parse::YamlNode& map, const parse::YamlEntry& entry) const;
  core::Result<std::vector<ItemSpan>> Items(const parse::YamlNode& sequence) const;
  // The opening and closing bracket of a flow collection.
  core::Result<std::pair<size_t, size_t>> FlowBrackets(const parse::YamlNode& node) const;
  // Entries written in the map itself (not merged), in text order.
  std::vector<const parse::YamlEntry*> OwnEntries(const parse::YamlNode& map) const;
  bool InFlow(const parse::YamlNode& node) const;
  // True when the node, or a node written inside it, defines an anchor:
  // removing it could leave an alias dangling.
  bool DefinesAnchor(const parse::YamlNode& node, int depth = 0) const;
  // True when a block collection whose first child starts at `first` is
  // indented as YAML requires under what holds it: a mapping deeper than its
  // key (a sequence may share the key's column), anything deeper than the
  // dash of the item it is. Parsers accept some input that breaks this, and
  // lines added at that column would belong to the parent.
  bool IndentedUnderOwner(const parse::YamlNode& node, size_t first) const;
  // How many collections hold the node (0 for a document's root).
  int Depth(const parse::YamlNode& node) const;

 private:
  void Walk(const parse::YamlNodePtr& node, NodeInfo info, int depth);
  size_t SkipProperties(size_t offset) const;
  size_t AliasEnd(size_t offset, bool in_flow) const;
  core::Result<size_t> FlowEnd(size_t open) const;
  core::Result<int> BlockIndent(const parse::YamlNode& node) const;
  core::Result<ScalarSpan> ScanScalar(const parse::YamlNode& node, size_t begin, bool in_flow,
                                      bool is_key) const;
  size_t PlainEnd(size_t offset, bool in_flow) const;
  size_t BlockScalarEnd(size_t header, int indent) const;
  core::Result<size_t> PlainContinuation(size_t first_end, int indent) const;
  core::Result<EntrySpan> NullEntry(EntrySpan span, const parse::YamlNode& value,
                                    bool in_flow) const;
  core::Result<size_t> EndAt(const parse::YamlNode& node, size_t begin) const;

  std::string_view text_;
  size_t bom_ = 0;  // yaml-cpp does not count a UTF-8 BOM in columns
  std::vector<size_t> line_starts_;
  std::unordered_map<const parse::YamlNode*, NodeInfo> infos_;
};

core::Status Unsupported(std::string_view what, int line);

}  // namespace bulwark::fix::yaml_internal
