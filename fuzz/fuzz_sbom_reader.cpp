// libFuzzer target: ReadSbom on arbitrary bytes (CycloneDX or SPDX JSON as a
// user may hand either to `scan --sbom`). Whatever it accepts must survive
// every writer, and bulwark's own CycloneDX and SPDX of it must read back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/cyclonedx_writer.hpp"
#include "sbom/sbom_json.hpp"
#include "sbom/sbom_reader.hpp"
#include "sbom/spdx_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sbom = bulwark::sbom;
  auto read = sbom::ReadSbom(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!read.ok()) return 0;
  (void)sbom::WriteSbomJson(*read);
  sbom::CycloneDxOptions cdx{"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "2024-01-01T00:00:00Z"};
  auto again = sbom::ReadSbom(sbom::WriteCycloneDx(*read, cdx), "fuzz.cdx.json");
  if (!again.ok() || again->packages.size() != read->packages.size()) __builtin_trap();
  auto spdx = sbom::ReadSbom(sbom::WriteSpdx(*read, {"2024-01-01T00:00:00Z", "u"}), "fuzz.spdx.json");
  if (!spdx.ok()) __builtin_trap();
  return 0;
}
