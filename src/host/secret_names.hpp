// Secret-looking variables in Engine API documents: an image's Config.Env,
// the ENV / ARG / build-argument records of its history, a swarm service's
// environment. Used by CIS 4.10 and 7.4. Only names are ever reported: a
// value is judged (empty or not) and then masked, never copied into a
// finding. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::host {

// True when a variable of this name conventionally holds a credential:
// DB_PASSWORD, PGPASSWORD, API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN,
// CLIENT_SECRET, PRIVATE_KEY... Names that point at a secret instead of
// holding it (PASSWORD_FILE, TOKEN_URL, SECRET_NAME, AWS_ACCESS_KEY_ID) are
// not secret-looking.
bool IsSecretLikeName(std::string_view name);

// For "NAME=value": NAME when it is secret-looking and the value is set
// (non-empty, not a ${reference}, not a /run/secrets/ path); else nullopt.
std::optional<std::string> SecretAssignmentName(std::string_view assignment);

// The NAME=value assignments a history entry records: the variables of an ENV
// or ARG instruction, and the build arguments a RUN was given ("|2 A=x B=y
// /bin/sh -c ..."). Classic-builder ("/bin/sh -c #(nop)  ENV ...") and
// BuildKit ("ENV ...", "RUN |1 ...") records both.
std::vector<std::string> HistoryAssignments(std::string_view created_by);

// "NAME=<masked>": how evidence names a secret without its value.
std::string MaskedAssignment(std::string_view name);

// `text` (a command line, a history record) with every secret-looking
// NAME=value word masked and whitespace collapsed to single spaces.
std::string MaskSecretAssignments(std::string_view text);

}  // namespace bulwark::host
