// How the SQLite store packs the list-valued parts of an advisory and of an
// affected entry into one compact JSON text each (short keys, empty fields
// left out). Decoding untrusted DB contents never throws: a field that does
// not decode reads as empty. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "vuln/advisory.hpp"

namespace bulwark::vuln {

// Aliases, summary, CVSS vector, dates, URLs and CWEs (not id, severity,
// score, source or affected: those have columns or rows of their own).
std::string EncodeAdvisoryData(const Advisory& advisory);
bool DecodeAdvisoryData(std::string_view text, Advisory& advisory);

// Whether an entry can ever decide a match (a range, a version list or
// "not affected"); entries without are not stored.
inline bool HasMatchData(const AffectedPackage& affected) {
  return affected.not_affected || !affected.ranges.empty() || !affected.versions.empty();
}

// True when at least one entry of the advisory is stored.
inline bool IsStored(const Advisory& advisory) {
  for (const AffectedPackage& affected : advisory.affected) {
    if (HasMatchData(affected)) return true;
  }
  return false;
}

// Ranges, versions, not_affected and severity (not ecosystem or name).
std::string EncodeAffectedData(const AffectedPackage& affected);
bool DecodeAffectedData(std::string_view text, AffectedPackage& affected);

}  // namespace bulwark::vuln
