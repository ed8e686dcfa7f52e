// Package URLs (github.com/package-url/purl-spec) for every package type,
// percent-encoded per the spec, shaped as Trivy and Syft write them so
// SBOMs and VEX documents from either side match ours.
#pragma once

#include <string>
#include <string_view>

#include "sbom/package.hpp"

namespace bulwark::sbom {

// deb:  pkg:deb/debian/passwd@1:4.13%2Bdfsg1-1?arch=amd64&distro=debian-12.15   (see purl.cpp for epoch)
// apk:  pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=3.19.1
// rpm:  pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&epoch=1&distro=redhat-9.2
// pypi: pkg:pypi/flask@2.2.2 (lower case, '_' -> '-')
// npm:  pkg:npm/%40types/node@20.1.0; golang: pkg:golang/github.com/x/y@v1.2.3;
// maven: pkg:maven/org.apache/commons-lang3@3.12.0; gem, composer, cargo, nuget.
std::string MakePurl(const Package& package, const OsRelease& os);

// Percent-encodes one purl component (name, version, qualifier value).
std::string PurlEncode(std::string_view text);

}  // namespace bulwark::sbom
