// libFuzzer target: one rpm header blob, as stored in the rpmdb's Packages
// table, through the bounds-checked header parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/rpm_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto header =
      bulwark::sbom::ParseRpmHeader(std::string_view(reinterpret_cast<const char*>(data), size));
  if (header.ok()) {
    size_t total = header->name.size() + header->version.size();
    for (const auto& file : header->files) total += file.size();
    (void)total;
  }
  return 0;
}
