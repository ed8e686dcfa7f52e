// The request handlers of `bulwark serve` other than the event stream.
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/output/prometheus.hpp"
#include "web/alert_api.hpp"
#include "web/assets.hpp"
#include "web/metrics_page.hpp"
#include "web/server_impl.hpp"

namespace bulwark::web {
namespace {

constexpr uintmax_t kMaxDiagramBytes = 8u << 20;

// The diagram is an image with a policy of its own: Graphviz writes inline
// styles; nothing in it may run or load anything.
constexpr const char* kDiagramPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

void SendAsset(httplib::Response& res, std::string_view name) {
  const EmbeddedAsset* asset = FindAsset(name);
  if (asset == nullptr) return SendError(res, 404, "no such file");
  res.set_content(std::string(asset->text), std::string(AssetContentType(asset->name)));
}

void SendJson(httplib::Response& res, std::string body) {
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

std::multimap<std::string, std::string> Params(const httplib::Request& req) {
  return {req.params.begin(), req.params.end()};
}

void HandleAlerts(Server::Impl& impl, const httplib::Request& req, httplib::Response& res) {
  core::Result<AlertFilter> filter = ParseAlertFilter(Params(req));
  if (!filter.ok()) return SendError(res, 400, filter.status().message());
  SendJson(res, RenderAlertList(impl.alerts, *filter));
}

void HandleOneAlert(Server::Impl& impl, const httplib::Request& req, httplib::Response& res) {
  uint64_t id = 0;
  const std::string text = req.matches[1];
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  StoredAlertPtr stored = ec == std::errc() ? impl.alerts.Find(id) : nullptr;
  if (!stored) return SendError(res, 404, "no such alert (it may have left the ring)");
  SendJson(res, RenderOneAlert(*stored));
}

void HandleMetrics(Server::Impl& impl, httplib::Response& res) {
  const AlertCounts counts = impl.alerts.Counts();
  const runtime::output::MetricsSnapshot watch =
      impl.metrics ? impl.metrics() : SnapshotFromCounts(counts);
  res.set_content(RenderMetricsPage(watch, counts, impl.alerts.Stats(), impl.findings.Totals()),
                  std::string(runtime::output::kPrometheusContentType));
}

void HandleDiagram(Server::Impl& impl, httplib::Response& res) {
  std::optional<std::filesystem::path> path = impl.findings.Diagram();
  std::error_code ec;
  if (!path || std::filesystem::file_size(*path, ec) > kMaxDiagramBytes || ec) {
    return SendError(res, 404, "no threat-model diagram (run bulwark model)");
  }
  std::ifstream in(*path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  res.headers.erase("Content-Security-Policy");
  res.set_header("Content-Security-Policy", kDiagramPolicy);
  res.set_content(text.str(), "image/svg+xml");
}

}  // namespace

void InstallRoutes(Server::Impl& impl) {
  httplib::Server& http = impl.http;
  Server::Impl* p = &impl;
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    SendAsset(res, "index.html");
  });
  http.Get("/login", [](const httplib::Request&, httplib::Response& res) {
    SendAsset(res, "login.html");
  });
  http.Get(R"(/assets/([a-z_]+\.(js|css)))", [](const httplib::Request& req,
                                                httplib::Response& res) {
    SendAsset(res, std::string(req.matches[1]));
  });
  // Reaching here means the Bearer header passed the token check: hand the
  // browser the cookie that carries it for the page's own requests.
  http.Post("/api/login", [p](const httplib::Request&, httplib::Response& res) {
    if (!p->options.token.empty()) {
      res.set_header("Set-Cookie", "bulwark_token=" + p->options.token +
                                       "; Path=/; HttpOnly; SameSite=Strict");
    }
    res.status = 204;
  });
  http.Get("/api/alerts", [p](const httplib::Request& req, httplib::Response& res) {
    HandleAlerts(*p, req, res);
  });
  http.Get(R"(/api/alerts/(\d{1,19}))", [p](const httplib::Request& req, httplib::Response& res) {
    HandleOneAlert(*p, req, res);
  });
  http.Get("/api/summary", [p](const httplib::Request&, httplib::Response& res) {
    SendJson(res, RenderAlertSummary(p->alerts));
  });
  http.Get("/api/findings", [p](const httplib::Request&, httplib::Response& res) {
    SendJson(res, p->findings.Json());
  });
  http.Get("/metrics", [p](const httplib::Request&, httplib::Response& res) {
    HandleMetrics(*p, res);
  });
  http.Get("/diagram.svg", [p](const httplib::Request&, httplib::Response& res) {
    HandleDiagram(*p, res);
  });
}

}  // namespace bulwark::web
