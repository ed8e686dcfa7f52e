#include "parse/yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <map>
#include <new>
#include <set>
#include <sstream>
#include <unordered_map>

namespace bulwark::parse {

const char* YamlKindName(YamlKind kind) {
  switch (kind) {
    case YamlKind::kNull:
      return "null";
    case YamlKind::kScalar:
      return "scalar";
    case YamlKind::kSequence:
      return "sequence";
    case YamlKind::kMap:
      return "map";
  }
  return "null";
}

namespace {

constexpr std::string_view kMergeTag = "tag:yaml.org,2002:merge";

std::string WithMark(YamlMark mark, std::string_view message) {
  return std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " +
         std::string(message);
}

// The text a key compares by: scalar and null keys only.
std::optional<std::string_view> KeyText(const YamlNode& key) {
  if (key.IsScalar() || key.IsNull()) return std::string_view(key.text());
  return std::nullopt;
}

bool IsMergeKey(const YamlNode& key) {
  if (!key.IsScalar()) return false;
  if (key.tag() == kMergeTag) return true;
  return key.plain() && key.tag().empty() && key.text() == "<<";
}

}  // namespace

// ---- YamlNode ----

YamlNodePtr YamlNode::MakeNull(YamlMark mark, std::string text) {
  auto node = std::shared_ptr<YamlNode>(new YamlNode());
  node->mark_ = mark;
  node->text_ = std::move(text);
  return node;
}

YamlNodePtr YamlNode::MakeScalar(YamlMark mark, std::string text, bool plain, std::string tag) {
  auto node = std::shared_ptr<YamlNode>(new YamlNode());
  node->kind_ = YamlKind::kScalar;
  node->mark_ = mark;
  node->text_ = std::move(text);
  node->plain_ = plain;
  node->tag_ = std::move(tag);
  return node;
}

YamlNodePtr YamlNode::MakeSequence(YamlMark mark, std::vector<YamlNodePtr> items, bool flow) {
  auto node = std::shared_ptr<YamlNode>(new YamlNode());
  node->kind_ = YamlKind::kSequence;
  node->mark_ = mark;
  node->flow_ = flow;
  for (const auto& item : items) node->expanded_size_ += item->expanded_size();
  node->items_ = std::move(items);
  return node;
}

YamlNodePtr YamlNode::MakeMap(YamlMark mark, std::vector<YamlEntry> entries, bool flow) {
  auto node = std::shared_ptr<YamlNode>(new YamlNode());
  node->kind_ = YamlKind::kMap;
  node->mark_ = mark;
  node->flow_ = flow;
  for (const auto& entry : entries) {
    node->expanded_size_ += entry.key->expanded_size() + entry.value->expanded_size();
  }
  node->entries_ = std::move(entries);
  return node;
}

const YamlEntry* YamlNode::FindEntry(std::string_view key) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (KeyText(*it->key) == key) return &*it;
  }
  return nullptr;
}

const YamlNode* YamlNode::Find(std::string_view key) const {
  const YamlEntry* entry = FindEntry(key);
  return entry == nullptr ? nullptr : entry->value.get();
}

