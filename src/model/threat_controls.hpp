// The control table of a threat model: each NIST SP 800-53 control the
// threats name, the threats it mitigates, the findings that show it missing
// and its status (see derive_threats.hpp for the semantics). Stateless.
#pragma once

#include <vector>

#include "model/reference_catalog.hpp"
#include "model/threat.hpp"

namespace bulwark::model {

// Sorted by control ID in NIST order (ControlIdLess).
std::vector<ControlStatus> BuildControlTable(const std::vector<Threat>& threats, const ReferenceCatalog& catalog);

}  // namespace bulwark::model
