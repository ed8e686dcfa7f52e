#include "model/threat_rule_support.hpp"

#include <algorithm>
#include <cctype>

namespace bulwark::model::rules {

std::string Cite(const Evidence& evidence) {
  if (evidence.path.empty()) return "";
  return evidence.line > 0 ? evidence.path + ":" + std::to_string(evidence.line) : evidence.path;
}

std::string CiteIn(const Evidence& evidence) {
  std::string cite = Cite(evidence);
  return cite.empty() ? "" : " (" + cite + ")";
}

const Evidence* Definition(const Element& element) {
  for (const Evidence& e : element.evidence) {
    if (!e.path.empty()) return &e;
  }
  return nullptr;
}

namespace {

// "user: root", "- USER=0", "USER app" start with the key "user"; "users:" does not.
bool StartsWithKey(std::string_view text, std::string_view key) {
  while (!text.empty() && (text.front() == '-' || text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  if (text.size() < key.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(key[i]))) {
      return false;
    }
  }
  if (text.size() == key.size()) return true;
  char next = text[key.size()];
  return next == ':' || next == ' ' || next == '=' || next == '"';
}

}  // namespace

const Evidence* Mentioning(const Element& element, std::initializer_list<std::string_view> keys) {
  for (const Evidence& e : element.evidence) {
    for (std::string_view key : keys) {
      if (StartsWithKey(e.text, key)) return &e;
    }
  }
  return nullptr;
}

std::string NotSet(const Element& element, std::string_view setting, RuleMatch& match) {
  const Evidence* def = Definition(element);
  if (def == nullptr) return "";
  AddEvidence(match, *def);
  if (!element.dockerfile.empty() && def->path == element.dockerfile) {
    return " (built from " + element.dockerfile + "; no compose file or manifest sets " + std::string(setting) + ")";
  }
  return " (no " + std::string(setting) + " in " + Cite(*def) + ")";
}

std::string JoinWords(const std::vector<std::string>& words) {
  size_t shown = std::min(words.size(), kMaxListed);
  std::string out;
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == words.size()) ? " and " : ", ";
    out += words[i];
  }
  if (shown < words.size()) out += " and " + std::to_string(words.size() - shown) + " more";
  return out;
}

Level Raise(Level level) { return level == Level::kLow ? Level::kMedium : Level::kHigh; }
Level Lower(Level level) { return level == Level::kHigh ? Level::kMedium : Level::kLow; }

void AddEvidence(RuleMatch& match, const Evidence& evidence) {
  if (match.evidence.size() >= kMaxEvidence) return;
  for (const Evidence& e : match.evidence) {
    if (e.path == evidence.path && e.line == evidence.line && e.text == evidence.text) return;
  }
  match.evidence.push_back(evidence);
}

bool IsContainer(const Element& element) {
  if (element.kind == ElementKind::kService) return true;
  return element.kind == ElementKind::kDataStore && (!element.image.empty() || !element.dockerfile.empty());
}

bool AllInterfaces(const PortBinding& port) {
  return port.published &&
         (port.host_ip.empty() || port.host_ip == "0.0.0.0" || port.host_ip == "::" || port.host_ip == "[::]");
}

std::string PortText(const PortBinding& port) {
  std::string out;
  if (!port.host_ip.empty()) out += port.host_ip + ":";
  if (port.host_port > 0) out += std::to_string(port.host_port) + ":";
  out += port.container_port > 0 ? std::to_string(port.container_port) : "?";
  return out;
}

bool DangerousCapability(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.rfind("CAP_", 0) == 0) upper.erase(0, 4);
  // Docker's default set (CHOWN, SETUID, NET_BIND_SERVICE, ...) is not
  // listed: adding one of those back after dropping ALL is least privilege.
  static constexpr std::string_view kDangerous[] = {
      "ALL",          "SYS_ADMIN",   "SYS_MODULE", "SYS_PTRACE",  "SYS_RAWIO",  "SYS_BOOT",
      "SYS_TIME",     "NET_ADMIN",   "DAC_READ_SEARCH", "BPF",    "PERFMON",    "MAC_ADMIN",
      "MAC_OVERRIDE", "SYSLOG",      "SYS_RESOURCE", "LINUX_IMMUTABLE", "IPC_LOCK", "WAKE_ALARM",
      "BLOCK_SUSPEND", "SYS_NICE",   "LEASE",      "AUDIT_CONTROL", "NET_BROADCAST", "SYS_PACCT",
      "SYS_TTY_CONFIG", "CHECKPOINT_RESTORE"};
  return std::find(std::begin(kDangerous), std::end(kDangerous), upper) != std::end(kDangerous);
}

bool HostPathMount(const Mount& mount) {
  return (mount.type == "bind" || mount.type == "hostPath") && !mount.docker_socket;
}

std::string FlowWords(const Flow& flow) {
  if (!flow.label.empty()) return flow.label;
  std::string out = flow.protocol.empty() ? std::string(FlowKindName(flow.kind)) : flow.protocol;
  if (flow.port > 0) out += " :" + std::to_string(flow.port);
  return out;
}

std::string FlowCite(const Flow& flow) {
  for (const Evidence& e : flow.evidence) {
    if (!e.path.empty()) return CiteIn(e);
  }
  return "";
}

bool NetworkFlow(const Flow& flow) {
  switch (flow.kind) {
    case FlowKind::kHostMount: return false;
    case FlowKind::kControlPlane: return flow.port > 0;  // a TCP API; the socket is a file
    default: return flow.protocol != "file";
  }
}

}  // namespace bulwark::model::rules
