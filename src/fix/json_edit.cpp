#include "fix/json_edit.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace bulwark::fix {

using parse::YamlNode;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

core::Status BadJson(std::string message) {
  return core::Status(core::ErrorCode::kInternal, "JSON edit: " + std::move(message));
}

// One past the closing quote of the string that opens at `begin`; npos when
// it does not close.
size_t StringEnd(std::string_view text, size_t begin) {
  for (size_t i = begin + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

bool IsLiteralByte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '+' || c == '.';
}

// Joins check IDs, each once, in the order given.
void AddId(std::string& ids, const std::string& id) {
  if (id.empty()) return;
  size_t start = 0;
  while (start < ids.size()) {
    size_t end = std::min(ids.find(',', start), ids.size());
    if (std::string_view(ids).substr(start, end - start) == id) return;
    start = end + 1;
  }
  if (!ids.empty()) ids += ',';
  ids += id;
}

// How new values are written.
struct Format {
  bool pretty = false;
  std::string_view colon = ": ";
  std::string_view comma = ", ";  // between compact members
  std::string_view unit = "  ";   // one level of pretty indentation
  std::string_view eol = "\n";
};

std::string Render(const JsonValue& value, const Format& format, const std::string& indent) {
  if (!value.is_object()) return value.literal();
  const auto& members = value.members();
  if (members.empty()) return "{}";
  std::string out = "{";
  if (!format.pretty) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out += format.comma;
      out += JsonQuote(members[i].first) + std::string(format.colon) +
             Render(members[i].second, format, indent);
    }
    return out + "}";
  }
  const std::string inner = indent + std::string(format.unit);
  out += format.eol;
  for (size_t i = 0; i < members.size(); ++i) {
    out += inner + JsonQuote(members[i].first) + std::string(format.colon) +
           Render(members[i].second, format, inner);
    if (i + 1 < members.size()) out += ',';
    out += format.eol;
  }
  return out + indent + "}";
}

}  // namespace

JsonValue JsonValue::Literal(std::string json) {
  JsonValue value;
  value.literal_ = std::move(json);
  return value;
}

JsonValue JsonValue::String(std::string_view text) { return Literal(JsonQuote(text)); }

JsonValue JsonValue::Object(std::vector<std::pair<std::string, JsonValue>> members) {
  JsonValue value;
  value.is_object_ = true;
  value.members_ = std::move(members);
  return value;
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        // DEL too: JSON allows it raw, but YAML (which reuses this) does not.
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

core::Result<size_t> JsonValueEnd(std::string_view text, size_t begin) {
  if (begin >= text.size()) return BadJson("no value at byte " + std::to_string(begin));
  const char first = text[begin];
  if (first == '"') {
    const size_t end = StringEnd(text, begin);
    if (end == std::string_view::npos) return BadJson("unterminated string");
    return end;
  }
  if (first == '{' || first == '[') {
    size_t depth = 0;
    for (size_t i = begin; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        const size_t end = StringEnd(text, i);
        if (end == std::string_view::npos) return BadJson("unterminated string");
        i = end - 1;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return BadJson("unterminated object or array");
  }
  size_t end = begin;
  while (end < text.size() && IsLiteralByte(text[end])) ++end;
  if (end == begin) return BadJson("no value at byte " + std::to_string(begin));
  return end;
}

core::Result<size_t> JsonOffset(std::string_view text, parse::YamlMark mark) {
  if (!mark.known() || mark.column < 1) return BadJson("value without a position");
  size_t offset = LineStartOffset(text, mark.line) + static_cast<size_t>(mark.column - 1);
  if (mark.line == 1 && text.substr(0, kBom.size()) == kBom) offset += kBom.size();
  if (offset >= text.size()) return BadJson("position past the end of the text");
  return offset;
}

core::Result<JsonEditor> JsonEditor::Parse(std::string_view text) {
  std::string_view body = text;
  if (body.substr(0, kBom.size()) == kBom) body.remove_prefix(kBom.size());
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return JsonEditor(text, YamlNode::MakeMap(parse::YamlMark{1, 1}, {}, true), true);
  }
  ASSIGN_OR_RETURN(parse::YamlStream stream, parse::LoadJson(text));
  return JsonEditor(text, stream.documents.front().root, false);
}

void JsonEditor::Replace(const YamlNode& node, JsonValue value, std::string check_id) {
  for (Replacement& existing : replacements_) {
    if (existing.node == &node) {
      existing.value = std::move(value);
      existing.check_id = std::move(check_id);
      return;
    }
  }
  replacements_.push_back(Replacement{&node, std::move(value), std::move(check_id)});
}

void JsonEditor::Set(const YamlNode& object, std::string_view key, JsonValue value,
                     std::string check_id) {
  if (const parse::YamlEntry* entry = object.FindEntry(key); entry != nullptr) {
    Replace(*entry->value, std::move(value), std::move(check_id));
    return;
  }
  std::vector<Addition>& additions = containers_[&object].additions;
  for (Addition& addition : additions) {
    if (addition.key == key) {
      addition.value = std::move(value);
      addition.check_id = std::move(check_id);
      return;
    }
  }
  additions.push_back(Addition{std::string(key), std::move(value), std::move(check_id)});
}

void JsonEditor::Remove(const YamlNode& object, std::string_view key, std::string check_id) {
  const auto& entries = object.entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].key->text() == key) containers_[&object].removed[i] = check_id;
  }
}

