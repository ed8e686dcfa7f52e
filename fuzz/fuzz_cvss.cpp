// libFuzzer target: CVSS 3.x vector strings; a score, when there is one,
// is always within 0.0-10.0.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vuln/cvss.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto score = bulwark::vuln::CvssV3BaseScore(std::string_view(reinterpret_cast<const char*>(data), size));
  if (score && (*score < 0 || *score > 10)) std::abort();
  if (score) (void)bulwark::vuln::SeverityForCvss(*score);
  return 0;
}
