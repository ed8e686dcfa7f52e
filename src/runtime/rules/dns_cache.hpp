// The names behind fd.sip.name, fd.cip.name, fd.rip.name and fd.lip.name,
// resolved like Falco's DNS manager: a condition `fd.sip.name = X` is true
// when the server address is one of X's addresses. The engine lists the
// names its rules compare against (Engine::DnsNames()); whoever runs the
// engine resolves them with Refresh() from a thread of its own, every few
// minutes, so lookups never block rule evaluation. Tests call Set().
//
// Thread-safe: lookups and updates are guarded by one mutex.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/rules/field_value.hpp"

namespace bulwark::runtime::rules {

class DnsCache {
 public:
  void Set(const std::string& name, std::vector<IpAddr> addresses);
  // Resolves every name with getaddrinfo (blocking); a name that does not
  // resolve keeps the addresses it had (none at first). Returns how many
  // names resolved.
  size_t Refresh(const std::vector<std::string>& names);

  bool Matches(std::string_view name, const IpAddr& ip) const;
  // A name whose addresses include `ip` (the first in name order).
  std::optional<std::string> NameOf(const IpAddr& ip) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<IpAddr>, std::less<>> entries_;  // guarded by mu_
};

}  // namespace bulwark::runtime::rules
