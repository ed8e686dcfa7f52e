// The rule functions of the Python code checks (BW-PY-*), grouped by theme,
// each looking at one call site, assignment or statement of a PyModel and
// reporting into a sink. The metadata of every ID is in python_catalog.cpp.
// Internal to the Python checks; stateless functions, thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/python_model.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"

namespace bulwark::audit::py {

// Check IDs, stable.
inline constexpr std::string_view kShellInjection = "BW-PY-001";
inline constexpr std::string_view kShellConstant = "BW-PY-002";
inline constexpr std::string_view kOsCommandInjection = "BW-PY-003";
inline constexpr std::string_view kOsCommandConstant = "BW-PY-004";
inline constexpr std::string_view kCodeEval = "BW-PY-005";
inline constexpr std::string_view kDynamicImport = "BW-PY-006";
inline constexpr std::string_view kUnsafeDeserialization = "BW-PY-007";
inline constexpr std::string_view kUnsafeYaml = "BW-PY-008";
inline constexpr std::string_view kFlaskDebugRun = "BW-PY-009";
inline constexpr std::string_view kBindAllInterfaces = "BW-PY-010";
inline constexpr std::string_view kDebugConfig = "BW-PY-011";
inline constexpr std::string_view kHardcodedSecretKey = "BW-PY-012";
inline constexpr std::string_view kSqlInjection = "BW-PY-013";
inline constexpr std::string_view kTlsVerifyFalse = "BW-PY-014";
inline constexpr std::string_view kTlsUnverifiedContext = "BW-PY-015";
inline constexpr std::string_view kTlsWarningsDisabled = "BW-PY-016";
inline constexpr std::string_view kWeakHash = "BW-PY-017";
inline constexpr std::string_view kInsecureRandom = "BW-PY-018";
inline constexpr std::string_view kInsecureTempFile = "BW-PY-019";
inline constexpr std::string_view kHardcodedCredential = "BW-PY-020";
inline constexpr std::string_view kPathTraversal = "BW-PY-021";
inline constexpr std::string_view kAssertAuth = "BW-PY-022";
inline constexpr std::string_view kTemplateInjection = "BW-PY-023";

std::vector<core::CheckInfo> PythonCheckCatalog();

// python_rules_exec.cpp: commands, eval, imports, deserialisation, templates.
void CheckExecCall(const PyModel& model, const CallSite& call, core::FindingSink& sink);
// python_rules_web.cpp: Flask/Werkzeug, SQL, request data into files.
void CheckWebCall(const PyModel& model, const CallSite& call, core::FindingSink& sink);
void CheckWebAssignment(const PyModel& model, const Assignment& assign, core::FindingSink& sink);
// python_rules_crypto.cpp: TLS, hashes, random, temp files, assert.
void CheckCryptoCall(const PyModel& model, const CallSite& call, core::FindingSink& sink);
void CheckCryptoStatement(const PyModel& model, size_t begin, size_t end, core::FindingSink& sink);
void CheckCryptoAssignment(const PyModel& model, const Assignment& assign, core::FindingSink& sink);
// python_rules_creds.cpp: hard-coded credentials.
void CheckCredentialAssignment(const PyModel& model, const Assignment& assign,
                               core::FindingSink& sink);
void CheckCredentialStatement(const PyModel& model, size_t begin, size_t end,
                              core::FindingSink& sink);

// Shared helpers.
bool IsSecretName(std::string_view name);
bool NameHasWord(std::string_view name, std::initializer_list<std::string_view> words);
// The location of a whole call: from the callee's first token to ')'.
core::Location CallLoc(const PyModel& model, const CallSite& call);
// The location of a keyword argument: from its name to the end of its value.
core::Location ArgLoc(const PyModel& model, const Arg& arg);

}  // namespace bulwark::audit::py
