// Renderers of a containment report: the JSON document (also written as
// <evidence>/contain.json) and a readable text table for a terminal. Every
// string that came from the daemon or the container is escaped for the
// terminal (core::EscapeTerminal); JSON replaces invalid UTF-8. Stateless.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "respond/contain_types.hpp"

namespace bulwark::respond {

// {"container": {"id","name","image"}, "evidence_dir", "started", "finished",
//  "dry_run", "actions": [...], "remediation": [{"kind","text","items"}], "warnings"}
nlohmann::ordered_json ContainJson(const ContainReport& report);
std::string ContainText(const ContainReport& report);

}  // namespace bulwark::respond
