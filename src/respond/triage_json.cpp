// The triage report as JSON. Every string that came from the file goes
// through SanitizeUtf8 (nlohmann refuses invalid UTF-8 when dumping).
#include <cmath>
#include <string>

#include "core/escape.hpp"
#include "core/version.hpp"
#include "respond/live_render.hpp"
#include "respond/triage.hpp"
#include "respond/verdict.hpp"

namespace bulwark::respond {
namespace {

using nlohmann::json;

std::string U(const std::string& s) { return core::SanitizeUtf8(s); }

// Absent values (no library, no answer) are null; the reason is in limits.
json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(U(s)); }

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

json StringList(const std::vector<std::string>& items) {
  json out = json::array();
  for (const auto& s : items) out.push_back(U(s));
  return out;
}

json ElfJson(const ElfFacts& elf) {
  json sections = json::array();
  for (const auto& s : elf.sections) {
    sections.push_back({{"name", U(s.name)},
                        {"type", s.type},
                        {"offset", s.offset},
                        {"size", s.size},
                        {"in_file", s.in_file},
                        {"executable", (s.flags & 0x4) != 0},
                        {"entropy", Round2(s.entropy)}});
  }
  return {{"class", elf.bits},
          {"endianness", elf.little_endian ? "little" : "big"},
          {"machine", elf.machine},
          {"type", elf.type},
          {"linking", elf.is_dynamic ? "dynamic" : "static"},
          {"interpreter", U(elf.interpreter)},
          {"stripped", elf.stripped},
          {"has_section_headers", elf.has_section_headers},
          {"sections", sections},
          {"needed", StringList(elf.needed)},
          {"imports", StringList(elf.imports)},
          {"upx", {{"magic", elf.upx_magic}, {"sections", elf.upx_sections}}},
          {"go", {{"build_id", U(elf.go_build_id)}, {"sections", StringList(elf.go_sections)}}},
          {"anomalies", StringList(elf.anomalies)}};
}

json AssessmentJson(const Assessment& a) {
  json reasons = json::array();
  for (const auto& r : a.reasons) {
    reasons.push_back({{"signal", r.signal},
                       {"what", U(r.what)},
                       {"where", U(r.where)},
                       {"weight", r.weight},
                       {"attack", r.attack}});
  }
  return {{"verdict", VerdictName(a.verdict)},
          {"score", a.score},
          {"confidence", a.confidence},
          {"thresholds", {{"malicious", kMaliciousScore}, {"suspicious", kSuspiciousScore}}},
          {"reasons", reasons},
          {"attack", a.attack}};
}

json YaraJson(const TriageReport& report) {
  json matches = json::array();
  for (const auto& m : report.yara) {
    matches.push_back({{"rule", U(m.rule)},
                       {"source", U(m.source)},
                       {"description", U(m.description)},
                       {"severity", m.severity},
                       {"attack", U(m.attack)},
                       {"tags", StringList(m.tags)}});
  }
  return {{"ran", report.yara_ran}, {"matches", matches}};
}

// "file", "process" (with its pid) or "container-file" (with the container).
json TargetJson(const TriageReport& report) {
  json target = {{"kind", "file"}, {"path", U(report.path)}, {"size", report.size}};
  if (report.process) {
    target["kind"] = "process";
    target["pid"] = report.process->pid;
  } else if (report.container) {
    target["kind"] = "container-file";
    target["container"] = ContainerRefJson(*report.container);
  }
  return target;
}

}  // namespace

json TriageJson(const TriageReport& report) {
  json iocs = json::array();
  for (const auto& ioc : report.iocs) {
    iocs.push_back({{"kind", IocKindName(ioc.kind)},
                    {"value", U(ioc.value)},
                    {"offset", ioc.offset},
                    {"tag", ioc.tag}});
  }
  json out = {{"tool", {{"name", "bulwark"}, {"version", core::kVersion}}},
          {"target", TargetJson(report)},
          {"hashes",
           {{"md5", report.hashes.md5},
            {"sha1", report.hashes.sha1},
            {"sha256", report.hashes.sha256},
            {"ssdeep", OrNull(report.hashes.ssdeep)}}},
          {"file_type",
           {{"kind", FileKindName(report.file_type.kind)},
            {"description", U(report.file_type.description)},
            {"libmagic", OrNull(report.file_type.libmagic)}}},
          {"entropy", Round2(report.entropy)},
          {"elf", report.elf ? ElfJson(*report.elf) : json(nullptr)},
          {"strings", {{"count", report.strings.count}, {"truncated", report.strings.truncated}}},
          {"iocs", iocs},
          {"yara", YaraJson(report)},
          {"assessment", AssessmentJson(report.assessment)},
          {"limits", StringList(report.limits)}};
  if (report.process) out["process"] = ProcessJson(*report.process);
  return out;
}

}  // namespace bulwark::respond
