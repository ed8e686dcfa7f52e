// Network: published ports bound to 127.0.0.1 (unless the user keeps a host
// port public with --public), database ports not published at all, and
// back-end networks that carry a data store made internal.
#include <algorithm>

#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

constexpr std::string_view kLoopback = "127.0.0.1";

bool IsPublic(const ServiceFix& fix, const parse::ComposePort& port) {
  if (port.published_first <= 0) return false;
  const int last = std::max(port.published_last, port.published_first);
  for (int p : fix.options().public_ports) {
    if (p >= port.published_first && p <= last) return true;
  }
  return false;
}

// The short syntax bound to 127.0.0.1: "8080:80" -> "127.0.0.1:8080:80",
// "80" -> "127.0.0.1::80", "0.0.0.0:80:80" / "[::]:80:80" -> "127.0.0.1:80:80".
std::optional<std::string> BoundToLoopback(const parse::ComposePort& port) {
  const std::string& raw = port.raw;
  if (port.host_ip.empty()) {
    return std::string(kLoopback) + (port.published.empty() ? "::" : ":") + raw;
  }
  if (!raw.empty() && raw.front() == '[') {
    const size_t close = raw.find(']');
    if (close == std::string::npos) return std::nullopt;
    return std::string(kLoopback) + raw.substr(close + 1);
  }
  if (raw.rfind(port.host_ip + ":", 0) == 0) {
    return std::string(kLoopback) + raw.substr(port.host_ip.size());
  }
  return std::nullopt;
}

bool BindPort(ServiceFix& fix, const parse::YamlNode& item, const parse::ComposePort& port) {
  if (port.long_syntax) {
    if (!item.IsMap()) return false;
    return fix.Check(
        fix.editor().SetPath(item, {"host_ip"}, YamlValue::String(std::string(kLoopback)),
                             kPortAllInterfaces),
        kPortAllInterfaces, "ports");
  }
  auto bound = BoundToLoopback(port);
  if (!bound || !item.IsScalar()) {
    fix.Note(kPortAllInterfaces, "not fixed: cannot rewrite port " + parse::Printable(port.raw));
    return false;
  }
  return fix.Check(fix.editor().SetScalar(item, YamlValue::String(*bound), kPortAllInterfaces),
                   kPortAllInterfaces, "ports");
}

}  // namespace

void FixPorts(ServiceFix& fix) {
  if (!fix.Wants(kPortAllInterfaces) && !fix.Wants(kDatabasePortPublished)) return;
  const parse::YamlEntry* entry = fix.node().FindEntry("ports");
  if (entry == nullptr || !entry->value->IsSequence()) return;
  if (!fix.editor().IsWrittenAt(fix.node(), *entry)) {
    fix.Note(kPortAllInterfaces, "not fixed: its ports come from a YAML anchor; fix them there");
    return;
  }
  for (const auto& port : fix.service().ports) {
    auto index = fix.ItemIndex("ports", port.mark);
    if (!index) continue;
    const parse::YamlNode& item = *entry->value->items()[*index];
    const std::string what = port.published.empty()
                                 ? "container port " + parse::Printable(port.target)
                                 : "port " + parse::Printable(port.published);
    const bool everywhere = fix.WantsAt(kPortAllInterfaces, port.mark) ||
                            fix.WantsAt(kPortAllInterfaces, port.host_ip_mark);
    if (fix.WantsAt(kDatabasePortPublished, port.mark)) {
      if (IsPublic(fix, port)) {
        fix.Note(kDatabasePortPublished, what + " stays published (--public)");
        continue;
      }
      fix.List("ports").Remove(*index, kDatabasePortPublished);
      fix.Fixed(kDatabasePortPublished);
      if (everywhere) fix.Fixed(kPortAllInterfaces);
      fix.Note(kDatabasePortPublished,
               "no longer publishes database " + what +
                   "; services on its network reach it by name (for local debugging, publish it "
                   "on 127.0.0.1 yourself)");
      continue;
    }
    if (!everywhere) continue;
    if (IsPublic(fix, port)) {
      fix.Note(kPortAllInterfaces, what + " stays on all interfaces (--public)");
      continue;
    }
    if (BindPort(fix, item, port)) fix.Fixed(kPortAllInterfaces);
  }
}

void FixBackendNetworks(PlanContext& context, const parse::ComposeFile& file,
                        const WantedFindings& wanted) {
  auto found = wanted.find(kBackendNetworkNotInternal);
  if (found == wanted.end() || file.root == nullptr) return;
  const parse::YamlNode* networks = file.root->Find("networks");
  if (networks == nullptr || !networks->IsMap()) return;
  YamlEditor& editor = *context.editor;
  for (const auto& network : file.networks) {
    if (std::find(found->second.begin(), found->second.end(), network.mark) ==
        found->second.end()) {
      continue;
    }
    const parse::YamlEntry* entry = networks->FindEntry(network.name);
    if (entry == nullptr) continue;
    const YamlValue yes = YamlValue::Literal("true");
    core::Status status =
        !editor.IsWrittenAt(*networks, *entry)
            ? core::Error(core::ErrorCode::kInvalidArgument, "its definition is an alias")
        : entry->value->IsMap()
            ? editor.SetPath(*entry->value, {"internal"}, yes, kBackendNetworkNotInternal)
            : editor.SetEntryValue(*networks, *entry, YamlValue::Map({{"internal", yes}}),
                                   kBackendNetworkNotInternal);
    const std::string name = "network '" + parse::Printable(network.name, 60) + "'";
    if (!status.ok()) {
      context.plan->notes.push_back({std::string(kBackendNetworkNotInternal), network.mark.line,
                                     name + ": not fixed: " + status.message()});
      continue;
    }
    context.plan->fixed_ids.insert(std::string(kBackendNetworkNotInternal));
    context.plan->notes.push_back({std::string(kBackendNetworkNotInternal), network.mark.line,
                                   name + " is internal now: containers on it reach each other, "
                                          "not the internet"});
  }
}

}  // namespace bulwark::fix::compose_fix
