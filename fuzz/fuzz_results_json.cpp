// libFuzzer target: one file of the results directory on arbitrary bytes
// (bulwark's saved results and reports, threat_model.json, Trivy and Grype
// JSON, as a user or an attacker may leave there), then the summary and both
// renderings of it, alone and paired with itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/render_summary.hpp"
#include "report/results_dir.hpp"
#include "report/summary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace report = bulwark::report;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = report::ImportResultJson(text, "fuzz.json");
  if (!loaded.ok()) return 0;
  report::ResultSet set;
  set.results.push_back(*loaded);
  // A second run of the same target makes a before/after pair.
  report::LoadedResult later = *loaded;
  later.file = "later.json";
  later.time_seconds += 60;
  set.results.push_back(std::move(later));
  report::Summary summary = report::BuildSummary(set);
  (void)report::RenderSummaryMarkdown(summary);
  (void)report::RenderSummaryHtml(summary);
  return 0;
}
