// YamlEditor's operations. Scalar replacements become edits at once;
// insertions and removals are kept per collection (and block values for
// null entries per entry) and turned into edits by TakeEdits(), which sees
// everything pending in a collection: it merges insertions of one key and
// never produces overlapping ranges (two neighbours removed from
// `[a, b, c]`, every item removed from a list while others are added).
#include "fix/yaml_edit.hpp"

#include <algorithm>
#include <set>

#include "fix/yaml_edit_collection.hpp"
#include "fix/yaml_edit_layout.hpp"
#include "fix/yaml_edit_render.hpp"

namespace bulwark::fix {

using yaml_internal::Unsupported;

YamlEditor::YamlEditor(std::string_view text, const std::vector<parse::YamlNodePtr>& roots)
    : text_(text),
      style_(DetectYamlStyle(text, roots)),
      layout_(std::make_unique<yaml_internal::Layout>(text, roots)) {}

YamlEditor::~YamlEditor() = default;

core::Result<YamlEditor::Collection*> YamlEditor::CollectionOf(const parse::YamlNode& node) {
  auto found = collections_.find(&node);
  if (found != collections_.end()) return found->second.get();
  const auto& layout = *layout_;
  if (layout.Info(node) == nullptr || !(node.IsMap() || node.IsSequence())) {
    return Unsupported("a node that is not a collection of this text", node.mark().line);
  }
  auto collection = std::make_unique<Collection>();
  collection->node = &node;
  collection->flow = node.flow();
  if (node.flow()) {
    ASSIGN_OR_RETURN(auto brackets, layout.FlowBrackets(node));
    collection->open = brackets.first;
    collection->close = brackets.second;
  }
  if (node.IsMap()) {
    for (const parse::YamlEntry* entry : layout.OwnEntries(node)) {
      ASSIGN_OR_RETURN(auto span, layout.Entry(node, *entry));
      collection->children.push_back({span.key_begin, span.end});
    }
  } else {
    ASSIGN_OR_RETURN(auto items, layout.Items(node));
    for (const auto& item : items)
      collection->children.push_back({item.dash, item.end, item.begin});
  }
  // Children in text order that do not overlap, inside the brackets of a
  // flow collection: anything else means a position was misread.
  for (size_t i = 0; i < collection->children.size(); ++i) {
    const auto& child = collection->children[i];
    const bool overlaps =
        i + 1 < collection->children.size() && child.end > collection->children[i + 1].begin;
    const bool outside =
        node.flow() && (child.begin <= collection->open || child.end > collection->close);
    if (child.end < child.begin || overlaps || outside) {
      return Unsupported("children it cannot tell apart", layout.LineOf(child.begin));
    }
  }
  // Block children must each own whole lines (after the first, which may
  // follow a dash: `- name: x`), indented deeper than what holds them.
  if (!node.flow()) {
    if (!collection->children.empty() &&
        !layout.IndentedUnderOwner(node, collection->children[0].begin)) {
      return Unsupported("a collection indented no deeper than its key",
                         layout.LineOf(collection->children[0].begin));
    }
    for (size_t i = 0; i < collection->children.size(); ++i) {
      const auto& child = collection->children[i];
      if (layout.HasTabIndent(layout.LineOf(child.begin))) {
        return Unsupported("lines indented with tabs", layout.LineOf(child.begin));
      }
      if (!layout.OnlyCommentAfter(child.end) || (i > 0 && !layout.OnlySpacesBefore(child.begin))) {
        return Unsupported("a block collection sharing lines", layout.LineOf(child.begin));
      }
    }
  }
  Collection* out = collection.get();
  collections_.emplace(&node, std::move(collection));
  return out;
}

TextEdit YamlEditor::LinesAfter(int line, const std::vector<std::string>& lines,
                                std::string_view check_id) const {
  TextEdit edit;
  edit.check_id = std::string(check_id);
  edit.begin = edit.end = layout_->NextLine(line);
  const bool at_unterminated_end = edit.begin == text_.size() && !EndsWithNewline(text_);
  for (const std::string& one : lines) {
    if (at_unterminated_end) {
      edit.text += style_.eol + one;
    } else {
      edit.text += one + style_.eol;
    }
  }
  return edit;
}

core::Status YamlEditor::Replace(size_t begin, size_t end, std::string text,
                                 std::string_view check_id) {
  if (text_.substr(begin, end - begin) == text) return core::Status::Ok();  // already so
  edits_.emplace_back(TextEdit{begin, end, std::move(text), std::string(check_id)}, 0);
  return core::Status::Ok();
}

void YamlEditor::Record(TextEdit edit, const parse::YamlNode& node) {
  edits_.emplace_back(std::move(edit), layout_->Depth(node));
}

core::Status YamlEditor::InsertEntry(const parse::YamlNode& map, std::string_view key,
                                     const YamlValue& value, std::string_view check_id) {
  if (!map.IsMap())
    return Unsupported("an entry into a value that is not a mapping", map.mark().line);
  ASSIGN_OR_RETURN(Collection * collection, CollectionOf(map));
  if (!map.flow() && collection->children.empty()) {
    return Unsupported("a mapping with only merged keys", map.mark().line);
  }
  for (auto& pending : collection->inserts) {
    if (pending.key != key) continue;
    if (pending.value.kind() != YamlValue::Kind::kMap || value.kind() != YamlValue::Kind::kMap) {
      return Unsupported("the same key twice", map.mark().line);
    }
    pending.value.Merge(value);
    return core::Status::Ok();
  }
  collection->inserts.push_back({std::string(key), value, std::string(check_id)});
  return core::Status::Ok();
}

core::Status YamlEditor::AppendItem(const parse::YamlNode& sequence, const YamlValue& item,
                                    std::string_view check_id) {
  if (!sequence.IsSequence()) {
    return Unsupported("an item into a value that is not a sequence", sequence.mark().line);
  }
  ASSIGN_OR_RETURN(Collection * collection, CollectionOf(sequence));
  if (!sequence.flow() && collection->children.empty()) {
    return Unsupported("an empty block sequence", sequence.mark().line);
  }
  collection->inserts.push_back({"", item, std::string(check_id)});
  return core::Status::Ok();
}

core::Status YamlEditor::SetPath(const parse::YamlNode& map, const std::vector<std::string>& path,
                                 const YamlValue& value, std::string_view check_id) {
  // The value under path[from..]: nested single-key maps.
  auto nest = [&](size_t from) {
    YamlValue out = value;
    for (size_t i = path.size(); i-- > from;) out = YamlValue::Map({{path[i], std::move(out)}});
    return out;
  };
  const parse::YamlNode* node = &map;
  for (size_t i = 0; i < path.size(); ++i) {
    const bool last = i + 1 == path.size();
    const parse::YamlEntry* entry = node->FindEntry(path[i]);
    if (!node->IsMap()) return Unsupported("a path through a value that is not a mapping", 0);
    if (entry == nullptr || (entry->merged && last)) {
      return InsertEntry(*node, path[i], nest(i + 1), check_id);
    }
    if (!IsWrittenAt(*node, *entry)) {
      return Unsupported("a path through a merged or aliased value", entry->key->mark().line);
    }
    if (last) return SetEntryValue(*node, *entry, value, check_id);
    if (entry->value->IsNull()) {
      return SetEntryValue(*node, *entry, nest(i + 1), check_id);
    }
    node = entry->value.get();
  }
  return Unsupported("an empty path", map.mark().line);
}

core::Status YamlEditor::RemoveChild(const parse::YamlNode& node, size_t index,
                                     std::string_view check_id) {
  ASSIGN_OR_RETURN(Collection * collection, CollectionOf(node));
  if (index >= collection->children.size()) {
    return Unsupported("a child that is not there", node.mark().line);
  }
  collection->removed.emplace(index, std::string(check_id));
  return core::Status::Ok();
}

core::Status YamlEditor::RemoveEntry(const parse::YamlNode& map, const parse::YamlEntry& entry,
                                     std::string_view check_id) {
  const auto entries = layout_->OwnEntries(map);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i]->key != entry.key) continue;
    if (IsWrittenAt(map, entry) && layout_->DefinesAnchor(*entry.value)) {
      return Unsupported("an entry that defines an anchor", entry.key->mark().line);
    }
    return RemoveChild(map, i, check_id);
  }
  return Unsupported("a merged entry (edit it where it is written)", entry.key->mark().line);
}

