// CIS section 6, security operations: image sprawl (6.1) and container
// sprawl (6.2). Both are counts to act on, informational as in docker-bench;
// 6.1 also names the images no container (running or stopped) uses.
#include "host/checks_common.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

void CheckImageSprawl(const HostFacts& facts, ResultSink& out) {
  std::vector<std::string> unused;
  for (const ImageFacts& image : facts.engine.images) {
    if (!image.used_by_container)
      unused.push_back(ImageSubject(image).name + " (" + ImageSubject(image).id + ")");
  }
  int total = facts.engine.images_total;
  std::string evidence = std::to_string(total) + " images on the host; " +
                         std::to_string(facts.engine.images.size()) + " in scope, " +
                         std::to_string(unused.size()) + " not used by any container";
  if (!unused.empty()) evidence += ": " + common::JoinLimited(unused, 20);
  out.Info(HostSubject(facts), evidence,
           "there are " + std::to_string(total) + " images, " + std::to_string(unused.size()) +
               " of those in scope unused: remove what is not needed (docker image prune -a)");
}

void CheckContainerSprawl(const HostFacts& facts, ResultSink& out) {
  int total = facts.engine.containers_total;
  int running = facts.engine.containers_running;
  std::string evidence =
      "/info Containers=" + std::to_string(total) + " ContainersRunning=" + std::to_string(running);
  out.Info(HostSubject(facts), evidence,
           "there are " + std::to_string(total) + " containers, " + std::to_string(running) +
               " running and " + std::to_string(total - running) +
               " stopped: remove stopped ones that are not needed (docker container prune)");
}

}  // namespace

std::vector<HostCheck> Section6SecurityOperationsChecks() {
  using core::Severity;
  return {
      {.cis = "6.1",
       .title = "Ensure that image sprawl is avoided",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "Unused images keep old, unpatched software on the host and make it hard to "
                    "tell which images matter.",
       .remediation =
           "Remove images no container needs: docker image prune -a (review docker images first).",
       .references = {.attack = {"T1525"},
                      .nist = {"CM-8", "CM-7"},
                      .cwe = {"CWE-1104"},
                      .urls = {"https://docs.docker.com/engine/manage-resources/pruning/"}},
       .scope = HostScope::kEngine,
       .run = CheckImageSprawl},
      {.cis = "6.2",
       .title = "Ensure that container sprawl is avoided",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "Stopped containers keep their writable layers, configuration and secrets on "
                    "the host and can be restarted unnoticed.",
       .remediation = "Remove stopped containers that are not needed: docker container prune.",
       .references = {.attack = {"T1610"},
                      .nist = {"CM-8", "CM-7"},
                      .cwe = {"CWE-1188"},
                      .urls = {"https://docs.docker.com/engine/manage-resources/pruning/"}},
       .scope = HostScope::kEngine,
       .run = CheckContainerSprawl},
  };
}

}  // namespace bulwark::host
