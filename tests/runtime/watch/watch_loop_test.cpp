// The watch loop on a scripted event source: every event goes through the
// state tables and the engine, alerts reach the sinks and the run's
// summary, a source error ends the run with that error, and events still
// queued when Stop() comes are evaluated before the loop returns.
#include "runtime/watch/watch_loop.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "runtime/output/dispatcher.hpp"
#include "runtime/output/sink.hpp"
#include "runtime/sensor/state_tables.hpp"

namespace bulwark::runtime::watch {
namespace {

// Hands out queued events; after them, kEnd (or an error, or timeouts).
class ScriptedSource : public EventSource {
 public:
  std::deque<Event> events;
  bool fail_at_end = false;
  bool idle_at_end = false;
  WatchLoop* stop_after_first = nullptr;

  core::Result<ReadOutcome> Next(Event& out, std::chrono::milliseconds) override {
    if (!events.empty()) {
      out = std::move(events.front());
      events.pop_front();
      if (stop_after_first != nullptr) {
        stop_after_first->Stop();
        stop_after_first = nullptr;
      }
      return ReadOutcome::kEvent;
    }
    if (fail_at_end) return core::Error(core::ErrorCode::kIoError, "ring buffer gone");
    return idle_at_end ? ReadOutcome::kTimeout : ReadOutcome::kEnd;
  }
};

class CaptureSink : public output::AlertSink {
 public:
  explicit CaptureSink(std::vector<std::string>* rules) : rules_(rules) {}
  const std::string& Name() const override { return name_; }
  core::Status Write(const Alert& alert) override {
    rules_->push_back(alert.rule);
    return core::Status::Ok();
  }
  core::Status Close() override { return core::Status::Ok(); }

 private:
  std::string name_ = "capture";
  std::vector<std::string>* rules_;
};

// An openat of `path` by pid 4242 (a process the tables learn from the event).
Event OpenEvent(const std::string& path, uint64_t num) {
  Event e;
  e.type = EventType::kOpenat;
  e.pid = e.tid = 4242;
  e.num = num;
  e.res = 3;
  e.fd = 3;
  e.ts_ns = 1'700'000'000'000'000'000ULL + num;
  e.AddArg("fd", ArgKind::kFd)->num = 3;
  e.AddArg("dirfd", ArgKind::kFd)->num = -100;
  e.AddArg("name", ArgKind::kPath)->text = path;
  e.AddArg("flags", ArgKind::kOpenFlags)->num = 0;  // O_RDONLY
  return e;
}

class WatchLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sensor::StateOptions options;
    options.proc.proc_root = "/nonexistent-proc";  // nothing read from the real /proc
    options.resolve_users = false;
    options.hostname = "test-host";
    state_ = std::make_unique<sensor::StateTables>(options);
    rules::LoadResult loaded;
    engine_ = rules::Engine::Load(
        {{"test.yaml",
          "- rule: Shadow opened\n  desc: d\n  condition: evt.type = openat and fd.name = /etc/shadow\n"
          "  output: 'shadow by %proc.pid'\n  priority: WARNING\n"}},
        loaded);
    ASSERT_TRUE(engine_ != nullptr && loaded.ok());
    dispatcher_ = std::make_unique<output::Dispatcher>(metrics_, std::nullopt);
    dispatcher_->AddSink(std::make_unique<CaptureSink>(&delivered_));
  }

  WatchLoop MakeLoop(WatchOptions options = {}) {
    options.poll = std::chrono::milliseconds(1);
    return WatchLoop(source_, nullptr, *state_, *engine_, *dispatcher_, metrics_, options);
  }

  ScriptedSource source_;
  output::AlertMetrics metrics_;
  std::unique_ptr<sensor::StateTables> state_;
  std::unique_ptr<rules::Engine> engine_;
  std::unique_ptr<output::Dispatcher> dispatcher_;
  std::vector<std::string> delivered_;
};

TEST_F(WatchLoopTest, EvaluatesEveryEventUntilTheSourceEnds) {
  source_.events = {OpenEvent("/etc/hostname", 1), OpenEvent("/etc/shadow", 2),
                    OpenEvent("/etc/shadow", 3)};
  WatchLoop loop = MakeLoop();
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.summary().events, 3u);
  EXPECT_EQ(loop.summary().alerts, 2u);
  ASSERT_EQ(loop.summary().kept.size(), 2u);
  EXPECT_EQ(loop.summary().kept[0].output, "shadow by 4242");
  EXPECT_EQ(delivered_, (std::vector<std::string>{"Shadow opened", "Shadow opened"}));
}

TEST_F(WatchLoopTest, KeepsABoundedNumberOfAlertsButCountsAll) {
  for (uint64_t i = 1; i <= 5; ++i) source_.events.push_back(OpenEvent("/etc/shadow", i));
  WatchOptions options;
  options.keep_alerts = 2;
  WatchLoop loop = MakeLoop(options);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.summary().alerts, 5u);
  EXPECT_EQ(loop.summary().kept.size(), 2u);
  EXPECT_EQ(loop.summary().alerts_not_kept, 3u);
  EXPECT_EQ(delivered_.size(), 5u) << "keeping is for the result file; every alert is delivered";
}

TEST_F(WatchLoopTest, ASourceErrorEndsTheRunWithIt) {
  source_.events = {OpenEvent("/etc/shadow", 1)};
  source_.fail_at_end = true;
  WatchLoop loop = MakeLoop();
  core::Status status = loop.Run();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("ring buffer gone"), std::string::npos);
  EXPECT_EQ(loop.summary().alerts, 1u) << "what was seen before the error counts";
}

TEST_F(WatchLoopTest, EventsQueuedAtStopAreStillEvaluated) {
  for (uint64_t i = 1; i <= 4; ++i) source_.events.push_back(OpenEvent("/etc/shadow", i));
  source_.idle_at_end = true;  // a live source: never ends by itself
  WatchLoop loop = MakeLoop();
  source_.stop_after_first = &loop;
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.summary().events, 4u);
  EXPECT_EQ(delivered_.size(), 4u);
}

TEST_F(WatchLoopTest, DurationEndsAnIdleRun) {
  source_.idle_at_end = true;
  WatchOptions options;
  options.duration = std::chrono::milliseconds(30);
  options.housekeeping = std::chrono::milliseconds(5);
  WatchLoop loop = MakeLoop(options);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  EXPECT_EQ(loop.summary().events, 0u);
}

}  // namespace
}  // namespace bulwark::runtime::watch
