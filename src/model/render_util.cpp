#include "model/render_util.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/escape.hpp"

namespace bulwark::model::render {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Valid UTF-8 with control characters (newlines included) as spaces, cut to
// `max` code points: the common first step of every escaper here.
std::string Flatten(std::string_view text, size_t max) {
  std::string clean = core::SanitizeUtf8(text);
  for (char& c : clean) {
    if (IsControl(static_cast<unsigned char>(c))) c = ' ';
  }
  return max == 0 ? clean : Truncate(clean, max);
}

std::string NumericEntity(const char* format, unsigned char c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, static_cast<unsigned>(c));
  return buf;
}

}  // namespace

std::string Truncate(std::string_view text, size_t max) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (points == max) return std::string(text.substr(0, i)) + "\xE2\x80\xA6";
    ++points;
  }
  return std::string(text);
}

std::string Md(std::string_view text, size_t max) {
  std::string escaped = core::EscapeMarkdown(max == 0 ? std::string(text) : Truncate(text, max));
  std::string out;
  out.reserve(escaped.size() + 4);
  for (char c : escaped) {
    if (c == '$' || c == '~') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string MdStart(std::string_view text, size_t max) {
  std::string out = Md(text, max);
  if (out.empty()) return out;
  char first = out[0];
  size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (first == '-' || first == '+' || first == '>' || first == '=') {
    out.insert(0, "\\");
  } else if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
    out.insert(digits, "\\");
  }
  return out;
}

std::string MermaidText(std::string_view text, size_t max) {
  std::string flat = Flatten(text, max);
  std::string out;
  out.reserve(flat.size() + 8);
  for (char ch : flat) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': case '#': case '&': case '<': case '>': case '`': case '|': case ';':
      case '%': case '\\': case '{': case '}': case '[': case ']': case '(': case ')':
        out += NumericEntity("#%u;", c);
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

std::string HtmlLabel(std::string_view text, size_t max) {
  // HTML escaping first; then two characters Graphviz mishandles in HTML text.
  std::string html = core::EscapeHtml(Flatten(text, max));
  std::string out;
  out.reserve(html.size() + 8);
  for (char ch : html) {
    switch (ch) {
      // Graphviz 2.42 rejects text that is only "]" (a CDATA-end check).
      case ']': out += "&#93;"; break;
      // Graphviz unescapes "\\" in HTML text and reads past the end after a
      // lone trailing backslash (2.42; an entity does not help).
      case '\\': out += "\\\\"; break;
      default: out.push_back(ch);
    }
  }
  return out;
}

std::string DotId(std::string_view id) {
  std::string out = "\"";
  for (char ch : id) {
    auto c = static_cast<unsigned char>(ch);
    // '%' too: Graphviz takes an ID starting with it for an anonymous object.
    // Non-ASCII bytes too: an invalid UTF-8 byte would switch Graphviz's charset.
    if (ch == '"' || ch == '\\' || ch == '^' || ch == '%' || IsControl(c) || c >= 0x80) {
      out += NumericEntity("^%02X", c);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

ThreatCounts CountThreats(const std::vector<Threat>& threats) {
  ThreatCounts counts;
  for (const Threat& threat : threats) {
    ++counts.total;
    auto risk = static_cast<size_t>(threat.risk);
    auto status = static_cast<size_t>(threat.status);
    auto stride = static_cast<size_t>(threat.stride);
    if (risk < counts.by_risk.size()) ++counts.by_risk[risk];
    if (status < counts.by_status.size()) ++counts.by_status[status];
    if (stride < counts.by_stride.size()) ++counts.by_stride[stride];
  }
  return counts;
}

int StatusCount(const ThreatCounts& counts, ThreatStatus status) {
  auto index = static_cast<size_t>(status);
  return index < counts.by_status.size() ? counts.by_status[index] : 0;
}

RiskColors ColorsOf(core::Severity risk) {
  switch (risk) {
    case core::Severity::kCritical: return {"#8e0000", "#ffffff"};
    case core::Severity::kHigh: return {"#d84315", "#ffffff"};
    case core::Severity::kMedium: return {"#f9a825", "#000000"};
    case core::Severity::kLow: return {"#2e7d32", "#ffffff"};
    case core::Severity::kInfo: return {"#607d8b", "#ffffff"};
  }
  return {"#607d8b", "#ffffff"};
}

std::string NameOf(const SystemModel& system, std::string_view element_id) {
  const Element* element = system.FindElement(element_id);
  if (element == nullptr || element->name.empty()) return std::string(element_id);
  return element->name;
}

std::string TargetName(const SystemModel& system, std::string_view target) {
  if (system.FindElement(target) != nullptr) return NameOf(system, target);
  const Flow* flow = system.FindFlow(target);
  if (flow == nullptr) return std::string(target);
  return NameOf(system, flow->from) + " \xE2\x86\x92 " + NameOf(system, flow->to) + " (" + FlowLabel(*flow) + ")";
}

std::string BoundaryNameOf(const SystemModel& system, std::string_view boundary_id) {
  const TrustBoundary* boundary = system.FindBoundary(boundary_id);
  if (boundary == nullptr || boundary->name.empty()) return std::string(boundary_id);
  return boundary->name;
}

std::string FlowLabel(const Flow& flow) {
  if (!flow.label.empty()) return flow.label;
  std::string label;
  for (char c : flow.protocol) label.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  if (flow.port > 0) label += (label.empty() ? ":" : " :") + std::to_string(flow.port);
  return label;
}

std::string EvidenceText(const Evidence& evidence) {
  std::string out = evidence.path;
  if (evidence.line > 0) out += ":" + std::to_string(evidence.line);
  if (!evidence.text.empty()) out += (out.empty() ? "\"" : " \"") + Truncate(evidence.text, 80) + "\"";
  return out;
}

namespace {

void AddPortFacts(const Element& element, std::vector<std::string>& facts) {
  for (const PortBinding& port : element.ports) {
    if (!port.published) continue;
    std::string ip = port.host_ip.empty() || port.host_ip == "0.0.0.0" || port.host_ip == "::"
                         ? std::string("all interfaces")
                         : port.host_ip;
    std::string host = port.host_port > 0 ? std::to_string(port.host_port) : std::string("ephemeral");
    facts.push_back("publishes " + host + "\xE2\x86\x92" + std::to_string(port.container_port) + " on " + ip);
  }
}

void AddMountFacts(const Element& element, std::vector<std::string>& facts) {
  for (const Mount& mount : element.mounts) {
    if (mount.docker_socket) {
      facts.push_back("Docker socket mounted" + std::string(mount.read_only ? " (ro)" : ""));
    } else if (mount.sensitive_host_path) {
      facts.push_back("host path " + mount.source + (mount.read_only ? " (ro)" : " (rw)"));
    }
  }
}

}  // namespace

std::vector<std::string> PostureFacts(const Element& element) {
  std::vector<std::string> facts;
  bool container = element.kind == ElementKind::kService || element.kind == ElementKind::kDataStore;
  if (!container) return facts;
  if (element.runs_as_root.has_value()) {
    facts.push_back(*element.runs_as_root ? "runs as root"
                                          : "non-root" + (element.user.empty() ? "" : " (" + element.user + ")"));
  } else {
    facts.push_back("user not set (image default)");
  }
  if (element.privileged) facts.push_back("privileged");
  if (!element.capabilities_added.empty()) {
    std::string caps = "adds";
    for (const std::string& cap : element.capabilities_added) caps += " " + cap;
    facts.push_back(caps);
  }
  if (element.capabilities_all_dropped) facts.push_back("all capabilities dropped");
  if (element.host_network) facts.push_back("host network");
  if (element.host_pid) facts.push_back("host PID namespace");
  if (element.host_ipc) facts.push_back("host IPC namespace");
  AddMountFacts(element, facts);
  AddPortFacts(element, facts);
  int inline_secrets = 0;
  for (const CredentialRef& credential : element.credentials) inline_secrets += credential.inline_value ? 1 : 0;
  if (inline_secrets > 0) facts.push_back(std::to_string(inline_secrets) + " inline secret(s)");
  if (element.read_only_rootfs) facts.push_back("read-only rootfs");
  if (element.no_new_privileges) facts.push_back("no-new-privileges");
  if (!element.resource_limits) facts.push_back("no resource limits");
  if (!element.healthcheck) facts.push_back("no healthcheck");
  if (!element.image.empty() && !element.image_pinned) facts.push_back("image not pinned");
  if (element.replicas > 1) facts.push_back(std::to_string(element.replicas) + " replicas");
  return facts;
}

namespace {

enum class Mark { kUnseen, kOnPath, kRooted, kOnCycle };

// Marks each boundary kRooted (its parent chain ends at a top-level
// boundary or a cycle) or kOnCycle (it is part of a parent cycle, so it is
// drawn as a top-level boundary). Linear: every boundary is walked once.
std::vector<Mark> MarkCycles(const SystemModel& system, const std::map<std::string, size_t, std::less<>>& index) {
  std::vector<Mark> marks(system.boundaries.size(), Mark::kUnseen);
  std::vector<size_t> path;
  for (size_t i = 0; i < marks.size(); ++i) {
    path.clear();
    size_t current = i;
    bool top = false;  // the walk reached a boundary without a (known) parent
    while (marks[current] == Mark::kUnseen) {
      marks[current] = Mark::kOnPath;
      path.push_back(current);
      auto parent = index.find(system.boundaries[current].parent);
      if (parent == index.end()) {
        top = true;
        break;
      }
      current = parent->second;
    }
    // Back at a boundary of this walk: the path from there on is a cycle.
    size_t cycle_start = path.size();
    if (!top && marks[current] == Mark::kOnPath) {
      cycle_start = static_cast<size_t>(std::find(path.begin(), path.end(), current) - path.begin());
    }
    for (size_t k = 0; k < path.size(); ++k) marks[path[k]] = k >= cycle_start ? Mark::kOnCycle : Mark::kRooted;
  }
  return marks;
}

}  // namespace

BoundaryTree BuildTree(const SystemModel& system) {
  BoundaryTree tree;
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < system.boundaries.size(); ++i) index.emplace(system.boundaries[i].id, i);
  std::vector<Mark> marks = MarkCycles(system, index);
  for (size_t i = 0; i < system.boundaries.size(); ++i) {
    if (index.find(system.boundaries[i].id)->second != i) continue;  // a duplicate ID: the first one wins
    auto parent = index.find(system.boundaries[i].parent);
    if (parent == index.end() || marks[i] == Mark::kOnCycle) {
      tree.roots.push_back(i);
    } else {
      tree.children[parent->second].push_back(i);
    }
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < system.elements.size(); ++i) {
    if (!seen.insert(system.elements[i].id).second) continue;
    auto it = index.find(system.elements[i].boundary);
    if (it == index.end()) {
      tree.loose_elements.push_back(i);
    } else {
      tree.elements[it->second].push_back(i);
    }
  }
  return tree;
}

}  // namespace bulwark::model::render
