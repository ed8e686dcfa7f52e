// libFuzzer target: one line of a `watch -o` alert file on arbitrary bytes,
// as `bulwark serve --alerts FILE` reads it (a monitored process chose much
// of it), then stored and rendered back through the dashboard's JSON API.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/alert_api.hpp"
#include "web/alert_parse.hpp"
#include "web/alert_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace web = bulwark::web;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  (void)web::ParseAlertTime(line);
  auto alert = web::ParseAlertLine(line);
  if (!alert.ok()) return 0;
  web::AlertStore store;
  uint64_t id = store.Add(*alert);
  if (auto stored = store.Find(id)) (void)web::RenderOneAlert(*stored);
  (void)web::RenderAlertList(store, web::AlertFilter{});
  (void)web::RenderAlertSummary(store);
  return 0;
}