const YamlNode* YamlNode::FindPath(std::initializer_list<std::string_view> keys) const {
  const YamlNode* node = this;
  for (std::string_view key : keys) {
    node = node->Find(key);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::optional<bool> YamlNode::AsBool(bool yaml11) const {
  if (!IsScalar() || !plain_) return std::nullopt;
  static const std::set<std::string_view> kTrue = {"true", "True", "TRUE"};
  static const std::set<std::string_view> kFalse = {"false", "False", "FALSE"};
  static const std::set<std::string_view> kTrue11 = {"yes", "Yes", "YES", "on",
                                                     "On",  "ON",  "y",   "Y"};
  static const std::set<std::string_view> kFalse11 = {"no",  "No",  "NO", "off",
                                                      "Off", "OFF", "n",  "N"};
  if (kTrue.count(text_) != 0) return true;
  if (kFalse.count(text_) != 0) return false;
  if (yaml11 && kTrue11.count(text_) != 0) return true;
  if (yaml11 && kFalse11.count(text_) != 0) return false;
  return std::nullopt;
}

std::optional<int64_t> YamlNode::AsInt() const {
  if (!IsScalar() || text_.empty()) return std::nullopt;
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  if (*begin == '+') ++begin;
  int64_t value = 0;
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// ---- Building from yaml-cpp events ----

// Receives one document's events and builds the tree with an explicit stack
// (no recursion on our side). After the first error it ignores the rest of
// the document, so an alias bomb costs no more than the limit.
class YamlTreeBuilder final : public YAML::EventHandler {
 public:
  YamlTreeBuilder(std::string_view text, const YamlLimits& limits, size_t& nodes_used,
                  std::vector<YamlDuplicateKey>& duplicates)
      : text_(text), limits_(limits), nodes_used_(nodes_used), duplicates_(duplicates) {}

  const core::Status& status() const { return status_; }
  YamlDocument TakeDocument() {
    if (root_ == nullptr) root_ = YamlNode::MakeNull(start_);
    return YamlDocument{std::move(root_), start_};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    start_ = ToMark(mark);
    start_offset_ = mark.pos;
  }
  int start_offset() const { return start_offset_; }
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark& /*mark*/, const std::string& name) override {
    pending_anchor_ = name;
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!Count(1, mark)) return;
    std::string written = ExplicitNullText(mark);
    YamlMark where = ToMark(mark);
    // yaml-cpp places an empty value (`key:`) at the next token; the key's
    // position is the useful one.
    if (written.empty() && InValuePosition()) where = stack_.back().children.back()->mark();
    Complete(YamlNode::MakeNull(where, std::move(written)), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!status_.ok()) return;
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      Fail(mark, "alias refers to a node that contains it (recursive alias)",
           core::ErrorCode::kParseError);
      return;
    }
    if (!Count(found->second->expanded_size(), mark)) return;
    AddChild(found->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!Count(1, mark)) return;
    const bool plain = tag == "?";
    std::string explicit_tag = (tag == "?" || tag == "!") ? std::string() : tag;
    Complete(YamlNode::MakeScalar(ToMark(mark), value, plain, std::move(explicit_tag)), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    Open(YamlKind::kSequence, mark, tag, anchor, style);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    Open(YamlKind::kMap, mark, tag, anchor, style);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YamlKind kind;
    YamlMark mark;
    std::string tag;
    std::string anchor_name;
    YAML::anchor_t anchor;
    bool flow;
    std::vector<YamlNodePtr> children;  // maps: key, value, key, value, ...
  };

  static YamlMark ToMark(const YAML::Mark& mark) {
    if (mark.is_null()) return {};
    return {mark.line + 1, mark.column + 1};
  }

  void Fail(const YAML::Mark& mark, std::string_view message,
            core::ErrorCode code = core::ErrorCode::kTooLarge) {
    if (status_.ok()) status_ = core::Error(code, WithMark(ToMark(mark), message));
  }

  bool Count(size_t nodes, const YAML::Mark& mark) {
    if (!status_.ok()) return false;
    nodes_used_ += nodes;
    if (nodes_used_ > limits_.max_nodes) {
      Fail(mark, "document expands to more than " + std::to_string(limits_.max_nodes) +
                     " nodes (alias bomb?); refused");
      return false;
    }
    return true;
  }

  bool InValuePosition() const {
    return !stack_.empty() && stack_.back().kind == YamlKind::kMap &&
           stack_.back().children.size() % 2 == 1;
  }

  std::string ExplicitNullText(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return {};
    std::string_view rest = text_.substr(static_cast<size_t>(mark.pos));
    for (std::string_view word : {"~", "null", "Null", "NULL"}) {
      if (rest.substr(0, word.size()) == word) return std::string(word);
    }
    return {};
  }

  void Open(YamlKind kind, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YAML::EmitterStyle::value style) {
    if (!Count(1, mark)) return;
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      Fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels; refused");
      return;
    }
    std::string explicit_tag = (tag == "?" || tag == "!") ? std::string() : tag;
    stack_.push_back(Frame{kind,
                           ToMark(mark),
                           std::move(explicit_tag),
                           std::move(pending_anchor_),
                           anchor,
                           style == YAML::EmitterStyle::Flow,
                           {}});
    pending_anchor_.clear();
  }

  void Close() {
    if (!status_.ok() || stack_.empty()) return;
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    YamlNodePtr node =
        frame.kind == YamlKind::kSequence
            ? YamlNode::MakeSequence(frame.mark, std::move(frame.children), frame.flow)
            : BuildMap(frame);
    if (node == nullptr) return;
    // The node was made a moment ago and has no other owner yet.
    auto mutable_node = std::const_pointer_cast<YamlNode>(node);
    mutable_node->tag_ = std::move(frame.tag);
    mutable_node->anchor_ = std::move(frame.anchor_name);
    if (frame.anchor != YAML::NullAnchor) anchors_[frame.anchor] = node;
    AddChild(std::move(node));
  }

  // A finished scalar or null node: name its anchor and hand it to the parent.
  void Complete(YamlNodePtr node, YAML::anchor_t anchor) {
    if (!pending_anchor_.empty()) {
      // Just made, not shared yet.
      std::const_pointer_cast<YamlNode>(node)->anchor_ = std::move(pending_anchor_);
      pending_anchor_.clear();
    }
    if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
    AddChild(std::move(node));
  }

  void AddChild(YamlNodePtr node) {
    if (stack_.empty()) {
      root_ = std::move(node);
    } else {
      stack_.back().children.push_back(std::move(node));
    }
  }

  YamlNodePtr BuildMap(Frame& frame);
  bool CollectMergeSources(const YamlEntry& entry, std::vector<const YamlNode*>& sources);

  std::string_view text_;
  const YamlLimits& limits_;
  size_t& nodes_used_;
  std::vector<YamlDuplicateKey>& duplicates_;
  core::Status status_;
  YamlMark start_;
  int start_offset_ = -1;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, YamlNodePtr> anchors_;
  std::string pending_anchor_;
  YamlNodePtr root_;
};

