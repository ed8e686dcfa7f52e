// Helpers for the tests that load the real eBPF sensor: open it (skipping
// loudly, and only, when this kernel or process cannot run BPF at all) and
// collect the events of one process tree until it exits.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "runtime/sensor/bpf_sensor.hpp"

namespace bulwark::runtime::sensor::testing {

// Skips the test when BPF is unavailable here (no BTF, no ring buffer, no
// capability); any other failure to load is a test failure.
#define BULWARK_OPEN_SENSOR_OR_SKIP(var, options)                                             \
  std::unique_ptr<::bulwark::runtime::sensor::BpfSensor> var;                                 \
  {                                                                                           \
    ::bulwark::core::Status support = ::bulwark::runtime::sensor::CheckBpfSupport();          \
    if (!support.ok()) {                                                                      \
      GTEST_SKIP() << "\n\n*** eBPF IS UNAVAILABLE HERE, SENSOR TEST NOT RUN: "               \
                   << support.message() << " ***\n";                                          \
    }                                                                                         \
    auto opened = ::bulwark::runtime::sensor::BpfSensor::Open(options);                       \
    ASSERT_TRUE(opened.ok()) << opened.status().message();                                    \
    var = std::move(opened).value();                                                          \
  }

// One collected event with the facts the decoder attached.
struct Seen {
  Event evt;
  KernelFacts facts;
};

// Runs `child` in a forked process and collects every event whose pid is in
// the child's process tree (followed through fork events), until the
// child's procexit or `limit` passes. The child's exit status is returned in
// `status`.
inline std::vector<Seen> RunAndCollect(BpfSensor& sensor, const std::function<int()>& child,
                                       int* status = nullptr,
                                       std::chrono::seconds limit = std::chrono::seconds(15)) {
  pid_t pid = fork();
  if (pid == 0) _exit(child());
  std::vector<Seen> seen;
  std::set<int64_t> tree = {pid};
  bool exited = false;
  auto deadline = std::chrono::steady_clock::now() + limit;
  Event evt;
  while (!exited && std::chrono::steady_clock::now() < deadline) {
    auto next = sensor.Next(evt, std::chrono::milliseconds(100));
    if (!next.ok()) {
      ADD_FAILURE() << next.status().message();
      break;
    }
    if (*next != ReadOutcome::kEvent || !tree.count(evt.pid)) continue;
    const KernelFacts* facts = sensor.LastFacts();
    if (facts && facts->has_fork) tree.insert(facts->fork.child_pid);
    seen.push_back({evt, facts ? *facts : KernelFacts{}});
    if (evt.type == EventType::kProcExit && evt.pid == pid) exited = true;
  }
  int st = 0;
  waitpid(pid, &st, 0);
  if (status) *status = st;
  return seen;
}

}  // namespace bulwark::runtime::sensor::testing
