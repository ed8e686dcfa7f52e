// SPDX 2.3 JSON for an Sbom (`--format spdx`), and the SPDX licence
// expression check the CycloneDX writer shares: which licence strings are
// SPDX IDs, which are valid expressions, which are free text.
// Pure functions of their input; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/package.hpp"

namespace bulwark::sbom {

struct SpdxOptions {
  std::string created;  // RFC 3339; "" = now
  std::string uuid;     // for documentNamespace; "" = a random one
};

// The document: the image package (CONTAINER), the OS (OPERATING_SYSTEM, the
// spelling of the 2.3 JSON schema), one LIBRARY package per Sbom package with
// its purl as an externalRef, DESCRIBES and CONTAINS relationships. Licence
// text that is not SPDX becomes LicenseRef-... with hasExtractedLicensingInfos.
nlohmann::ordered_json SpdxDocument(const Sbom& sbom, const SpdxOptions& options = {});
std::string WriteSpdx(const Sbom& sbom, const SpdxOptions& options = {});

struct SpdxLicense {
  enum class Kind {
    kId,          // one licence on the SPDX list: "MIT", "GPL-2.0-only"
    kExpression,  // a valid expression: "MIT OR Apache-2.0", "GPL-2.0+", "LicenseRef-x"
    kOther,       // free text: "BSD License", "GPL-2+"
  };
  Kind kind = Kind::kOther;
  std::string text;  // IDs in their canonical case, operators upper case; kOther: as given
};

// Known IDs match case-insensitively; AND/OR/WITH also in lower case (as
// Debian copyright files write them). Nesting deeper than 32 is kOther.
SpdxLicense ClassifyLicense(std::string_view license);

// Every licence and exception ID ClassifyLicense knows (for the test that
// checks them against the official list).
std::vector<std::string> KnownSpdxIds();

// Valid expressions joined with AND, compound ones parenthesised (unless
// already wholly in parentheses): {"MIT", "A OR B"} -> "MIT AND (A OR B)".
// One expression is returned as it is; duplicates are dropped.
std::string JoinWithAnd(const std::vector<std::string>& expressions);

// `text` with every character outside [A-Za-z0-9.-] replaced by '-', as SPDX
// IDs and LicenseRef- names require; never empty.
std::string SpdxIdSafe(std::string_view text);

}  // namespace bulwark::sbom
