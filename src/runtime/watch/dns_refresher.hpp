// Keeps the DnsCache behind fd.*.name conditions (e.g. the mining-pool
// domains) fresh: resolves the rules' names at start and then every
// `interval`, on a thread of its own, so a slow resolver never delays rule
// evaluation (Falco's DNS manager does the same).
//
// The thread is detached on destruction: a getaddrinfo call cannot be
// interrupted, and shutting down must not wait for a resolver timeout. It
// shares ownership of the cache, so nothing it touches goes away under it.
//
// Thread-safe: Start once, then the destructor; cache() may be read anywhere.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "runtime/rules/dns_cache.hpp"

namespace bulwark::runtime::watch {

class DnsRefresher {
 public:
  explicit DnsRefresher(std::chrono::seconds interval = std::chrono::minutes(5));
  ~DnsRefresher();
  DnsRefresher(const DnsRefresher&) = delete;
  DnsRefresher& operator=(const DnsRefresher&) = delete;

  // The cache to give Engine::Load; it lives as long as this object or the
  // refresh thread, whichever is longer.
  const rules::DnsCache* cache() const;

  // Starts resolving `names` (no thread when there are none).
  void Start(std::vector<std::string> names);

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::chrono::seconds interval_;
};

}  // namespace bulwark::runtime::watch
