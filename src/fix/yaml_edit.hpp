// YamlEditor: minimal, byte-preserving edits of YAML text for `bulwark fix`,
// shared by the compose and Kubernetes fixers. It works on the original text
// and the nodes of a tree parse::LoadYaml() built from that text (nodes carry
// start marks only; the editor finds where each node ends by scanning the
// text). Everything it does not touch stays byte for byte: comments, key
// order, quoting, indentation, CRLF line ends, a missing final newline.
//
// Operations are recorded and returned by TakeEdits() as fix::TextEdit
// values on the original text, sorted so ApplyEdits() accepts them: several
// insertions into one collection keep the order they were requested in (two
// insertions of one map key merge into one), content of a deeper node comes
// before its parent's at the same offset, and an insertion always comes
// before a removal that starts where it ends. An
// operation the editor cannot do safely (tabs in the indentation, block
// scalars, complex keys, an alias where a value is expected, text it cannot
// locate) returns an error Status and records nothing.
//
// New content is written in the file's own style (YamlStyle): its
// indentation step, indented or indentless sequence dashes, its line ending
// and preferred quote; inside flow collections new values are flow style.
// Not thread-safe; the text and the tree must outlive the editor.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "fix/edit.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::fix {

namespace yaml_internal {
class Layout;  // the text scanner behind the editor (yaml_edit_layout.hpp)
}  // namespace yaml_internal

// A value to write: a scalar, a sequence or a map.
class YamlValue {
 public:
  enum class Kind { kScalar, kSequence, kMap };

  // A string: written plain when that reads back as the same string, else
  // quoted ("127.0.0.1:8080:80", "10001:10001", "true", "#x", "").
  static YamlValue String(std::string text);
  // YAML written as is: true, 100, 0.5, 512m. For booleans and numbers.
  static YamlValue Literal(std::string yaml);
  static YamlValue Sequence(std::vector<YamlValue> items);
  static YamlValue Map(std::vector<std::pair<std::string, YamlValue>> entries);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  bool literal() const { return literal_; }
  const std::vector<YamlValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, YamlValue>>& entries() const { return entries_; }
  bool IsScalar() const { return kind_ == Kind::kScalar; }

  // Merges another map into this one: new keys are appended, a key both
  // have takes `other`'s value, except that two maps merge recursively.
  // Does nothing unless both are maps.
  void Merge(const YamlValue& other);

 private:
  Kind kind_ = Kind::kScalar;
  std::string text_;
  bool literal_ = false;
  std::vector<YamlValue> items_;
  std::vector<std::pair<std::string, YamlValue>> entries_;
};

struct YamlStyle {
  std::string eol = "\n";   // the text's line ending
  int indent = 2;           // spaces per level of nested block mappings
  int sequence_indent = 2;  // dash column minus the parent key's column (0: indentless)
  char quote = '"';         // quote for new strings that need one
};

// Detected from the text and its documents' roots (defaults when nothing
// tells).
YamlStyle DetectYamlStyle(std::string_view text, const std::vector<parse::YamlNodePtr>& roots);

// True when `text` must be quoted to read back as this string: empty,
// special words (true, no, null, ~, ...), numbers (incl. YAML 1.1 forms such
// as 10001:10001), indicator characters, ':' or '#', surrounding spaces,
// control characters.
bool NeedsQuotes(std::string_view text);
// The string as a YAML scalar: plain when possible, else quoted with
// `quote` ('"' or '\''; double quotes when the text has control characters).
std::string QuoteScalar(std::string_view text, char quote = '"');

class YamlEditor {
 public:
  // `roots`: the roots of every document loaded from `text`.
  YamlEditor(std::string_view text, const std::vector<parse::YamlNodePtr>& roots);
  ~YamlEditor();
  YamlEditor(const YamlEditor&) = delete;
  YamlEditor& operator=(const YamlEditor&) = delete;

  const YamlStyle& style() const { return style_; }
  std::string_view text() const { return text_; }

  // Adds `key: value` to `map`: in a block mapping as new lines after its
  // last content line (comments and blank lines after it stay after the new
  // lines), in a flow mapping before the closing brace.
  core::Status InsertEntry(const parse::YamlNode& map, std::string_view key, const YamlValue& value,
                           std::string_view check_id);

  // Replaces the value of `entry` (an entry of `map`). A scalar value is
  // replaced in place, keeping its anchor/tag, its quote style (a String
  // stays double- or single-quoted, a plain one is quoted only when needed)
  // and a trailing comment. An empty or null value (`key:`, `key: ~`) may
  // become a scalar or, in a block mapping, a block sequence or mapping.
  core::Status SetEntryValue(const parse::YamlNode& map, const parse::YamlEntry& entry,
                             const YamlValue& value, std::string_view check_id);

