// The generic secret guess for plain configuration text (.env, .ini,
// .properties, YAML, other languages' sources): a key whose name says it
// holds a secret, a separator, and a literal value that is neither a
// reference (${VAR}), a placeholder, a path nor code. Used only for
// FileKind::kText: Dockerfiles, compose files and Python have their own
// credential checks.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "audit/secret_patterns.hpp"
#include "audit/secret_text.hpp"

namespace bulwark::audit::secrets {
namespace {

using core::Severity;

constexpr size_t kMaxKeyLength = 64;
constexpr size_t kMaxValueLength = 512;
// Below these a value is a word, not a secret.
constexpr size_t kMinStrongLength = 6;  // quoted; unquoted values need more
constexpr size_t kMinUnquotedStrongLength = 8;
constexpr double kMinStrongEntropy = 2.5;
constexpr size_t kMinWeakLength = 16;
constexpr double kMinWeakEntropy = 3.5;

bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

// The key is the first thing on its line (after blanks, "export", "- " or
// an opening quote), as in .env, .ini, .properties and YAML files.
bool KeyStartsLine(std::string_view text, size_t key_begin) {
  size_t p = key_begin;
  while (p > 0 && text[p - 1] != '\n' && key_begin - p < 16) --p;
  if (p > 0 && text[p - 1] != '\n') return false;
  std::string_view prefix = text.substr(p, key_begin - p);
  while (!prefix.empty() && (IsBlank(prefix.back()) || IsQuote(prefix.back())))
    prefix.remove_suffix(1);
  while (!prefix.empty() && IsBlank(prefix.front())) prefix.remove_prefix(1);
  return prefix.empty() || prefix == "export" || prefix == "-" || prefix == "set";
}

struct KeyValue {
  std::string_view key;
  size_t value_begin = 0;
  size_t value_end = 0;
  bool quoted = false;
  bool code_separator = false;  // := or => : a program, not a config file
  bool key_starts_line = false;
};

// Finds `key <sep> value` around the keyword match [from, to). *scanned is
// how far the text was examined: keywords before it belong to this key or
// value and need no look of their own.
bool ParseKeyValue(std::string_view text, size_t from, size_t to, KeyValue* kv, size_t* scanned) {
  size_t key_begin = from;
  while (key_begin > 0 && from - key_begin < kMaxKeyLength && IsKeyChar(text[key_begin - 1]))
    --key_begin;
  size_t key_end = RunEnd(text, to, IsKeyChar, kMaxKeyLength);
  *scanned = key_end;
  kv->key = text.substr(key_begin, key_end - key_begin);
  size_t pos = key_end;
  if (pos < text.size() && IsQuote(text[pos])) ++pos;
  pos = RunEnd(text, pos, IsBlank, 8);
  static constexpr std::string_view kSeparators[] = {":=", "=>", "?=", "=", ":"};
  std::string_view sep;
  for (std::string_view s : kSeparators) {
    if (text.substr(pos, s.size()) == s) {
      sep = s;
      break;
    }
  }
  if (sep.empty() || text.substr(pos, 2) == "==" || text.substr(pos, 2) == "::") return false;
  kv->code_separator = sep == ":=" || sep == "=>";
  pos = RunEnd(text, pos + sep.size(), IsBlank, 8);
  if (pos < text.size() && IsQuote(text[pos])) {
    char quote = text[pos];
    size_t limit = std::min(text.size(), pos + 1 + kMaxValueLength);
    size_t close = pos + 1;
    while (close < limit && text[close] != quote && text[close] != '\n') ++close;
    *scanned = close;
    if (close >= limit || text[close] != quote) return false;
    kv->quoted = true;
    kv->value_begin = pos + 1;
    kv->value_end = close;
    return true;
  }
  // Unquoted values count only in config-file lines (checked before the value is read).
  kv->key_starts_line = KeyStartsLine(text, key_begin);
  if (kv->code_separator || !kv->key_starts_line) return false;
  size_t end = RunEnd(
      text, pos,
      [](char c) { return !std::isspace(static_cast<unsigned char>(c)) && c != '#' && c != ';'; },
      kMaxValueLength);
  *scanned = end;
  kv->value_begin = pos;
  kv->value_end = end;
  return end > pos;
}

// a.b.c or an identifier: a reference to something in a program.
bool LooksLikeCode(std::string_view value) {
  if (value.find_first_of("()[]{}<>,") != std::string_view::npos) return true;
  bool identifier_chain = !value.empty() && !std::isdigit(static_cast<unsigned char>(value[0])) &&
                          value.find('.') != std::string_view::npos &&
                          std::all_of(value.begin(), value.end(),
                                      [](char c) { return IsAlnum(c) || c == '_' || c == '.'; });
  return identifier_chain;
}

bool IsRejectedValue(std::string_view v) {
  if (v.empty() || ClassifyPlaceholder(v) == PlaceholderKind::kReference) return true;
  if (LooksLikeSettingName(v)) return true;
  if (v.front() == '!' || v.front() == '&' || v.front() == '*' || v == "|" || v == ">") return true;
  if (v.find("://") != std::string_view::npos) return true;  // URLs have their own check
  if (v.front() == '/' || v.substr(0, 2) == "./" || v.substr(0, 2) == "~/" ||
      v.find('\\') != std::string_view::npos) {
    return true;
  }
  bool numeric = std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
  if (numeric) return true;
  if (v.size() > 3) return false;
  std::string lower;
  for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "yes" || lower == "no" || lower == "on" || lower == "off";
}

bool HasTwoCharClasses(std::string_view v) {
  int lower = 0, upper = 0, digit = 0, other = 0;
  for (char c : v) {
    if (std::islower(static_cast<unsigned char>(c)))
      lower = 1;
    else if (std::isupper(static_cast<unsigned char>(c)))
      upper = 1;
    else if (std::isdigit(static_cast<unsigned char>(c)))
      digit = 1;
    else
      other = 1;
  }
  return lower + upper + digit + other >= 2;
}

}  // namespace

bool ConfirmGeneric(std::string_view text, size_t from, size_t to, SecretHit* hit) {
  KeyValue kv;
  size_t scanned = to;
  bool parsed = ParseKeyValue(text, from, to, &kv, &scanned);
  hit->skip_until = scanned;
  if (!parsed) return false;
  SecretNameStrength strength = ClassifySecretName(kv.key);
  if (strength == SecretNameStrength::kNone && !IsSecretKeyName(kv.key)) return false;
  if (IsSecretKeyName(kv.key)) strength = SecretNameStrength::kStrong;
  std::string_view value = text.substr(kv.value_begin, kv.value_end - kv.value_begin);
  if (IsRejectedValue(value)) return false;
  if (!kv.quoted && LooksLikeCode(value)) return false;
  size_t spaces = static_cast<size_t>(std::count(value.begin(), value.end(), ' '));
  double entropy = ShannonEntropy(value);
  if (strength == SecretNameStrength::kStrong) {
    size_t min_length = kv.quoted ? kMinStrongLength : kMinUnquotedStrongLength;
    if (value.size() < min_length || entropy < kMinStrongEntropy || spaces >= 2) return false;
  } else if (value.size() < kMinWeakLength || entropy < kMinWeakEntropy || spaces > 0 ||
             !HasTwoCharClasses(value)) {
    return false;
  }
  hit->check_id = kGenericSecret;
  hit->begin = kv.value_begin;
  hit->end = kv.value_end;
  hit->generic = true;
  hit->message = fmt::format("'{}' is set to a literal secret \"{}\"", kv.key, MaskSecret(value));
  if (ClassifyPlaceholder(value) == PlaceholderKind::kWeakDefault) {
    hit->severity = Severity::kLow;
    hit->message += " (a default or example value; still a credential if it works)";
  }
  return true;
}

}  // namespace bulwark::audit::secrets
