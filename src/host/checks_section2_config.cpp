// CIS section 2 checks that judge the daemon's configuration (dockerd's
// command line merged with daemon.json), with /info where it tells the same
// thing at run time; and the lookup helpers every section-2 check shares.
#include <algorithm>
#include <cctype>

#include "host/checks_section2_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host::section2 {
namespace {

using nlohmann::json;

std::string FilePath(const HostFacts& facts) {
  return facts.daemon_file.path.empty() ? "/etc/docker/daemon.json" : facts.daemon_file.path;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The values of a setting, empty when unset.
std::vector<std::string> Values(const Setting& setting) {
  return setting.option == nullptr ? std::vector<std::string>{} : setting.option->values;
}

// The default bridge network from GET /networks; nullptr when the engine
// did not list networks.
const json* DefaultBridge(const HostFacts& facts) {
  if (!facts.engine.networks.is_array()) return nullptr;
  for (const json& network : facts.engine.networks) {
    if (JsonString(network, "/Options/com.docker.network.bridge.default_bridge") == "true") {
      return &network;
    }
  }
  return nullptr;
}

}  // namespace

std::string JoinList(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += separator;
    text += items[i];
  }
  return text;
}

std::string ProcessNote(const HostFacts& facts) {
  if (facts.daemon_process) return "";
  return "; dockerd's command line unknown (no dockerd process found for this socket: another PID "
         "namespace?), judged from " +
         FilePath(facts) + " and /info";
}

Setting Look(const HostFacts& facts, std::string_view key, std::string_view default_text) {
  Setting setting;
  std::string quoted = "\"" + std::string(key) + "\"";
  setting.option = facts.daemon.Find(key);
  if (setting.option != nullptr) {
    setting.evidence = setting.option->source + ProcessNote(facts);
    return setting;
  }
  const DaemonConfigFile& file = facts.daemon_file;
  if (!file.error.empty()) {
    setting.unknown = quoted +
                      (facts.daemon_process ? " is not on dockerd's command line and "
                                            : " is unknown: no dockerd process found and ") +
                      file.error;
    return setting;
  }
  setting.evidence = quoted + " not set " +
                     (facts.daemon_process ? "on dockerd's command line or in " : "in ") +
                     FilePath(facts) + (file.exists ? "" : " (file absent)") +
                     " (default: " + std::string(default_text) + ")" + ProcessNote(facts);
  return setting;
}

std::vector<std::string> SecurityOptions(const HostFacts& facts) {
  return JsonStrings(facts.engine.info, "/SecurityOptions");
}

bool HasSecurityOption(const HostFacts& facts, std::string_view name) {
  std::string wanted = "name=" + std::string(name);
  for (const std::string& option : SecurityOptions(facts)) {
    if (option == wanted || option.rfind(wanted + ",", 0) == 0) return true;
  }
  return false;
}

std::string RootlessEvidence(const HostFacts& facts) {
  if (HasSecurityOption(facts, "rootless")) return "/info SecurityOptions name=rootless";
  if (facts.daemon_process && facts.daemon_process->uid != 0) {
    return "dockerd pid " + std::to_string(facts.daemon_process->pid) + " runs as uid " +
           std::to_string(facts.daemon_process->uid);
  }
  if (facts.daemon.Bool("rootless") == true) return facts.daemon.Find("rootless")->source;
  return "";
}

