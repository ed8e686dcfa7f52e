// CIS section 4, container images and build files (4.1 - 4.12): each
// recommendation's metadata beside the function that judges it. Image checks
// give one result per image in scope; 4.1 also judges every running
// container's effective user, as docker-bench does.
#include "host/checks_common.hpp"
#include "host/checks_section4_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

const char* const kDockerfileRef = "https://docs.docker.com/reference/dockerfile/";
const char* const kBestPractices = "https://docs.docker.com/build/building/best-practices/";

using common::IsRootUser;
using common::Quoted;

void CheckUser(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::string user = JsonString(image.inspect, "/Config/User");
    std::string evidence = "image Config.User=" + Quoted(user);
    std::string name = ImageSubject(image).name;
    if (IsRootUser(user)) {
      out.Warn(ImageSubject(image), evidence,
               "image " + name + " runs its processes as root by default");
    } else {
      out.Pass(ImageSubject(image), evidence, "image " + name + " runs as user " + user);
    }
  }
  // What a running container's processes actually run as (docker run --user
  // overrides the image).
  for (const ContainerFacts& c : facts.engine.containers) {
    std::string user = JsonString(c.inspect, "/Config/User");
    std::string evidence = "container Config.User=" + Quoted(user);
    if (IsRootUser(user)) {
      out.Warn(ContainerSubject(c), evidence, "container " + c.name + " runs as root");
    } else {
      out.Pass(ContainerSubject(c), evidence, "container " + c.name + " runs as user " + user);
    }
  }
}

void CheckTrustedBase(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::vector<std::string> digests = JsonStrings(image.inspect, "/RepoDigests");
    std::string name = ImageSubject(image).name;
    if (digests.empty()) {
      out.Note(ImageSubject(image), "RepoDigests=[] (built or imported locally)",
               "image " + name +
                   " was built or imported on this host: review its Dockerfile and base image");
    } else {
      out.Note(ImageSubject(image),
               "RepoDigests=" + digests.front() + (digests.size() > 1 ? ", ..." : ""),
               "image " + name +
                   " came from a registry: confirm the registry and publisher are trusted");
    }
  }
}

// The manual recommendations: nothing the Engine API shows decides them.
void NoteOnHost(const HostFacts& facts, ResultSink& out, const std::string& message) {
  out.Note(HostSubject(facts),
           "manual review (" + std::to_string(facts.engine.images.size()) + " images in scope)",
           message);
}

void CheckMinimalPackages(const HostFacts& facts, ResultSink& out) {
  NoteOnHost(facts, out,
             "review each image's package list; bulwark scan IMAGE lists the installed packages");
}

std::string CreatedText(const ImageFacts& image) {
  std::string created = JsonString(image.inspect, "/Created");
  return created.empty() ? "Created unknown" : "Created=" + created.substr(0, 10);
}

void CheckScanned(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::string name = ImageSubject(image).name;
    std::string ref = name == "<none>" ? ImageSubject(image).id : name;
    out.Note(ImageSubject(image), CreatedText(image),
             "image " + name + ": scan it for vulnerabilities (bulwark scan " + ref +
                 ") and rebuild it on patched bases");
  }
}

void CheckContentTrust(const HostFacts& facts, ResultSink& out) {
  auto it = facts.env.find("DOCKER_CONTENT_TRUST");
  if (it != facts.env.end() && it->second == "1") {
    out.Pass(HostSubject(facts), "DOCKER_CONTENT_TRUST=1",
             "Docker Content Trust is enabled for this environment");
    return;
  }
  std::string evidence = it == facts.env.end() ? "DOCKER_CONTENT_TRUST unset"
                                               : "DOCKER_CONTENT_TRUST=" + Quoted(it->second);
  out.Warn(HostSubject(facts), evidence + " (the environment bulwark runs in)",
           "Docker Content Trust is not enabled: unsigned images can be pulled and run");
}

void CheckHealthcheck(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::string name = ImageSubject(image).name;
    const nlohmann::json* health = JsonAt(image.inspect, "/Config/Healthcheck");
    std::vector<std::string> test =
        health ? JsonStrings(*health, "/Test") : std::vector<std::string>{};
    if (health == nullptr || health->is_null() || test.empty()) {
      out.Warn(ImageSubject(image), "Config.Healthcheck=null",
               "image " + name + " has no HEALTHCHECK");
    } else if (test.front() == "NONE") {
      out.Warn(ImageSubject(image), "Config.Healthcheck.Test=[\"NONE\"]",
               "image " + name + " disables its HEALTHCHECK");
    } else {
      out.Pass(ImageSubject(image), "Config.Healthcheck.Test=" + JsonAt(*health, "/Test")->dump(),
               "image " + name + " declares a HEALTHCHECK");
    }
  }
}