void JsonEditor::RemoveItem(const YamlNode& array, size_t index, std::string check_id) {
  if (index < array.items().size()) containers_[&array].removed[index] = std::move(check_id);
}

// Turns the collected requests into edits, reading the layout of each
// container it changes from the text.
class JsonEditor::Planner {
 public:
  explicit Planner(const JsonEditor& editor)
      : editor_(editor), text_(editor.text_), eol_(DetectLineEnding(editor.text_)) {}

  core::Result<std::vector<TextEdit>> Run() {
    if (editor_.blank_) return WholeText();
    RETURN_IF_ERROR(ReadDocumentStyle());
    for (const Replacement& replacement : editor_.replacements_) {
      RETURN_IF_ERROR(PlanReplacement(replacement));
    }
    for (const auto& [node, requests] : editor_.containers_) {
      RETURN_IF_ERROR(PlanContainer(*node, requests));
    }
    // Insertions before replacements that start at the same byte.
    std::stable_sort(edits_.begin(), edits_.end(), [](const TextEdit& a, const TextEdit& b) {
      if (a.begin != b.begin) return a.begin < b.begin;
      return (a.end == a.begin) && (b.end != b.begin);
    });
    for (size_t i = 1; i < edits_.size(); ++i) {
      if (edits_[i].begin < edits_[i - 1].end) {
        return core::Status(core::ErrorCode::kInternal, "JSON edits for " + edits_[i - 1].check_id +
                                                            " and " + edits_[i].check_id +
                                                            " change the same value");
      }
    }
    return std::move(edits_);
  }

 private:
  struct Element {
    size_t start = 0;  // the key of a member, the value of an item
    size_t value_start = 0;
    size_t value_end = 0;
  };
  struct Layout {
    size_t open = 0;   // '{' or '['
    size_t close = 0;  // '}' or ']'
    std::vector<Element> elements;
  };

  core::Result<size_t> End(size_t begin) const { return JsonValueEnd(text_, begin); }

  core::Result<Element> ElementAt(parse::YamlMark start, parse::YamlMark value) const {
    Element element;
    ASSIGN_OR_RETURN(element.start, JsonOffset(text_, start));
    ASSIGN_OR_RETURN(element.value_start, JsonOffset(text_, value));
    ASSIGN_OR_RETURN(element.value_end, End(element.value_start));
    return element;
  }

  core::Result<Layout> LayoutOf(const YamlNode& node) const {
    Layout layout;
    ASSIGN_OR_RETURN(layout.open, JsonOffset(text_, node.mark()));
    ASSIGN_OR_RETURN(size_t end, End(layout.open));
    layout.close = end - 1;
    for (const auto& entry : node.entries()) {
      ASSIGN_OR_RETURN(Element element, ElementAt(entry.key->mark(), entry.value->mark()));
      layout.elements.push_back(element);
    }
    for (const auto& item : node.items()) {
      ASSIGN_OR_RETURN(Element element, ElementAt(item->mark(), item->mark()));
      layout.elements.push_back(element);
    }
    return layout;
  }

