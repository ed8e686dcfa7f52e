// RpmHeader: the few tags the rpm cataloger needs from one package header
// as rpm stores it in its database (the `blob` column of the SQLite rpmdb's
// Packages table, also the value of a Berkeley DB Packages record).
//
// Layout (rpm's lib/header.c, "header blob"): two big-endian uint32s, the
// index entry count `il` and the data store size `dl`, then `il` entries of
// 16 bytes (tag, type, offset, count) and `dl` bytes of data. Headers come
// from untrusted images: every count and offset is checked against the blob
// before it is used. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::sbom {

struct RpmHeader {
  std::string name;
  std::string version;
  std::string release;
  bool has_epoch = false;
  uint32_t epoch = 0;
  std::string license;
  std::string vendor;
  std::string arch;
  std::string source_rpm;        // "bash-5.1.8-6.el9.src.rpm"
  std::string modularity_label;  // RHEL 8+ module streams
  // Installed paths, normalised (no leading '/'), from DIRNAMES[DIRINDEXES[i]]
  // + BASENAMES[i], or OLDFILENAMES in very old headers.
  std::vector<std::string> files;
};

// Parses a header blob; a leading 8-byte header magic (as in .rpm files) is
// accepted too. Errors say which tag or bound was wrong.
core::Result<RpmHeader> ParseRpmHeader(std::string_view blob);

}  // namespace bulwark::sbom
