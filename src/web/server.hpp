// `bulwark serve`'s HTTP server (cpp-httplib): the dashboard, /metrics,
// /api/alerts, /api/alerts/ID, /api/summary, /api/findings, the live stream
// /api/stream (Server-Sent Events) and the threat-model diagram
// /diagram.svg. Routes and security model: docs/serve.md.
//
// Every response carries the security headers (SecurityHeaders below:
// strict CSP without inline script, nosniff, no referrer, no caching, no
// framing). Bound to a non-loopback address, every request needs the token
// (auth.hpp). A stream client that falls more than `stream_backlog` alerts
// behind, or whose alerts left the ring, is told so and dropped: the
// pipeline that adds alerts never waits for a client.
//
// Thread-safe: Start and Stop from one owner thread; requests are served on
// the server's own worker threads, reading the stores (which lock).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "runtime/output/metrics.hpp"
#include "web/alert_store.hpp"
#include "web/findings_store.hpp"

namespace bulwark::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;     // 0: any free port (Start returns it)
  std::string token;   // required on every request when not empty
  size_t max_stream_clients = 8;
  size_t stream_backlog = 2'000;
  std::chrono::milliseconds stream_poll{1000};       // stop-flag check interval
  std::chrono::milliseconds stream_heartbeat{15000};
  size_t worker_threads = 16;
};

// Watch's live counters; when empty, /metrics counts from the alert store.
using MetricsSource = std::function<runtime::output::MetricsSnapshot()>;

// The headers every response carries (name, value).
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// "host:port" or ":port" or "port" -> host (default 127.0.0.1) and port;
// "[::1]:8080" for IPv6.
core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen);

class Server {
 public:
  // The stores must outlive the server.
  Server(ServerOptions options, AlertStore& alerts, FindingsStore& findings,
         MetricsSource metrics = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on a thread of its own; returns the bound port.
  core::Result<int> Start();
  // Ends every stream and request and joins the thread. Idempotent.
  void Stop();

  // Defined in server_impl.hpp, private to src/web (the route handlers).
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::web
