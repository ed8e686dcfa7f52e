// The advice `bulwark contain` ends with: rebuild from the hardened image
// (named when the daemon has a hardened counterpart of the container's
// image), rotate the credentials the container could read (environment
// variables whose names look like secrets: names only, never values), and
// the fixable code / Dockerfile / compose findings of the newest audit in a
// results directory: those close the way in. Reads the daemon (image
// inspect) and the results directory; changes nothing. Stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "docker/container_api.hpp"
#include "docker/engine_client.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

// PASSWORD, DB_PASS, API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, DATABASE_URL...
bool LooksLikeSecretName(std::string_view name);

// "ID path:line: title" of each fixable code/dockerfile/compose finding in
// the newest audit result of `results_dir` (bulwark's saved results or a
// plain audit JSON report); empty when there is none.
std::vector<std::string> FixableEntryFindings(const std::string& results_dir);

// Hardened counterparts of an image name to look for on the daemon.
std::vector<std::string> HardenedCandidates(const std::string& image);

std::vector<Remediation> BuildRemediation(const docker::ContainerInfo& container,
                                          docker::EngineClient* client, const std::string& results_dir);

}  // namespace bulwark::respond
