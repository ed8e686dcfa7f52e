// The webhook sink against a real loopback HTTP server (test_http_server.hpp)
// through libcurl: delivery in order with the falcosidekick body and
// headers, 500s then recovery from the spool, a receiver down at start, a
// slow receiver (timeouts, the watch loop never waits), permanent 4xx
// rejections, memory overflow with and without a spool, cancellation at
// Close, and a restart — graceful and after a crash — resuming from the spool.
#include "runtime/output/webhook_sink.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/output/alert_format.hpp"
#include "test_http_server.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::output {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing_http::TestHttpServer;

constexpr milliseconds kWait{15000};  // generous upper bound; tests end as soon as done

Alert Numbered(int n) {
  Alert a;
  a.time_ns = 1795428000000000000ULL + static_cast<uint64_t>(n);
  a.rule = "Terminal shell in container";
  a.priority = Priority::kNotice;
  a.output = "shell " + std::to_string(n);
  a.output_fields = {{"n", std::to_string(n)}, {"proc.pname", std::nullopt}};
  a.tags = {"bulwark"};
  a.hostname = "node";
  return a;
}

std::vector<std::string> Bodies(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(FormatAlertJson(Numbered(i)));
  return out;
}

// Polls `done` until true or the deadline; for states with no event to wait on.
template <typename F>
bool Eventually(F done, milliseconds timeout = kWait) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("bulwark-webhook"); }
  void TearDown() override { fs::remove_all(dir_); }

  WebhookOptions Options(const std::string& url, bool with_spool = true) {
    WebhookOptions o;
    o.http.url = url;
    o.http.timeout = milliseconds(2000);
    o.http.connect_timeout = milliseconds(1000);
    o.initial_backoff = milliseconds(5);
    o.max_backoff = milliseconds(40);
    o.drain_timeout = milliseconds(2000);
    if (with_spool) {
      SpoolOptions spool;
      spool.dir = dir_ / "spool";
      o.spool = spool;
    }
    return o;
  }

  std::unique_ptr<WebhookSink> Make(WebhookOptions options) {
    auto sink = WebhookSink::Create(std::move(options), &metrics_);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    return sink.ok() ? std::move(sink).value() : nullptr;
  }

  fs::path dir_;
  AlertMetrics metrics_;
};

TEST_F(WebhookTest, PostsEachAlertInOrderWithJsonBodyAndHeaders) {
  TestHttpServer server;
  ASSERT_TRUE(server.ok());
  WebhookOptions options = Options(server.Url("/hook"));
  options.http.headers = {"X-Token: s3cret", "X-Source: bulwark-test"};
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(server.WaitForAccepted(20, kWait));
  EXPECT_EQ(server.Accepted(), Bodies(0, 20));
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 20u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  EXPECT_EQ(requests[0].headers["x-token"], "s3cret");
  EXPECT_EQ(requests[0].headers["x-source"], "bulwark-test");
  ASSERT_TRUE(sink->WaitIdle(kWait));
  EXPECT_EQ(sink->Stats().delivered, 20u);
  EXPECT_EQ(sink->Stats().attempts_failed, 0u);
  ASSERT_TRUE(sink->Close().ok());
  EXPECT_EQ(metrics_.Snapshot().sinks["webhook"].delivered, 20u);
}

