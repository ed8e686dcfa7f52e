// CIS section 2 checks whose truth is the running engine (/info, /version)
// or that judge a combination of settings: rootless, insecure registries,
// storage driver, TLS on TCP hosts, logging, live restore, seccomp,
// experimental features.
#include <algorithm>

#include "host/checks_section2_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host::section2 {
namespace {

using nlohmann::json;

std::string EngineDown(const HostFacts& facts) {
  return facts.engine.error.empty() ? "the Docker engine did not answer" : facts.engine.error;
}

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// The engine treats registries on loopback as insecure by itself
// (RegistryConfig.InsecureRegistryCIDRs always holds 127.0.0.0/8) and their
// traffic never leaves the host: not a finding.
bool IsLoopbackRegistry(const std::string& entry) {
  std::string_view e(entry);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (e.rfind(scheme, 0) == 0) e.remove_prefix(scheme.size());
  }
  auto host_is = [&](std::string_view host) {
    return e.rfind(host, 0) == 0 &&
           (e.size() == host.size() || e[host.size()] == ':' || e[host.size()] == '/');
  };
  if (host_is("localhost") || host_is("[::1]") || e == "::1/128") return true;
  if (e.rfind("127.", 0) != 0) return false;
  size_t slash = e.find('/');
  if (slash == std::string_view::npos) return true;
  std::string_view bits = e.substr(slash + 1);
  int prefix = 0;
  for (char c : bits) {
    if (c < '0' || c > '9' || prefix > 128) return false;
    prefix = prefix * 10 + (c - '0');
  }
  return !bits.empty() && prefix >= 8 && prefix <= 32;
}

bool IsTcpHost(const std::string& host) {
  if (host.rfind("tcp://", 0) == 0) return true;
  // dockerd reads a host without a scheme (":2375") as TCP.
  return !host.empty() && host.find("://") == std::string::npos;
}

std::string TlsFiles(const HostFacts& facts) {
  std::string text;
  for (const char* key : {"tlscacert", "tlscert", "tlskey"}) {
    std::string value = facts.daemon.Value(key);
    text += std::string(text.empty() ? "" : ", ") + key + "=" +
            (value.empty() ? "(default ~/.docker)" : value);
  }
  return text;
}

std::string OptionOf(const std::vector<std::string>& opts, const std::string& name) {
  for (const std::string& opt : opts) {
    if (opt.rfind(name + "=", 0) == 0) return opt.substr(name.size() + 1);
  }
  return "";
}

bool IsRemoteDriver(const std::string& driver) {
  static constexpr std::string_view kRemote[] = {"syslog",  "journald",   "fluentd",
                                                 "gelf",    "awslogs",    "splunk",
                                                 "gcplogs", "logentries", "etwlogs"};
  if (std::find(std::begin(kRemote), std::end(kRemote), driver) != std::end(kRemote)) return true;
  // Anything else but the three local drivers is a logging plugin
  // ("grafana/loki-docker-driver:latest"), which ships logs somewhere.
  return driver != "json-file" && driver != "local" && driver != "none" && !driver.empty();
}

}  // namespace

void CheckRootless(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  std::string rootless = RootlessEvidence(facts);
  if (!rootless.empty()) {
    out.Pass(subject, rootless, "dockerd runs as a non-root user (rootless mode)");
  } else if (facts.daemon_process) {
    out.Info(subject, "dockerd pid " + std::to_string(facts.daemon_process->pid) + " runs as uid 0",
             "dockerd runs as root; consider rootless mode where its limits are acceptable");
  } else if (facts.engine.reachable) {
    out.Info(subject, "/info SecurityOptions has no name=rootless" + ProcessNote(facts),
             "dockerd does not run in rootless mode");
  } else {
    out.Skip("no dockerd process found for this socket and " + EngineDown(facts));
  }
}

void CheckInsecureRegistries(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "insecure-registries", "none");
  if (setting.option == nullptr && !setting.unknown.empty() && !facts.engine.reachable) {
    return out.Skip(setting.unknown);
  }
  std::vector<std::string> insecure;
  std::vector<std::string> evidence = {setting.option || setting.unknown.empty() ? setting.evidence
                                                                                 : setting.unknown};
  if (setting.option != nullptr) {
    for (const std::string& entry : setting.option->values) {
      if (!IsLoopbackRegistry(entry)) AddUnique(insecure, entry);
    }
  }
  if (facts.engine.reachable) {
    std::vector<std::string> cidrs =
        JsonStrings(facts.engine.info, "/RegistryConfig/InsecureRegistryCIDRs");
    for (const std::string& cidr : cidrs) {
      if (!IsLoopbackRegistry(cidr)) AddUnique(insecure, cidr);
    }
    evidence.push_back("/info RegistryConfig.InsecureRegistryCIDRs: [" + JoinList(cidrs) + "]" +
                       (cidrs.size() == 1 && cidrs[0] == "127.0.0.0/8"
                            ? " (the engine's built-in loopback entry)"
                            : ""));
    const json* indexes = JsonAt(facts.engine.info, "/RegistryConfig/IndexConfigs");
    if (indexes != nullptr && indexes->is_object()) {
      for (const auto& [name, index] : indexes->items()) {
        if (JsonBool(index, "/Secure", true) || IsLoopbackRegistry(name)) continue;
        AddUnique(insecure, name);
        evidence.push_back("IndexConfigs." + name + ".Secure=false");
      }
    }
  }
  if (insecure.empty()) {
    out.Pass(DaemonSubject(facts), JoinList(evidence, "; "), "dockerd trusts no insecure registry");
  } else {
    out.Warn(
        DaemonSubject(facts), JoinList(evidence, "; "),
        "dockerd pulls from insecure registries without TLS verification: " + JoinList(insecure));
  }
}

