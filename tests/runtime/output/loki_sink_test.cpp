// The Loki sink against a loopback HTTP server (test_http_server.hpp)
// through libcurl: pushes to /loki/api/v1/push with the tenant and auth
// headers; batches by count and by delay; a Loki that is down for a while
// (alerts arrive after it comes back, every one exactly once, in time order
// per stream); 429 and 500 retried; 400 rejected once, counted and logged
// once; the spool carried over to the next sink instance; Close sends a
// partial batch.
#include "runtime/output/loki_sink.hpp"

#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/loki_endpoint.hpp"
#include "test_http_server.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::output {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using testing_http::TestHttpServer;

constexpr milliseconds kWait{15000};

Alert Numbered(int n) {
  Alert a;
  a.time_ns = 1795428000000000000ULL + static_cast<uint64_t>(n) * 1000;
  a.rule = n % 2 == 0 ? "Terminal shell in container" : "Read sensitive file";
  a.priority = n % 2 == 0 ? Priority::kNotice : Priority::kWarning;
  a.output = "alert " + std::to_string(n);
  a.output_fields = {{"n", std::to_string(n)}, {"container.name", n % 3 == 0 ? "web" : "db"}};
  a.hostname = "node";
  return a;
}

struct Received {
  std::string stream;  // the label set, dumped
  uint64_t time_ns = 0;
  std::string line;
};

// Every entry of every accepted push body, in arrival order.
std::vector<Received> Entries(const std::vector<std::string>& bodies) {
  std::vector<Received> out;
  for (const std::string& body : bodies) {
    json doc = json::parse(body);
    for (const json& stream : doc["streams"]) {
      for (const json& value : stream["values"]) {
        out.push_back({stream["stream"].dump(), std::stoull(value[0].get<std::string>()),
                       value[1].get<std::string>()});
      }
    }
  }
  return out;
}

// Each of alerts [0, n) arrived exactly once, and each stream's entries
// arrived in time order.
void ExpectExactlyOnceInOrder(const std::vector<std::string>& bodies, int n) {
  std::vector<Received> got = Entries(bodies);
  std::multiset<std::string> lines;
  for (const Received& r : got) lines.insert(r.line);
  ASSERT_EQ(got.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(lines.count(FormatAlertJson(Numbered(i))), 1u) << i;
  std::map<std::string, uint64_t> last;
  for (const Received& r : got) {
    EXPECT_GE(r.time_ns, last[r.stream]) << r.stream;
    last[r.stream] = r.time_ns;
  }
}

template <typename F>
bool Eventually(F done, milliseconds timeout = kWait) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

class LokiSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("bulwark-loki"); }
  void TearDown() override { fs::remove_all(dir_); }

  LokiOptions Options(const std::string& base_url, bool with_spool = true) {
    LokiOptions o;
    auto http = MakeLokiHttpOptions({.url = base_url});
    EXPECT_TRUE(http.ok());
    o.http = *http;
    o.http.timeout = milliseconds(2000);
    o.http.connect_timeout = milliseconds(1000);
    o.batch.max_entries = 4;
    o.batch_delay = milliseconds(30);
    o.initial_backoff = milliseconds(5);
    o.max_backoff = milliseconds(40);
    o.drain_timeout = milliseconds(2000);
    if (with_spool) o.spool = SpoolOptions{.dir = dir_ / "spool"};
    return o;
  }

  std::unique_ptr<LokiSink> Make(LokiOptions options) {
    auto sink = LokiSink::Create(std::move(options), &metrics_);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return sink.ok() ? std::move(sink).value() : nullptr;
  }

  fs::path dir_;
  AlertMetrics metrics_;
};

TEST_F(LokiSinkTest, PushesToThePushPathWithTenantAndAuthHeaders) {
  TestHttpServer server;
  ASSERT_TRUE(server.ok());
  LokiOptions options = Options(server.Url("/"));
  auto http = MakeLokiHttpOptions(
      {.url = server.Url("/"), .tenant = "team-a", .bearer_token = "s3cret"});
  ASSERT_TRUE(http.ok());
  options.http.headers = http->headers;
  options.extra_labels = {{"env", "test"}};
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(sink->WaitIdle(kWait));
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);  // two full batches of four
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/loki/api/v1/push");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  EXPECT_EQ(requests[0].headers["x-scope-orgid"], "team-a");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer s3cret");
  json first = json::parse(requests[0].body);
  EXPECT_EQ(first["streams"][0]["stream"]["env"], "test");
  EXPECT_EQ(first["streams"][0]["stream"]["source"], "bulwark");
  ExpectExactlyOnceInOrder(server.Accepted(), 8);
  EXPECT_EQ(sink->Stats().delivered, 8u);
  ASSERT_TRUE(sink->Close().ok());
  EXPECT_EQ(metrics_.Snapshot().sinks["loki"].delivered, 8u);
}

