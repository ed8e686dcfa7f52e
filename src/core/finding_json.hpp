// A finding read back from bulwark's JSON report (core/render_json.cpp
// writes it): used by --baseline and by `bulwark report`. Fields that are
// missing or of the wrong type read as empty; lists are bounded. Stateless;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "core/finding.hpp"

namespace bulwark::core {

Finding FindingFromJson(const nlohmann::json& j);

}  // namespace bulwark::core