core::Status YamlEditor::RemoveItem(const parse::YamlNode& sequence, size_t index,
                                    std::string_view check_id) {
  if (!sequence.IsSequence()) return Unsupported("an item of a non-sequence", sequence.mark().line);
  if (index < sequence.items().size()) {
    const auto* info = layout_->Info(*sequence.items()[index]);
    const bool written_here = info != nullptr && info->parent == &sequence && info->index == index;
    if (written_here && layout_->DefinesAnchor(*sequence.items()[index])) {
      return Unsupported("an item that defines an anchor", sequence.mark().line);
    }
  }
  return RemoveChild(sequence, index, check_id);
}

core::Result<YamlEditor::ScalarContent> YamlEditor::LocateScalar(
    const parse::YamlNode& node) const {
  ASSIGN_OR_RETURN(auto span, layout_->Scalar(node));
  if (span.style == '|' || span.style == '>' || span.multi_line) {
    return Unsupported("a multi-line scalar", layout_->LineOf(span.content_begin));
  }
  ScalarContent content{span.content_begin, span.end, 0};
  if (span.style == '"' || span.style == '\'') {
    content = {span.content_begin + 1, span.end - 1, span.style};
  }
  return content;
}

core::Status YamlEditor::SetScalar(const parse::YamlNode& node, const YamlValue& value,
                                   std::string_view check_id) {
  ASSIGN_OR_RETURN(ScalarContent where, LocateScalar(node));
  const size_t begin = where.quote != 0 ? where.begin - 1 : where.begin;
  const size_t end = where.quote != 0 ? where.end + 1 : where.end;
  std::string text;
  if (!value.IsScalar() || value.literal()) {
    text = yaml_internal::RenderFlow(value, style_.quote);
  } else if (where.quote != 0) {
    text = yaml_internal::ForceQuoted(value.text(), where.quote);
  } else {
    text = QuoteScalar(value.text(), style_.quote);
  }
  return Replace(begin, end, std::move(text), check_id);
}

