// File kind by magic bytes (no libmagic: a handful of signatures is all
// triage needs) and Shannon entropy. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "respond/triage_types.hpp"

namespace bulwark::respond {

FileType DetectFileType(std::span<const uint8_t> data);
// Bits per byte, 0 (constant or empty) .. 8 (uniform).
double ShannonEntropy(std::span<const uint8_t> data);

}  // namespace bulwark::respond
