// libFuzzer target: ReadOpenVex on arbitrary bytes (`scan --vex FILE`), and
// applying whatever it accepts to a few vulnerability findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vuln/openvex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace vuln = bulwark::vuln;
  auto doc = vuln::ReadOpenVex(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.vex.json");
  if (!doc.ok()) return 0;
  std::vector<bulwark::core::Finding> findings(3);
  findings[0].id = "CVE-2024-35195";
  findings[0].package.purl = "pkg:pypi/requests@2.31.0";
  findings[1].id = "CVE-2023-4911";
  findings[1].aliases = {"DSA-5514-1"};
  findings[1].package.purl = "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&epoch=1&distro=debian-12.15";
  findings[2].id = "GHSA-9wx4-h78v-vm56";
  size_t before = findings.size();
  auto suppressed = vuln::ApplyVex(*doc, findings);
  if (suppressed.size() + findings.size() != before) __builtin_trap();
  return 0;
}
