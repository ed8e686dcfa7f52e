// libFuzzer target: one OSV record through the importer, the format
// sniffer, the DB codec round trip and range evaluation (hostile version
// strings reach the version comparators here).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vuln/importers.hpp"
#include "vuln/matcher.hpp"
#include "vuln/vuln_db_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace vuln = bulwark::vuln;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)vuln::SniffFormat(text);
  // The stored-record decoders take DB contents, which may be damaged.
  vuln::Advisory raw_advisory;
  (void)vuln::DecodeAdvisoryData(text, raw_advisory);
  vuln::AffectedPackage raw_affected;
  if (vuln::DecodeAffectedData(text, raw_affected)) (void)vuln::IsAffected(raw_affected, "1.0");
  auto record = vuln::ParseOsvRecord(text);
  if (!record.ok()) return 0;
  (void)vuln::OsvSourceFor(*record);
  vuln::Advisory decoded;
  (void)vuln::DecodeAdvisoryData(vuln::EncodeAdvisoryData(*record), decoded);
  for (const vuln::AffectedPackage& affected : record->affected) {
    vuln::AffectedPackage round_trip;
    (void)vuln::DecodeAffectedData(vuln::EncodeAffectedData(affected), round_trip);
    (void)vuln::IsAffected(affected, "1.0");
    for (const vuln::VersionRange& range : affected.ranges) {
      for (const vuln::RangeEvent& event : range.events) (void)vuln::IsAffected(affected, event.version);
    }
  }
  return 0;
}