TEST_F(LokiSinkTest, PartialBatchGoesAfterTheDelay) {
  TestHttpServer server;
  LokiOptions options = Options(server.Url());
  options.batch.max_entries = 100;
  options.batch_delay = milliseconds(200);
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  EXPECT_EQ(sink->Batched(), 3u);
  ASSERT_TRUE(server.WaitForAccepted(1, kWait));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(190));
  EXPECT_EQ(server.Requests().size(), 1u);  // all three in one push
  ExpectExactlyOnceInOrder(server.Accepted(), 3);
}

TEST_F(LokiSinkTest, CloseSendsThePartialBatch) {
  TestHttpServer server;
  LokiOptions options = Options(server.Url());
  options.batch.max_entries = 100;
  options.batch_delay = milliseconds(60000);
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(sink->Close().ok());
  ExpectExactlyOnceInOrder(server.Accepted(), 3);
  EXPECT_FALSE(sink->Write(Numbered(4)).ok());
}

TEST_F(LokiSinkTest, LokiDownForAWhileLosesAndDoublesNothing) {
  uint16_t port = testing_http::UnusedPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto sink = Make(Options(url));
  ASSERT_TRUE(sink);
  // Alerts keep coming while Loki is down: batches pile up in the spool.
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(sink->Write(Numbered(i)).ok());
    if (i % 5 == 0) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(Eventually([&] {
    DeliveryStats s = sink->Stats();
    return s.attempts_failed >= 3 && sink->Batched() == 0 && s.spool.records >= 7;
  }));
  EXPECT_EQ(sink->Stats().delivered, 0u);
  EXPECT_GE(metrics_.Snapshot().sinks["loki"].spool.records, 7u);
  TestHttpServer server(port);  // Loki is back
  ASSERT_TRUE(server.ok());
  for (int i = 30; i < 40; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(sink->WaitIdle(kWait));
  ExpectExactlyOnceInOrder(server.Accepted(), 40);
  EXPECT_EQ(server.Requests().size(), server.Accepted().size());  // nothing sent twice
  DeliveryStats stats = sink->Stats();
  EXPECT_EQ(stats.delivered, 40u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.spool.records, 0u);
}

TEST_F(LokiSinkTest, TooManyRequestsAndServerErrorsAreRetried) {
  TestHttpServer server;
  server.SetStatuses({429, 500, 503});
  auto sink = Make(Options(server.Url()));
  ASSERT_TRUE(sink);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(sink->WaitIdle(kWait));
  ExpectExactlyOnceInOrder(server.Accepted(), 8);
  EXPECT_EQ(sink->Stats().attempts_failed, 3u);
  EXPECT_EQ(server.Requests().size(), 5u);  // 3 failures + 2 batches
  EXPECT_EQ(metrics_.Snapshot().sinks["loki"].errors, 3u);
}

TEST_F(LokiSinkTest, BadRequestIsRejectedCountedAndLoggedOnce) {
  TestHttpServer server;
  server.SetStatuses({400, 400});
  std::vector<std::string> logged;
  std::mutex log_mu;
  LokiOptions options = Options(server.Url());
  options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    logged.push_back(line);
  };
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(sink->WaitIdle(kWait));
  EXPECT_EQ(server.Requests().size(), 3u);  // a 400 is not retried
  EXPECT_EQ(Entries(server.Accepted()).size(), 4u);
  EXPECT_EQ(sink->Stats().rejected, 8u);  // counted in alerts
  EXPECT_EQ(metrics_.Snapshot().sinks["loki"].rejected, 8u);
  ASSERT_TRUE(sink->Close().ok());
  std::lock_guard lock(log_mu);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("HTTP 400"), std::string::npos);
}

TEST_F(LokiSinkTest, SpoolIsDeliveredByTheNextSinkInstance) {
  TestHttpServer server;
  server.SetStatusFunc([](const testing_http::Request&, size_t) { return 503; });
  {
    LokiOptions options = Options(server.Url());
    options.drain_timeout = milliseconds(50);
    auto first = Make(options);
    ASSERT_TRUE(first);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(first->Write(Numbered(i)).ok());
    ASSERT_TRUE(Eventually([&] { return first->Stats().attempts_failed >= 2; }));
    ASSERT_TRUE(first->Close().ok());
    EXPECT_EQ(first->Stats().spool.records, 3u);  // 4 + 4 + 2
    EXPECT_EQ(first->Stats().delivered, 0u);
  }
  server.SetStatuses({});
  const size_t failed_requests = server.Requests().size();
  AlertMetrics fresh;
  auto second = LokiSink::Create(Options(server.Url()), &fresh);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*second)->Write(Numbered(10)).ok());
  ASSERT_TRUE((*second)->WaitIdle(kWait));
  ExpectExactlyOnceInOrder(server.Accepted(), 11);
  EXPECT_EQ(server.Requests().size(), failed_requests + 4);
  EXPECT_EQ((*second)->Stats().delivered, 11u);  // spooled batches weighed by their entries
}

}  // namespace
}  // namespace bulwark::runtime::output
