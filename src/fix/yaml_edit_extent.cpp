// Where nodes end: the tree knows where each node starts, so scalars are
// scanned to their closing quote / end of plain text, flow collections to
// their matching bracket, and block collections end where their last child
// ends. Every position is checked against the tree (a plain scalar's text
// must be what is written there); when something does not match, the
// answer is an error, never a guess.
#include <algorithm>

#include "fix/yaml_edit_layout.hpp"

namespace bulwark::fix::yaml_internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsFlowIndicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// The closing quote of the quoted scalar opened at `open` (a '"' or '\''),
// or a position at or past the end when it is not closed: backslash escapes
// in double quotes, '' in single quotes.
size_t ClosingQuote(std::string_view text, size_t open) {
  const char quote = text[open];
  size_t j = open + 1;
  while (j < text.size()) {
    if (quote == '"' && text[j] == '\\') {
      j += 2;
      continue;
    }
    if (text[j] == quote) {
      if (quote == '\'' && j + 1 < text.size() && text[j + 1] == '\'') {
        j += 2;
        continue;
      }
      break;
    }
    ++j;
  }
  return j;
}

}  // namespace

size_t Layout::SkipProperties(size_t offset) const {
  size_t p = offset;
  while (p < text_.size() && (text_[p] == '&' || text_[p] == '!')) {
    if (text_[p] == '!' && p + 1 < text_.size() && text_[p + 1] == '<') {
      const size_t close = text_.find('>', p);
      p = close == std::string_view::npos ? text_.size() : close + 1;
    } else {
      while (p < text_.size() && !IsSpace(text_[p]) && !IsFlowIndicator(text_[p])) ++p;
    }
    p = SkipSpaces(p);
    // The node itself may start on a later line (`key: &anchor` + block).
    if (p < text_.size() && (text_[p] == '\r' || text_[p] == '\n' || text_[p] == '#')) {
      p = SkipBlank(p);
    }
  }
  return p;
}

size_t Layout::AliasEnd(size_t offset, bool in_flow) const {
  size_t i = offset + 1;
  while (i < text_.size() && !IsSpace(text_[i]) && !(in_flow && IsFlowIndicator(text_[i]))) ++i;
  return i;
}

// A flow collection's matching bracket. Quotes open a scalar only where a
// scalar may start (after a bracket, a comma, a property, or a colon that
// is followed by a space or comes after a quoted or bracketed key), so an
// apostrophe inside plain text (`[don't]`, `{a:"b}`) is not taken for one.
core::Result<size_t> Layout::FlowEnd(size_t open) const {
  int depth = 0;
  bool scalar_may_start = true;
  bool after_json_node = false;  // a quoted scalar or a collection just ended
  for (size_t i = open; i < text_.size(); ++i) {
    const char c = text_[i];
    if (IsSpace(c)) continue;
    if (c == '#' && (i == 0 || IsSpace(text_[i - 1]))) {
      i = LineEnd(LineOf(i));
      continue;
    }
    const bool json_before = after_json_node;
    after_json_node = false;
    if ((c == '"' || c == '\'') && scalar_may_start) {
      const size_t j = ClosingQuote(text_, i);
      if (j >= text_.size()) break;
      i = j;
      scalar_may_start = false;
      after_json_node = true;
      continue;
    }
    if (c == '[' || c == '{') {
      ++depth;
      scalar_may_start = true;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) return i + 1;
      scalar_may_start = false;
      after_json_node = true;
    } else if (c == ',') {
      scalar_may_start = true;
    } else if (c == ':') {
      const bool spaced = i + 1 >= text_.size() || IsSpace(text_[i + 1]);
      scalar_may_start = spaced || json_before || IsFlowIndicator(text_[i + 1]);
    } else if ((c == '&' || c == '!') && scalar_may_start) {
      while (i + 1 < text_.size() && !IsSpace(text_[i + 1]) && !IsFlowIndicator(text_[i + 1])) ++i;
    } else {
      scalar_may_start = false;
    }
  }
  return Unsupported("an unterminated flow collection", LineOf(open));
}

core::Result<std::pair<size_t, size_t>> Layout::FlowBrackets(const parse::YamlNode& node) const {
  const size_t open = SkipProperties(Begin(node));
  const char want = node.IsMap() ? '{' : '[';
  if (open >= text_.size() || text_[open] != want) {
    return Unsupported("a flow collection it cannot locate", LineOf(open));
  }
  ASSIGN_OR_RETURN(size_t end, FlowEnd(open));
  return std::make_pair(open, end - 1);
}

