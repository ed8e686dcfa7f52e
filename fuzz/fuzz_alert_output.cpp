// libFuzzer target: the alert output formats and the spool's on-disk
// encoding. Alerts carry process-controlled text (command lines, file
// names), so the JSON line must always parse and hold no raw newline, the
// text line must hold no control character, and Prometheus label values
// must stay one quoted token. The same bytes are also read as a spool
// segment and a cursor file, which a crash or a disk may have damaged.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/prometheus.hpp"
#include "runtime/output/spool_record.hpp"

namespace {

// Splits the input on 0x1F into pieces that become the alert's strings.
std::vector<std::string> Pieces(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() < 16) {
    size_t sep = text.find('\x1f', start);
    out.emplace_back(text.substr(start, sep == std::string_view::npos ? sep : sep - start));
    if (sep == std::string_view::npos) break;
    start = sep + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace out = bulwark::runtime::output;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> p = Pieces(text);
  bulwark::runtime::Alert alert;
  for (size_t i = 0; i < 8 && i < size; ++i) alert.time_ns = alert.time_ns << 8 | data[i];
  alert.priority = static_cast<bulwark::runtime::Priority>(size % 8);
  alert.rule = p[0];
  if (p.size() > 1) alert.output = p[1];
  if (p.size() > 2) alert.hostname = p[2];
  for (size_t i = 3; i + 1 < p.size(); i += 2) {
    alert.output_fields.emplace_back(p[i], i % 4 == 1 ? std::nullopt : std::optional(p[i + 1]));
    alert.tags.push_back(p[i + 1]);
  }

  std::string json = out::FormatAlertJson(alert);
  if (json.find('\n') != std::string::npos || !nlohmann::json::accept(json)) __builtin_trap();
  for (unsigned char c : out::FormatAlertText(alert)) {
    if (c < 0x20 || c == 0x7f) __builtin_trap();
  }
  std::string label = out::EscapePrometheusLabel(text);
  for (size_t i = 0; i < label.size(); ++i) {
    if (label[i] == '\n') __builtin_trap();
    if (label[i] == '\\') ++i;  // an escape pair
    else if (label[i] == '"') __builtin_trap();
  }

  size_t end = 0;
  for (const out::SpoolLine& line : out::SplitSpoolLines(text, &end)) {
    auto payload = out::DecodeSpoolRecord(text.substr(line.offset, line.length));
    if (payload.has_value() != line.valid) __builtin_trap();
    // A record always re-encodes to the same line.
    if (payload && out::EncodeSpoolRecord(*payload) != text.substr(line.offset, line.length + 1)) {
      __builtin_trap();
    }
  }
  if (end > size) __builtin_trap();
  (void)out::DecodeCursorFile(text);
  return 0;
}