core::Status YamlEditor::ReplaceInScalar(const parse::YamlNode& node, size_t begin, size_t end,
                                         std::string replacement, std::string_view check_id) {
  ASSIGN_OR_RETURN(ScalarContent where, LocateScalar(node));
  if (begin < where.begin || end > where.end || begin > end) {
    return Unsupported("a range outside the scalar", node.mark().line);
  }
  return Replace(begin, end, std::move(replacement), check_id);
}

core::Status YamlEditor::SetEntryValue(const parse::YamlNode& map, const parse::YamlEntry& entry,
                                       const YamlValue& value, std::string_view check_id) {
  ASSIGN_OR_RETURN(auto span, layout_->Entry(map, entry));
  if (span.alias_value) return Unsupported("an aliased value", entry.key->mark().line);
  const parse::YamlNode& old = *entry.value;
  if (!old.IsNull()) {
    if (!old.IsScalar()) return Unsupported("a collection value", entry.key->mark().line);
    return SetScalar(old, value, check_id);
  }
  const bool inline_value =
      value.IsScalar() || layout_->InFlow(map) || yaml_internal::IsEmptyCollection(value);
  if (inline_value) {
    const std::string rendered = yaml_internal::RenderFlow(value, style_.quote);
    if (span.empty_value) {
      Record(TextEdit{span.colon_end, span.colon_end, " " + rendered, std::string(check_id)},
             *entry.value);
      return core::Status::Ok();
    }
    return Replace(span.value_begin, span.end, rendered, check_id);  // `~` / `null`
  }
  const int line = layout_->LineOf(span.key_begin);
  if (layout_->HasTabIndent(line)) return Unsupported("lines indented with tabs", line);
  for (auto& fill : fills_) {
    if (fill->entry->key != entry.key) continue;
    if (fill->value.kind() != YamlValue::Kind::kMap || value.kind() != YamlValue::Kind::kMap) {
      return Unsupported("the same value twice", line);
    }
    fill->value.Merge(value);
    return core::Status::Ok();
  }
  fills_.push_back(std::make_unique<Fill>(Fill{&map, &entry, value, std::string(check_id)}));
  return core::Status::Ok();
}

core::Status YamlEditor::Editable(const parse::YamlNode& collection) {
  auto found = CollectionOf(collection);
  if (!found.ok()) return found.status();
  if (!collection.flow() && (*found)->children.empty()) {
    return Unsupported("a collection with only merged entries", collection.mark().line);
  }
  return core::Status::Ok();
}

core::Result<int> YamlEditor::LastLine(const parse::YamlNode& node) const {
  ASSIGN_OR_RETURN(size_t end, layout_->End(node));
  return layout_->LineOf(end == 0 ? 0 : end - 1);
}

bool YamlEditor::IsWrittenAt(const parse::YamlNode& map, const parse::YamlEntry& entry) const {
  const auto* info = layout_->Info(*entry.value);
  return !entry.merged && info != nullptr && info->parent == &map && info->key == entry.key.get() &&
         !info->is_key;
}

core::Result<std::vector<TextEdit>> YamlEditor::TakeEdits() {
  std::vector<std::pair<TextEdit, int>> all = std::move(edits_);
  edits_.clear();
  for (const auto& [node, collection] : collections_) {
    ASSIGN_OR_RETURN(auto more, CollectionEdits(*collection));
    for (auto& edit : more) all.emplace_back(std::move(edit), layout_->Depth(*node));
  }
  for (const auto& fill : fills_) {
    ASSIGN_OR_RETURN(TextEdit edit, FillEdit(*fill));
    all.emplace_back(std::move(edit), layout_->Depth(*fill->map) + 1);
  }
  collections_.clear();
  fills_.clear();
  // At one offset: insertions before a replacement that starts there, and
  // among insertions the deeper node's first (an item appended to a list
  // goes before a key added to the mapping that holds the list).
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.first.begin != b.first.begin) return a.first.begin < b.first.begin;
    const bool a_replaces = a.first.end > a.first.begin;
    const bool b_replaces = b.first.end > b.first.begin;
    if (a_replaces != b_replaces) return !a_replaces;
    return a.second > b.second;
  });
  std::vector<TextEdit> out;
  out.reserve(all.size());
  for (auto& [edit, depth] : all) out.push_back(std::move(edit));
  return out;
}

}  // namespace bulwark::fix