bool YamlTreeBuilder::CollectMergeSources(const YamlEntry& entry,
                                          std::vector<const YamlNode*>& sources) {
  const YamlNode& value = *entry.value;
  if (value.IsMap()) {
    sources.push_back(&value);
    return true;
  }
  if (value.IsSequence()) {
    for (const auto& item : value.items()) {
      if (!item->IsMap()) break;
      sources.push_back(item.get());
    }
    if (sources.size() == value.items().size()) return true;
  }
  const YamlMark mark = entry.key->mark();
  if (status_.ok()) {
    status_ = core::Error(core::ErrorCode::kParseError,
                          WithMark(mark, "merge key '<<' needs a map or a list of maps"));
  }
  return false;
}

YamlNodePtr YamlTreeBuilder::BuildMap(Frame& frame) {
  std::vector<YamlEntry> pairs;
  for (size_t i = 0; i + 1 < frame.children.size(); i += 2) {
    pairs.push_back(YamlEntry{frame.children[i], frame.children[i + 1], false});
  }
  // Explicit keys first: they win over anything merged, wherever `<<` stands.
  std::map<std::string, YamlMark, std::less<>> explicit_keys;
  for (const auto& pair : pairs) {
    if (IsMergeKey(*pair.key)) continue;
    auto text = KeyText(*pair.key);
    if (!text) continue;
    auto [it, inserted] = explicit_keys.emplace(std::string(*text), pair.key->mark());
    if (!inserted) duplicates_.push_back({std::string(*text), it->second, pair.key->mark()});
  }
  std::vector<YamlEntry> entries;
  std::set<std::string, std::less<>> merged_keys;
  for (auto& pair : pairs) {
    if (!IsMergeKey(*pair.key)) {
      entries.push_back(std::move(pair));
      continue;
    }
    std::vector<const YamlNode*> sources;
    if (!CollectMergeSources(pair, sources)) return nullptr;
    for (const YamlNode* source : sources) {
      for (const auto& inherited : source->entries()) {
        auto text = KeyText(*inherited.key);
        if (text && (explicit_keys.count(*text) != 0 || !merged_keys.emplace(*text).second))
          continue;
        entries.push_back(YamlEntry{inherited.key, inherited.value, true});
      }
    }
  }
  return YamlNode::MakeMap(frame.mark, std::move(entries), frame.flow);
}

core::Result<YamlStream> LoadYaml(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       "input is " + std::to_string(text.size()) + " bytes, over the " +
                           std::to_string(limits.max_bytes) + "-byte limit");
  }
  RETURN_IF_ERROR(ValidateTextEncoding(text));
  YamlStream stream;
  size_t nodes_used = 0;
  try {
    std::istringstream input{std::string(text)};
    YAML::Parser parser(input);
    int previous_offset = -1;
    while (true) {
      YamlTreeBuilder builder(text, limits, nodes_used, stream.duplicate_keys);
      if (!parser.HandleNextDocument(builder)) break;
      if (!builder.status().ok()) return builder.status();
      // yaml-cpp 0.7 can loop on some malformed input, emitting empty
      // documents without consuming anything (found by fuzzing).
      if (builder.start_offset() == previous_offset) {
        YamlDocument stuck = builder.TakeDocument();
        return core::Error(
            core::ErrorCode::kParseError,
            WithMark(stuck.start, "unexpected content; the YAML parser cannot continue here"));
      }
      previous_offset = builder.start_offset();
      stream.documents.push_back(builder.TakeDocument());
    }
  } catch (const YAML::DeepRecursion& e) {
    return core::Error(core::ErrorCode::kTooLarge,
                       WithMark({e.mark.line + 1, e.mark.column + 1}, "nesting too deep; refused"));
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return core::Error(core::ErrorCode::kParseError, e.msg);
    return core::Error(core::ErrorCode::kParseError,
                       WithMark({e.mark.line + 1, e.mark.column + 1}, e.msg));
  } catch (const std::bad_alloc&) {
    return core::Error(core::ErrorCode::kTooLarge, "out of memory while parsing YAML");
  } catch (const std::exception& e) {
    return core::Error(core::ErrorCode::kParseError,
                       std::string("YAML parser failed: ") + e.what());
  }
  return stream;
}

}  // namespace bulwark::parse
