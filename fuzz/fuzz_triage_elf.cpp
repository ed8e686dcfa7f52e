// libFuzzer target: `bulwark triage` on hostile bytes. The ELF parser reads
// every header field from the input, so an input that starts with an ELF
// identification is the interesting case; the fuzzer also gets one: the
// first byte picks whether "\x7fELF" plus a class and byte order are put
// in front, so most runs reach the header, program and section tables.
// Then the ssdeep hash, strings, indicators, verdict (one input in eight
// with YARA; libmagic never: its sandboxed child would fork per input) and
// all three renderers.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "respond/elf_facts.hpp"
#include "respond/triage.hpp"
#include "respond/triage_render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace respond = bulwark::respond;
  if (size == 0) return 0;
  std::vector<uint8_t> input;
  uint8_t mode = data[0];
  if (mode & 1) {  // force an ELF identification: class and order from the mode byte
    input = {0x7f, 'E', 'L', 'F', static_cast<uint8_t>(mode & 2 ? 2 : 1), static_cast<uint8_t>(mode & 4 ? 2 : 1)};
  }
  input.insert(input.end(), data + 1, data + size);
  std::span<const uint8_t> bytes(input.data(), input.size());

  auto elf = respond::ParseElf(bytes);
  if (elf) {
    if (elf->sections.size() > respond::kMaxSections) __builtin_trap();
    if (elf->imports.size() > respond::kMaxImports) __builtin_trap();
    if (elf->needed.size() > respond::kMaxNeeded) __builtin_trap();
    for (const auto& s : elf->sections) {
      if (s.name.size() > respond::kMaxElfName) __builtin_trap();
      if (s.entropy < 0.0 || s.entropy > 8.0) __builtin_trap();
    }
  }
  // One input in eight also goes through bulwark's YARA rules (slower: they compile per call).
  respond::TriageReport report;
  if ((mode & 0x70) == 0x70) {
    respond::TriageOptions options;
    options.libmagic = false;  // a fuzz target never forks the libmagic child
    auto with_yara = respond::TriageBytes(bytes, "fuzz", options);
    if (!with_yara.ok()) __builtin_trap();  // the shipped rules always compile
    report = std::move(with_yara).value();
  } else {
    report = respond::TriageBytes(bytes, "fuzz");
  }
  int sum = 0;
  for (const auto& r : report.assessment.reasons) sum += r.weight;
  if (sum != report.assessment.score) __builtin_trap();
  std::string json = respond::TriageJson(report).dump();
  std::string text = respond::TriageText(report);
  std::string md = respond::TriageMarkdown(report);
  for (char c : text) {
    if (c == '\x1b') __builtin_trap();  // no escape sequence reaches a terminal
  }
  return static_cast<int>(json.size() & 0);
}
