// libFuzzer target: version comparison and node-semver ranges on arbitrary
// bytes. The first byte picks the scheme; the rest is "A\nB". Besides not
// crashing or hanging, every comparison must be antisymmetric and reflexive.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/version.hpp"

namespace {

int SignOf(int v) { return (v > 0) - (v < 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace vuln = bulwark::vuln;
  if (size == 0) return 0;
  const auto scheme = static_cast<vuln::VersionScheme>(data[0] % 9);
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t newline = rest.find('\n');
  const std::string_view a = rest.substr(0, newline);
  const std::string_view b =
      newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  const int ab = SignOf(vuln::CompareVersions(scheme, a, b));
  const int ba = SignOf(vuln::CompareVersions(scheme, b, a));
  if (ab != -ba || vuln::CompareVersions(scheme, a, a) != 0) std::abort();
  (void)vuln::IsValidVersion(scheme, a);
  (void)vuln::VersionSchemeName(scheme);
  (void)vuln::SchemeForEcosystem(a);
  (void)vuln::SemverRangeSatisfies(a, b);
  return 0;
}
