// ELF facts for triage, parsed by hand from an in-memory copy of the file.
// Every offset, size and count from the headers is checked against the
// buffer before use: a hostile header yields anomalies, never an
// out-of-bounds read. Counts are capped (kMaxSections, kMaxImports).
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "respond/triage_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxSections = 4096;
inline constexpr size_t kMaxSegments = 4096;
inline constexpr size_t kMaxImports = 4096;
inline constexpr size_t kMaxNeeded = 256;
inline constexpr size_t kMaxElfName = 256;

// nullopt when `data` does not start with an ELF identification this
// parser understands (class 32/64, either byte order).
std::optional<ElfFacts> ParseElf(std::span<const uint8_t> data);

}  // namespace bulwark::respond
