#include "runtime/watch/dns_refresher.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

namespace bulwark::runtime::watch {

struct DnsRefresher::Shared {
  rules::DnsCache cache;
  std::mutex mu;
  std::condition_variable wake;
  bool stop = false;  // guarded by mu
};

DnsRefresher::DnsRefresher(std::chrono::seconds interval)
    : shared_(std::make_shared<Shared>()), interval_(interval) {}

DnsRefresher::~DnsRefresher() {
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->wake.notify_all();
}

const rules::DnsCache* DnsRefresher::cache() const { return &shared_->cache; }

void DnsRefresher::Start(std::vector<std::string> names) {
  if (names.empty()) return;
  std::thread([shared = shared_, names = std::move(names), interval = interval_] {
    std::unique_lock<std::mutex> lock(shared->mu);
    while (!shared->stop) {
      lock.unlock();
      shared->cache.Refresh(names);
      lock.lock();
      shared->wake.wait_for(lock, interval, [&] { return shared->stop; });
    }
  }).detach();
}

}  // namespace bulwark::runtime::watch
