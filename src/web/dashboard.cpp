#include "web/dashboard.hpp"

#include <cstdlib>

#include "web/auth.hpp"

namespace bulwark::web {
namespace {

// The token the server requires, "" on loopback; `generated` says whether
// it was made up here (and must be shown to the user).
core::Result<std::string> ResolveToken(const DashboardOptions& options, const std::string& host,
                                       bool& generated) {
  generated = false;
  if (!options.token_file.empty()) return ReadTokenFile(options.token_file);
  if (const char* env = std::getenv("BULWARK_TOKEN"); env != nullptr && *env != '\0') {
    if (std::string_view(env).size() > kMaxTokenBytes) {
      return core::Error(core::ErrorCode::kTooLarge, "BULWARK_TOKEN is over 256 bytes");
    }
    return std::string(env);
  }
  if (IsLoopbackHost(host)) return std::string();
  generated = true;
  return GenerateToken();
}

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

Dashboard::Dashboard(const DashboardOptions& options)
    : alerts_(options.store), findings_(options.results, options.diagram) {}

Dashboard::~Dashboard() { Stop(); }

void Dashboard::Stop() {
  if (server_) server_->Stop();
}

core::Result<std::unique_ptr<Dashboard>> Dashboard::Start(const DashboardOptions& options,
                                                          MetricsSource metrics, const char* who,
                                                          std::FILE* notice) {
  ASSIGN_OR_RETURN(auto listen, ParseListen(options.listen));
  bool generated = false;
  ASSIGN_OR_RETURN(std::string token, ResolveToken(options, listen.first, generated));
  std::unique_ptr<Dashboard> dashboard(new Dashboard(options));
  ServerOptions server_options;
  server_options.host = listen.first;
  server_options.port = listen.second;
  server_options.token = token;
  dashboard->server_ = std::make_unique<Server>(server_options, dashboard->alerts_,
                                                dashboard->findings_, std::move(metrics));
  ASSIGN_OR_RETURN(dashboard->port_, dashboard->server_->Start());
  const std::string url =
      "http://" + UrlHost(listen.first) + ":" + std::to_string(dashboard->port_) + "/";
  if (notice != nullptr) {
    std::fprintf(notice, "bulwark %s: serving on %s%s\n", who, url.c_str(),
                 token.empty() ? "" : " (a token is required)");
    if (generated) {
      std::fprintf(notice,
                   "bulwark %s: generated token (shown once): open %s#token=%s or send "
                   "\"Authorization: Bearer %s\"\n",
                   who, url.c_str(), token.c_str(), token.c_str());
    }
    std::fflush(notice);
  }
  return dashboard;
}

}  // namespace bulwark::web
