#include "parse/dockerfile_image.hpp"

#include <cctype>

namespace bulwark::parse {
namespace {

// Nesting bound for ${A:-${B:-...}}: deeper input is left unexpanded.
constexpr int kMaxExpansionDepth = 16;

Expansion ExpandImpl(std::string_view text, const VariableLookup& lookup, char escape, int depth);

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Index of the '}' closing a "${" whose inner text starts at `begin`, or npos.
size_t FindClosingBrace(std::string_view text, size_t begin) {
  int depth = 1;
  for (size_t i = begin; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Expands the inside of "${...}" into `out`; returns false when unresolved.
bool ExpandBraced(std::string_view inner, const VariableLookup& lookup, char escape, int depth,
                  std::string& out) {
  size_t n = 0;
  while (n < inner.size() && IsNameChar(inner[n])) ++n;
  if (n == 0) return false;
  std::string_view name = inner.substr(0, n);
  std::string_view op = inner.substr(n);
  std::optional<std::string> value = lookup(name);
  if (op.empty()) {
    if (value) out += *value;
    return value.has_value();
  }
  bool colon = op[0] == ':';
  std::string_view rest = colon ? op.substr(1) : op;
  if (rest.empty() || (rest[0] != '-' && rest[0] != '+')) return false;  // #, %, /, ?: unsupported
  bool is_set = value.has_value() && (!colon || !value->empty());
  Expansion word = ExpandImpl(rest.substr(1), lookup, escape, depth + 1);
  if (rest[0] == '-') {
    if (is_set) {
      out += *value;
      return true;
    }
    out += word.text;
    return word.resolved;
  }
  if (is_set) out += word.text;
  return !is_set || word.resolved;
}

Expansion ExpandImpl(std::string_view text, const VariableLookup& lookup, char escape, int depth) {
  Expansion result;
  std::string& out = result.text;
  if (depth > kMaxExpansionDepth) {
    out = std::string(text);
    result.resolved = false;
    return result;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == escape && i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    if (text[i + 1] == '{') {
      size_t close = FindClosingBrace(text, i + 2);
      if (close == std::string_view::npos) {
        out.append(text.substr(i));
        result.resolved = false;
        break;
      }
      if (!ExpandBraced(text.substr(i + 2, close - i - 2), lookup, escape, depth, out)) {
        result.resolved = false;
      }
      i = close;
    } else if (IsNameStart(text[i + 1])) {
      size_t end = i + 1;
      while (end < text.size() && IsNameChar(text[end])) ++end;
      std::optional<std::string> value = lookup(text.substr(i + 1, end - i - 1));
      if (value) {
        out += *value;
      } else {
        result.resolved = false;
      }
      i = end - 1;
    } else {
      out += c;
    }
  }
  return result;
}

}  // namespace

std::string ImageRef::Name() const {
  return registry.empty() ? repository : registry + "/" + repository;
}

std::string ImageRef::ToString() const {
  std::string out = Name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::optional<ImageRef> ParseImageRef(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20) {
      return std::nullopt;
    }
  }
  ImageRef ref;
  std::string_view name = text;
  if (size_t at = text.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(text.substr(at + 1));
    name = text.substr(0, at);
    if (ref.digest.empty()) return std::nullopt;
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
    if (ref.tag.empty()) return std::nullopt;
  }
  if (size_t first = name.find('/'); first != std::string_view::npos) {
    std::string_view head = name.substr(0, first);
    if (head.find('.') != std::string_view::npos || head.find(':') != std::string_view::npos ||
        head == "localhost") {
      ref.registry = std::string(head);
      name = name.substr(first + 1);
    }
  }
  if (name.empty()) return std::nullopt;
  ref.repository = std::string(name);
  return ref;
}

Expansion ExpandVariables(std::string_view text, const VariableLookup& lookup, char escape) {
  return ExpandImpl(text, lookup, escape, 0);
}

bool HasVariable(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && (text[i + 1] == '{' || IsNameStart(text[i + 1]))) return true;
  }
  return false;
}

}  // namespace bulwark::parse
