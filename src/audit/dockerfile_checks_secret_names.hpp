// Tells variable and option names that hold credentials (DB_PASSWORD,
// githubToken, --api-key) from look-alikes (PASSWORD_FILE, TOKEN_URL,
// TOKENIZERS_PARALLELISM). Used by the Dockerfile secret checks. Pure
// function; thread-safe.
#pragma once

#include <string_view>

namespace bulwark::audit::dockerfile {

bool IsSecretName(std::string_view name);

}  // namespace bulwark::audit::dockerfile
