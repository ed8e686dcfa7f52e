// bulwark's own SBOM JSON (`bulwark sbom IMAGE --format json`, the shape in
// CLI.md "SBOM"), plus two helpers every SBOM writer shares: a random UUID
// and the current UTC time. Pure functions of their input; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "sbom/package.hpp"

namespace bulwark::sbom {

// {"target", "os", "image", "packages", "notes"}; keys in a fixed order,
// packages in Sbom order, 2-space indent, invalid UTF-8 replaced.
std::string WriteSbomJson(const Sbom& sbom);

// A random (version 4) UUID, lower-case: "0f8fad5b-d9cb-469f-a165-70867728950e".
std::string RandomUuidV4();

// The current time as RFC 3339 UTC to the second: "2024-05-01T12:00:00Z".
std::string UtcNowRfc3339();

// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (RFC 3986
// unreserved), so the result is safe in a URI path segment or a purl part.
std::string UriEncode(std::string_view text);

// The image as a purl, shaped as Trivy writes it
// ("pkg:oci/nginx@sha256%3Aab..?repository_url=index.docker.io%2Flibrary%2Fnginx"),
// from the first repo tag; "" when the image has no repo tag.
std::string OciImagePurl(const Sbom& sbom);

}  // namespace bulwark::sbom
