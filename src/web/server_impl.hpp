// Private to src/web: the server's state shared by its route handlers
// (server.cpp owns it; routes.cpp and event_stream.cpp add the handlers).
// Only these files include httplib.h (slow to compile). Handlers run on the
// server's worker threads: the fields below are immutable after Start, or
// atomic, or thread-safe objects.
#pragma once

#include <atomic>
#include <thread>

#include <httplib.h>

#include "web/server.hpp"

namespace bulwark::web {

struct Server::Impl {
  Impl(ServerOptions o, AlertStore& a, FindingsStore& f, MetricsSource m)
      : options(std::move(o)), alerts(a), findings(f), metrics(std::move(m)) {}

  const ServerOptions options;
  AlertStore& alerts;
  FindingsStore& findings;
  const MetricsSource metrics;
  httplib::Server http;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> stream_clients{0};
};

// routes.cpp: the dashboard, the API, /metrics, the diagram.
void InstallRoutes(Server::Impl& impl);
// event_stream.cpp: GET /api/stream.
void InstallEventStream(Server::Impl& impl);

// A JSON body {"error": message} with `status`.
void SendError(httplib::Response& res, int status, const std::string& message);

}  // namespace bulwark::web
