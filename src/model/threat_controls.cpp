#include "model/threat_controls.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "model/derive_threats.hpp"

namespace bulwark::model {
namespace {

struct ControlKey {
  std::string family;
  long number = -1;
  long enhancement = -1;  // -1: the base control
};

// Reads the digits at `pos` (at most 6, so no overflow); -1 when none.
long Number(std::string_view s, size_t& pos) {
  long value = -1;
  for (int n = 0; pos < s.size() && n < 6 && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos, ++n) {
    value = (value < 0 ? 0 : value * 10) + (s[pos] - '0');
  }
  return value;
}

ControlKey KeyOf(std::string_view id) {
  ControlKey key;
  size_t dash = id.find('-');
  key.family = std::string(id.substr(0, dash));
  if (dash == std::string_view::npos) return key;
  size_t pos = dash + 1;
  key.number = Number(id, pos);
  if (pos < id.size() && id[pos] == '(') {
    ++pos;
    key.enhancement = Number(id, pos);
  }
  return key;
}

}  // namespace

bool ControlIdLess(std::string_view a, std::string_view b) {
  ControlKey ka = KeyOf(a);
  ControlKey kb = KeyOf(b);
  return std::tie(ka.family, ka.number, ka.enhancement, a) < std::tie(kb.family, kb.number, kb.enhancement, b);
}

std::vector<ControlStatus> BuildControlTable(const std::vector<Threat>& threats, const ReferenceCatalog& catalog) {
  struct Tally {
    ControlStatus status;
    size_t confirmed = 0;
  };
  auto less = [](const std::string& a, const std::string& b) { return ControlIdLess(a, b); };
  std::map<std::string, Tally, decltype(less)> table(less);
  for (const Threat& t : threats) {
    for (const std::string& control : t.nist) {
      Tally& tally = table[control];
      tally.status.control = control;
      if (std::find(tally.status.threats.begin(), tally.status.threats.end(), t.id) != tally.status.threats.end()) {
        continue;
      }
      tally.status.threats.push_back(t.id);
      if (t.status != ThreatStatus::kConfirmed) continue;
      ++tally.confirmed;
      for (const FindingRef& f : t.findings) tally.status.findings.push_back(f.id);
    }
  }
  std::vector<ControlStatus> out;
  for (auto& [id, tally] : table) {
    ControlStatus& s = tally.status;
    std::sort(s.findings.begin(), s.findings.end());
    s.findings.erase(std::unique(s.findings.begin(), s.findings.end()), s.findings.end());
    if (const Control* c = catalog.FindControl(id)) s.title = c->title;
    s.status = tally.confirmed == 0 ? "in place" : tally.confirmed == s.threats.size() ? "missing" : "partial";
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace bulwark::model
