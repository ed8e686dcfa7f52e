// Builds raw sensor records (sensor_abi.h) byte by byte, as the kernel
// writes them, for decoder and state tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/bpf/sensor_abi.h"

namespace bulwark::runtime::sensor::testing {

class RecordBuilder {
 public:
  RecordBuilder(uint16_t kind, uint16_t nr, int64_t res, uint32_t pid = 42, uint32_t tid = 42) {
    hdr_.ts = 1'000'000'000ULL;
    hdr_.tid = tid;
    hdr_.pid = pid;
    hdr_.res = res;
    hdr_.kind = kind;
    hdr_.nr = nr;
    hdr_.cpu = 1;
  }
  RecordBuilder& Raw(const void* data, size_t len) {
    uint16_t n = static_cast<uint16_t>(len);
    body_.push_back(static_cast<uint8_t>(n & 0xff));
    body_.push_back(static_cast<uint8_t>(n >> 8));
    const auto* p = static_cast<const uint8_t*>(data);
    body_.insert(body_.end(), p, p + len);
    ++hdr_.nparams;
    return *this;
  }
  RecordBuilder& Int(uint64_t v) { return Raw(&v, sizeof(v)); }
  RecordBuilder& Str(std::string_view s) { return Raw(s.data(), s.size()); }
  template <typename T>
  RecordBuilder& Struct(const T& v) { return Raw(&v, sizeof(T)); }
  RecordBuilder& Ts(uint64_t ts) {
    hdr_.ts = ts;
    return *this;
  }
  RecordBuilder& Flags(uint32_t f) {
    hdr_.flags = f;
    return *this;
  }
  std::vector<uint8_t> Build() const {
    bw_hdr h = hdr_;
    h.len = static_cast<uint32_t>(sizeof(h) + body_.size());
    std::vector<uint8_t> out(sizeof(h) + body_.size());
    std::memcpy(out.data(), &h, sizeof(h));
    if (!body_.empty()) std::memcpy(out.data() + sizeof(h), body_.data(), body_.size());
    return out;
  }

 private:
  bw_hdr hdr_{};
  std::vector<uint8_t> body_;
};

// A sockaddr_in as the kernel copies it from user memory.
inline std::string SockaddrIn(const uint8_t ip[4], uint16_t port) {
  std::string s(16, '\0');
  s[0] = 2;  // AF_INET, little-endian
  s[2] = static_cast<char>(port >> 8);
  s[3] = static_cast<char>(port & 0xff);
  std::memcpy(s.data() + 4, ip, 4);
  return s;
}

// Path components leaf first, each NUL-terminated ("/a/b" -> "b\0a\0").
inline std::string LeafFirst(std::initializer_list<std::string_view> root_to_leaf) {
  std::vector<std::string_view> parts(root_to_leaf);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out.append(*it);
    out.push_back('\0');
  }
  return out;
}

}  // namespace bulwark::runtime::sensor::testing
