// Line arithmetic and the walk that records where each node is defined.
// Node extents (scalars, entries, items) are in yaml_edit_extent.cpp.
#include "fix/yaml_edit_layout.hpp"

#include <algorithm>

namespace bulwark::fix::yaml_internal {

core::Status Unsupported(std::string_view what, int line) {
  return core::Error(core::ErrorCode::kInvalidArgument,
                     "line " + std::to_string(line) + ": cannot edit " + std::string(what));
}

Layout::Layout(std::string_view text, const std::vector<parse::YamlNodePtr>& roots) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") bom_ = 3;
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n' && i + 1 < text_.size()) line_starts_.push_back(i + 1);
  }
  for (const auto& root : roots) {
    if (root != nullptr) Walk(root, NodeInfo{}, 0);
  }
}

// First visit in document order is the definition: anchors come before
// their aliases, so a node seen again is an alias use and is not descended.
void Layout::Walk(const parse::YamlNodePtr& node, NodeInfo info, int depth) {
  if (depth > 1000 || !infos_.emplace(node.get(), info).second) return;
  const bool flow = info.in_flow || node->flow();
  if (node->IsMap()) {
    for (const auto& entry : node->entries()) {
      if (entry.merged) continue;
      Walk(entry.key, NodeInfo{node.get(), entry.key.get(), 0, true, flow}, depth + 1);
      Walk(entry.value, NodeInfo{node.get(), entry.key.get(), 0, false, flow}, depth + 1);
    }
  } else if (node->IsSequence()) {
    for (size_t i = 0; i < node->items().size(); ++i) {
      Walk(node->items()[i], NodeInfo{node.get(), nullptr, i, false, flow}, depth + 1);
    }
  }
}

const NodeInfo* Layout::Info(const parse::YamlNode& node) const {
  auto found = infos_.find(&node);
  return found == infos_.end() ? nullptr : &found->second;
}

bool Layout::InFlow(const parse::YamlNode& node) const {
  const NodeInfo* info = Info(node);
  return (info != nullptr && info->in_flow) || node.flow();
}

bool Layout::DefinesAnchor(const parse::YamlNode& node, int depth) const {
  if (!node.anchor().empty()) return true;
  if (depth > 1000) return true;  // cannot tell: refuse
  auto written_here = [&](const parse::YamlNode& child) {
    const NodeInfo* info = Info(child);
    return info != nullptr && info->parent == &node;
  };
  for (const auto& item : node.items()) {
    if (written_here(*item) && DefinesAnchor(*item, depth + 1)) return true;
  }
  for (const auto& entry : node.entries()) {
    if (entry.merged) continue;
    if (written_here(*entry.key) && DefinesAnchor(*entry.key, depth + 1)) return true;
    if (written_here(*entry.value) && DefinesAnchor(*entry.value, depth + 1)) return true;
  }
  return false;
}

bool Layout::IndentedUnderOwner(const parse::YamlNode& node, size_t first) const {
  const NodeInfo* info = Info(node);
  if (info == nullptr || info->parent == nullptr || info->parent->flow()) return true;
  const int column = ColumnOf(first);
  if (info->parent->IsMap()) {
    const int key_column = ColumnOf(Begin(*info->key));
    return node.IsSequence() ? column >= key_column : column > key_column;
  }
  // An item of a block sequence: after its dash.
  size_t dash = Begin(node);
  while (dash > 0 && text_[dash] != '-') --dash;
  return column > ColumnOf(dash);
}

int Layout::Depth(const parse::YamlNode& node) const {
  int depth = 0;
  for (const NodeInfo* info = Info(node); info != nullptr && info->parent != nullptr;
       info = Info(*info->parent)) {
    ++depth;
  }
  return depth;
}

std::vector<const parse::YamlEntry*> Layout::OwnEntries(const parse::YamlNode& map) const {
  std::vector<const parse::YamlEntry*> out;
  for (const auto& entry : map.entries()) {
    if (!entry.merged) out.push_back(&entry);
  }
  return out;
}

size_t Layout::Offset(parse::YamlMark mark) const {
  if (!mark.known()) return 0;
  size_t start = LineStart(mark.line);
  if (mark.line == 1) start += bom_;
  return std::min(start + static_cast<size_t>(std::max(mark.column, 1) - 1), text_.size());
}

int Layout::LineOf(size_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<int>(it - line_starts_.begin());
}

size_t Layout::LineStart(int line) const {
  if (line < 1) return 0;
  if (line > line_count()) return text_.size();
  return line_starts_[static_cast<size_t>(line - 1)];
}

size_t Layout::LineEnd(int line) const {
  size_t end = NextLine(line);
  if (end > LineStart(line) && text_[end - 1] == '\n') --end;
  if (end > LineStart(line) && text_[end - 1] == '\r') --end;
  return end;
}

size_t Layout::NextLine(int line) const {
  return line >= line_count() ? text_.size() : LineStart(line + 1);
}

bool Layout::HasTabIndent(int line) const {
  for (size_t i = LineStart(line); i < LineEnd(line); ++i) {
    if (text_[i] == '\t') return true;
    if (text_[i] != ' ') return false;
  }
  return false;
}

bool Layout::OnlySpacesBefore(size_t offset) const {
  for (size_t i = LineStart(LineOf(offset)); i < offset; ++i) {
    if (text_[i] != ' ' && text_[i] != '\t') return false;
  }
  return true;
}

bool Layout::OnlyCommentAfter(size_t offset) const {
  const size_t end = LineEnd(LineOf(offset));
  const size_t i = SkipSpaces(offset);
  if (i >= end) return true;
  // A comment needs white space (or the line start) before its '#'.
  const bool spaced = i == LineStart(LineOf(i)) || text_[i - 1] == ' ' || text_[i - 1] == '\t';
  return text_[i] == '#' && spaced;
}

bool Layout::IsBlankOrComment(int line) const {
  const size_t start = LineStart(line);
  const size_t i = SkipSpaces(start);
  return i >= LineEnd(line) || text_[i] == '#';
}

size_t Layout::SkipSpaces(size_t offset) const {
  while (offset < text_.size() && (text_[offset] == ' ' || text_[offset] == '\t')) ++offset;
  return offset;
}

size_t Layout::SkipBlank(size_t offset) const {
  while (offset < text_.size()) {
    const char c = text_[offset];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++offset;
    } else if (c == '#') {
      offset = LineEnd(LineOf(offset));
    } else {
      break;
    }
  }
  return offset;
}

}  // namespace bulwark::fix::yaml_internal
