// YamlTree: bulwark's own immutable YAML tree with source positions, built
// from yaml-cpp's event parser. Every node knows the 1-based line and column
// where it starts; every map entry keeps its key node (and so the key's
// position). Anchors and aliases are resolved (an alias shares the anchored
// node), and YAML merge keys (`<<: *a`, `<<: [*a, *b]`) are applied, which
// yaml-cpp 0.7 does not do: explicit keys win over merged ones, and among
// merged maps the earlier one wins. Entries that came in through a merge are
// flagged, and keep the position where they are written (inside the anchor).
//
// Loading is bounded: input size, nesting depth and the number of nodes after
// alias expansion (so an alias bomb is refused before it costs memory or
// time). yaml-cpp's exceptions never escape: a failure is a Status whose
// message starts with "LINE:COLUMN: " (see ErrorMark()). Input must be UTF-8;
// NUL bytes and invalid UTF-8 are refused with their position.
//
// Used by the compose and Kubernetes parsers and by `bulwark fix`. Nodes are
// immutable once built and shared through shared_ptr<const YamlNode> because
// an aliased node has several parents; reading a tree from several threads is
// safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::parse {

// 1-based position; line 0 means unknown.
struct YamlMark {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
  friend bool operator==(const YamlMark&, const YamlMark&) = default;
};

enum class YamlKind { kNull, kScalar, kSequence, kMap };
const char* YamlKindName(YamlKind kind);

class YamlNode;
using YamlNodePtr = std::shared_ptr<const YamlNode>;

struct YamlEntry {
  YamlNodePtr key;
  YamlNodePtr value;
  bool merged = false;  // inherited through a `<<` merge key
};

class YamlNode {
 public:
  // Factories (the loader uses them; tests and other parsers may too).
  static YamlNodePtr MakeNull(YamlMark mark, std::string text = {});
  // `plain` is false for quoted and block scalars and for explicit `!!str`.
  static YamlNodePtr MakeScalar(YamlMark mark, std::string text, bool plain = true,
                                std::string tag = {});
  static YamlNodePtr MakeSequence(YamlMark mark, std::vector<YamlNodePtr> items, bool flow = false);
  static YamlNodePtr MakeMap(YamlMark mark, std::vector<YamlEntry> entries, bool flow = false);

  YamlKind kind() const { return kind_; }
  YamlMark mark() const { return mark_; }
  bool IsNull() const { return kind_ == YamlKind::kNull; }
  bool IsScalar() const { return kind_ == YamlKind::kScalar; }
  bool IsSequence() const { return kind_ == YamlKind::kSequence; }
  bool IsMap() const { return kind_ == YamlKind::kMap; }

  // Scalar text; for a null node the text as written ("~", "null") or "".
  const std::string& text() const { return text_; }
  // True for plain (unquoted) scalars; quoted "true" is a string, not a bool.
  bool plain() const { return plain_; }
  // Explicit tag as resolved by yaml-cpp ("tag:yaml.org,2002:str", "!ref"),
  // empty when the node has none.
  const std::string& tag() const { return tag_; }
  // Flow style ([..] / {..}) for collections.
  bool flow() const { return flow_; }
  // Anchor name when this node defines one (`&name`).
  const std::string& anchor() const { return anchor_; }

  const std::vector<YamlNodePtr>& items() const { return items_; }
  const std::vector<YamlEntry>& entries() const { return entries_; }
  // Number of nodes under this one, counting each alias use in full.
  size_t expanded_size() const { return expanded_size_; }

  // Map lookup by scalar key text. With duplicate keys the last one wins
  // (as encoding/json and most YAML loaders do); nullptr when absent or when
  // this node is not a map.
  const YamlEntry* FindEntry(std::string_view key) const;
  const YamlNode* Find(std::string_view key) const;
  // Follows a path of map keys: root.FindPath({"deploy", "resources"}).
  const YamlNode* FindPath(std::initializer_list<std::string_view> keys) const;

  // YAML 1.2 core schema booleans (true/True/TRUE, false/...) on plain
  // scalars. With `yaml11`, also yes/no/on/off/y/n.
  std::optional<bool> AsBool(bool yaml11 = false) const;
  // Plain or quoted decimal integer (with optional sign); nullopt otherwise.
  std::optional<int64_t> AsInt() const;

 private:
  friend class YamlTreeBuilder;
  YamlNode() = default;

  YamlKind kind_ = YamlKind::kNull;
  YamlMark mark_;
  std::string text_;
  bool plain_ = true;
  bool flow_ = false;
  std::string tag_;
  std::string anchor_;
  std::vector<YamlNodePtr> items_;
  std::vector<YamlEntry> entries_;
  size_t expanded_size_ = 1;
};

// A map key written twice in one mapping (merged keys do not count).
struct YamlDuplicateKey {
  std::string key;
  YamlMark first;
  YamlMark duplicate;
};

struct YamlDocument {
  YamlNodePtr root;  // never null: an empty document has a kNull root
  YamlMark start;
};

struct YamlStream {
  std::vector<YamlDocument> documents;  // empty for an empty input
  std::vector<YamlDuplicateKey> duplicate_keys;
};

struct YamlLimits {
  size_t max_bytes = size_t{32} << 20;  // input size
  size_t max_nodes = 2'000'000;         // nodes after alias expansion, whole stream
  int max_depth = 400;                  // nesting of collections (yaml-cpp itself stops near 500)
};

// Parses a YAML stream (one or more documents).
core::Result<YamlStream> LoadYaml(std::string_view text, const YamlLimits& limits = {});

// Parses strict JSON (RFC 8259) into the same tree, as one document: strings
// become non-plain scalars, numbers/true/false plain scalars, null a null
// node. JSON that YAML would accept but JSON does not (comments, trailing
// commas, single quotes, bare words) is refused with its position, as
// encoding/json-based programs such as dockerd refuse it. Implemented in
// yaml_tree_json.cpp.
core::Result<YamlStream> LoadJson(std::string_view text, const YamlLimits& limits = {});

// The position carried by a LoadYaml() / LoadJson() error ("LINE:COLUMN: message"),
// unknown when the status has none.
YamlMark ErrorMark(const core::Status& status);

// Checks that text is UTF-8 without NUL bytes. On failure the message starts
// with "LINE:COLUMN: ". Shared by the YAML and JSON loaders.
core::Status ValidateTextEncoding(std::string_view text);

// A short, printable rendering of a scalar for messages: at most `max` bytes,
// control characters escaped.
std::string Printable(std::string_view text, size_t max = 80);

}  // namespace bulwark::parse
