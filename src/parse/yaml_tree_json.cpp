// LoadJson: a strict RFC 8259 reader that records the position of every
// value and key, building the same YamlNode tree as LoadYaml. yaml-cpp would
// accept JSON too, but also accepts what JSON consumers refuse (comments,
// trailing commas, bare words), and nlohmann::json keeps no positions.
#include <cstdint>
#include <map>

#include "parse/yaml_tree.hpp"

namespace bulwark::parse {
namespace {

class JsonReader {
 public:
  JsonReader(std::string_view text, const YamlLimits& limits, std::vector<YamlDuplicateKey>& dups)
      : text_(text), limits_(limits), duplicates_(dups) {}

  core::Result<YamlNodePtr> ReadDocument() {
    SkipBom();
    SkipSpace();
    if (AtEnd()) {
      Fail("empty input: expected a JSON value");
      return status_;
    }
    YamlNodePtr root = ReadValue(0);
    if (root == nullptr) return status_;
    SkipSpace();
    if (!AtEnd()) {
      Fail("unexpected content after the JSON value");
      return status_;
    }
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  YamlMark Here() const { return {line_, column_}; }

  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void SkipBom() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // columns still count from the text
  }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r'))
      Advance();
  }

  // Records the first error; readers then unwind by returning nullptr.
  void Fail(std::string_view message) {
    if (status_.ok()) {
      status_ = core::Error(
          core::ErrorCode::kParseError,
          std::to_string(line_) + ":" + std::to_string(column_) + ": " + std::string(message));
    }
  }

  // Describes the character at the cursor for error messages.
  std::string Found() const {
    if (AtEnd()) return "end of input";
    const char c = Peek();
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return "byte " + Printable(std::string_view(&text_[pos_], 1));
    }
    return std::string("'") + c + "'";
  }

  bool Count(size_t nodes = 1) {
    nodes_ += nodes;
    if (nodes_ <= limits_.max_nodes) return true;
    Fail("more than " + std::to_string(limits_.max_nodes) + " values; refused");
    return false;
  }

