#include "web/server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <regex>
#include <sstream>

#include "web/auth.hpp"

namespace bulwark::web {
namespace {

using runtime::Alert;

constexpr const char* kHostile = "<img src=x onerror=alert(1)>";

Alert MakeAlert(std::string rule, std::string proc, std::string container = "web") {
  Alert a;
  a.time_ns = 1'800'000'000'000'000'000ull;
  a.rule = std::move(rule);
  a.priority = runtime::Priority::kCritical;
  a.output = "proc " + proc;
  a.output_fields = {{"proc.name", proc}, {"container.name", container}};
  return a;
}

class ServerTest : public ::testing::Test {
 protected:
  void Start(std::string token = "", std::string host = "127.0.0.1") {
    ServerOptions options;
    options.host = host;
    options.port = 0;
    options.token = std::move(token);
    options.stream_poll = std::chrono::milliseconds(50);
    server_ = std::make_unique<Server>(options, alerts_, findings_);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().message();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(std::chrono::seconds(5));
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  AlertStore alerts_;
  FindingsStore findings_{std::nullopt};
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

void ExpectSecurityHeaders(const httplib::Result& res, const std::string& path) {
  ASSERT_TRUE(res) << path;
  EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
      << path;
  EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u) << path;
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << path;
}

const std::vector<std::string> kPaths = {"/",           "/login",       "/assets/app.js",
                                         "/assets/app.css", "/api/alerts", "/api/alerts/1",
                                         "/api/summary", "/api/findings", "/metrics",
                                         "/nothing-here", "/diagram.svg"};

TEST_F(ServerTest, EveryRouteAnswersWithTheSecurityHeaders) {
  Start();
  alerts_.Add(MakeAlert("r", "sh"));
  for (const std::string& path : kPaths) {
    auto res = client_->Get(path);
    ExpectSecurityHeaders(res, path);
  }
  EXPECT_EQ(client_->Get("/")->status, 200);
  EXPECT_EQ(client_->Get("/assets/app.js")->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(client_->Get("/assets/nope.js")->status, 404);
  EXPECT_EQ(client_->Get("/nothing-here")->status, 404);
  EXPECT_EQ(client_->Get("/diagram.svg")->status, 404);  // no results dir
  EXPECT_EQ(client_->Get("/api/alerts/1")->status, 200);
  EXPECT_EQ(client_->Get("/api/alerts/99")->status, 404);
  EXPECT_EQ(client_->Get("/api/alerts?priority=loud")->status, 400);
}

TEST_F(ServerTest, LoopbackNeedsNoToken) {
  Start();
  EXPECT_EQ(client_->Get("/api/alerts")->status, 200);
  EXPECT_EQ(client_->Get("/metrics")->status, 200);
}

TEST_F(ServerTest, ATokenIsRequiredOnEveryRequestWhenConfigured) {
  // Bound to every interface: the CLI sets a token; tested over loopback.
  Start("s3cret-token", "0.0.0.0");
  for (const std::string& path : kPaths) {
    if (path == "/login" || path == "/assets/app.css") continue;  // the login page's own files
    auto none = client_->Get(path);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401) << path;
    ExpectSecurityHeaders(none, path);
    EXPECT_EQ(none->body.find("s3cret"), std::string::npos);
    auto wrong = client_->Get(path, {{"Authorization", "Bearer s3cret-tokeN"}});
    EXPECT_EQ(wrong->status, 401) << path;
    auto cookie = client_->Get(path, {{"Cookie", "bulwark_token=nope"}});
    EXPECT_EQ(cookie->status, 401) << path;
  }
  EXPECT_EQ(client_->Get("/metrics", {{"Authorization", "Bearer s3cret-token"}})->status, 200);
  EXPECT_EQ(client_->Get("/api/alerts", {{"Cookie", "a=b; bulwark_token=s3cret-token"}})->status,
            200);
  // The login exchange hands the browser an HttpOnly cookie.
  auto login = client_->Post("/api/login", {{"Authorization", "Bearer s3cret-token"}}, "", "");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 204);
  EXPECT_NE(login->get_header_value("Set-Cookie").find("HttpOnly"), std::string::npos);
  EXPECT_EQ(client_->Post("/api/login", "", "")->status, 401);
  // The page itself without a token: the login form, with no data.
  auto page = client_->Get("/");
  EXPECT_NE(page->body.find("login.js"), std::string::npos);
}

TEST(Auth, ComparesTokensAndReadsThemFromHeaders) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_EQ(RequestToken("Bearer  xyz ", ""), "xyz");
  EXPECT_EQ(RequestToken("bearer xyz", ""), "xyz");
  EXPECT_EQ(RequestToken("", "x=1;bulwark_token=t2; y=2"), "t2");
  EXPECT_FALSE(RequestToken("Basic abc", "bulwark_tokenx=1").has_value());
  EXPECT_TRUE(Authorized("", "", ""));
  EXPECT_FALSE(Authorized("t", "", ""));
  auto token = GenerateToken();
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 64u);
  EXPECT_NE(*token, *GenerateToken());
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

TEST(Listen, ParsesHostAndPort) {
  EXPECT_EQ(*ParseListen("127.0.0.1:8080"), (std::pair<std::string, int>{"127.0.0.1", 8080}));
  EXPECT_EQ(*ParseListen(":9000"), (std::pair<std::string, int>{"127.0.0.1", 9000}));
  EXPECT_EQ(*ParseListen("9000"), (std::pair<std::string, int>{"127.0.0.1", 9000}));
  EXPECT_EQ(*ParseListen("[::1]:80"), (std::pair<std::string, int>{"::1", 80}));
  EXPECT_FALSE(ParseListen("host:port").ok());
  EXPECT_FALSE(ParseListen("host:70000").ok());
}

TEST_F(ServerTest, HostileAlertContentComesBackJsonEscapedAndNeverInHtml) {
  Start();
  alerts_.Add(MakeAlert("Rule </script><script>alert(2)</script>", kHostile, kHostile));
  for (const char* path : {"/api/alerts", "/api/alerts/1", "/api/summary"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body.find('<'), std::string::npos) << path;
    EXPECT_NE(res->body.find("\\u003cimg src=x onerror=alert(1)\\u003e"), std::string::npos);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  }
  auto doc = nlohmann::json::parse(client_->Get("/api/alerts/1")->body);
  EXPECT_EQ(doc["alert"]["output_fields"]["proc.name"], kHostile);
  // The served HTML and scripts are constant: no alert data in them.
  for (const char* path : {"/", "/assets/app.js"}) {
    auto res = client_->Get(path);
    EXPECT_EQ(res->body.find("onerror=alert"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("innerHTML"), std::string::npos) << path;
  }
}

TEST_F(ServerTest, ApiFiltersThroughQueryParameters) {
  Start();
  alerts_.Add(MakeAlert("Shell", "bash", "web"));
  alerts_.Add(MakeAlert("Shadow", "cat", "db"));
  auto doc = nlohmann::json::parse(client_->Get("/api/alerts?container=db&q=CAT")->body);
  ASSERT_EQ(doc["alerts"].size(), 1u);
  EXPECT_EQ(doc["alerts"][0]["alert"]["rule"], "Shadow");
  doc = nlohmann::json::parse(client_->Get("/api/alerts?since=1")->body);
  ASSERT_EQ(doc["alerts"].size(), 1u);
  EXPECT_EQ(doc["latest_id"], 2);
}

TEST_F(ServerTest, StreamDeliversAlertsAddedAfterItOpened) {
  Start();
  alerts_.Add(MakeAlert("before", "sh"));
  std::string received;
  std::thread adder([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    alerts_.Add(MakeAlert("live-1", kHostile));
    alerts_.Add(MakeAlert("live-2", "sh"));
  });
  client_->Get("/api/stream", [&](const char* data, size_t n) {
    received.append(data, n);
    return received.find("live-2") == std::string::npos;  // stop once both arrived
  });
  adder.join();
  EXPECT_EQ(received.find("before"), std::string::npos);
  EXPECT_NE(received.find("id: 2\nevent: alert\ndata: {\"id\":2,"), std::string::npos);
  EXPECT_NE(received.find("id: 3\nevent: alert\n"), std::string::npos);
  EXPECT_EQ(received.find('<'), std::string::npos);
  // Resuming after id 1 replays from there.
  std::string replay;
  client_->Get("/api/stream?since=1", [&](const char* data, size_t n) {
    replay.append(data, n);
    return replay.find("live-2") == std::string::npos;
  });
  EXPECT_NE(replay.find("live-1"), std::string::npos);
}

TEST_F(ServerTest, StreamDropsAClientThatFellBehindTheRing) {
  ServerOptions options;
  options.port = 0;
  options.stream_poll = std::chrono::milliseconds(50);
  AlertStore small({.capacity = 5});
  Server server(options, small, findings_);
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  for (int i = 0; i < 20; ++i) small.Add(MakeAlert("r", "p"));
  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(std::chrono::seconds(5));
  std::string received;
  auto res = client.Get("/api/stream?since=1", [&](const char* data, size_t n) {
    received.append(data, n);
    return true;
  });
  ASSERT_TRUE(res);  // the server ended the stream
  EXPECT_NE(received.find("event: lagged"), std::string::npos);
  server.Stop();
}

TEST_F(ServerTest, StopEndsOpenStreams) {
  Start();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    server_->Stop();
  });
  const auto start = std::chrono::steady_clock::now();
  client_->Get("/api/stream", [](const char*, size_t) { return true; });
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

// Every line of the exposition is a comment of the two kinds or a sample
// `name{label="value",...} number`.
void ExpectValidExposition(const std::string& text) {
  static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex kType(R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? -?[0-9.eE+]+)");
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    const bool ok = std::regex_match(line, kHelp) || std::regex_match(line, kType) ||
                    std::regex_match(line, kSample);
    EXPECT_TRUE(ok) << "bad line: " << line;
    samples += line[0] != '#';
  }
  EXPECT_GT(samples, 0);
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(ServerTest, MetricsAreValidPrometheusTextWithTheServersFamilies) {
  Start();
  alerts_.Add(MakeAlert("Shell \"quoted\" \\ rule\nline", kHostile, "web"));
  alerts_.Add(MakeAlert("Shell", "sh", "db"));
  auto res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  ExpectValidExposition(res->body);
  EXPECT_NE(res->body.find("bulwark_alerts_total{rule=\"Shell\",priority=\"Critical\"} 1"),
            std::string::npos);
  EXPECT_NE(res->body.find("rule=\"Shell \\\"quoted\\\" \\\\ rule\\nline\""), std::string::npos);
  EXPECT_NE(res->body.find("bulwark_alerts_by_container_total{container=\"db\"} 1"),
            std::string::npos);
  EXPECT_NE(res->body.find("bulwark_findings{severity=\"critical\"} 0"), std::string::npos);
  EXPECT_NE(res->body.find("bulwark_vulnerabilities{severity=\"high\"} 0"), std::string::npos);
  EXPECT_NE(res->body.find("bulwark_build_info{version=\""), std::string::npos);
}

}  // namespace
}  // namespace bulwark::web
