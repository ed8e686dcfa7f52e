// New YAML text: values, quoting, and the file's style (indentation step,
// sequence dashes, quotes, line ending) read from the document.
#include "fix/yaml_edit_render.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "fix/json_edit.hpp"
#include "fix/yaml_edit.hpp"

namespace bulwark::fix {
namespace {

// Integers and floats of YAML 1.1 and 1.2 (sexagesimal forms contain ':',
// which is quoted anyway): 12, -1_000, 0x1F, 0o17, 0b101, 1.5, .5, 1e3.
bool IsNumberLike(std::string_view text) {
  static const std::regex kNumber(
      "[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*|"
      "([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+)");
  return std::regex_match(text.begin(), text.end(), kNumber) && text != "." && text != "-." &&
         text != "+.";
}

bool IsSpecialWord(std::string_view text) {
  static const std::set<std::string, std::less<>> kWords = {
      "true", "false", "yes", "no", "on",   "off",   "y",     "n",
      "null", "~",     "<<",  "=",  ".inf", "-.inf", "+.inf", ".nan"};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return kWords.count(lower) != 0;
}

// Plain only with characters that mean nothing to YAML anywhere in a
// scalar, in block and flow context alike (parsers differ on the others).
bool PlainSafe(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80 ||
         std::string_view("_./-+=~()^$ ").find(c) != std::string_view::npos;
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F;
  });
}

}  // namespace

YamlValue YamlValue::String(std::string text) {
  YamlValue value;
  value.text_ = std::move(text);
  return value;
}

YamlValue YamlValue::Literal(std::string yaml) {
  YamlValue value;
  value.text_ = std::move(yaml);
  value.literal_ = true;
  return value;
}

YamlValue YamlValue::Sequence(std::vector<YamlValue> items) {
  YamlValue value;
  value.kind_ = Kind::kSequence;
  value.items_ = std::move(items);
  return value;
}

YamlValue YamlValue::Map(std::vector<std::pair<std::string, YamlValue>> entries) {
  YamlValue value;
  value.kind_ = Kind::kMap;
  value.entries_ = std::move(entries);
  return value;
}

void YamlValue::Merge(const YamlValue& other) {
  if (kind_ != Kind::kMap || other.kind_ != Kind::kMap) return;
  for (const auto& pair : other.entries_) {
    const std::string& key = pair.first;
    const YamlValue& value = pair.second;
    auto found = std::find_if(entries_.begin(), entries_.end(),
                              [&key](const auto& entry) { return entry.first == key; });
    if (found == entries_.end()) {
      entries_.emplace_back(key, value);
    } else if (found->second.kind_ == Kind::kMap && value.kind_ == Kind::kMap) {
      found->second.Merge(value);
    } else {
      found->second = value;
    }
  }
}

bool NeedsQuotes(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return true;
  if (!std::all_of(text.begin(), text.end(), PlainSafe)) return true;
  if (text.front() == '-' || text.front() == '~') return true;
  if (text.substr(0, 3) == "---" || text.substr(0, 3) == "...") return true;
  return IsSpecialWord(text) || IsNumberLike(text);
}

std::string QuoteScalar(std::string_view text, char quote) {
  if (!NeedsQuotes(text)) return std::string(text);
  return yaml_internal::ForceQuoted(text, quote);
}

namespace yaml_internal {

std::string ForceQuoted(std::string_view text, char quote) {
  if (quote != '\'' || HasControl(text) || text.find('\t') != std::string_view::npos) {
    return JsonQuote(text);  // a JSON string is a YAML double-quoted scalar
  }
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string RenderFlow(const YamlValue& value, char quote) {
  switch (value.kind()) {
    case YamlValue::Kind::kScalar:
      return value.literal() ? value.text() : QuoteScalar(value.text(), quote);
    case YamlValue::Kind::kSequence: {
      std::string out = "[";
      for (size_t i = 0; i < value.items().size(); ++i) {
        if (i > 0) out += ", ";
        out += RenderFlow(value.items()[i], quote);
      }
      return out + "]";
    }
    case YamlValue::Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < value.entries().size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteScalar(value.entries()[i].first, quote) + ": " +
               RenderFlow(value.entries()[i].second, quote);
      }
      return out + "}";
    }
  }
  return {};
}

bool IsEmptyCollection(const YamlValue& value) {
  return (value.kind() == YamlValue::Kind::kSequence && value.items().empty()) ||
         (value.kind() == YamlValue::Kind::kMap && value.entries().empty());
}

