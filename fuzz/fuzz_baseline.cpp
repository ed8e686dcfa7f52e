// libFuzzer target: --baseline on arbitrary bytes (bulwark's JSON report or
// docker-bench's log, as a user may hand either) against a small report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/baseline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace core = bulwark::core;
  core::Report report;
  core::Finding warn;
  warn.id = "BW-CIS-5.10";
  warn.verdict = core::Verdict::kWarn;
  warn.subject = {"container", "web", "0123456789ab"};
  warn.references.cis = {"5.10"};
  report.findings.push_back(warn);
  core::Finding file;
  file.id = "BW-DF-001";
  file.location.path = "Dockerfile";
  report.findings.push_back(file);
  core::Finding pass = warn;
  pass.verdict = core::Verdict::kPass;
  pass.id = "BW-CIS-5.4";
  report.passed.push_back(pass);
  (void)core::ApplyBaseline(std::string_view(reinterpret_cast<const char*>(data), size), "baseline.json", report);
  return 0;
}