  size_t LineStart(size_t offset) const {
    if (offset == 0) return 0;
    const size_t newline = text_.rfind('\n', offset - 1);
    return newline == std::string_view::npos ? 0 : newline + 1;
  }

  // The spaces and tabs that open the line holding `offset`.
  std::string IndentAt(size_t offset) const {
    const size_t start = LineStart(offset);
    size_t end = start;
    while (end < offset && (text_[end] == ' ' || text_[end] == '\t')) ++end;
    return std::string(text_.substr(start, end - start));
  }

  bool FirstOnLine(size_t offset) const {
    const size_t start = LineStart(offset);
    return text_.substr(start, offset - start).find_first_not_of(" \t") == std::string_view::npos;
  }

  bool OneLine(const Layout& layout) const {
    return text_.substr(layout.open, layout.close - layout.open).find('\n') ==
           std::string_view::npos;
  }

  // What separates a member's key from its value, when it is on one line.
  std::optional<std::string> ColonOf(const Element& member) const {
    auto key_end = End(member.start);
    if (!key_end.ok() || *key_end > member.value_start) return std::nullopt;
    std::string_view colon = text_.substr(*key_end, member.value_start - *key_end);
    if (colon.find('\n') != std::string_view::npos) return std::nullopt;
    return std::string(colon);
  }

  // The document's spacing around ':' and its indentation unit, read from
  // the root object's first members.
  core::Status ReadDocumentStyle() {
    if (!editor_.root_->IsMap()) return core::Status::Ok();
    ASSIGN_OR_RETURN(Layout root, LayoutOf(*editor_.root_));
    root_multiline_ = !OneLine(root);
    if (root.elements.empty()) return core::Status::Ok();
    if (auto colon = ColonOf(root.elements.front())) colon_ = *colon;
    const size_t first = root.elements.front().start;
    if (root_multiline_ && FirstOnLine(first)) {
      const std::string brace = IndentAt(root.open);
      const std::string member = IndentAt(first);
      if (member.size() > brace.size() && member.compare(0, brace.size(), brace) == 0) {
        unit_ = member.substr(brace.size());
      }
    }
    return core::Status::Ok();
  }

  Format MakeFormat(bool pretty, std::string_view comma = ", ") const {
    return Format{pretty, colon_, comma, unit_, eol_};
  }

  core::Status PlanReplacement(const Replacement& replacement) {
    ASSIGN_OR_RETURN(size_t begin, JsonOffset(text_, replacement.node->mark()));
    ASSIGN_OR_RETURN(size_t end, End(begin));
    edits_.push_back(TextEdit{
        begin, end, Render(replacement.value, MakeFormat(root_multiline_), IndentAt(begin)),
        replacement.check_id});
    return core::Status::Ok();
  }

  std::string Member(const Addition& addition, const Format& format,
                     const std::string& indent) const {
    return JsonQuote(addition.key) + std::string(format.colon) +
           Render(addition.value, format, indent);
  }

  // The members of an object that has none left, between its braces.
  std::string FreshBody(const std::vector<Addition>& additions, bool pretty,
                        const std::string& close_indent) const {
    std::string body;
    const Format format = MakeFormat(pretty);
    if (!pretty) {
      for (size_t i = 0; i < additions.size(); ++i) {
        if (i > 0) body += format.comma;
        body += Member(additions[i], format, close_indent);
      }
      return body;
    }
    const std::string indent = close_indent + unit_;
    body += eol_;
    for (size_t i = 0; i < additions.size(); ++i) {
      body += indent + Member(additions[i], format, indent);
      if (i + 1 < additions.size()) body += ',';
      body += eol_;
    }
    return body + close_indent;
  }