// The indentation of the block structure a node belongs to: its key's
// column in a block mapping, its dash's column in a block sequence (0-based,
// -1 at the top). Block scalars and continued plain scalars are indented
// deeper than this.
core::Result<int> Layout::BlockIndent(const parse::YamlNode& node) const {
  const NodeInfo* info = Info(node);
  if (info == nullptr || info->parent == nullptr) return -1;
  if (info->parent->IsMap()) return ColumnOf(Begin(*info->key));
  size_t i = Begin(node);
  while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) --i;
  if (i == 0 || text_[i - 1] != '-')
    return Unsupported("a sequence item it cannot locate", LineOf(i));
  return ColumnOf(i - 1);
}

size_t Layout::PlainEnd(size_t offset, bool in_flow) const {
  const size_t line_end = LineEnd(LineOf(offset));
  size_t i = offset;
  for (; i < line_end; ++i) {
    const char c = text_[i];
    if (c == '#' && i > offset && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) break;
    if (c == ':') {
      const char next = i + 1 < line_end ? text_[i + 1] : ' ';
      if (next == ' ' || next == '\t' || (in_flow && IsFlowIndicator(next))) break;
    }
    if (in_flow && IsFlowIndicator(c)) break;
  }
  while (i > offset && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) --i;
  return i;
}

size_t Layout::BlockScalarEnd(size_t header, int indent) const {
  const int header_line = LineOf(header);
  size_t end = header + 1;
  while (end < text_.size() && !IsSpace(text_[end])) ++end;  // indicators: |+, >-2
  for (int line = header_line + 1; line <= line_count(); ++line) {
    const size_t first = SkipSpaces(LineStart(line));
    if (first >= LineEnd(line)) continue;  // blank lines belong if more content follows
    if (static_cast<int>(first - LineStart(line)) <= indent) break;
    end = LineEnd(line);
  }
  return end;
}

core::Result<size_t> Layout::PlainContinuation(size_t first_end, int indent) const {
  int line = LineOf(first_end);
  if (SkipSpaces(first_end) < LineEnd(line)) return first_end;  // a comment ends it
  size_t end = first_end;
  for (++line; line <= line_count(); ++line) {
    const size_t first = SkipSpaces(LineStart(line));
    if (first >= LineEnd(line)) continue;
    if (static_cast<int>(first - LineStart(line)) <= indent || text_[first] == '#') break;
    end = PlainEnd(first, false);
    if (SkipSpaces(end) < LineEnd(line)) break;
  }
  return end;
}

core::Result<ScalarSpan> Layout::ScanScalar(const parse::YamlNode& node, size_t begin, bool in_flow,
                                            bool is_key) const {
  ScalarSpan span;
  span.begin = begin;
  span.content_begin = SkipProperties(begin);
  const size_t p = span.content_begin;
  const int line = LineOf(p);
  if (p >= text_.size()) return Unsupported("a value it cannot locate", line);
  const char c = text_[p];
  if (c == '"' || c == '\'') {
    const size_t j = ClosingQuote(text_, p);
    if (j >= text_.size()) return Unsupported("an unterminated quoted scalar", line);
    span.style = c;
    span.end = j + 1;
    span.multi_line = LineOf(span.end - 1) != line;
    return span;
  }
  if ((c == '|' || c == '>') && !in_flow && !is_key) {
    ASSIGN_OR_RETURN(int indent, BlockIndent(node));
    span.style = c;
    span.end = BlockScalarEnd(p, indent);
    span.multi_line = true;
    return span;
  }
  if (c == '?' && is_key) return Unsupported("a complex mapping key", line);
  span.end = PlainEnd(p, in_flow);
  if (text_.substr(p, span.end - p) == node.text()) return span;
  if (!in_flow && !is_key && node.IsScalar() && span.end > p) {
    ASSIGN_OR_RETURN(int indent, BlockIndent(node));
    ASSIGN_OR_RETURN(span.end, PlainContinuation(span.end, indent));
    span.multi_line = LineOf(span.end) != line;
    if (span.multi_line) return span;
  }
  return Unsupported("a scalar whose text it cannot locate", line);
}