  // Replaces a scalar node's text in place (a sequence item, say), with the
  // same rules as SetEntryValue. `node` must be a node of the tree where it is
  // written, not an alias use.
  core::Status SetScalar(const parse::YamlNode& node, const YamlValue& value,
                         std::string_view check_id);

  // Removes `entry` from `map`: its whole lines in a block mapping (a nested
  // block value included), the entry and one comma in a flow mapping. A
  // mapping left without entries becomes `{}`.
  core::Status RemoveEntry(const parse::YamlNode& map, const parse::YamlEntry& entry,
                           std::string_view check_id);

  // Appends an item to a block sequence (a new `- item` line after its last
  // item, at the same dash column) or a flow sequence (before `]`).
  core::Status AppendItem(const parse::YamlNode& sequence, const YamlValue& item,
                          std::string_view check_id);

  // Removes item `index` of `sequence` (its whole lines in a block
  // sequence). A sequence left without items becomes `[]`.
  core::Status RemoveItem(const parse::YamlNode& sequence, size_t index, std::string_view check_id);

  // Sets the value at a path of keys below `map`, creating what is missing:
  // SetPath(container, {"securityContext", "runAsNonRoot"}, Literal("true")).
  // Existing mappings along the path are descended into; the first missing
  // key is inserted with the rest of the path as nested mappings; an
  // existing final value is replaced (SetEntryValue). Several calls that
  // create the same missing mapping produce one mapping. A merged (`<<`)
  // final key is overridden by an explicit one in `map`'s own text; a path
  // through a merged or aliased mapping, or through a non-mapping, fails.
  core::Status SetPath(const parse::YamlNode& map, const std::vector<std::string>& path,
                       const YamlValue& value, std::string_view check_id);

  // Replaces bytes [begin, end) of a scalar's text, for changes inside one
  // scalar (e.g. inserting "127.0.0.1:" into a port string). Offsets are
  // those of the original text and must lie inside the node's content
  // (ScalarContent); the replacement must keep the scalar valid.
  core::Status ReplaceInScalar(const parse::YamlNode& node, size_t begin, size_t end,
                               std::string replacement, std::string_view check_id);

  // Where a scalar's content is: [begin, end) in the text, without anchor,
  // tag, quotes and trailing comment; `quote` is '"', '\'' or 0 for plain.
  struct ScalarContent {
    size_t begin = 0;
    size_t end = 0;
    char quote = 0;
  };
  core::Result<ScalarContent> LocateScalar(const parse::YamlNode& node) const;

  // Ok when entries or items can be inserted into and removed from this
  // collection (the checks the operations above make); records nothing.
  core::Status Editable(const parse::YamlNode& collection);

  // The 1-based line where a node's text ends (its last content line).
  core::Result<int> LastLine(const parse::YamlNode& node) const;

  // False when the value of `entry` is an alias use (`key: *name`): its
  // node is written elsewhere, and editing it would edit the anchor.
  bool IsWrittenAt(const parse::YamlNode& map, const parse::YamlEntry& entry) const;

  // The edits recorded so far, sorted for ApplyEdits(); the editor is empty
  // afterwards. Fails only when removals and insertions in one collection
  // cannot be combined (every entry of an inline `- a: 1` map removed while
  // others are added).
  core::Result<std::vector<TextEdit>> TakeEdits();

 private:
  struct Collection;  // children's positions and what is pending in them
  struct Fill;        // a null value getting a block collection
  core::Result<Collection*> CollectionOf(const parse::YamlNode& node);
  core::Result<std::vector<TextEdit>> CollectionEdits(const Collection& collection) const;
  void InsertionEdits(const Collection& collection, std::vector<TextEdit>& out) const;
  core::Result<TextEdit> FillEdit(const Fill& fill) const;
  core::Status RemoveChild(const parse::YamlNode& collection, size_t index,
                           std::string_view check_id);
  // Whole lines after 1-based `line`, in the file's line ending (and
  // without a final one when the file has none).
  TextEdit LinesAfter(int line, const std::vector<std::string>& lines,
                      std::string_view check_id) const;
  core::Status Replace(size_t begin, size_t end, std::string text, std::string_view check_id);
  void Record(TextEdit edit, const parse::YamlNode& node);

  std::string_view text_;
  YamlStyle style_;
  std::unique_ptr<yaml_internal::Layout> layout_;
  // Scalar replacements and inline values, each with the nesting depth of
  // the node it edits (at one offset, deeper content is inserted first).
  std::vector<std::pair<TextEdit, int>> edits_;
  std::map<const parse::YamlNode*, std::unique_ptr<Collection>> collections_;
  std::vector<std::unique_ptr<Fill>> fills_;
};

}  // namespace bulwark::fix
