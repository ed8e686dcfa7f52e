// `bulwark triage FILE`: static analysis of an unknown file. The file is
// read (bounded by kMaxTriageBytes), hashed, typed, parsed as ELF when it
// is one, searched for printable strings and indicators, and assessed. It
// is never executed, mapped executable or handed to another program.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "respond/triage_types.hpp"
#include "respond/yara_scan.hpp"

namespace bulwark::respond {

inline constexpr uint64_t kMaxTriageBytes = 256ull << 20;

struct TriageOptions {
  bool yara = true;  // run YARA (when the build has it)
  // Ask libmagic for its description, in a forked, rlimited child
  // (respond/file_magic.hpp). Off in fuzz targets: they must never fork.
  bool libmagic = true;
  YaraOptions yara_options;
};

// Triage of bytes already in memory; `path` only labels the report.
// kParseError / kNotFound only from user YARA rules.
core::Result<TriageReport> TriageBytes(std::span<const uint8_t> data, const std::string& path,
                                       const TriageOptions& options);
// Without YARA and libmagic: the pure static analysis in this process
// (tests, fuzzing); the ssdeep hash is computed.
TriageReport TriageBytes(std::span<const uint8_t> data, const std::string& path);

// Reads a regular file (not a FIFO or device: those could block or never
// end) and triages it. kNotFound, kIoError, kInvalidArgument (not a
// regular file) or kTooLarge.
core::Result<TriageReport> TriageFile(const std::string& path, const TriageOptions& options = {});
// The same for a file the caller opened (read from its current offset;
// the caller keeps and closes `fd`); `label` names it in the report.
core::Result<TriageReport> TriageOpenFile(int fd, const std::string& label, const TriageOptions& options = {});

// The report as JSON (docs/triage.md describes the fields). Strings from
// the file are kept as they are; invalid UTF-8 is replaced.
nlohmann::json TriageJson(const TriageReport& report);

}  // namespace bulwark::respond
