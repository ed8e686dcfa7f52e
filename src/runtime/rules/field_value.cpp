#include "runtime/rules/field_value.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace bulwark::runtime::rules {

void ValueList::Grow(const Value& v) {
  storage_.push_back(v);
  ++size_;
}

bool Cidr::Contains(const IpAddr& ip) const {
  if (ip.family != base.family || ip.family == 0) return false;
  size_t bits = prefix;
  size_t full = bits / 8;
  if (std::memcmp(ip.bytes.data(), base.bytes.data(), full) != 0) return false;
  size_t rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (ip.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::optional<IpAddr> ParseIp(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  char buf[65];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddr ip;
  if (inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
    ip.family = 4;
    return ip;
  }
  if (inet_pton(AF_INET6, buf, ip.bytes.data()) == 1) {
    ip.family = 6;
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) {
      std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
      std::memset(ip.bytes.data() + 4, 0, 12);
      ip.family = 4;
    }
    return ip;
  }
  return std::nullopt;
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  auto ip = ParseIp(text.substr(0, slash));
  if (!ip) return std::nullopt;
  Cidr c;
  c.base = *ip;
  int max = ip->family == 4 ? 32 : 128;
  c.prefix = static_cast<uint8_t>(max);
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    int n = -1;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
    if (ec != std::errc() || end != p.data() + p.size() || n < 0 || n > max) return std::nullopt;
    c.prefix = static_cast<uint8_t>(n);
  }
  return c;
}

void AppendIp(const IpAddr& ip, std::string& out) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ip.family == 4) {
    inet_ntop(AF_INET, ip.bytes.data(), buf, sizeof(buf));
  } else if (ip.family == 6) {
    inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof(buf));
  }
  out += buf;
}

void AppendValue(const Value& v, std::string& out) {
  switch (v.kind) {
    case ValueKind::kString: out.append(v.str); break;
    case ValueKind::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v.num);
      out.append(buf, ec == std::errc() ? end : buf);
      break;
    }
    case ValueKind::kBool: out += v.num != 0 ? "true" : "false"; break;
    case ValueKind::kIp: AppendIp(v.ip, out); break;
  }
}

}  // namespace bulwark::runtime::rules
