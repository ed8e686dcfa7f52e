// A small, strict pull reader for the JSON the DB writes itself
// (vuln_db_codec.cpp): objects, arrays, strings and integers, decoded
// straight into the caller's values without building a DOM. The matcher
// reads thousands of these per scan; a DOM parse was most of its time.
// Any malformed input makes ok() false and every later call a no-op; it
// never throws and never reads past the end. Not thread-safe (one per text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::vuln {

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  bool ok() const { return ok_; }
  // True at the end of the input (only whitespace left).
  bool AtEnd();

  // `{` / `[`; false (and not ok) when something else is next.
  bool BeginObject() { return Begin('{'); }
  bool BeginArray() { return Begin('['); }
  // Inside an object: reads the next key into `key` and the ':' after it;
  // false at the closing '}' (consumed) or on an error.
  bool NextKey(std::string& key);
  // Inside an array: true when another element follows (after a ','),
  // false at the closing ']' (consumed) or on an error.
  bool NextElement();

  bool ReadString(std::string& out);
  bool ReadInt(int64_t& out);
  // Skips one value of any kind (unknown keys), nesting bounded.
  bool Skip(int depth = 0);

 private:
  void SkipSpace();
  bool Expect(char c);
  bool Begin(char c);
  bool Fail() { return ok_ = false; }
  bool ReadEscape(std::string& out);

  std::string_view text_;
  size_t pos_ = 0;
  bool ok_ = true;
  bool first_ = true;  // no element read yet in the innermost container
};

}  // namespace bulwark::vuln
