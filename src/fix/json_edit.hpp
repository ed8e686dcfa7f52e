// JsonEditor: minimal, byte-preserving edits of a JSON text, on top of the
// positions LoadJson records. It replaces a value, adds an object member,
// removes a member or an array item; everything it does not touch stays
// byte for byte. New members follow the object's own layout (all on one
// line, or one per line with the indentation of its members), the
// document's spacing around ':' and ',', and its line ending. An empty
// object that gets members, and an empty text (a file that does not exist
// yet), become a pretty object indented by two spaces.
//
// Requests are collected first and turned into edits in one step, so that
// several additions to one object become one insertion, removals next to
// each other never overlap, and an object that loses all its members becomes
// `{}`. Text that does not parse is refused. The editor keeps a view of the
// text: the text must outlive it. Not thread-safe while collecting.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "fix/edit.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::fix {

// A value to write: a JSON literal or an object of further values.
class JsonValue {
 public:
  // Already JSON: a number, true, false or null.
  static JsonValue Literal(std::string json);
  static JsonValue Bool(bool value) { return Literal(value ? "true" : "false"); }
  static JsonValue Number(long long value) { return Literal(std::to_string(value)); }
  // A string, quoted and escaped.
  static JsonValue String(std::string_view text);
  static JsonValue Object(std::vector<std::pair<std::string, JsonValue>> members);

  bool is_object() const { return is_object_; }
  const std::string& literal() const { return literal_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

 private:
  bool is_object_ = false;
  std::string literal_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

// One past the last byte of the JSON value that starts at byte `begin` of a
// text LoadJson accepted: strings with their escapes, objects and arrays
// with everything nested in them, literals. An error when no value starts
// there or it does not end.
core::Result<size_t> JsonValueEnd(std::string_view text, size_t begin);

// Byte offset of a LoadJson position (1-based line and byte column; on the
// first line a UTF-8 byte order mark is not counted by LoadJson).
core::Result<size_t> JsonOffset(std::string_view text, parse::YamlMark mark);

class JsonEditor {
 public:
  // Parses `text` as strict JSON. Blank text is an empty object that is
  // written from scratch when it gets members.
  static core::Result<JsonEditor> Parse(std::string_view text);

  const parse::YamlNode& root() const { return *root_; }
  bool blank() const { return blank_; }

  // Replaces `node`, a value of root()'s tree.
  void Replace(const parse::YamlNode& node, JsonValue value, std::string check_id);
  // object[key] = value: replaces the member's value (the last one when the
  // key is written twice, as that is the one readers use) or adds the member
  // at the end of the object. Setting a key twice keeps the last value.
  void Set(const parse::YamlNode& object, std::string_view key, JsonValue value,
           std::string check_id);
  // Removes every member named `key`, with its comma.
  void Remove(const parse::YamlNode& object, std::string_view key, std::string check_id);
  // Removes item `index` of an array, with its comma.
  void RemoveItem(const parse::YamlNode& array, size_t index, std::string check_id);

  // The requests as edits of the original text, sorted, never overlapping.
  // An error when two requests change the same bytes (e.g. a value that is
  // both replaced and edited inside). Several check IDs behind one edit are
  // joined with ','.
  core::Result<std::vector<TextEdit>> Edits() const;

 private:
  struct Addition {
    std::string key;
    JsonValue value;
    std::string check_id;
  };
  struct ContainerRequests {
    std::vector<Addition> additions;
    std::map<size_t, std::string> removed;  // element index -> check ID
  };
  struct Replacement {
    const parse::YamlNode* node;
    JsonValue value;
    std::string check_id;
  };
  class Planner;

  JsonEditor(std::string_view text, parse::YamlNodePtr root, bool blank)
      : text_(text), root_(std::move(root)), blank_(blank) {}

  std::string_view text_;
  parse::YamlNodePtr root_;
  bool blank_ = false;
  std::vector<Replacement> replacements_;
  std::map<const parse::YamlNode*, ContainerRequests> containers_;
};

}  // namespace bulwark::fix
