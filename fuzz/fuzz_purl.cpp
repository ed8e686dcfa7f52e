// libFuzzer target: ParsePurl (purls come from untrusted SBOMs and VEX
// documents) and what a parsed purl implies; also the SPDX licence
// expression classifier, which reads licence strings from the same places.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/purl_parse.hpp"
#include "sbom/spdx_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sbom = bulwark::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto purl = sbom::ParsePurl(text);
  if (purl.ok()) {
    (void)sbom::PackageFromPurl(*purl);
    (void)sbom::OsFromPurl(*purl);
  }
  sbom::SpdxLicense license = sbom::ClassifyLicense(text);
  // A valid expression stays valid once canonicalised.
  if (license.kind != sbom::SpdxLicense::Kind::kOther &&
      sbom::ClassifyLicense(license.text).kind == sbom::SpdxLicense::Kind::kOther) {
    __builtin_trap();
  }
  return 0;
}