  // An empty text becomes a whole pretty object.
  core::Result<std::vector<TextEdit>> WholeText() {
    auto it = editor_.containers_.find(editor_.root_.get());
    if (it == editor_.containers_.end() || it->second.additions.empty()) return std::move(edits_);
    std::string ids;
    for (const Addition& addition : it->second.additions) AddId(ids, addition.check_id);
    edits_.push_back(TextEdit{0, text_.size(),
                              "{" + FreshBody(it->second.additions, true, "") + "}" + eol_, ids});
    return std::move(edits_);
  }

  core::Status PlanContainer(const YamlNode& node, const ContainerRequests& requests) {
    if (!requests.additions.empty() && !node.IsMap()) {
      return BadJson("members can only be added to an object");
    }
    ASSIGN_OR_RETURN(Layout layout, LayoutOf(node));
    const size_t count = layout.elements.size();
    if (requests.removed.size() >= count) {
      if (count == 0 && requests.additions.empty()) return core::Status::Ok();
      return EmptyContainer(node, layout, requests);
    }
    PlanRemovals(layout, requests.removed);
    if (!requests.additions.empty()) PlanAdditions(layout, requests.additions);
    return core::Status::Ok();
  }

  // Everything between the brackets is replaced: the members left (none)
  // and the new ones.
  core::Status EmptyContainer(const YamlNode& node, const Layout& layout,
                              const ContainerRequests& requests) {
    std::string ids;
    for (const auto& [index, id] : requests.removed) AddId(ids, id);
    for (const Addition& addition : requests.additions) AddId(ids, addition.check_id);
    const bool pretty = &node == editor_.root_.get() || root_multiline_;
    std::string body;
    if (!requests.additions.empty())
      body = FreshBody(requests.additions, pretty, IndentAt(layout.open));
    edits_.push_back(TextEdit{layout.open + 1, layout.close, std::move(body), ids});
    return core::Status::Ok();
  }

  // Runs of removed elements go with the comma that follows them, or with
  // the one before when nothing is kept after them.
  void PlanRemovals(const Layout& layout, const std::map<size_t, std::string>& removed) {
    const auto& elements = layout.elements;
    auto it = removed.begin();
    while (it != removed.end()) {
      const size_t first = it->first;
      size_t last = first;
      std::string ids;
      AddId(ids, it->second);
      for (++it; it != removed.end() && it->first == last + 1; ++it) {
        last = it->first;
        AddId(ids, it->second);
      }
      if (last + 1 < elements.size()) {
        edits_.push_back(TextEdit{elements[first].start, elements[last + 1].start, "", ids});
      } else if (first > 0) {
        edits_.push_back(
            TextEdit{elements[first - 1].value_end, elements[last].value_end, "", ids});
      }
    }
  }

  // New members go after the last one, in the object's own layout.
  void PlanAdditions(const Layout& layout, const std::vector<Addition>& additions) {
    const auto& elements = layout.elements;
    const Element& last = elements.back();
    std::string ids;
    std::string text;
    if (OneLine(layout)) {
      std::string comma = ", ";
      for (size_t i = 0; i + 1 < elements.size(); ++i) {
        std::string_view between =
            text_.substr(elements[i].value_end, elements[i + 1].start - elements[i].value_end);
        if (between.find('\n') == std::string_view::npos) {
          comma = std::string(between);
          break;
        }
      }
      const Format format = MakeFormat(false, comma);
      for (const Addition& addition : additions) {
        text += comma + Member(addition, format, "");
        AddId(ids, addition.check_id);
      }
    } else {
      const std::string indent =
          FirstOnLine(last.start) ? IndentAt(last.start) : IndentAt(layout.open) + unit_;
      const Format format = MakeFormat(true);
      for (const Addition& addition : additions) {
        text += "," + eol_ + indent + Member(addition, format, indent);
        AddId(ids, addition.check_id);
      }
    }
    edits_.push_back(TextEdit{last.value_end, last.value_end, std::move(text), ids});
  }

  const JsonEditor& editor_;
  std::string_view text_;
  std::string eol_;
  bool root_multiline_ = false;
  std::string colon_ = ": ";
  std::string unit_ = "  ";
  std::vector<TextEdit> edits_;
};

core::Result<std::vector<TextEdit>> JsonEditor::Edits() const { return Planner(*this).Run(); }

}  // namespace bulwark::fix