void CheckAufs(const HostFacts& facts, ResultSink& out) {
  std::string driver;
  std::string evidence;
  if (facts.engine.reachable) {
    driver = JsonString(facts.engine.info, "/Driver");
    evidence = "/info Driver=" + driver;
  } else if (Setting setting = Look(facts, "storage-driver", ""); setting.option != nullptr) {
    driver = facts.daemon.Value("storage-driver");
    evidence = setting.evidence + "; " + EngineDown(facts);
  } else {
    return out.Skip(EngineDown(facts));
  }
  if (driver == "aufs") {
    out.Warn(DaemonSubject(facts), evidence,
             "dockerd stores images and containers with the deprecated aufs driver");
  } else {
    out.Pass(
        DaemonSubject(facts), evidence,
        "dockerd uses the " + (driver.empty() ? "default" : driver) + " storage driver, not aufs");
  }
}

void CheckTls(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  Setting hosts = Look(facts, "hosts", "unix:///var/run/docker.sock");
  if (hosts.option == nullptr && !hosts.unknown.empty()) return out.Skip(hosts.unknown);
  std::vector<std::string> tcp;
  if (hosts.option != nullptr) {
    std::copy_if(hosts.option->values.begin(), hosts.option->values.end(), std::back_inserter(tcp),
                 IsTcpHost);
  }
  if (tcp.empty()) {
    out.Info(subject, hosts.evidence, "not applicable: dockerd listens on no TCP socket");
    return;
  }
  std::string where = JoinList(tcp);
  bool verify = facts.daemon.Bool("tlsverify").value_or(false);
  bool tls = verify || facts.daemon.Bool("tls").value_or(false);
  std::string evidence = hosts.evidence;
  for (const char* key : {"tls", "tlsverify"}) {
    if (const DaemonOption* option = facts.daemon.Find(key)) evidence += "; " + option->source;
  }
  if (verify) {
    out.Pass(subject, evidence + "; " + TlsFiles(facts),
             "dockerd serves the API on " + where +
                 " only to clients with a certificate from its CA (tlsverify)");
  } else if (tls) {
    out.Warn(subject, evidence + "; tlsverify not set",
             "dockerd serves the API on " + where +
                 " over TLS without verifying clients: anyone who can reach the port controls the "
                 "daemon, which is root on the host");
  } else {
    out.Warn(subject, evidence + "; neither tls nor tlsverify set",
             "dockerd serves the API on " + where +
                 " without TLS: anyone who can reach the port is root on the host");
  }
}

void CheckRemoteLogging(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  Setting driver_setting = Look(facts, "log-driver", "json-file");
  Setting opts_setting = Look(facts, "log-opts", "none");
  std::string driver;
  std::string evidence;
  if (facts.engine.reachable) {
    driver = JsonString(facts.engine.info, "/LoggingDriver");
    evidence = "/info LoggingDriver=" + driver;
  } else if (driver_setting.option == nullptr && !driver_setting.unknown.empty()) {
    return out.Skip(driver_setting.unknown);
  } else {
    driver = driver_setting.option ? facts.daemon.Value("log-driver") : "json-file";
    evidence = driver_setting.evidence + "; " + EngineDown(facts);
  }
  std::vector<std::string> opts =
      opts_setting.option ? opts_setting.option->values : std::vector<std::string>{};
  if (opts_setting.option != nullptr) evidence += "; " + opts_setting.evidence;
  if (IsRemoteDriver(driver)) {
    out.Pass(subject, evidence, "dockerd sends container logs to " + driver);
  } else if (driver == "none") {
    out.Warn(subject, evidence,
             "dockerd discards container logs (log driver none): nothing is left to investigate");
  } else if (driver == "local") {
    out.Info(subject, evidence,
             "dockerd keeps container logs rotated on the host (local driver) but does not "
             "centralise them: ship them to a remote store");
  } else if (std::string max_size = OptionOf(opts, "max-size"); !max_size.empty()) {
    std::string max_file = OptionOf(opts, "max-file");
    out.Info(subject, evidence,
             "dockerd rotates container logs (json-file, max-size " + max_size + ", max-file " +
                 (max_file.empty() ? "1 by default" : max_file) +
                 ") but keeps them on the host only: ship them to a remote store");
  } else {
    out.Warn(subject,
             evidence.find("log-opts") == std::string::npos ? evidence + "; no log-opts max-size"
                                                            : evidence,
             "dockerd writes container logs with json-file without max-size: they grow without "
             "bound and never leave the host");
  }
}

