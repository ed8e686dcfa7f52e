#include "runtime/rules/dns_cache.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace bulwark::runtime::rules {

void DnsCache::Set(const std::string& name, std::vector<IpAddr> addresses) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[name] = std::move(addresses);
}

size_t DnsCache::Refresh(const std::vector<std::string>& names) {
  size_t resolved = 0;
  for (const auto& name : names) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::vector<IpAddr> addrs;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) == 0) {
      for (addrinfo* a = res; a != nullptr && addrs.size() < 64; a = a->ai_next) {
        IpAddr ip;
        if (a->ai_family == AF_INET) {
          ip.family = 4;
          std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, 4);
        } else if (a->ai_family == AF_INET6) {
          ip.family = 6;
          std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, 16);
        } else {
          continue;
        }
        if (std::find(addrs.begin(), addrs.end(), ip) == addrs.end()) addrs.push_back(ip);
      }
      freeaddrinfo(res);
    }
    // A failed lookup keeps the last good answer: a resolver hiccup must
    // not make a mining-pool rule blind until the next refresh.
    if (addrs.empty()) continue;
    ++resolved;
    Set(name, std::move(addrs));
  }
  return resolved;
}

bool DnsCache::Matches(std::string_view name, const IpAddr& ip) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return false;
  return std::find(it->second.begin(), it->second.end(), ip) != it->second.end();
}

std::optional<std::string> DnsCache::NameOf(const IpAddr& ip) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, addrs] : entries_) {
    if (std::find(addrs.begin(), addrs.end(), ip) != addrs.end()) return name;
  }
  return std::nullopt;
}

}  // namespace bulwark::runtime::rules
