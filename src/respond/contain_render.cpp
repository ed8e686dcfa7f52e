#include "respond/contain_render.hpp"

#include <algorithm>

#include "core/escape.hpp"
#include "respond/contain_log.hpp"

namespace bulwark::respond {
namespace {

std::string Pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string Short(std::string text, size_t width) {
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

}  // namespace

nlohmann::ordered_json ContainJson(const ContainReport& report) {
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  for (const auto& action : report.actions) actions.push_back(ActionJson(action));
  nlohmann::ordered_json remediation = nlohmann::ordered_json::array();
  for (const auto& advice : report.remediation) {
    remediation.push_back({{"kind", advice.kind}, {"text", advice.text}, {"items", advice.items}});
  }
  return {{"container",
           {{"id", report.container.id}, {"name", report.container.name}, {"image", report.container.image}}},
          {"evidence_dir", report.evidence_dir},
          {"started", report.started},
          {"finished", report.finished},
          {"dry_run", report.dry_run},
          {"actions", std::move(actions)},
          {"remediation", std::move(remediation)},
          {"warnings", report.warnings}};
}

std::string ContainText(const ContainReport& report) {
  using core::EscapeTerminal;
  std::string out = (report.dry_run ? "Containment plan (dry run, nothing changed) for " : "Containment of ") +
                    EscapeTerminal(report.container.name) + " (" + report.container.id.substr(0, 12) +
                    ", image " + EscapeTerminal(report.container.image) + ")\n";
  out += report.dry_run ? "Evidence would go to " : "Evidence: ";
  out += EscapeTerminal(report.evidence_dir) + "\n\n";
  out += Pad("TIME", 25) + Pad("ACTION", 13) + Pad("TARGET", 24) + Pad("RESULT", 8) + "DETAIL\n";
  for (const auto& action : report.actions) {
    std::string target = Short(EscapeTerminal(action.target), 23);
    out += Pad(action.time, 25) + Pad(action.action, 13) + Pad(target, 24) +
           Pad(ActionResultName(action.result), 8) + EscapeTerminal(action.detail) + "\n";
    for (const auto& file : action.evidence) {
      out += std::string(70, ' ') + EscapeTerminal(file.path) + "  sha256:" + file.sha256 + "  " +
             std::to_string(file.bytes) + " bytes\n";
    }
  }
  size_t failed = std::count_if(report.actions.begin(), report.actions.end(),
                                [](const ActionRecord& a) { return a.result == ActionResult::kFailed; });
  out += "\n" + std::to_string(report.actions.size()) + " actions, " + std::to_string(failed) + " failed\n";
  for (const auto& warning : report.warnings) out += "warning: " + EscapeTerminal(warning) + "\n";
  out += "\nRemediation:\n";
  for (const auto& advice : report.remediation) {
    out += "  - " + EscapeTerminal(advice.text) + "\n";
    for (const auto& item : advice.items) out += "      " + EscapeTerminal(item) + "\n";
  }
  return out;
}

}  // namespace bulwark::respond
