#include "web/server.hpp"

#include <charconv>

#include "web/assets.hpp"
#include "web/auth.hpp"
#include "web/server_impl.hpp"

namespace bulwark::web {
namespace {

// Paths a browser must reach before it has the token: the login page and
// what it loads. They hold no data.
bool IsPublic(const std::string& path) {
  return path == "/login" || path == "/assets/login.js" || path == "/assets/app.css";
}

// Returns true when the request was answered (refused).
bool RefuseUnauthorized(const Server::Impl& impl, const httplib::Request& req,
                        httplib::Response& res) {
  if (impl.options.token.empty() || IsPublic(req.path)) return false;
  if (Authorized(impl.options.token, req.get_header_value("Authorization"),
                 req.get_header_value("Cookie"))) {
    return false;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Bearer realm=\"bulwark\"");
  if (req.path == "/" && req.method == "GET") {
    // The page itself: show the login form (static, no data).
    const EmbeddedAsset* login = FindAsset("login.html");
    if (login != nullptr) {
      res.set_content(std::string(login->text), std::string(AssetContentType(login->name)));
      return true;
    }
  }
  SendError(res, 401, "a token is required (Authorization: Bearer TOKEN)");
  return true;
}

httplib::Headers DefaultHeaders() {
  httplib::Headers headers;
  for (const auto& [name, value] : SecurityHeaders()) headers.emplace(name, value);
  return headers;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  return headers;
}

core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen) {
  std::string host = "127.0.0.1";
  std::string_view port_text = listen;
  if (const size_t colon = listen.rfind(':'); colon != std::string_view::npos) {
    std::string_view h = listen.substr(0, colon);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (!h.empty()) host = std::string(h);
    port_text = listen.substr(colon + 1);
  }
  int port = -1;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 ||
      port > 65535) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "--listen '" + std::string(listen) + "': expected HOST:PORT");
  }
  return std::pair{host, port};
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  // Messages are bulwark's own words, but escape anyway.
  std::string body = "{\"error\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') body.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) body.push_back(c);
  }
  body += "\"}";
  res.set_content(body, "application/json");
}

Server::Server(ServerOptions options, AlertStore& alerts, FindingsStore& findings,
               MetricsSource metrics)
    : impl_(std::make_unique<Impl>(std::move(options), alerts, findings, std::move(metrics))) {}

Server::~Server() { Stop(); }

core::Result<int> Server::Start() {
  httplib::Server& http = impl_->http;
  const size_t threads = impl_->options.worker_threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_default_headers(DefaultHeaders());
  http.set_payload_max_length(64 * 1024);
  http.set_read_timeout(std::chrono::seconds(10));
  http.set_write_timeout(std::chrono::seconds(5));
  http.set_keep_alive_timeout(5);
  Impl* impl = impl_.get();
  http.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
    return RefuseUnauthorized(*impl, req, res) ? httplib::Server::HandlerResponse::Handled
                                               : httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) SendError(res, res.status, "HTTP " + std::to_string(res.status));
  });
  InstallRoutes(*impl_);
  InstallEventStream(*impl_);

  const ServerOptions& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = http.bind_to_any_port(o.host);
  } else if (!http.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "cannot listen on " + o.host + ":" + std::to_string(o.port));
  }
  impl_->thread = std::thread([impl] { impl->http.listen_after_bind(); });
  return port;
}

void Server::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  impl_->alerts.Wake();
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace bulwark::web