core::Result<ScalarSpan> Layout::Scalar(const parse::YamlNode& node) const {
  const NodeInfo* info = Info(node);
  if (info == nullptr) return Unsupported("a node outside the document", 0);
  if (!node.IsScalar() && !(node.IsNull() && !node.text().empty())) {
    return Unsupported("a value that is not a scalar", node.mark().line);
  }
  return ScanScalar(node, Begin(node), InFlow(node), info->is_key);
}

core::Result<size_t> Layout::End(const parse::YamlNode& node) const {
  return EndAt(node, Begin(node));
}

// Recursion follows the tree, whose depth LoadYaml bounds.
core::Result<size_t> Layout::EndAt(const parse::YamlNode& node, size_t begin) const {
  if (node.IsScalar() || node.IsNull()) {
    if (node.IsNull() && node.text().empty()) {
      return Unsupported("an empty value it cannot locate", LineOf(begin));
    }
    const NodeInfo* info = Info(node);
    ASSIGN_OR_RETURN(ScalarSpan span,
                     ScanScalar(node, begin, InFlow(node), info != nullptr && info->is_key));
    return span.end;
  }
  if (node.flow()) {
    ASSIGN_OR_RETURN(auto brackets, FlowBrackets(node));
    return brackets.second + 1;
  }
  if (node.IsMap()) {
    const auto entries = OwnEntries(node);
    if (entries.empty()) return Unsupported("a mapping with only merged keys", LineOf(begin));
    ASSIGN_OR_RETURN(EntrySpan last, Entry(node, *entries.back()));
    return last.end;
  }
  ASSIGN_OR_RETURN(auto items, Items(node));
  if (items.empty()) return Unsupported("an empty block sequence", LineOf(begin));
  return items.back().end;
}

core::Result<EntrySpan> Layout::Entry(const parse::YamlNode& map,
                                      const parse::YamlEntry& entry) const {
  const NodeInfo* key_info = Info(*entry.key);
  if (entry.merged || key_info == nullptr || key_info->parent != &map || !key_info->is_key) {
    return Unsupported("a merged or aliased entry", entry.key->mark().line);
  }
  const bool in_flow = InFlow(map);
  EntrySpan span;
  span.key_begin = Begin(*entry.key);
  ASSIGN_OR_RETURN(ScalarSpan key, ScanScalar(*entry.key, span.key_begin, in_flow, true));
  const size_t colon = in_flow ? SkipBlank(key.end) : SkipSpaces(key.end);
  if (colon >= text_.size() || text_[colon] != ':') {
    return Unsupported("a mapping key without ':'", LineOf(key.end));
  }
  span.colon_end = colon + 1;
  const parse::YamlNode& value = *entry.value;
  const NodeInfo* value_info = Info(value);
  const bool written_here = value_info != nullptr && value_info->parent == &map &&
                            value_info->key == entry.key.get() && !value_info->is_key;
  if (!written_here) {
    const size_t star = SkipBlank(span.colon_end);
    if (star >= text_.size() || text_[star] != '*') {
      return Unsupported("an aliased value it cannot locate", LineOf(colon));
    }
    span.alias_value = true;
    span.value_begin = star;
    span.end = AliasEnd(star, in_flow);
    return span;
  }
  if (value.IsNull()) return NullEntry(span, value, in_flow);
  span.value_begin = Begin(value);
  if (span.value_begin < span.colon_end) {
    return Unsupported("a value it cannot locate", LineOf(colon));
  }
  // A value on a later line must be indented deeper than its key (a block
  // sequence may share the key's column); parsers accept less, and lines
  // added after such a value would join it.
  const size_t content = SkipProperties(span.value_begin);
  if (!in_flow && LineOf(content) > LineOf(span.key_begin)) {
    const int key_column = ColumnOf(span.key_begin);
    const int column = ColumnOf(content);
    const bool indentless = value.IsSequence() && !value.flow() && column == key_column;
    if (column <= key_column && !indentless) {
      return Unsupported("a value indented no deeper than its key", LineOf(content));
    }
  }
  ASSIGN_OR_RETURN(span.end, EndAt(value, span.value_begin));
  return span;
}

