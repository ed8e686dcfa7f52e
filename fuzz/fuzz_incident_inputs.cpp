// libFuzzer target: the incident report's inputs on arbitrary bytes (alert
// lines from `watch -o`, contain's contain.json and actions.jsonl, triage
// JSON: files an attacker can shape), then the report built from them and
// both renderings. The input is split at the first two NUL bytes into the
// three documents.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/incident.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = bulwark::report;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string parts[3];
  for (int i = 0; i < 3; ++i) {
    size_t nul = i < 2 ? text.find('\0') : std::string_view::npos;
    parts[i] = std::string(text.substr(0, nul));
    text = nul == std::string_view::npos ? std::string_view() : text.substr(nul + 1);
  }
  std::vector<std::string> warnings;
  report::IncidentInputs in;
  in.alerts = report::ParseAlertLines(parts[0], "alerts", warnings);
  if (auto c = report::ParseContainment(parts[1], parts[1], "evidence", warnings)) in.containments.push_back(*c);
  in.triages = report::ParseTriage(parts[2], "triage", warnings);
  (void)report::ParseRfc3339Ns(parts[0]);
  report::Incident incident = report::BuildIncident(in);
  (void)report::RenderIncidentMarkdown(incident);
  (void)report::RenderIncidentJson(incident);
  return 0;
}