void CheckIcc(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  const DaemonOption* bridge_option = facts.daemon.Find("bridge");
  bool no_bridge = facts.daemon.Value("bridge") == "none";
  const json* bridge = DefaultBridge(facts);
  if (no_bridge ||
      (bridge == nullptr && facts.engine.networks.is_array() && !facts.engine.networks.empty())) {
    out.Pass(subject,
             no_bridge ? bridge_option->source : "GET /networks lists no default bridge network",
             "dockerd runs without a default bridge, so no container traffic crosses it");
    return;
  }
  Setting icc = Look(facts, "icc", "true");
  std::optional<bool> enabled;
  std::string evidence = icc.evidence;
  std::string runtime =
      bridge ? JsonString(*bridge, "/Options/com.docker.network.bridge.enable_icc") : "";
  if (!runtime.empty()) {
    // The default bridge is re-created at every start from the daemon's
    // configuration, so its option is what is in effect.
    enabled = runtime != "false";
    evidence = "network " + JsonString(*bridge, "/Name", "bridge") +
               " com.docker.network.bridge.enable_icc=" + runtime +
               (icc.option ? "; " + icc.evidence : "");
  } else if (icc.option != nullptr) {
    enabled = facts.daemon.Bool("icc").value_or(true);
  } else if (!icc.unknown.empty()) {
    out.Skip(icc.unknown);
    return;
  }
  if (enabled.value_or(true)) {
    out.Warn(subject, evidence,
             "containers on dockerd's default bridge can reach each other's ports (icc enabled)");
  } else {
    out.Pass(subject, evidence,
             "dockerd restricts traffic between containers on the default bridge (icc disabled)");
  }
}

void CheckLogLevel(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  if (facts.daemon.Bool("debug") == true || JsonBool(facts.engine.info, "/Debug")) {
    const DaemonOption* debug = facts.daemon.Find("debug");
    std::string evidence =
        debug && facts.daemon.Bool("debug") == true ? debug->source : "/info Debug=true";
    out.Warn(subject, evidence,
             "dockerd runs in debug mode: its log is verbose and records request details");
    return;
  }
  Setting level = Look(facts, "log-level", "info");
  if (level.option == nullptr && !level.unknown.empty()) {
    out.Skip(level.unknown);
    return;
  }
  std::string value = Lower(facts.daemon.Value("log-level"));
  if (level.option == nullptr || value == "info") {
    out.Pass(subject, level.evidence, "dockerd logs at level info");
  } else {
    out.Warn(subject, level.evidence, "dockerd logs at level " + value + " instead of info");
  }
}

void CheckIptables(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "iptables", "true");
  if (setting.option == nullptr && !setting.unknown.empty()) return out.Skip(setting.unknown);
  if (setting.option != nullptr && facts.daemon.Bool("iptables") == false) {
    out.Warn(
        DaemonSubject(facts), setting.evidence,
        "dockerd may not change iptables (iptables false): Docker's isolation and NAT rules for "
        "container networks are missing");
  } else {
    out.Pass(DaemonSubject(facts), setting.evidence,
             "dockerd manages the iptables rules of container networks");
  }
}

void CheckDefaultUlimits(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "default-ulimits", "none");
  std::vector<std::string> ulimits = Values(setting);
  if (!ulimits.empty()) {
    out.Pass(DaemonSubject(facts), setting.evidence,
             "dockerd gives containers default ulimits: " + JoinList(ulimits));
  } else if (!setting.unknown.empty()) {
    out.Skip(setting.unknown);
  } else {
    out.Info(DaemonSubject(facts), setting.evidence,
             "dockerd sets no default ulimits: containers inherit the daemon's own limits");
  }
}

void CheckUsernsRemap(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  Setting setting = Look(facts, "userns-remap", "none");
  std::string remap = facts.daemon.Value("userns-remap");
  std::string rootless = RootlessEvidence(facts);
  if (setting.option != nullptr && !remap.empty()) {
    out.Pass(
        subject, setting.evidence,
        "dockerd maps container root to an unprivileged host user (userns-remap " + remap + ")");
  } else if (HasSecurityOption(facts, "userns")) {
    out.Pass(subject, "/info SecurityOptions name=userns",
             "dockerd runs containers in a remapped user namespace");
  } else if (!rootless.empty()) {
    out.Pass(subject, rootless,
             "dockerd runs rootless, so container root is an unprivileged user on the host");
  } else if (!setting.unknown.empty() && !facts.engine.reachable) {
    out.Skip(setting.unknown);
  } else {
    std::string evidence = setting.unknown.empty() ? setting.evidence : setting.unknown;
    if (facts.engine.reachable) evidence += "; /info SecurityOptions has no name=userns";
    out.Warn(subject, evidence,
             "dockerd does not remap user namespaces: root in a container is root on the host");
  }
}

