// Application-code checks for Python services (BW-PY-*): command, code and
// SQL injection, unsafe deserialisation, Flask/Werkzeug debug and binding,
// TLS verification, weak crypto and hard-coded credentials. The checks work
// on the token stream of parse/python_tokenizer.hpp, so text inside
// comments, docstrings and string literals never counts as code; simple
// import aliases (import subprocess as sp, from os import system) are
// resolved, and a value read from request data is followed through plain
// assignments within its function.
//
// RegisterPythonChecks() adds the metadata of every ID to the registry;
// MakePythonAnalyzer() returns the analyzer for FileKind::kPython. An
// analyzer is used by one thread at a time (see audit/analyzer.hpp).
#pragma once

#include <memory>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/status.hpp"

namespace bulwark::audit {

core::Status RegisterPythonChecks(core::CheckRegistry& registry);
std::unique_ptr<Analyzer> MakePythonAnalyzer();

}  // namespace bulwark::audit
