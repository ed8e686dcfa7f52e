// OpenVEX documents (`scan --vex FILE`): statements that a vulnerability does
// or does not affect a product, applied to vulnerability findings. Reads
// OpenVEX 0.2.0 and the older 0.0.x shape (vulnerability and products as
// plain strings). Matching is by purl, as Trivy and Grype do (notes/sca.md
// §5). Untrusted input: bounded, never throws, errors name the
// file. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/status.hpp"

namespace bulwark::vuln {

enum class VexStatus { kNotAffected, kAffected, kFixed, kUnderInvestigation };

std::string_view VexStatusName(VexStatus status);  // "not_affected", "affected", ...

struct VexProduct {
  std::string id;    // @id as written (a purl, or any IRI)
  std::string purl;  // the purl: identifiers.purl, else @id when it is one; "" otherwise
  std::vector<std::string> subcomponents;  // their purls
};

struct VexStatement {
  std::string vulnerability;         // name (or @id when there is no name)
  std::vector<std::string> aliases;
  std::vector<VexProduct> products;
  VexStatus status = VexStatus::kUnderInvestigation;
  std::string justification;         // "vulnerable_code_not_present", ...
  std::string impact_statement;
  std::string action_statement;
  std::string timestamp;             // its own, else the document's
  long long time = 0;                // `timestamp` as Unix seconds; 0 when absent or unreadable
};

struct VexDocument {
  std::string id;
  std::string author;
  std::string timestamp;
  std::vector<VexStatement> statements;  // in document order
};

inline constexpr size_t kMaxVexBytes = size_t{64} * 1024 * 1024;

// Errors (kParseError, message starting with `name`): not JSON, no OpenVEX
// @context, a statement without a vulnerability or with an unknown status.
core::Result<VexDocument> ReadOpenVex(std::string_view text, std::string_view name);

// Applies the statements to vulnerability findings. A statement applies when
// its vulnerability (or an alias) equals the finding's ID or one of its
// aliases, and one of its product or subcomponent purls matches the
// finding's package purl: same type, namespace, name and version (a purl
// without a version matches every version; deb/rpm "epoch" qualifiers are
// folded into the version; PyPI names compared normalised), with the
// statement's qualifiers a subset of the package's. An image product
// (pkg:oci/ or pkg:docker/) without subcomponents applies to every package:
// the user gave this VEX for this scan. Of several applicable statements the
// latest wins (timestamp, then document order). not_affected and fixed
// remove the finding and return it (vex_status set), affected and
// under_investigation set Finding::vex_status and keep it.
std::vector<core::Finding> ApplyVex(const VexDocument& vex, std::vector<core::Finding>& findings);

}  // namespace bulwark::vuln
