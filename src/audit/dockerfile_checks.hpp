// Dockerfile checks (BW-DF-*): root user, base-image pinning, HEALTHCHECK,
// ADD of URLs, secrets in ENV/ARG and copied files, remote scripts piped to a
// shell, sudo, world-writable and setuid modes, disabled TLS or signature
// verification, package-manager hygiene, stage mistakes and more. Checks that
// are about what runs are evaluated on the final stage (and the stages it is
// built FROM), so multi-stage builds whose final stage is non-root pass.
//
// RegisterDockerfileChecks() adds the metadata of every ID to the registry;
// MakeDockerfileAnalyzer() returns the analyzer for FileKind::kDockerfile.
// Parse problems become diagnostics and the rest of the file is still
// checked. The analyzer keeps no state between files; not thread-safe (one
// per worker).
#pragma once

#include <memory>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "core/status.hpp"
#include "parse/dockerfile.hpp"

namespace bulwark::audit {

core::Status RegisterDockerfileChecks(core::CheckRegistry& registry);
std::unique_ptr<Analyzer> MakeDockerfileAnalyzer();

// Runs every Dockerfile check on an already parsed file (tests, `bulwark fix`
// re-audits). Reports parse problems of `dockerfile` as diagnostics too.
void CheckDockerfile(const core::SourceFile& file, const parse::Dockerfile& dockerfile,
                     core::FindingSink& sink);

}  // namespace bulwark::audit
