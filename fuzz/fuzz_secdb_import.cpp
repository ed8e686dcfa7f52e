// libFuzzer target: an Alpine secdb document through the importer and the
// apk range evaluation of what it yields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vuln/importers.hpp"
#include "vuln/matcher.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace vuln = bulwark::vuln;
  auto parsed = vuln::ParseAlpineSecdb(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  for (const vuln::Advisory& advisory : parsed->advisories) {
    for (const vuln::AffectedPackage& affected : advisory.affected) {
      (void)vuln::IsAffected(affected, "1.0-r0");
      for (const vuln::VersionRange& range : affected.ranges) {
        for (const vuln::RangeEvent& event : range.events) (void)vuln::IsAffected(affected, event.version);
      }
    }
  }
  return 0;
}
