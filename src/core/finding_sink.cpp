#include "core/finding_sink.hpp"

namespace bulwark::core {

void FindingSink::Report(std::string_view check_id, Location location, std::string message) {
  const CheckInfo* info = registry_.Find(check_id);
  if (info == nullptr) {
    Diagnose(std::move(location), "internal: unregistered check " + std::string(check_id));
    return;
  }
  ReportWithSeverity(check_id, info->severity, std::move(location), std::move(message));
}

void FindingSink::ReportWithSeverity(std::string_view check_id, Severity severity,
                                     Location location, std::string message) {
  const CheckInfo* info = registry_.Find(check_id);
  if (info == nullptr) {
    Diagnose(std::move(location), "internal: unregistered check " + std::string(check_id));
    return;
  }
  Finding f;
  f.id = info->id;
  f.title = info->title;
  f.severity = severity;
  f.category = info->category;
  f.location = std::move(location);
  f.message = message.empty() ? info->title : std::move(message);
  f.remediation = info->remediation;
  f.references = info->references;
  f.fixable = info->fixable;
  findings_.push_back(std::move(f));
}

void FindingSink::Diagnose(Location location, std::string message) {
  diagnostics_.push_back(Diagnostic{std::move(location), std::move(message)});
}

}  // namespace bulwark::core