void CheckCgroupParent(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "cgroup-parent", "the cgroup driver's default");
  std::string parent = facts.daemon.Value("cgroup-parent");
  if (setting.option != nullptr && !parent.empty()) {
    out.Warn(DaemonSubject(facts), setting.evidence,
             "dockerd puts containers under cgroup parent " + parent +
                 ": confirm it is intended and limited");
  } else if (!setting.unknown.empty()) {
    out.Skip(setting.unknown);
  } else {
    out.Pass(DaemonSubject(facts), setting.evidence,
             "dockerd uses the default cgroup parent for containers");
  }
}

void CheckBaseDeviceSize(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "storage-opts", "none");
  for (const std::string& opt : Values(setting)) {
    if (Lower(opt).find("dm.basesize") != std::string::npos) {
      out.Warn(DaemonSubject(facts), setting.evidence,
               "dockerd changes the base device size (" + opt + ")");
      return;
    }
  }
  if (setting.option == nullptr && !setting.unknown.empty()) return out.Skip(setting.unknown);
  out.Pass(DaemonSubject(facts), setting.evidence,
           "dockerd keeps the default base device size (no dm.basesize)");
}

void CheckAuthorization(const HostFacts& facts, ResultSink& out) {
  core::Subject subject = DaemonSubject(facts);
  Setting setting = Look(facts, "authorization-plugins", "none");
  std::vector<std::string> plugins = Values(setting);
  std::vector<std::string> loaded = JsonStrings(facts.engine.info, "/Plugins/Authorization");
  if (!plugins.empty()) {
    out.Pass(subject, setting.evidence,
             "dockerd authorizes client commands with " + JoinList(plugins));
  } else if (!loaded.empty()) {
    out.Pass(subject, "/info Plugins.Authorization: " + JoinList(loaded),
             "dockerd authorizes client commands with " + JoinList(loaded));
  } else if (!setting.unknown.empty() && !facts.engine.reachable) {
    out.Skip(setting.unknown);
  } else {
    std::string evidence = setting.unknown.empty() ? setting.evidence : setting.unknown;
    if (facts.engine.reachable) evidence += "; /info Plugins.Authorization is empty";
    out.Warn(subject, evidence,
             "dockerd has no authorization plugin: anyone who can reach its socket may run every "
             "API command");
  }
}

void CheckNoNewPrivileges(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "no-new-privileges", "false");
  if (setting.option == nullptr && !setting.unknown.empty()) return out.Skip(setting.unknown);
  if (facts.daemon.Bool("no-new-privileges") == true) {
    out.Pass(DaemonSubject(facts), setting.evidence,
             "dockerd starts every container with no-new-privileges");
  } else {
    out.Warn(DaemonSubject(facts), setting.evidence,
             "dockerd does not set no-new-privileges by default: processes in containers may gain "
             "privileges through setuid binaries");
  }
}

void CheckUserlandProxy(const HostFacts& facts, ResultSink& out) {
  Setting setting = Look(facts, "userland-proxy", "true");
  if (setting.option == nullptr && !setting.unknown.empty()) return out.Skip(setting.unknown);
  if (facts.daemon.Bool("userland-proxy") == false) {
    out.Pass(DaemonSubject(facts), setting.evidence,
             "dockerd forwards published ports with iptables only (userland proxy disabled)");
  } else {
    out.Warn(
        DaemonSubject(facts), setting.evidence,
        "dockerd forwards published ports through docker-proxy processes (userland proxy enabled)");
  }
}

}  // namespace bulwark::host::section2
