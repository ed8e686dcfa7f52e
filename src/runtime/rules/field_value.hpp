// Values of fields as the rule engine compares and renders them.
//
// A field extracted for one event is an Extraction: absent (the field
// cannot be read: every comparison is false, the output shows <NA>), or one
// or more Values. Strings are views into the event, the state tables or the
// Extraction's own buffers, so extraction does not allocate once buffers
// have grown; views stay valid until the next event.
//
// Value types; thread-compatible.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::runtime::rules {

struct IpAddr {
  uint8_t family = 0;  // 4 or 6; 0: none
  std::array<uint8_t, 16> bytes{};

  friend bool operator==(const IpAddr&, const IpAddr&) = default;
};

struct Cidr {
  IpAddr base;
  uint8_t prefix = 0;
  bool Contains(const IpAddr& ip) const;
};

// "1.2.3.4", "::1" (IPv4-mapped IPv6 is compared as IPv4).
std::optional<IpAddr> ParseIp(std::string_view text);
// "10.0.0.0/8"; a plain address is a /32 (/128).
std::optional<Cidr> ParseCidr(std::string_view text);
void AppendIp(const IpAddr& ip, std::string& out);

enum class ValueKind : uint8_t { kString, kInt, kBool, kIp };

// One value. Only the member `kind` names is meaningful (a union keeps the
// value small: extraction builds many of them per event).
struct Value {
  ValueKind kind = ValueKind::kString;
  union {
    std::string_view str;
    int64_t num;  // kInt; kBool as 0/1
    IpAddr ip;
  };

  Value() : str() {}
  static Value Str(std::string_view s) {
    Value v;
    v.str = s;
    return v;
  }
  static Value Int(int64_t n) {
    Value v;
    v.kind = ValueKind::kInt;
    v.num = n;
    return v;
  }
  static Value Bool(bool b) {
    Value v = Int(b ? 1 : 0);
    v.kind = ValueKind::kBool;
    return v;
  }
  static Value Ip(const IpAddr& a) {
    Value v;
    v.kind = ValueKind::kIp;
    v.ip = a;
    return v;
  }
};

// Appends the text form of a value ("true", "42", "10.0.0.1", the string).
void AppendValue(const Value& v, std::string& out);

// The values of one extraction, in storage that keeps its capacity across
// events: adding a value is a store, not a call into std::vector (the
// engine adds several per event, so this is on the hot path).
class ValueList {
 public:
  void clear() { size_ = 0; }
  void push_back(const Value& v) {
    if (size_ < storage_.size()) [[likely]] {
      storage_[size_++] = v;
    } else {
      Grow(v);
    }
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Value& operator[](size_t i) const { return storage_[i]; }
  const Value* begin() const { return storage_.data(); }
  const Value* end() const { return storage_.data() + size_; }

 private:
  // Out of line so that push_back stays small enough to inline.
  void Grow(const Value& v);

  std::vector<Value> storage_;  // [0, size_) in use
  size_t size_ = 0;
};

class Extraction {
 public:
  void Reset() {
    present = false;
    values.clear();
    used_buffers_ = 0;
  }
  void Set(Value v) {
    present = true;
    values.push_back(v);
  }
  // A scratch string owned by this extraction, cleared, kept across events.
  std::string& NewBuffer() {
    if (used_buffers_ == buffers_.size()) buffers_.emplace_back();
    std::string& b = buffers_[used_buffers_++];
    b.clear();
    return b;
  }
  // Sets a string that lives in the last NewBuffer().
  void SetBuffer() { Set(Value::Str(buffers_[used_buffers_ - 1])); }

  bool present = false;
  ValueList values;

 private:
  std::deque<std::string> buffers_;  // a deque: growing it keeps views into earlier buffers valid
  size_t used_buffers_ = 0;
};

}  // namespace bulwark::runtime::rules
