// libFuzzer target: Debian security tracker JSON through the importer (its
// one-package-at-a-time parse callback) and dpkg range evaluation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vuln/importers.hpp"
#include "vuln/matcher.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace vuln = bulwark::vuln;
  auto parsed = vuln::ParseDebianTracker(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) return 0;
  for (const vuln::Advisory& advisory : parsed->advisories) {
    for (const vuln::AffectedPackage& affected : advisory.affected) {
      (void)vuln::IsAffected(affected, "1:2.3-4");
      for (const vuln::VersionRange& range : affected.ranges) {
        for (const vuln::RangeEvent& event : range.events) (void)vuln::IsAffected(affected, event.version);
      }
    }
  }
  return 0;
}