// A null value: `key: ~` / `key: null`, or nothing at all. Read from the
// text after the colon rather than from the node's mark, which for an empty
// value points at whatever token comes next.
core::Result<EntrySpan> Layout::NullEntry(EntrySpan span, const parse::YamlNode& value,
                                          bool in_flow) const {
  const size_t p = SkipSpaces(span.colon_end);
  const std::string& written = value.text();
  if (!written.empty() && text_.substr(p, written.size()) == written) {
    const size_t after = p + written.size();
    const bool token_ends = after >= text_.size() || IsSpace(text_[after]) ||
                            (in_flow && IsFlowIndicator(text_[after]));
    if (token_ends) {
      span.value_begin = p;
      span.end = after;
      return span;
    }
  }
  const bool nothing = OnlyCommentAfter(span.colon_end) ||
                       (in_flow && p < text_.size() && (text_[p] == ',' || text_[p] == '}'));
  if (!nothing || !value.anchor().empty() || !value.tag().empty()) {
    return Unsupported("an empty value with a tag or anchor", LineOf(span.colon_end));
  }
  // Whatever comes next must not be indented under the key: if it is, it
  // belongs to this value in a way the tree does not show.
  if (!in_flow) {
    const size_t next = SkipBlank(span.colon_end);
    if (next < text_.size() && ColumnOf(next) > ColumnOf(span.key_begin)) {
      return Unsupported("an empty value followed by deeper lines", LineOf(next));
    }
  }
  span.empty_value = true;
  span.value_begin = span.end = span.colon_end;
  return span;
}

core::Result<std::vector<ItemSpan>> Layout::Items(const parse::YamlNode& sequence) const {
  std::vector<ItemSpan> out;
  const bool flow = sequence.flow();
  const bool in_flow = InFlow(sequence);
  size_t p = 0;
  if (flow) {
    ASSIGN_OR_RETURN(auto brackets, FlowBrackets(sequence));
    p = brackets.first + 1;
  } else {
    p = SkipProperties(Begin(sequence));
  }
  const auto& items = sequence.items();
  for (size_t i = 0; i < items.size(); ++i) {
    const parse::YamlNode& item = *items[i];
    const NodeInfo* info = Info(item);
    const bool written_here = info != nullptr && info->parent == &sequence && info->index == i;
    ItemSpan span;
    p = SkipBlank(p);
    if (flow) {
      if (i > 0 && p < text_.size() && text_[p] == ',') p = SkipBlank(p + 1);
      span.dash = p;
    } else {
      const bool dash =
          p < text_.size() && text_[p] == '-' && (p + 1 >= text_.size() || IsSpace(text_[p + 1]));
      if (!dash) return Unsupported("a sequence item it cannot locate", LineOf(p));
      span.dash = p;
      p = SkipSpaces(p + 1);
    }
    if (!written_here) {
      p = SkipBlank(p);
      if (p >= text_.size() || text_[p] != '*') {
        return Unsupported("an aliased item it cannot locate", LineOf(p));
      }
      span.alias = true;
      span.begin = p;
      span.end = AliasEnd(p, in_flow);
    } else if (item.IsNull()) {
      // As for entries, the mark of an empty item is unreliable: read the text.
      const std::string& written = item.text();
      const bool explicit_null =
          !written.empty() && text_.substr(p, written.size()) == written &&
          (p + written.size() >= text_.size() || IsSpace(text_[p + written.size()]) ||
           (in_flow && IsFlowIndicator(text_[p + written.size()])));
      if (explicit_null) {
        span.begin = p;
        span.end = p + written.size();
      } else if (!flow && OnlyCommentAfter(p)) {
        span.begin = span.end = span.dash + 1;
      } else {
        return Unsupported("an empty sequence item", LineOf(p));
      }
    } else {
      span.begin = Begin(item);
      if (span.begin < p || (!flow && span.begin <= span.dash)) {
        return Unsupported("a sequence item it cannot locate", LineOf(p));
      }
      const size_t content = SkipProperties(span.begin);
      if (!flow && LineOf(content) > LineOf(span.dash) &&
          ColumnOf(content) <= ColumnOf(span.dash)) {
        return Unsupported("an item indented no deeper than its dash", LineOf(content));
      }
      ASSIGN_OR_RETURN(span.end, EndAt(item, span.begin));
    }
    p = span.end;
    out.push_back(span);
  }
  return out;
}

}  // namespace bulwark::fix::yaml_internal
