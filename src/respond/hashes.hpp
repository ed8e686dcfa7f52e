// MD5, SHA-1 and SHA-256 of a file or a buffer with OpenSSL's EVP interface.
// Files are streamed in 64 KiB blocks. The ssdeep member is left empty
// (triage fills it from respond/fuzzy_hash.hpp). Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/status.hpp"
#include "respond/triage_types.hpp"

namespace bulwark::respond {

Hashes HashBytes(std::span<const uint8_t> data);
// Refuses files larger than `max_bytes` (kTooLarge) before reading them.
core::Result<Hashes> HashFile(const std::string& path, uint64_t max_bytes);

}  // namespace bulwark::respond
