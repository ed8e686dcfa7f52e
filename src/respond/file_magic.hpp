// The file type as libmagic (the `file` command's library) describes it,
// when the build found libmagic (BULWARK_HAVE_LIBMAGIC). libmagic is a large
// parser of the hostile file, so it never runs in bulwark's process: it
// runs in a RunSandboxed child (rlimits, deadline, no core file) on at most
// the first kMaxMagicBytes, with the system's default magic database and
// never decompressing. Its description quotes strings from the file:
// untrusted text, escaped by every renderer. The verdict never depends on
// it (respond/file_kind.hpp's signatures do). Thread-compatible (forks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/status.hpp"
#include "respond/sandboxed_child.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxMagicBytes = size_t{1} << 20;

bool LibmagicAvailable();
// libmagic's one-line description; kUnavailable with the reason when the
// build has no libmagic or the child gave no answer (crash, deadline,
// garbage, libmagic error).
core::Result<std::string> LibmagicDescribe(std::span<const uint8_t> data, const SandboxLimits& limits = {});

}  // namespace bulwark::respond