TEST_F(WebhookTest, ServerErrorsThenRecoveryDeliversSpooledAlertsInOrder) {
  TestHttpServer server;
  server.SetStatuses({500, 500, 503, 502});
  auto sink = Make(Options(server.Url()));
  ASSERT_TRUE(sink);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(server.WaitForAccepted(10, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  // Exactly once each, oldest first, although four attempts failed.
  EXPECT_EQ(server.Accepted(), Bodies(0, 10));
  WebhookStats stats = sink->Stats();
  EXPECT_EQ(stats.attempts_failed, 4u);
  EXPECT_EQ(stats.delivered, 10u);
  EXPECT_EQ(stats.spool.records, 0u);
  EXPECT_EQ(server.Requests().size(), 14u);
  EXPECT_EQ(metrics_.Snapshot().sinks["webhook"].errors, 4u);
}

TEST_F(WebhookTest, ServerDownAtStartSpoolsThenDelivers) {
  uint16_t port = testing_http::UnusedPort();
  auto sink = Make(Options("http://127.0.0.1:" + std::to_string(port) + "/"));
  ASSERT_TRUE(sink);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  // Refused: everything waits on disk.
  ASSERT_TRUE(Eventually([&] {
    WebhookStats s = sink->Stats();
    return s.attempts_failed >= 1 && s.spool.records == 5;
  }));
  EXPECT_EQ(metrics_.Snapshot().sinks["webhook"].spool.records, 5u);
  TestHttpServer server(port);
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server.WaitForAccepted(5, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  EXPECT_EQ(server.Accepted(), Bodies(0, 5));
  EXPECT_EQ(sink->Stats().spool.records, 0u);
}

TEST_F(WebhookTest, SlowServerTimesOutWithoutBlockingTheCaller) {
  TestHttpServer server;
  server.SetHang(true);
  WebhookOptions options = Options(server.Url());
  options.http.timeout = milliseconds(150);
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(100));
  ASSERT_TRUE(Eventually([&] { return sink->Stats().attempts_failed >= 1; }));
  EXPECT_EQ(sink->Stats().delivered, 0u);
  server.SetHang(false);
  ASSERT_TRUE(server.WaitForAccepted(3, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  // The timed-out attempts were never answered, so each alert is accepted once.
  EXPECT_EQ(server.Accepted(), Bodies(0, 3));
}

TEST_F(WebhookTest, SlowServerMemoryOverflowSpillsToSpoolInOrder) {
  TestHttpServer server;
  server.SetHang(true);
  WebhookOptions options = Options(server.Url());
  options.http.timeout = milliseconds(300);
  options.memory_queue = 2;
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->Write(Numbered(0)).ok());
  ASSERT_TRUE(server.WaitForRequests(1, kWait));  // alert 0 is in flight, hanging
  for (int i = 1; i < 10; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  // The caller spilled the overflow itself: nothing waits on the network.
  EXPECT_GE(sink->Stats().spool.records, 8u);
  server.SetHang(false);
  ASSERT_TRUE(server.WaitForAccepted(10, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  EXPECT_EQ(server.Accepted(), Bodies(0, 10));
  EXPECT_EQ(sink->Stats().dropped, 0u);
}

TEST_F(WebhookTest, PermanentRejectionsAreSkippedAndCounted) {
  TestHttpServer server;
  const std::string bad = FormatAlertJson(Numbered(2));
  server.SetStatusFunc([bad](const testing_http::Request& r, size_t) {
    return r.body == bad ? 400 : 200;
  });
  auto sink = Make(Options(server.Url()));
  ASSERT_TRUE(sink);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  ASSERT_TRUE(server.WaitForAccepted(4, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  std::vector<std::string> want = Bodies(0, 5);
  want.erase(want.begin() + 2);
  EXPECT_EQ(server.Accepted(), want);
  EXPECT_EQ(sink->Stats().rejected, 1u);
  EXPECT_EQ(server.Requests().size(), 5u);  // a 400 is not retried
  EXPECT_EQ(metrics_.Snapshot().sinks["webhook"].rejected, 1u);
}

TEST_F(WebhookTest, TooManyRequestsIsRetried) {
  TestHttpServer server;
  server.SetStatuses({429, 408});
  auto sink = Make(Options(server.Url()));
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->Write(Numbered(0)).ok());
  ASSERT_TRUE(server.WaitForAccepted(1, kWait));
  EXPECT_EQ(server.Requests().size(), 3u);
  EXPECT_EQ(server.Accepted(), Bodies(0, 1));
}

TEST_F(WebhookTest, WithoutSpoolOverflowDropsOldestAndCounts) {
  uint16_t port = testing_http::UnusedPort();
  WebhookOptions options = Options("http://127.0.0.1:" + std::to_string(port) + "/", false);
  options.memory_queue = 3;
  options.initial_backoff = milliseconds(60000);  // one failed attempt, then a long wait
  options.max_backoff = milliseconds(60000);
  options.drain_timeout = milliseconds(0);
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sink->Write(Numbered(i)).ok());
  EXPECT_EQ(sink->Stats().dropped, 7u);
  EXPECT_EQ(sink->Stats().queued, 3u);
  ASSERT_TRUE(sink->Close().ok());
  EXPECT_EQ(sink->Stats().dropped, 10u);  // nowhere to keep the rest
  EXPECT_EQ(metrics_.Snapshot().sinks["webhook"].dropped, 10u);
  EXPECT_FALSE(sink->Write(Numbered(11)).ok());
}

TEST_F(WebhookTest, CloseCancelsARequestInFlightAndKeepsTheAlert) {
  TestHttpServer server;
  server.SetHang(true);
  WebhookOptions options = Options(server.Url());
  options.http.timeout = milliseconds(60000);
  options.drain_timeout = milliseconds(100);
  auto sink = Make(options);
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->Write(Numbered(0)).ok());
  ASSERT_TRUE(server.WaitForRequests(1, kWait));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(sink->Close().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  EXPECT_EQ(sink->Stats().spool.records, 1u);
}

TEST_F(WebhookTest, RestartResumesFromTheSpool) {
  TestHttpServer server;
  server.SetStatusFunc([](const testing_http::Request&, size_t) { return 503; });
  {
    WebhookOptions options = Options(server.Url());
    options.drain_timeout = milliseconds(50);
    auto first = Make(options);
    ASSERT_TRUE(first);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(first->Write(Numbered(i)).ok());
    ASSERT_TRUE(Eventually([&] { return first->Stats().attempts_failed >= 2; }));
    ASSERT_TRUE(first->Close().ok());
    EXPECT_EQ(first->Stats().spool.records, 5u);
  }
  server.SetStatuses({});
  auto second = Make(Options(server.Url()));
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->Write(Numbered(5)).ok());
  ASSERT_TRUE(server.WaitForAccepted(6, kWait));
  ASSERT_TRUE(second->WaitIdle(kWait));
  EXPECT_EQ(server.Accepted(), Bodies(0, 6));
}

TEST_F(WebhookTest, CrashAfterSpoolingLosesNothing) {
  uint16_t port = testing_http::UnusedPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The "first run": the receiver is down; die without Close once spooled.
    auto sink = WebhookSink::Create(Options(url), nullptr);
    if (!sink.ok()) _exit(2);
    for (int i = 0; i < 4; ++i) {
      if (!(*sink)->Write(Numbered(i)).ok()) _exit(3);
    }
    bool spooled = Eventually([&] { return (*sink)->Stats().spool.records == 4; });
    _exit(spooled ? 0 : 4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  TestHttpServer server(port);
  ASSERT_TRUE(server.ok());
  auto sink = Make(Options(url));
  ASSERT_TRUE(sink);
  ASSERT_TRUE(server.WaitForAccepted(4, kWait));
  ASSERT_TRUE(sink->WaitIdle(kWait));
  EXPECT_EQ(server.Accepted(), Bodies(0, 4));
}

TEST_F(WebhookTest, RejectsBadConfiguration) {
  WebhookOptions options = Options("ftp://example.com/");
  EXPECT_FALSE(WebhookSink::Create(options, nullptr).ok());
  options = Options("http://127.0.0.1:1/");
  options.http.headers = {"X-Bad: a\r\nInjected: b"};
  EXPECT_FALSE(WebhookSink::Create(options, nullptr).ok());
  options.http.headers = {"no colon"};
  EXPECT_FALSE(WebhookSink::Create(options, nullptr).ok());
  EXPECT_TRUE(HttpPosterOptions{}.verify_tls);  // TLS verification is on unless turned off
}

}  // namespace
}  // namespace bulwark::runtime::output