  YamlNodePtr ReadValue(int depth) {
    if (depth >= limits_.max_depth) {
      Fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels; refused");
      return nullptr;
    }
    if (!Count()) return nullptr;
    const char c = Peek();
    if (c == '{') return ReadObject(depth);
    if (c == '[') return ReadArray(depth);
    if (c == '"') return ReadString();
    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        const YamlMark mark = Here();
        for (size_t i = 0; i < word.size(); ++i) Advance();
        if (word == "null") return YamlNode::MakeNull(mark, "null");
        return YamlNode::MakeScalar(mark, std::string(word));
      }
    }
    Fail("expected a JSON value, found " + Found());
    return nullptr;
  }

  YamlNodePtr ReadObject(int depth) {
    const YamlMark mark = Here();
    Advance();  // '{'
    std::vector<YamlEntry> entries;
    std::map<std::string, YamlMark, std::less<>> seen;
    SkipSpace();
    if (Peek() == '}') {
      Advance();
      return YamlNode::MakeMap(mark, {}, true);
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') {
        Fail("expected a quoted key, found " + Found() +
             (Peek() == '}' ? " (trailing comma?)" : ""));
        return nullptr;
      }
      YamlNodePtr key = ReadString();
      if (key == nullptr || !Count()) return nullptr;
      auto [it, inserted] = seen.emplace(key->text(), key->mark());
      if (!inserted) duplicates_.push_back({key->text(), it->second, key->mark()});
      SkipSpace();
      if (Peek() != ':') {
        Fail("expected ':' after key, found " + Found());
        return nullptr;
      }
      Advance();
      SkipSpace();
      YamlNodePtr value = ReadValue(depth + 1);
      if (value == nullptr) return nullptr;
      entries.push_back(YamlEntry{std::move(key), std::move(value), false});
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return YamlNode::MakeMap(mark, std::move(entries), true);
      }
      Fail("expected ',' or '}' in object, found " + Found());
      return nullptr;
    }
  }

  YamlNodePtr ReadArray(int depth) {
    const YamlMark mark = Here();
    Advance();  // '['
    std::vector<YamlNodePtr> items;
    SkipSpace();
    if (Peek() == ']') {
      Advance();
      return YamlNode::MakeSequence(mark, {}, true);
    }
    while (true) {
      SkipSpace();
      if (Peek() == ']') {
        Fail("expected a JSON value, found ']' (trailing comma?)");
        return nullptr;
      }
      YamlNodePtr item = ReadValue(depth + 1);
      if (item == nullptr) return nullptr;
      items.push_back(std::move(item));
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return YamlNode::MakeSequence(mark, std::move(items), true);
      }
      Fail("expected ',' or ']' in array, found " + Found());
      return nullptr;
    }
  }

  YamlNodePtr ReadNumber() {
    const YamlMark mark = Here();
    const size_t start = pos_;
    auto digits = [&] {
      size_t n = 0;
      while (Peek() >= '0' && Peek() <= '9') {
        Advance();
        ++n;
      }
      return n;
    };
    if (Peek() == '-') Advance();
    if (Peek() == '0') {
      Advance();
    } else if (digits() == 0) {
      Fail("invalid number");
      return nullptr;
    }
    if (Peek() == '.') {
      Advance();
      if (digits() == 0) {
        Fail("invalid number: digits expected after '.'");
        return nullptr;
      }
    }
    if (Peek() == 'e' || Peek() == 'E') {
      Advance();
      if (Peek() == '+' || Peek() == '-') Advance();
      if (digits() == 0) {
        Fail("invalid number: digits expected in exponent");
        return nullptr;
      }
    }
    return YamlNode::MakeScalar(mark, std::string(text_.substr(start, pos_ - start)));
  }

  bool ReadHex4(uint32_t& value) {
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = Peek();
      uint32_t digit = 0;
      if (c >= '0' && c <= '9')
        digit = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        digit = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        digit = static_cast<uint32_t>(c - 'A' + 10);
      else
        return false;
      value = value * 16 + digit;
      Advance();
    }
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  bool ReadUnicodeEscape(std::string& out) {
    uint32_t code = 0;
    if (!ReadHex4(code)) return false;
    if (code >= 0xD800 && code <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
      Advance();
      Advance();
      uint32_t low = 0;
      if (!ReadHex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    } else if (code >= 0xD800 && code <= 0xDFFF) {
      code = 0xFFFD;  // a lone surrogate: replaced, as encoding/json does
    }
    AppendUtf8(code, out);
    return true;
  }

  YamlNodePtr ReadString() {
    const YamlMark mark = Here();
    Advance();  // opening quote
    std::string value;
    while (true) {
      if (AtEnd()) {
        Fail("unterminated string (opened at " + std::to_string(mark.line) + ":" +
             std::to_string(mark.column) + ")");
        return nullptr;
      }
      const char c = Peek();
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) {
        Fail("control character in string (escape it)");
        return nullptr;
      }
      if (c != '\\') {
        value += c;
        Advance();
        continue;
      }
      Advance();
      const char e = Peek();
      static constexpr std::string_view kEscapes = "\"\\/bfnrt";
      static constexpr std::string_view kDecoded = "\"\\/\b\f\n\r\t";
      if (const size_t k = kEscapes.find(e); !AtEnd() && k != std::string_view::npos) {
        value += kDecoded[k];
        Advance();
      } else if (e == 'u') {
        Advance();
        if (!ReadUnicodeEscape(value)) {
          Fail("invalid \\u escape");
          return nullptr;
        }
      } else {
        Fail("invalid escape in string");
        return nullptr;
      }
    }
    Advance();  // closing quote
    return YamlNode::MakeScalar(mark, std::move(value), /*plain=*/false);
  }

  std::string_view text_;
  const YamlLimits& limits_;
  std::vector<YamlDuplicateKey>& duplicates_;
  core::Status status_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  size_t nodes_ = 0;
};

}  // namespace

core::Result<YamlStream> LoadJson(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       "input is " + std::to_string(text.size()) + " bytes, over the " +
                           std::to_string(limits.max_bytes) + "-byte limit");
  }
  RETURN_IF_ERROR(ValidateTextEncoding(text));
  YamlStream stream;
  JsonReader reader(text, limits, stream.duplicate_keys);
  ASSIGN_OR_RETURN(YamlNodePtr root, reader.ReadDocument());
  stream.documents.push_back(YamlDocument{std::move(root), YamlMark{1, 1}});
  return stream;
}

}  // namespace bulwark::parse
