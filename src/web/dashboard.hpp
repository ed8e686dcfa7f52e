// One running dashboard, as `bulwark serve` and `bulwark watch --serve`
// start it: the alert store, the findings store over a results directory,
// and the server on the --listen address. Bound to anything but loopback it
// needs a token: the first line of --token-file, else BULWARK_TOKEN, else
// one generated here and printed once (to `notice`, a terminal) with the
// page's address; it is never written anywhere else.
//
// Thread-safe as its parts: alerts() may be fed from any thread.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "web/alert_store.hpp"
#include "web/findings_store.hpp"
#include "web/server.hpp"

namespace bulwark::web {

struct DashboardOptions {
  std::string listen = "127.0.0.1:8080";
  std::string token_file;
  std::optional<std::filesystem::path> results;  // the results directory
  std::optional<std::filesystem::path> diagram;  // default: results/architecture_diagram.svg
  AlertStoreOptions store;
};

class Dashboard {
 public:
  // Binds and starts serving; prints "bulwark <who>: serving on URL" to
  // `notice` (and the token's URL when one was generated).
  static core::Result<std::unique_ptr<Dashboard>> Start(const DashboardOptions& options,
                                                        MetricsSource metrics, const char* who,
                                                        std::FILE* notice);
  ~Dashboard();

  AlertStore& alerts() { return alerts_; }
  int port() const { return port_; }
  void Stop();

 private:
  explicit Dashboard(const DashboardOptions& options);

  AlertStore alerts_;
  FindingsStore findings_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

}  // namespace bulwark::web
