// libFuzzer target: Engine API documents as a hostile or broken daemon
// could send them. The input JSON is used as a container's inspect and
// process list, an image's inspect and history, /info, /version, /networks
// and the swarm documents; every host check judges the result and the
// report is rendered as JSON and in docker-bench's layout.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/render.hpp"
#include "host/host_audit.hpp"
#include "host/render_docker_bench.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace host = bulwark::host;
  static const auto* checks = new std::vector<host::HostCheck>(host::AllHostChecks());
  auto doc = nlohmann::json::parse(std::string(reinterpret_cast<const char*>(data), size), nullptr,
                                   /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  host::HostFacts facts;
  host::EngineFacts& engine = facts.engine;
  engine.reachable = true;
  engine.socket_path = "/var/run/docker.sock";
  engine.info = doc;
  engine.version = doc;
  engine.networks = doc;
  engine.swarm_active = true;
  engine.swarm_manager = true;
  engine.swarm = doc;
  engine.swarm_nodes = doc;
  engine.swarm_services = doc;
  engine.swarm_secrets = doc;
  engine.unlock_key = "";
  host::ContainerFacts container;
  container.id = "0123456789abcdef";
  container.name = "fuzz";
  container.inspect = doc;
  container.processes_known = true;
  container.processes = {"sshd /usr/sbin/sshd -D"};
  container.execs = {doc};
  engine.containers.push_back(container);
  host::ImageFacts image;
  image.id = "sha256:0123456789abcdef";
  image.tags = {"fuzz:1"};
  image.inspect = doc;
  image.history = doc;
  engine.images.push_back(image);
  engine.containers_total = 1;
  engine.images_total = 1;
  host::HostAudit audit = host::JudgeHost(facts, *checks, host::HostAuditOptions{});
  audit.report.include_passed = true;
  bulwark::core::RenderJson(audit.report);
  host::RenderDockerBenchJson(audit.report, *checks, 0, 1);
  return 0;
}
