// Test helpers for the host checks of CIS sections 4-7: load the Engine API
// documents recorded by tests/host/fixtures/engine/record.sh into HostFacts
// the way the engine collector (src/host/collect_engine.cpp) fills them, and
// run one check by its CIS number.
//
// Recorded on a host without AppArmor or SELinux (SecurityOptions lists only
// seccomp), with three running containers:
//   weak        root, CAP_SYS_ADMIN, seccomp=unconfined, label=disable, host
//               network/pid/ipc/uts/userns, docker.sock and /etc mounted rw,
//               --device, --cgroup-parent, --restart always, no limits, an
//               "sshd" process, an exec session as root (not privileged: the
//               build VMs refuse --privileged; WithPrivileged() derives it)
//   weak-ports  default bridge, -p 0.0.0.0:18081:5000 -p 0.0.0.0:1022:22,
//               --restart on-failure (unlimited), no-new-privileges only
//   hardened    user 10001, read-only, cap-drop ALL, no-new-privileges:true,
//               256m, 100 pids, 0.5 CPU, 127.0.0.1:18082, on-failure:5,
//               healthy, user-defined network, ulimit nofile
// and their images weak-app (bw-helper-weak-app:1: ENV/ARG secrets, ADD of an
// archive and a URL, apt-get update alone), hardened-app, python-flask (an
// imported base image: no history).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/host_check.hpp"
#include "host_check_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::testing {

inline nlohmann::json LoadEngineFixture(const std::string& file) {
  return nlohmann::json::parse(ReadFile(SourceDir() / "tests/host/fixtures/engine" / file));
}

// weak, weak-ports, hardened.
inline host::ContainerFacts LoadContainer(const std::string& stem) {
  host::ContainerFacts c;
  c.inspect = LoadEngineFixture(stem + ".container.json");
  c.id = c.inspect["Id"].get<std::string>();
  c.name = c.inspect["Name"].get<std::string>().substr(1);
  nlohmann::json top = LoadEngineFixture(stem + ".top.json");
  c.processes_known = true;
  for (const nlohmann::json& row : top["Processes"]) {
    // As the collector does: columns after the PID ("comm args") joined.
    std::string line;
    for (size_t k = 1; k < row.size(); ++k)
      line += (line.empty() ? "" : " ") + row[k].get<std::string>();
    c.processes.push_back(line);
  }
  for (int n = 0; std::filesystem::exists(SourceDir() / "tests/host/fixtures/engine" /
                                          (stem + ".exec-" + std::to_string(n) + ".json"));
       ++n) {
    c.execs.push_back(LoadEngineFixture(stem + ".exec-" + std::to_string(n) + ".json"));
  }
  return c;
}

// weak-app, hardened-app, python-flask.
inline host::ImageFacts LoadImage(const std::string& stem) {
  host::ImageFacts image;
  image.inspect = LoadEngineFixture(stem + ".image.json");
  image.history = LoadEngineFixture(stem + ".history.json");
  image.id = image.inspect["Id"].get<std::string>();
  for (const nlohmann::json& tag : image.inspect["RepoTags"])
    image.tags.push_back(tag.get<std::string>());
  return image;
}

inline host::HostFacts LoadRecordedHost() {
  host::HostFacts facts;
  facts.is_root = true;
  host::EngineFacts& engine = facts.engine;
  engine.reachable = true;
  engine.socket_path = "/var/run/docker.sock";
  engine.info = LoadEngineFixture("info.json");
  engine.version = LoadEngineFixture("version.json");
  engine.networks = LoadEngineFixture("networks.json");
  for (const char* stem : {"weak", "weak-ports", "hardened"})
    engine.containers.push_back(LoadContainer(stem));
  for (const char* stem : {"weak-app", "hardened-app", "python-flask"})
    engine.images.push_back(LoadImage(stem));
  for (host::ImageFacts& image : engine.images) {
    for (const host::ContainerFacts& c : engine.containers) {
      image.used_by_container = image.used_by_container || c.inspect["Image"] == image.id;
    }
  }
  engine.containers_total = engine.info["Containers"].get<int>();
  engine.containers_running = engine.info["ContainersRunning"].get<int>();
  engine.images_total = static_cast<int>(engine.images.size());
  engine.swarm_active = false;
  return facts;
}

inline host::ContainerFacts& ContainerNamed(host::HostFacts& facts, const std::string& name) {
  for (host::ContainerFacts& c : facts.engine.containers) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no container " << name;
  return facts.engine.containers.front();
}

using host::CheckNumbered;
using host::RunCheck;

// The one result about the subject named `name`; fails the test if there
// is not exactly one.
inline host::HostResult ResultFor(const host::ResultSink& sink, const std::string& name) {
  std::vector<host::HostResult> found;
  for (const host::HostResult& r : sink.results()) {
    if (r.subject.name == name) found.push_back(r);
  }
  if (found.size() != 1) {
    ADD_FAILURE() << found.size() << " results for " << name;
    return host::HostResult{};
  }
  return found.front();
}

inline std::string VerdictText(core::Verdict verdict) {
  return std::string(core::VerdictName(verdict));
}

}  // namespace bulwark::testing