void CheckLiveRestore(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  if (!facts.engine.reachable) {
    Setting setting = Look(facts, "live-restore", "false");
    if (facts.daemon.Bool("live-restore") == true) {
      out.Pass(subject, setting.evidence + "; " + EngineDown(facts),
               "dockerd keeps containers running while it restarts (live restore)");
    } else {
      out.Skip(EngineDown(facts));
    }
    return;
  }
  std::string swarm = JsonString(facts.engine.info, "/Swarm/LocalNodeState");
  if (facts.engine.swarm_active || swarm == "active") {
    out.Info(subject,
             "/info Swarm.LocalNodeState=" + (swarm.empty() ? std::string("active") : swarm),
             "not applicable: dockerd is a swarm node, and live restore is incompatible with swarm "
             "mode");
    return;
  }
  bool enabled = JsonBool(facts.engine.info, "/LiveRestoreEnabled");
  std::string evidence = std::string("/info LiveRestoreEnabled=") + (enabled ? "true" : "false");
  if (enabled) {
    out.Pass(subject, evidence,
             "dockerd keeps containers running while it restarts (live restore)");
  } else {
    out.Warn(subject, evidence,
             "dockerd stops every container when it stops or restarts (live restore disabled)");
  }
}

void CheckSeccomp(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  const DaemonOption* configured = facts.daemon.Find("seccomp-profile");
  std::string config_note = configured ? "; " + configured->source : "";
  if (!facts.engine.reachable) {
    if (facts.daemon.Value("seccomp-profile") == "unconfined") {
      out.Warn(subject, configured->source + "; " + EngineDown(facts),
               "dockerd runs containers without a seccomp profile by default (seccomp-profile "
               "unconfined)");
    } else {
      out.Skip(EngineDown(facts));
    }
    return;
  }
  std::string entry;
  for (const std::string& option : SecurityOptions(facts)) {
    if (option.rfind("name=seccomp", 0) == 0) entry = option;
  }
  if (entry.empty()) {
    out.Warn(subject, "/info SecurityOptions has no name=seccomp" + config_note,
             "dockerd runs containers without seccomp filtering (the kernel or the engine lacks "
             "seccomp)");
    return;
  }
  std::string profile;
  if (size_t at = entry.find("profile="); at != std::string::npos) profile = entry.substr(at + 8);
  std::string evidence = "/info SecurityOptions " + entry + config_note;
  if (profile == "unconfined") {
    out.Warn(subject, evidence,
             "dockerd runs containers without a seccomp profile by default (unconfined)");
  } else if (profile.empty() || profile == "default" || profile == "builtin") {
    out.Pass(subject, evidence,
             "dockerd applies Docker's default seccomp profile to every container");
  } else {
    std::string name = configured ? facts.daemon.Value("seccomp-profile") : profile;
    out.Pass(subject, evidence,
             "dockerd applies the custom seccomp profile " + name + " to every container");
  }
}

void CheckExperimental(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  if (!facts.engine.reachable) {
    Setting setting = Look(facts, "experimental", "false");
    if (facts.daemon.Bool("experimental") == true) {
      out.Warn(subject, setting.evidence, "dockerd runs with experimental features enabled");
    } else if (facts.daemon_process && setting.unknown.empty()) {
      out.Pass(subject, setting.evidence + "; " + EngineDown(facts),
               "dockerd runs without experimental features");
    } else {
      out.Skip(EngineDown(facts));
    }
    return;
  }
  std::vector<std::string> evidence;
  bool experimental = false;
  if (const json* top = JsonAt(facts.engine.version, "/Experimental"); top && top->is_boolean()) {
    experimental = top->get<bool>();
    evidence.push_back(std::string("/version Experimental=") + (experimental ? "true" : "false"));
  }
  if (const json* components = JsonAt(facts.engine.version, "/Components");
      components && components->is_array()) {
    for (const json& component : *components) {
      if (JsonString(component, "/Name") != "Engine") continue;
      std::string value = JsonString(component, "/Details/Experimental");
      if (value.empty()) continue;
      experimental = experimental || value == "true";
      evidence.push_back("/version Components[Engine].Details.Experimental=" + value);
    }
  }
  bool build = JsonBool(facts.engine.info, "/ExperimentalBuild");
  experimental = experimental || build;
  evidence.push_back(std::string("/info ExperimentalBuild=") + (build ? "true" : "false"));
  if (experimental) {
    out.Warn(subject, JoinList(evidence, "; "), "dockerd runs with experimental features enabled");
  } else {
    out.Pass(subject, JoinList(evidence, "; "), "dockerd runs without experimental features");
  }
}

}  // namespace bulwark::host::section2
