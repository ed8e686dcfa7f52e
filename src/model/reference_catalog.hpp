// ReferenceCatalog: MITRE ATT&CK for Containers techniques (names, tactics,
// URLs), the NIST SP 800-53 rev5 controls (titles, families) and the
// ATT&CK -> 800-53 "mitigates" mapping of the Center for Threat-Informed
// Defense. The build generates `CompiledReferenceCatalog()` from the JSON
// files named in docs/threat-model.md (BULWARK_REFERENCE_DATA); a build
// without them compiles an empty catalog whose `available()` is false, and
// the threat model then shows IDs only and says so. Tests can load their
// own catalog from the same JSON shapes. Immutable after construction;
// thread-safe reads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::model {

struct Technique {
  std::string id;    // "T1611"
  std::string name;  // "Escape to Host"
  std::vector<std::string> tactics;  // tactic names, in the matrix's order
  std::string url;
};

struct Tactic {
  std::string id;    // "TA0004"
  std::string name;  // "Privilege Escalation"
};

struct Control {
  std::string id;      // "AC-6(1)"
  std::string title;   // "Least Privilege | Authorize Access to Security Functions"
  std::string family;  // "Access Control"
};

class ReferenceCatalog {
 public:
  ReferenceCatalog() = default;

  // Builds a catalog from the text of the three data files (their shapes:
  // attack-containers.json, nist-800-53-container-controls.json,
  // attack-containers-to-nist-800-53-r5.json). Errors name the file.
  static core::Result<ReferenceCatalog> FromJson(std::string_view attack_json, std::string_view controls_json,
                                                 std::string_view mapping_json);

  bool available() const { return !techniques_.empty(); }
  const std::string& attack_version() const { return attack_version_; }
  const std::string& mapping_version() const { return mapping_version_; }
  const std::vector<Tactic>& tactics() const { return tactics_; }  // matrix order

  const Technique* FindTechnique(std::string_view id) const;
  const Control* FindControl(std::string_view id) const;
  // Controls that mitigate the technique per the mapping ("T1611" -> AC-6, ...);
  // a sub-technique without its own entry falls back to its parent's.
  std::vector<std::string> ControlsFor(std::string_view technique_id) const;

 private:
  std::string attack_version_;
  std::string mapping_version_;
  std::vector<Tactic> tactics_;
  std::map<std::string, Technique, std::less<>> techniques_;
  std::map<std::string, Control, std::less<>> controls_;
  std::map<std::string, std::vector<std::string>, std::less<>> mitigations_;
  friend struct ReferenceCatalogBuilder;
};

// The catalog compiled into this build (empty when built without the data).
const ReferenceCatalog& CompiledReferenceCatalog();

}  // namespace bulwark::model