void CheckSetuid(const HostFacts& facts, ResultSink& out) {
  NoteOnHost(facts, out,
             "remove setuid/setgid bits the images do not need (find / -perm /6000 -type f)");
}

void CheckVerifiedPackages(const HostFacts& facts, ResultSink& out) {
  NoteOnHost(facts, out,
             "install packages only from signed repositories (apt/yum GPG verification, pinned "
             "checksums)");
}

void CheckSignedArtifacts(const HostFacts& facts, ResultSink& out) {
  NoteOnHost(
      facts, out,
      "validate the signatures of artifacts (images, packages) before they reach the registry");
}

}  // namespace

std::vector<HostCheck> Section4ImagesChecks() {
  using core::Severity;
  return {
      {.cis = "4.1",
       .title = "Ensure that a user for the container has been created",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "A process running as root inside a container is root on the host once it "
                    "escapes the container, and can modify everything the container can reach.",
       .remediation = "Create a user in the Dockerfile (useradd) and switch to it with USER <name "
                      "or UID>; for an existing image run it with docker run --user 10001:10001.",
       .references = {.attack = {"T1611", "T1068"},
                      .nist = {"AC-6"},
                      .cwe = {"CWE-250"},
                      .urls = {std::string(kDockerfileRef) + "#user"}},
       .scope = HostScope::kImages,
       .run = CheckUser},
      {.cis = "4.2",
       .title = "Ensure that containers use only trusted base images",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale =
           "An image from an unknown publisher can carry malware or backdoors into the host.",
       .remediation =
           "Pull base images only from trusted registries and publishers, enable Docker Content "
           "Trust (DOCKER_CONTENT_TRUST=1) and review each image's history (docker history).",
       .references = {.attack = {"T1525", "T1204.003"},
                      .nist = {"SR-3", "SR-11", "CM-7"},
                      .cwe = {"CWE-829"},
                      .urls = {kBestPractices}},
       .scope = HostScope::kImages,
       .run = CheckTrustedBase},
      {.cis = "4.3",
       .title = "Ensure that unnecessary packages are not installed in the container",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale = "Every installed package adds attack surface and vulnerabilities to patch.",
       .remediation = "Start from a minimal base (distroless, alpine, slim) and install only what "
                      "the application needs (apt-get install --no-install-recommends).",
       .references = {.nist = {"CM-7"}, .cwe = {"CWE-1104"}, .urls = {kBestPractices}},
       .scope = HostScope::kHost,
       .run = CheckMinimalPackages},
      {.cis = "4.4",
       .title = "Ensure images are scanned and rebuilt to include security patches",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale = "Images are snapshots: without regular scans and rebuilds they keep the "
                    "vulnerabilities of the day they were built.",
       .remediation =
           "Scan every image (bulwark scan IMAGE) in CI and on a schedule, rebuild on updated base "
           "images (docker build --pull --no-cache) and restart the containers on the new image.",
       .references = {.attack = {"T1190"},
                      .nist = {"RA-5", "SI-2"},
                      .cwe = {"CWE-1104"},
                      .urls = {kBestPractices}},
       .scope = HostScope::kImages,
       .run = CheckScanned},
      {.cis = "4.5",
       .title = "Ensure Content trust for Docker is Enabled",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "Without content trust the client pulls and runs unsigned images, so a "
                    "tampered registry or tag goes unnoticed.",
       .remediation = "echo DOCKER_CONTENT_TRUST=1 | sudo tee -a /etc/environment (or export it in "
                      "the shell and CI that pull images).",
       .references = {.attack = {"T1525", "T1204.003"},
                      .nist = {"SI-7", "SR-11"},
                      .cwe = {"CWE-494"},
                      .urls = {"https://docs.docker.com/engine/security/trust/"}},
       .scope = HostScope::kHost,
       .run = CheckContentTrust},
      {.cis = "4.6",
       .title = "Ensure that HEALTHCHECK instructions have been added to container images",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "Without a health check the engine cannot tell a hung or compromised service "
                    "from a healthy one, and orchestrators cannot replace it.",
       .remediation = "Add HEALTHCHECK CMD <probe> to the Dockerfile and rebuild the image.",
       .references = {.attack = {"T1499"},
                      .nist = {"SI-4", "SC-5"},
                      .urls = {std::string(kDockerfileRef) + "#healthcheck"}},
       .scope = HostScope::kImages,
       .run = CheckHealthcheck},
      {.cis = "4.7",
       .title = "Ensure update instructions are not used alone in the Dockerfile",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "A layer that only refreshes the package index is cached, so later builds "
                    "install packages from a stale index and miss security updates.",
       .remediation = "Refresh and install in one RUN (RUN apt-get update && apt-get install -y "
                      "pkg=version), or build with docker build --no-cache.",
       .references = {.nist = {"SI-2", "CM-2"}, .cwe = {"CWE-1104"}, .urls = {kBestPractices}},
       .scope = HostScope::kImages,
       .run = section4::CheckUpdateAlone},
      {.cis = "4.8",
       .title = "Ensure setuid and setgid permissions are removed",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale =
           "setuid and setgid binaries let a process raise its privileges inside the container.",
       .remediation = "RUN find / -perm /6000 -type f -exec chmod a-s {} \\; || true near the end "
                      "of the Dockerfile, keeping the bits only where a program needs them.",
       .references = {.attack = {"T1068"},
                      .nist = {"AC-6"},
                      .cwe = {"CWE-250"},
                      .urls = {kBestPractices}},
       .scope = HostScope::kHost,
       .run = CheckSetuid},
      {.cis = "4.9",
       .title = "Ensure that COPY is used instead of ADD in Dockerfiles",
       .scored = false,
       .severity = Severity::kMedium,
       .rationale = "ADD fetches URLs without integrity checks and silently unpacks archives, so "
                    "the image can receive content nobody reviewed.",
       .remediation = "Use COPY for local files; download with a pinned checksum in a RUN step "
                      "(curl + sha256sum -c) or ADD --checksum=sha256:... instead of ADD <url>.",
       .references = {.attack = {"T1204.003"},
                      .nist = {"SI-7", "CM-7"},
                      .cwe = {"CWE-494", "CWE-829"},
                      .urls = {std::string(kDockerfileRef) + "#add"}},
       .scope = HostScope::kImages,
       .run = section4::CheckCopyNotAdd},
      {.cis = "4.10",
       .title = "Ensure secrets are not stored in Dockerfiles",
       .scored = false,
       .severity = Severity::kHigh,
       .rationale = "ENV values and build arguments are stored in the image configuration and "
                    "history, readable by anyone who can pull or inspect the image.",
       .remediation = "Remove the ENV/ARG secret and rotate it; pass build secrets with RUN "
                      "--mount=type=secret (BuildKit) and runtime secrets as files (Docker "
                      "secrets, *_FILE variables).",
       .references = {.attack = {"T1552.001", "T1552.007"},
                      .nist = {"IA-5", "SC-28"},
                      .cwe = {"CWE-798", "CWE-526"},
                      .urls = {"https://docs.docker.com/build/building/secrets/"}},
       .scope = HostScope::kImages,
       .run = section4::CheckBuildSecrets},
      {.cis = "4.11",
       .title = "Ensure only verified packages are installed",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale =
           "Packages from unverified sources can be tampered with on the way into the image.",
       .remediation = "Install from repositories whose signatures the package manager verifies; "
                      "pin and check checksums for anything downloaded directly.",
       .references = {.attack = {"T1204.003"},
                      .nist = {"SI-7", "SR-11"},
                      .cwe = {"CWE-494"},
                      .urls = {kBestPractices}},
       .scope = HostScope::kHost,
       .run = CheckVerifiedPackages},
      {.cis = "4.12",
       .title = "Ensure all signed artifacts are validated",
       .scored = false,
       .severity = Severity::kInfo,
       .rationale = "A signature protects only when it is checked before the artifact is trusted.",
       .remediation = "Verify image and artifact signatures (cosign verify, docker trust inspect) "
                      "before pushing them to the registry and before deploying them.",
       .references = {.attack = {"T1204.003"},
                      .nist = {"SI-7", "SR-4"},
                      .cwe = {"CWE-347"},
                      .urls = {"https://docs.docker.com/engine/security/trust/"}},
       .scope = HostScope::kHost,
       .run = CheckSignedArtifacts},
  };
}

}  // namespace bulwark::host
