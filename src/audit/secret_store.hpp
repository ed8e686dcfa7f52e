// A protected secret store: a dotenv file (".env", "NAME.env") that only its
// owner can read (no group or world bits) and that both .gitignore and
// .dockerignore beside it exclude, so it reaches neither the repository nor
// an image. That is where `bulwark fix` moves literal secrets out of compose
// files, and where they belong: the secrets scan does not report it.
#pragma once

#include "core/source_file.hpp"

namespace bulwark::audit {

bool IsProtectedSecretStore(const core::SourceFile& file);

}  // namespace bulwark::audit
