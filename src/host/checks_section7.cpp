// CIS section 7, swarm configuration (7.1 - 7.9). docker-bench PASSes every
// one of them when swarm mode is off; here they are "info: not applicable"
// then, and judged from the manager's documents (/nodes, /swarm, /secrets,
// /services, /swarm/unlockkey) when it is on. On a worker, which cannot read
// those documents, the manager-only checks are skipped with the reason.
#include <algorithm>

#include "host/checks_common.hpp"
#include "host/json_access.hpp"
#include "host/secret_names.hpp"

namespace bulwark::host {
namespace {

using common::JoinList;
using common::Quoted;
using core::Severity;

constexpr int64_t kNanosPerDay = 86'400'000'000'000;

std::string StateEvidence(const HostFacts& facts) {
  std::string state = JsonString(facts.engine.info, "/Swarm/LocalNodeState");
  return "/info Swarm.LocalNodeState=" + Quoted(state.empty() ? "inactive" : state);
}

// False (having said why) when the check has nothing to judge.
bool SwarmApplies(const HostFacts& facts, ResultSink& out) {
  if (!facts.engine.reachable) {
    out.Skip("the Docker engine is unreachable (" + facts.engine.error + "): swarm state unknown");
    return false;
  }
  if (!facts.engine.swarm_active) {
    out.Info(HostSubject(facts), StateEvidence(facts), "not applicable: swarm mode is inactive");
    return false;
  }
  return true;
}

bool ManagerDocuments(const HostFacts& facts, ResultSink& out) {
  if (!SwarmApplies(facts, out)) return false;
  if (!facts.engine.swarm_manager) {
    out.Skip(
        "this node is a swarm worker: the swarm's configuration is readable only on a manager; run "
        "bulwark audit --host on a manager node");
    return false;
  }
  return true;
}

std::string ShortId(const nlohmann::json& doc) { return JsonString(doc, "/ID").substr(0, 12); }

// CIS: managers are a target, so keep as few as the needed fault tolerance
// allows, and an odd number so that a raft quorum survives a split. One
// manager is the minimum when tolerance is not needed; more than 7 is beyond
// Docker's recommendation.
void CheckManagers(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  int nodes = 0;
  int managers = 0;
  if (facts.engine.swarm_nodes.is_array()) {
    for (const nlohmann::json& node : facts.engine.swarm_nodes) {
      ++nodes;
      if (JsonString(node, "/Spec/Role") == "manager") ++managers;
    }
  }
  std::string evidence = "GET /nodes: " + std::to_string(managers) + " managers of " +
                         std::to_string(nodes) + " nodes";
  if (managers == 0) {
    out.Skip("GET /nodes listed no manager");
  } else if (managers % 2 == 0) {
    out.Warn(HostSubject(facts), evidence,
             "the swarm has an even number of managers (" + std::to_string(managers) +
                 "): it tolerates no more failures than " + std::to_string(managers - 1) +
                 " would, with one more target");
  } else if (managers > 7) {
    out.Warn(HostSubject(facts), evidence,
             "the swarm has more than 7 managers: each is a control-plane target");
  } else {
    std::string tolerance = std::to_string((managers - 1) / 2);
    out.Pass(HostSubject(facts), evidence + ", tolerates " + tolerance + " manager failure(s)",
             "the swarm has an odd number of managers (" + std::to_string(managers) + ")");
  }
}

void CheckListenAddress(const HostFacts& facts, ResultSink& out) {
  if (!SwarmApplies(facts, out)) return;
  if (facts.listening.empty()) {
    out.Skip("the host's listening sockets were not read (/proc/net/tcp, /proc/net/tcp6)");
    return;
  }
  std::vector<std::string> wildcard;
  std::vector<std::string> specific;
  for (const ListeningSocket& socket : facts.listening) {
    if (socket.port != 2377) continue;
    bool any = socket.address == "0.0.0.0" || socket.address == "::";
    (any ? wildcard : specific).push_back(socket.address + ":2377");
  }
  std::string node_addr =
      "; /info Swarm.NodeAddr=" + Quoted(JsonString(facts.engine.info, "/Swarm/NodeAddr"));
  if (!wildcard.empty()) {
    out.Warn(HostSubject(facts), "listening: " + JoinList(wildcard) + node_addr,
             "the swarm management port 2377 listens on every interface");
  } else if (!specific.empty()) {
    out.Pass(HostSubject(facts), "listening: " + JoinList(specific) + node_addr,
             "the swarm management port 2377 is bound to a specific address");
  } else {
    out.Info(HostSubject(facts), "no socket listens on port 2377" + node_addr,
             "this node does not listen on the swarm management port (a worker)");
  }
}

void CheckOverlayEncryption(const HostFacts& facts, ResultSink& out) {
  if (!SwarmApplies(facts, out)) return;
  int overlays = 0;
  if (facts.engine.networks.is_array()) {
    for (const nlohmann::json& network : facts.engine.networks) {
      if (JsonString(network, "/Driver") != "overlay") continue;
      ++overlays;
      std::string name = JsonString(network, "/Name");
      core::Subject subject{"network", name, ShortId(network)};
      const nlohmann::json* encrypted = JsonAt(network, "/Options/encrypted");
      std::string evidence = "Options=" + common::JsonText(network, "/Options");
      if (encrypted != nullptr) {
        out.Pass(subject, evidence, "overlay network " + name + " is encrypted");
      } else if (JsonBool(network, "/Ingress") || name == "ingress") {
        // The routing mesh carries traffic that arrived unencrypted on a
        // published port; encrypting it is possible but not what CIS targets.
        out.Info(subject, evidence + ", Ingress=true",
                 "ingress network " + name +
                     " is not encrypted (the routing mesh; recreate it with --ingress --opt "
                     "encrypted if service traffic between nodes is sensitive)");
      } else {
        out.Warn(
            subject, evidence,
            "overlay network " + name + " is not encrypted: traffic between nodes is clear text");
      }
    }
  }
  if (overlays == 0)
    out.Pass(HostSubject(facts), "GET /networks: no overlay network",
             "there is no overlay network");
}

// Beyond docker-bench's count: a service that passes a credential in its
// environment instead of as a secret is named.
void CheckSecretManagement(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  int with_secrets = 0;
  bool env_secret = false;
  if (facts.engine.swarm_services.is_array()) {
    for (const nlohmann::json& service : facts.engine.swarm_services) {
      const nlohmann::json* refs = JsonAt(service, "/Spec/TaskTemplate/ContainerSpec/Secrets");
      if (refs != nullptr && refs->is_array() && !refs->empty()) ++with_secrets;
      std::vector<std::string> names;
      for (const std::string& entry :
           JsonStrings(service, "/Spec/TaskTemplate/ContainerSpec/Env")) {
        if (auto name = SecretAssignmentName(entry)) names.push_back(MaskedAssignment(*name));
      }
      if (names.empty()) continue;
      env_secret = true;
      std::string name = JsonString(service, "/Spec/Name");
      out.Warn(core::Subject{"service", name, ShortId(service)},
               "Spec.TaskTemplate.ContainerSpec.Env: " + JoinList(names),
               "service " + name +
                   " passes secret-looking values in its environment instead of Docker secrets");
    }
  }
  if (env_secret) return;
  size_t secrets = facts.engine.swarm_secrets.is_array() ? facts.engine.swarm_secrets.size() : 0;
  out.Info(HostSubject(facts),
           "GET /secrets: " + std::to_string(secrets) + " secrets; " +
               std::to_string(with_secrets) + " services use secrets",
           "the swarm manages " + std::to_string(secrets) +
               " secret(s); no service passes a secret-looking variable in its environment");
}

bool AutoLockOn(const HostFacts& facts) {
  return (facts.engine.unlock_key && !facts.engine.unlock_key->empty()) ||
         JsonBool(facts.engine.swarm, "/Spec/EncryptionConfig/AutoLockManagers");
}

std::string AutoLockEvidence(const HostFacts& facts) {
  std::string key = !facts.engine.unlock_key           ? "unreadable"
                    : facts.engine.unlock_key->empty() ? "empty"
                                                       : "set";
  return "Spec.EncryptionConfig.AutoLockManagers=" +
         common::JsonText(facts.engine.swarm, "/Spec/EncryptionConfig/AutoLockManagers") +
         ", GET /swarm/unlockkey: " + key;
}

void CheckAutoLock(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  if (AutoLockOn(facts)) {
    out.Pass(HostSubject(facts), AutoLockEvidence(facts), "swarm managers run in auto-lock mode");
  } else {
    out.Warn(HostSubject(facts), AutoLockEvidence(facts),
             "swarm managers are not auto-locked: the raft keys are stored unencrypted on disk");
  }
}

void CheckAutoLockRotation(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  if (!AutoLockOn(facts)) {
    out.Info(HostSubject(facts), AutoLockEvidence(facts),
             "not applicable: auto-lock is off (see 7.5)");
    return;
  }
  out.Note(HostSubject(facts), AutoLockEvidence(facts),
           "rotate the unlock key periodically (docker swarm unlock-key --rotate); the engine does "
           "not record when it last changed");
}

std::string DaysText(int64_t nanos) { return std::to_string(nanos / kNanosPerDay) + " days"; }

// Docker's default, 90 days, is the longest lifetime accepted.
void CheckNodeCertExpiry(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  int64_t expiry = JsonInt(facts.engine.swarm, "/Spec/CAConfig/NodeCertExpiry");
  std::string evidence = "Spec.CAConfig.NodeCertExpiry=" + std::to_string(expiry) + "ns";
  if (expiry <= 0) {
    out.Info(HostSubject(facts), evidence,
             "the node certificate lifetime could not be read from GET /swarm");
  } else if (expiry <= 90 * kNanosPerDay) {
    out.Pass(HostSubject(facts), evidence + " (" + DaysText(expiry) + ")",
             "swarm node certificates are rotated every " + DaysText(expiry) + " or sooner");
  } else {
    out.Warn(
        HostSubject(facts), evidence + " (" + DaysText(expiry) + ")",
        "swarm node certificates live " + DaysText(expiry) + ", longer than the 90-day default");
  }
}

void CheckCaRotation(const HostFacts& facts, ResultSink& out) {
  if (!ManagerDocuments(facts, out)) return;
  int64_t rotations = JsonInt(facts.engine.swarm, "/Spec/CAConfig/ForceRotate");
  std::string created = JsonString(facts.engine.swarm, "/CreatedAt");
  out.Note(HostSubject(facts),
           "swarm CreatedAt=" + Quoted(created.substr(0, 10)) +
               ", Spec.CAConfig.ForceRotate=" + std::to_string(rotations),
           rotations == 0
               ? "the swarm's root CA was never rotated: rotate it periodically (docker swarm ca "
                 "--rotate)"
               : "the swarm's root CA was rotated " + std::to_string(rotations) +
                     " time(s): keep rotating it periodically (docker swarm ca --rotate)");
}

void CheckPlaneSeparation(const HostFacts& facts, ResultSink& out) {
  if (!SwarmApplies(facts, out)) return;
  std::string node_addr = JsonString(facts.engine.info, "/Swarm/NodeAddr");
  std::string evidence = "/info Swarm.NodeAddr=" + Quoted(node_addr);
  int64_t port = JsonInt(facts.engine.swarm, "/DataPathPort");
  if (port > 0) evidence += ", DataPathPort=" + std::to_string(port);
  out.Info(HostSubject(facts), evidence,
           "management traffic uses " +
               (node_addr.empty() ? std::string("an unknown address") : node_addr) +
               "; the data-path address (--data-path-addr) is not exposed by the Engine API: "
               "confirm it is on a separate interface");
}

}  // namespace

std::vector<HostCheck> Section7SwarmChecks() {
  const char* kAdmin = "https://docs.docker.com/engine/swarm/admin_guide/";
  const char* kPki = "https://docs.docker.com/engine/swarm/how-swarm-mode-works/pki/";
  const char* kLock = "https://docs.docker.com/engine/swarm/swarm_manager_locking/";
  auto check = [](const char* cis, const char* title, bool scored, Severity severity,
                  const char* rationale, const char* remediation, core::References references,
                  void (*run)(const HostFacts&, ResultSink&)) {
    return HostCheck{cis,
                     title,
                     scored,
                     severity,
                     rationale,
                     remediation,
                     std::move(references),
                     HostScope::kSwarm,
                     run};
  };
  return {
      check("7.1", "Ensure that the minimum number of manager nodes have been created in a swarm",
            true, Severity::kLow,
            "Managers control the swarm and its security settings: each extra one is a target, and "
            "an even number adds no fault tolerance.",
            "Keep an odd number of managers, the smallest that gives the needed fault tolerance "
            "(1, 3 or 5): docker node demote NODE.",
            {.attack = {"T1610"}, .nist = {"CM-7", "CP-10"}, .urls = {kAdmin}}, CheckManagers),
      check(
          "7.2", "Ensure that swarm services are bound to a specific host interface", true,
          Severity::kMedium,
          "The management port on every interface lets any network reach the swarm control plane.",
          "docker swarm init --listen-addr <internal IP>:2377 (or docker swarm update / rejoin "
          "with --listen-addr and --advertise-addr).",
          {.attack = {"T1046", "T1133"},
           .nist = {"SC-7", "CM-7"},
           .cwe = {"CWE-1327"},
           .urls = {kAdmin}},
          CheckListenAddress),
      check("7.3", "Ensure that all Docker swarm overlay networks are encrypted", true,
            Severity::kMedium,
            "Overlay traffic between nodes is VXLAN in clear text unless the network is encrypted "
            "(IPsec).",
            "Create overlay networks with docker network create --driver overlay --opt encrypted "
            "NAME.",
            {.attack = {"T1046"},
             .nist = {"SC-8"},
             .cwe = {"CWE-319"},
             .urls = {"https://docs.docker.com/engine/network/drivers/overlay/"}},
            CheckOverlayEncryption),
      check("7.4",
            "Ensure that Docker's secret management commands are used for managing secrets in a "
            "swarm cluster",
            false, Severity::kMedium,
            "Secrets in service environments are visible in docker service inspect and to every "
            "process in the task; Docker secrets are encrypted in raft and mounted as files.",
            "docker secret create NAME FILE and docker service create --secret NAME; read it from "
            "/run/secrets/NAME (or a *_FILE variable).",
            {.attack = {"T1552.001", "T1552.007"},
             .nist = {"IA-5", "SC-28"},
             .cwe = {"CWE-526"},
             .urls = {"https://docs.docker.com/engine/swarm/secrets/"}},
            CheckSecretManagement),
      check("7.5", "Ensure that swarm manager is run in auto-lock mode", true, Severity::kMedium,
            "Without auto-lock the keys that decrypt the raft log (and its secrets) are stored on "
            "the manager's disk, readable to anyone who takes the disk.",
            "docker swarm update --autolock=true, and keep the unlock key in a safe place.",
            {.attack = {"T1552"},
             .nist = {"SC-28", "SC-12"},
             .cwe = {"CWE-311"},
             .urls = {kLock}},
            CheckAutoLock),
      check("7.6", "Ensure that the swarm manager auto-lock key is rotated periodically", false,
            Severity::kLow, "A key that never changes stays valid for whoever once copied it.",
            "docker swarm unlock-key --rotate on a schedule.",
            {.nist = {"SC-12"}, .cwe = {"CWE-324"}, .urls = {kLock}}, CheckAutoLockRotation),
      check(
          "7.7", "Ensure that node certificates are rotated as appropriate", false, Severity::kLow,
          "Short-lived node certificates limit how long a stolen node identity remains useful.",
          "docker swarm update --cert-expiry 720h (at most the 90-day default, 2160h).",
          {.attack = {"T1552"}, .nist = {"SC-12", "IA-5"}, .cwe = {"CWE-324"}, .urls = {kPki}},
          CheckNodeCertExpiry),
      check("7.8", "Ensure that CA certificates are rotated as appropriate", false, Severity::kLow,
            "Rotating the swarm's root CA revokes every certificate issued under a possibly "
            "compromised key.",
            "docker swarm ca --rotate on a schedule, and after any suspected key compromise.",
            {.nist = {"SC-12"}, .cwe = {"CWE-324"}, .urls = {kPki}}, CheckCaRotation),
      check("7.9", "Ensure that management plane traffic is separated from data plane traffic",
            false, Severity::kLow,
            "Separate interfaces keep service traffic from congesting or observing the control "
            "plane.",
            "docker swarm init/join --advertise-addr <management IP> --data-path-addr <data IP>.",
            {.nist = {"SC-7"}, .urls = {kAdmin}}, CheckPlaneSeparation),
  };
}

}  // namespace bulwark::host