void RenderBlockChildren(std::vector<std::string>& lines, int indent, const YamlValue& value,
                         const YamlStyle& style) {
  if (value.kind() == YamlValue::Kind::kSequence) {
    for (const auto& item : value.items()) {
      RenderBlockItem(lines, indent + style.sequence_indent, item, style);
    }
  } else if (value.kind() == YamlValue::Kind::kMap) {
    for (const auto& [key, child] : value.entries()) {
      RenderBlockEntry(lines, indent + style.indent, key, child, style);
    }
  }
}

void RenderBlockEntry(std::vector<std::string>& lines, int indent, std::string_view key,
                      const YamlValue& value, const YamlStyle& style) {
  std::string head = std::string(static_cast<size_t>(indent), ' ') + QuoteScalar(key, style.quote);
  if (value.IsScalar() || IsEmptyCollection(value)) {
    lines.push_back(head + ": " + RenderFlow(value, style.quote));
    return;
  }
  lines.push_back(head + ":");
  RenderBlockChildren(lines, indent, value, style);
}

void RenderBlockItem(std::vector<std::string>& lines, int dash_indent, const YamlValue& item,
                     const YamlStyle& style, int gap) {
  gap = std::clamp(gap, 1, 16);
  const std::string dash = std::string(static_cast<size_t>(dash_indent), ' ') + "-" +
                           std::string(static_cast<size_t>(gap), ' ');
  if (item.kind() != YamlValue::Kind::kMap || item.entries().empty()) {
    lines.push_back(dash + RenderFlow(item, style.quote));
    return;
  }
  // The map's first key goes on the dash's line; the others line up with it.
  const size_t first = lines.size();
  for (const auto& [key, child] : item.entries()) {
    RenderBlockEntry(lines, static_cast<int>(dash.size()), key, child, style);
  }
  lines[first].replace(0, dash.size(), dash);
}

}  // namespace yaml_internal

namespace {

struct StyleVotes {
  std::map<int, int> indent, sequence;
  int double_quotes = 0, single_quotes = 0;
};

char CharAt(std::string_view text, const std::vector<size_t>& starts, parse::YamlMark mark) {
  if (!mark.known() || static_cast<size_t>(mark.line) > starts.size()) return 0;
  const size_t offset = starts[static_cast<size_t>(mark.line - 1)] +
                        static_cast<size_t>(std::max(mark.column, 1) - 1);
  return offset < text.size() ? text[offset] : 0;
}

void Vote(const parse::YamlNode& node, std::string_view text, const std::vector<size_t>& starts,
          std::set<const parse::YamlNode*>& seen, StyleVotes& votes, int depth) {
  if (depth > 200 || !seen.insert(&node).second) return;
  if (node.IsScalar() && !node.plain()) {
    const char c = CharAt(text, starts, node.mark());
    votes.double_quotes += c == '"';
    votes.single_quotes += c == '\'';
  }
  for (const auto& item : node.items()) Vote(*item, text, starts, seen, votes, depth + 1);
  for (const auto& entry : node.entries()) {
    if (entry.merged) continue;
    Vote(*entry.key, text, starts, seen, votes, depth + 1);
    const parse::YamlNode& value = *entry.value;
    const parse::YamlMark key = entry.key->mark();
    // Only values that start on a later line than their key tell the style.
    if (!node.flow() && !value.flow() && value.mark().line > key.line) {
      const int step = value.mark().column - key.column;
      if (value.IsMap() && step > 0) ++votes.indent[step];
      if (value.IsSequence() && step >= 0 && CharAt(text, starts, value.mark()) == '-') {
        ++votes.sequence[step];
      }
    }
    Vote(value, text, starts, seen, votes, depth + 1);
  }
}

int MostCommon(const std::map<int, int>& votes, int fallback) {
  int best = fallback;
  int count = 0;
  for (const auto& [value, n] : votes) {
    if (n > count) {
      best = value;
      count = n;
    }
  }
  return best;
}

}  // namespace

YamlStyle DetectYamlStyle(std::string_view text, const std::vector<parse::YamlNodePtr>& roots) {
  YamlStyle style;
  style.eol = std::string(DetectLineEnding(text));
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  StyleVotes votes;
  std::set<const parse::YamlNode*> seen;
  for (const auto& root : roots) {
    if (root != nullptr) Vote(*root, text, starts, seen, votes, 0);
  }
  // A file with no nested mapping to learn from: its lists tell.
  const int sequence_step = MostCommon(votes.sequence, 2);
  style.indent = MostCommon(votes.indent, std::max(2, sequence_step));
  style.sequence_indent = MostCommon(votes.sequence, style.indent);
  style.quote = votes.single_quotes > votes.double_quotes ? '\'' : '"';
  return style;
}

}  // namespace bulwark::fix
