#include "respond/triage_render.hpp"

#include <string>

#include <fmt/format.h>

#include "core/escape.hpp"
#include "respond/live_render.hpp"

namespace bulwark::respond {
namespace {

std::string T(const std::string& s) { return core::EscapeTerminal(s); }
// Markdown cells: line breaks flattened, control characters as \xNN,
// Markdown syntax neutralised.
std::string M(const std::string& s) { return core::EscapeMarkdown(s); }

constexpr size_t kShownSections = 64;
constexpr size_t kShownImports = 40;

std::string Join(const std::vector<std::string>& items, size_t limit, std::string (*esc)(const std::string&)) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + esc(items[i]);
  if (items.size() > limit) out += fmt::format(", ... ({} in all)", items.size());
  return out.empty() ? "-" : out;
}

// A value that may be absent (no library, no answer: limits say why).
std::string OrDash(const std::string& s, std::string (*esc)(const std::string&)) {
  return s.empty() ? "-" : esc(s);
}

std::string ElfSummary(const ElfFacts& e, std::string (*esc)(const std::string&)) {
  std::string s = fmt::format("ELF{} {}-endian {}, {}, {}", e.bits, e.little_endian ? "little" : "big",
                              e.machine, e.type, e.is_dynamic ? "dynamically linked" : "statically linked");
  if (!e.interpreter.empty()) s += ", interpreter " + esc(e.interpreter);
  s += e.stripped ? ", stripped" : ", with symbols";
  if (!e.has_section_headers) s += ", no section headers";
  return s;
}

}  // namespace

std::string TriageText(const TriageReport& r) {
  const Assessment& a = r.assessment;
  std::string out;
  if (r.process) {
    out += fmt::format("Triage of process {}: executable {} ({} bytes), read through /proc, never executed\n",
                       r.process->pid, T(r.path), r.size);
  } else if (r.container) {
    out += fmt::format("Triage of {} in container {} ({} bytes), never executed\n", T(r.path),
                       T(r.container->name.empty() ? r.container->id.substr(0, 12) : r.container->name), r.size);
  } else {
    out += fmt::format("Triage of {} ({} bytes), never executed\n", T(r.path), r.size);
  }
  out += fmt::format("Verdict:    {} (score {}, confidence {})\n", VerdictName(a.verdict), a.score,
                     a.confidence);
  for (const auto& reason : a.reasons) {
    out += fmt::format("  +{:<3} {:<24} {}  [{}]{}\n", reason.weight, reason.signal, T(reason.what),
                       T(reason.where), reason.attack.empty() ? "" : " " + reason.attack);
  }
  if (!a.attack.empty()) out += "ATT&CK:     " + Join(a.attack, 64, T) + "\n";
  if (r.process) out += ProcessText(*r.process);
  out += fmt::format("MD5:        {}\nSHA-1:      {}\nSHA-256:    {}\nssdeep:     {}\n", r.hashes.md5,
                     r.hashes.sha1, r.hashes.sha256, OrDash(r.hashes.ssdeep, T));
  out += fmt::format("Type:       {} ({})\nlibmagic:   {}\nEntropy:    {:.2f} bits/byte\n",
                     FileKindName(r.file_type.kind), T(r.file_type.description),
                     OrDash(r.file_type.libmagic, T), r.entropy);
  if (r.elf) {
    const ElfFacts& e = *r.elf;
    out += "ELF:        " + ElfSummary(e, T) + "\n";
    if (e.upx_magic || e.upx_sections) out += "Packer:     UPX\n";
    if (!e.go_build_id.empty() || !e.go_sections.empty()) {
      out += "Go:         build ID " + (e.go_build_id.empty() ? "-" : T(e.go_build_id)) +
             ", sections " + Join(e.go_sections, 8, T) + "\n";
    }
    out += "Needed:     " + Join(e.needed, 64, T) + "\n";
    out += "Imports:    " + Join(e.imports, kShownImports, T) + "\n";
    if (!e.sections.empty()) out += "Sections:\n";
    for (size_t i = 0; i < e.sections.size() && i < kShownSections; ++i) {
      const auto& s = e.sections[i];
      out += fmt::format("  {:<24} offset 0x{:<8x} size {:<10} entropy {:.2f}{}\n", T(s.name), s.offset,
                         s.size, s.entropy, s.type == 8 ? " (no file bytes)" : s.in_file || s.size == 0 ? "" : " (outside the file)");
    }
    if (e.sections.size() > kShownSections) out += fmt::format("  ... {} in all\n", e.sections.size());
    for (const auto& an : e.anomalies) out += "Anomaly:    " + T(an) + "\n";
  }
  out += fmt::format("Strings:    {}{}\n", r.strings.count, r.strings.truncated ? " (bounded)" : "");
  if (!r.iocs.empty()) out += "Indicators:\n";
  for (const auto& ioc : r.iocs) {
    out += fmt::format("  {:<14} {}{}  (0x{:x})\n", IocKindName(ioc.kind), T(ioc.value),
                       ioc.tag.empty() ? "" : " [" + ioc.tag + "]", ioc.offset);
  }
  if (r.yara_ran) {
    out += fmt::format("YARA:       {} match(es)\n", r.yara.size());
    for (const auto& m : r.yara) {
      out += fmt::format("  {:<32} {:<6} {}  [{}]\n", T(m.rule), m.severity, T(m.description), T(m.source));
    }
  }
  for (const auto& l : r.limits) out += "Limit:      " + T(l) + "\n";
  return out;
}

