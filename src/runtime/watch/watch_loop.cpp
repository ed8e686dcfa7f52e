#include "runtime/watch/watch_loop.hpp"

#include <ctime>
#include <utility>

namespace bulwark::runtime::watch {
namespace {

uint64_t RealtimeNs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

// The loop reads the clock once per event: the coarse monotonic clock costs
// a few ns where the precise one can cost tens (a VM's clock source), and
// its few milliseconds of resolution are plenty for seconds-long deadlines.
struct CoarseClock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<CoarseClock, duration>;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

}  // namespace

WatchLoop::WatchLoop(EventSource& source, const sensor::BpfSensor* bpf,
                     sensor::StateTables& state, rules::Engine& engine,
                     output::Dispatcher& dispatcher, output::AlertMetrics& metrics,
                     WatchOptions options)
    : source_(source),
      bpf_(bpf),
      state_(state),
      engine_(engine),
      dispatcher_(dispatcher),
      metrics_(metrics),
      options_(options) {}

core::Status WatchLoop::Run() {
  using Clock = CoarseClock;
  const Clock::time_point start = Clock::now();
  const auto precise_start = std::chrono::steady_clock::now();
  Clock::time_point next_housekeeping = start + options_.housekeeping;
  Event event;
  core::Status status;
  while (!stop_.load()) {
    const Clock::time_point now = Clock::now();
    // --duration is a promise: the coarse clock says "about now", the
    // precise one (read only then) says "not a millisecond early".
    if (options_.duration.count() > 0 && now - start >= options_.duration &&
        std::chrono::steady_clock::now() - precise_start >= options_.duration) {
      break;
    }
    if (now >= next_housekeeping) {
      Housekeeping();
      next_housekeeping = now + options_.housekeeping;
    }
    core::Result<ReadOutcome> outcome = source_.Next(event, options_.poll);
    if (!outcome.ok()) {
      status = outcome.status();
      break;
    }
    if (*outcome == ReadOutcome::kEnd) break;
    if (*outcome == ReadOutcome::kTimeout) {
      Housekeeping();  // idle: deliver storm summaries without waiting
      next_housekeeping = Clock::now() + options_.housekeeping;
      continue;
    }
    Handle(event);
  }
  if (status.ok() && stop_.load()) Drain(event);
  Housekeeping();
  return status;
}

// Events already in the ring when the stop came happened before it: they
// are evaluated, within a bound, so the last seconds of a run are not lost.
void WatchLoop::Drain(Event& event) {
  for (size_t i = 0; i < options_.drain_max; ++i) {
    core::Result<ReadOutcome> outcome = source_.Next(event, std::chrono::milliseconds(0));
    if (!outcome.ok() || *outcome != ReadOutcome::kEvent) return;
    Handle(event);
  }
}

void WatchLoop::Handle(Event& event) {
  ++summary_.events;
  EventContext context = state_.Apply(event, bpf_ != nullptr ? bpf_->LastFacts() : nullptr);
  scratch_.clear();
  // One event in kEvalSampleEvery is timed: two clock reads, a few tens of
  // nanoseconds, on a sixty-fourth of the events.
  const bool timed = summary_.events % output::kEvalSampleEvery == 0;
  const auto started = timed ? std::chrono::steady_clock::now()
                             : std::chrono::steady_clock::time_point();
  const size_t matched = engine_.Evaluate(context, scratch_);
  if (timed) {
    metrics_.ObserveEvalLatency(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                             started)
            .count()));
  }
  if (matched == 0) return;
  for (Alert& alert : scratch_) {
    ++summary_.alerts;
    dispatcher_.Dispatch(alert);
    if (summary_.kept.size() < options_.keep_alerts) {
      summary_.kept.push_back(std::move(alert));
    } else {
      ++summary_.alerts_not_kept;
    }
  }
}

void WatchLoop::Housekeeping() {
  dispatcher_.Tick();
  const uint64_t now = RealtimeNs();
  state_.Purge(now);
  state_.PollContainerChanges(now);
  if (bpf_ == nullptr) {
    metrics_.SetEventsSeen(summary_.events);
    return;
  }
  if (core::Result<sensor::SensorStats> stats = bpf_->Stats(); stats.ok()) {
    summary_.sensor = *stats;
    metrics_.SetEventsSeen(stats->n_evts);
    metrics_.SetEventsDropped(stats->n_drops_buffer + stats->n_drops_scratch);
  }
}

}  // namespace bulwark::runtime::watch
