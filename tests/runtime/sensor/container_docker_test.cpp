// The sensor and the state tables against the real Docker engine: an exec
// inside a container started from the lab's base image (imported by
// scripts/build-base-images.sh) is attributed to that container's name and
// image, and a binary dropped into the container's writable layer is seen
// as coming from the overlayfs upper layer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "docker/engine_client.hpp"
#include "runtime/sensor/bpf_sensor.hpp"
#include "runtime/sensor/state_tables.hpp"
#include "sensor_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::sensor {
namespace {

constexpr const char* kImage = "bulwark-lab/python-flask:bookworm";

TEST(SensorDocker, ExecInAContainerIsAttributedToIt) {
  docker::EngineClient client;
  core::Status ping = client.Ping();
  if (!ping.ok()) GTEST_SKIP() << "NO DOCKER DAEMON, test not run: " << ping.message();
  ASSERT_TRUE(client.InspectImage(kImage).ok())
      << kImage << " is missing (make test-deps imports it with scripts/build-base-images.sh)";

  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);
  StateOptions state_options;
  state_options.proc.boot_to_realtime_ns = BootToRealtimeOffsetNs();
  DockerContainerSource engine(client.socket_path());
  StateTables state(state_options, &engine);
  state.LoadFromProc();

  const std::string name = "bw-sensor-test-" + std::to_string(getpid());
  bulwark::testing::RunCommand({"docker", "rm", "-f", name});
  auto run = bulwark::testing::RunCommand(
      {"docker", "run", "-d", "--name", name, "--label", "bulwark.test=sensor", kImage, "/bin/sh", "-c",
       "sleep 1; /bin/echo bw-docker-marker; cp /bin/true /tmp/bwtrue; /tmp/bwtrue bw-upper; sleep 1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string full_id = run.out.substr(0, 64);

  const Process* marker = nullptr;
  const Container* container = nullptr;
  bool marker_upper = true, dropped_upper = false, saw_dropped = false;
  Event evt;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!marker || !saw_dropped) && std::chrono::steady_clock::now() < deadline) {
    auto next = sensor->Next(evt, std::chrono::milliseconds(200));
    ASSERT_TRUE(next.ok()) << next.status().message();
    if (*next != ReadOutcome::kEvent) continue;
    EventContext ctx = state.Apply(evt, sensor->LastFacts());
    if (evt.type != EventType::kExecve || evt.res != 0 || !ctx.proc) continue;
    const std::vector<std::string>& args = ctx.proc->args;
    if (ctx.proc->exepath == "/usr/bin/echo" && !args.empty() && args[0] == "bw-docker-marker") {
      marker = ctx.proc;
      container = ctx.container;
      marker_upper = ctx.proc->exe_upper_layer;
      ASSERT_NE(container, nullptr) << "exec of echo has no container";
      EXPECT_EQ(ctx.proc->container_id, full_id.substr(0, 12));
      EXPECT_EQ(container->id, full_id.substr(0, 12));
      EXPECT_EQ(container->full_id, full_id);
      EXPECT_EQ(container->name, name);
      EXPECT_EQ(container->image, kImage);
      EXPECT_EQ(container->image_repository, "bulwark-lab/python-flask");
      EXPECT_EQ(container->image_tag, "bookworm");
      EXPECT_EQ(container->type, "docker");
      EXPECT_FALSE(container->privileged);
      EXPECT_EQ(container->labels.at("bulwark.test"), "sensor");
      EXPECT_EQ(ctx.proc->user_name, "root") << "resolved from the image's /etc/passwd";
      const Process* parent = state.FindProcess(ctx.proc->ppid);
      ASSERT_NE(parent, nullptr);
      EXPECT_EQ(parent->comm, "sh");
    }
    if (ctx.proc->exepath == "/tmp/bwtrue") {
      saw_dropped = true;
      dropped_upper = ctx.proc->exe_upper_layer;
      EXPECT_EQ(ctx.proc->container_id, full_id.substr(0, 12));
    }
  }
  bulwark::testing::RunCommand({"docker", "rm", "-f", name});
  ASSERT_NE(marker, nullptr) << "never saw the exec of /bin/echo in the container";
  EXPECT_FALSE(marker_upper) << "/usr/bin/echo comes from the image (lower layer)";
  ASSERT_TRUE(saw_dropped) << "never saw the exec of /tmp/bwtrue";
  EXPECT_TRUE(dropped_upper) << "a binary copied into the container lives in the upper layer";
}

// The engine's /events window names a rename with the container's full ID:
// what ContainerCache::PollChanges refreshes on.
TEST(SensorDocker, EngineReportsARenameInTheEventsWindow) {
  docker::EngineClient client;
  core::Status ping = client.Ping();
  if (!ping.ok()) GTEST_SKIP() << "NO DOCKER DAEMON, test not run: " << ping.message();
  ASSERT_TRUE(client.InspectImage(kImage).ok()) << kImage << " is missing";
  const std::string name = "bw-events-test-" + std::to_string(getpid());
  bulwark::testing::RunCommand({"docker", "rm", "-f", name, name + "-renamed"});
  const int64_t since = static_cast<int64_t>(time(nullptr)) - 1;
  auto run = bulwark::testing::RunCommand({"docker", "run", "-d", "--name", name, kImage, "sleep", "30"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string full_id = run.out.substr(0, 64);
  ASSERT_EQ(bulwark::testing::RunCommand({"docker", "rename", name, name + "-renamed"}).exit_code, 0);
  // The daemon logs the event after it answers the rename; on a loaded
  // machine that can be later than a window closed right away, so the
  // window is asked for again, wider, a few times.
  DockerContainerSource engine(client.socket_path());
  bool started = false, renamed = false;
  std::string error;
  for (int attempt = 0; attempt < 5 && !(started && renamed); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const int64_t until = static_cast<int64_t>(time(nullptr)) + 1;
    auto changes = engine.Changes(since, until);
    if (!changes.ok()) {
      error = changes.status().message();
      continue;
    }
    for (const ContainerChange& c : *changes) {
      if (c.full_id != full_id) continue;
      started = started || c.action == "start";
      renamed = renamed || c.action == "rename";
    }
  }
  bulwark::testing::RunCommand({"docker", "rm", "-f", name + "-renamed"});
  EXPECT_TRUE(error.empty() || renamed) << error;
  EXPECT_TRUE(started);
  EXPECT_TRUE(renamed);
}

}  // namespace
}  // namespace bulwark::runtime::sensor
