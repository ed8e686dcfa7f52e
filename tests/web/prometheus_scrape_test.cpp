// A real Prometheus (Debian's /usr/bin/prometheus) scrapes `bulwark serve`'s
// /metrics — bound off loopback, so with the token, as Prometheus'
// authorization.credentials_file sends it — and its query API returns the
// series with the values the server counted. Skipped without prometheus.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "web/server.hpp"

extern char** environ;

namespace bulwark::web {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPrometheus = "/usr/bin/prometheus";

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class PrometheusProcess {
 public:
  explicit PrometheusProcess(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  ~PrometheusProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

runtime::Alert MakeAlert(std::string rule, std::string container, runtime::Priority p) {
  runtime::Alert a;
  a.rule = std::move(rule);
  a.priority = p;
  a.output_fields = {{"container.name", std::move(container)}, {"proc.name", "sh"}};
  return a;
}

// The series `query` returns: the value of `label` -> the sample's value.
std::map<std::string, std::string> Query(httplib::Client& prom, const std::string& query,
                                         const std::string& label) {
  std::map<std::string, std::string> out;
  httplib::Params params{{"query", query}};
  auto res = prom.Get("/api/v1/query", params, httplib::Headers{});
  if (!res || res->status != 200) return out;
  auto doc = nlohmann::json::parse(res->body, nullptr, false);
  if (!doc.is_object() || doc["status"] != "success") return out;
  for (const auto& r : doc["data"]["result"]) {
    out[r["metric"].value(label, std::string())] = r["value"][1].template get<std::string>();
  }
  return out;
}

TEST(PrometheusScrape, ARealPrometheusScrapesTheTokenProtectedMetrics) {
  if (!fs::exists(kPrometheus)) GTEST_SKIP() << kPrometheus << " is missing";
  const fs::path dir = fs::temp_directory_path() / ("bulwark_prom_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "data");

  AlertStore alerts;
  FindingsStore findings(std::nullopt);
  ServerOptions options;
  options.host = "0.0.0.0";
  options.port = 0;
  options.token = "prom-scrape-token";
  Server server(options, alerts, findings);
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status().message();
  alerts.Add(MakeAlert("Terminal shell in container", "web", runtime::Priority::kWarning));
  alerts.Add(MakeAlert("Terminal shell in container", "web", runtime::Priority::kWarning));
  alerts.Add(MakeAlert("Read sensitive \"file\"", "db", runtime::Priority::kCritical));

  std::ofstream(dir / "token") << options.token << "\n";
  std::ofstream(dir / "prometheus.yml")
      << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
      << "scrape_configs:\n  - job_name: bulwark\n    authorization:\n"
      << "      type: Bearer\n      credentials_file: " << (dir / "token").string() << "\n"
      << "    static_configs:\n      - targets: ['127.0.0.1:" << *port << "']\n";
  const int prom_port = FreePort();
  PrometheusProcess prometheus({kPrometheus, "--config.file=" + (dir / "prometheus.yml").string(),
                                "--storage.tsdb.path=" + (dir / "data").string(),
                                "--web.listen-address=127.0.0.1:" + std::to_string(prom_port),
                                "--log.level=warn"});
  ASSERT_TRUE(prometheus.started());

  httplib::Client prom("127.0.0.1", prom_port);
  prom.set_connection_timeout(std::chrono::seconds(1));
  std::map<std::string, std::string> by_rule;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    by_rule = Query(prom, "bulwark_alerts_total", "rule");
    if (by_rule.size() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_EQ(by_rule["Terminal shell in container"], "2");
  EXPECT_EQ(by_rule["Read sensitive \"file\""], "1");
  EXPECT_EQ(Query(prom, "up{job=\"bulwark\"}", "job")["bulwark"], "1");
  auto by_container = Query(prom, "bulwark_alerts_by_container_total", "container");
  EXPECT_EQ(by_container["web"], "2");
  EXPECT_EQ(by_container["db"], "1");
  EXPECT_EQ(Query(prom, "bulwark_build_info", "version").size(), 1u);
  EXPECT_EQ(Query(prom, "bulwark_findings", "severity").size(), 5u);
  server.Stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::web