std::string TriageMarkdown(const TriageReport& r) {
  const Assessment& a = r.assessment;
  std::string out = r.process ? fmt::format("# Triage of process {} ({})\n\n", r.process->pid, M(r.path))
                    : r.container ? "# Triage of " + M(r.path) + " in container " +
                                        M(r.container->name.empty() ? r.container->id.substr(0, 12) : r.container->name) + "\n\n"
                                  : "# Triage of " + M(r.path) + "\n\n";
  out += fmt::format("**Verdict: {}** (score {}, confidence {}; malicious from 70, suspicious from 30). "
                     "The file was never executed.\n\n",
                     VerdictName(a.verdict), a.score, a.confidence);
  if (!a.reasons.empty()) {
    out += "| Weight | Signal | Found | Where | ATT&CK |\n|---:|---|---|---|---|\n";
    for (const auto& reason : a.reasons) {
      out += fmt::format("| {} | {} | {} | {} | {} |\n", reason.weight, reason.signal, M(reason.what),
                         M(reason.where), reason.attack.empty() ? "-" : reason.attack);
    }
    out += "\n";
  }
  if (r.process) out += ProcessMarkdown(*r.process);
  out += "## File\n\n| Fact | Value |\n|---|---|\n";
  out += fmt::format("| Size | {} bytes |\n| MD5 | `{}` |\n| SHA-1 | `{}` |\n| SHA-256 | `{}` |\n", r.size,
                     r.hashes.md5, r.hashes.sha1, r.hashes.sha256);
  out += fmt::format("| ssdeep | {} |\n", OrDash(r.hashes.ssdeep, M));
  out += fmt::format("| Type | {} ({}) |\n| libmagic | {} |\n| Entropy | {:.2f} bits/byte |\n",
                     FileKindName(r.file_type.kind), M(r.file_type.description),
                     OrDash(r.file_type.libmagic, M), r.entropy);
  if (r.elf) {
    const ElfFacts& e = *r.elf;
    out += "| ELF | " + ElfSummary(e, M) + " |\n";
    out += std::string("| UPX | ") + (e.upx_magic || e.upx_sections ? "yes" : "no") + " |\n";
    if (!e.go_build_id.empty()) out += "| Go build ID | " + M(e.go_build_id) + " |\n";
    out += "| Needed | " + Join(e.needed, 64, M) + " |\n";
    out += "| Imports | " + Join(e.imports, kShownImports, M) + " |\n";
    for (const auto& an : e.anomalies) out += "| Anomaly | " + M(an) + " |\n";
    if (!e.sections.empty()) {
      out += "\n## Sections\n\n| Name | Offset | Size | Entropy |\n|---|---:|---:|---:|\n";
      for (size_t i = 0; i < e.sections.size() && i < kShownSections; ++i) {
        const auto& s = e.sections[i];
        out += fmt::format("| {} | 0x{:x} | {} | {:.2f} |\n", M(s.name), s.offset, s.size, s.entropy);
      }
    }
  }
  if (!r.iocs.empty()) {
    out += "\n## Indicators\n\n| Kind | Value | Tag | Offset |\n|---|---|---|---:|\n";
    for (const auto& ioc : r.iocs) {
      out += fmt::format("| {} | {} | {} | 0x{:x} |\n", IocKindName(ioc.kind), M(ioc.value),
                         ioc.tag.empty() ? "-" : ioc.tag, ioc.offset);
    }
  }
  if (r.yara_ran) {
    out += "\n## YARA\n\n";
    if (r.yara.empty()) out += "No rule matched.\n";
    else out += "| Rule | Severity | Meaning | Source |\n|---|---|---|---|\n";
    for (const auto& m : r.yara) {
      out += fmt::format("| {} | {} | {} | {} |\n", M(m.rule), m.severity, M(m.description), M(m.source));
    }
  }
  out += "\n## Limits\n\n";
  for (const auto& l : r.limits) out += "- " + M(l) + "\n";
  return out;
}

}  // namespace bulwark::respond
