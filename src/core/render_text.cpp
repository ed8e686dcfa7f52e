// Markdown and terminal-table renderers. File audits: findings grouped by
// file, file order stable. Host audits: findings grouped by CIS section in
// benchmark order, each with its status, subject and evidence.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <tuple>

#include "core/escape.hpp"
#include "core/host_report.hpp"
#include "core/render.hpp"
#include "core/render_vulns.hpp"

namespace bulwark::core {
namespace {

std::map<std::string, std::vector<const Finding*>> GroupByPath(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<const Finding*>> groups;
  for (const Finding& f : findings) groups[f.location.path].push_back(&f);
  return groups;
}

// One CIS section's findings (and passes, when asked for), in benchmark order.
struct Section {
  std::string number;
  std::vector<const Finding*> findings;
};

bool HostOrder(const Finding* a, const Finding* b) {
  std::string ca = CisOf(*a);
  std::string cb = CisOf(*b);
  if (ca != cb) return CisLess(ca, cb);
  int ra = VerdictRank(a->verdict);
  int rb = VerdictRank(b->verdict);
  if (ra != rb) return ra > rb;  // warnings first
  return std::tie(a->subject.kind, a->subject.name, a->message) < std::tie(b->subject.kind, b->subject.name, b->message);
}

std::vector<Section> GroupBySection(const Report& report) {
  std::vector<const Finding*> all;
  for (const Finding& f : report.findings) all.push_back(&f);
  if (report.include_passed) {
    for (const Finding& f : report.passed) all.push_back(&f);
  }
  std::stable_sort(all.begin(), all.end(), HostOrder);
  std::vector<Section> sections;
  for (const Finding* f : all) {
    std::string number = CisSection(CisOf(*f));
    if (sections.empty() || sections.back().number != number) sections.push_back(Section{number, {}});
    sections.back().findings.push_back(f);
  }
  return sections;
}

std::string SectionHeading(const std::string& number) {
  if (number.empty()) return "Other checks";
  std::string_view title = CisSectionTitle(number);
  return title.empty() ? "Section " + number : number + " " + std::string(title);
}

std::string StatusLabel(Verdict v) {
  std::string name(VerdictName(v));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name.empty() ? "-" : name;
}

std::string SummaryLine(const Report& report) {
  std::string out = FindingCountsText(report.findings);
  if (HasVerdicts(report)) {
    out = "CIS Docker Benchmark: " + CheckCountsText(CountChecks(report)) + "; " + out;
  } else if (report.scan) {
    out += " in " + std::to_string(report.packages_examined) + " packages";
    if (report.vex_suppressed > 0) out += ", " + std::to_string(report.vex_suppressed) + " not affected (VEX)";
  } else {
    out += " in " + std::to_string(report.files_examined) + " files";
  }
  if (report.suppressed > 0) out += ", " + std::to_string(report.suppressed) + " suppressed";
  if (!report.diagnostics.empty()) out += ", " + std::to_string(report.diagnostics.size()) + " diagnostics";
  return out;
}

const char* Colour(Severity s) {
  switch (s) {
    case Severity::kCritical: return "\033[1;35m";
    case Severity::kHigh: return "\033[1;31m";
    case Severity::kMedium: return "\033[33m";
    case Severity::kLow: return "\033[36m";
    case Severity::kInfo: return "\033[2m";
  }
  return "";
}

const char* StatusColour(const Finding& f) {
  switch (f.verdict) {
    case Verdict::kWarn: return Colour(f.severity);
    case Verdict::kPass: return "\033[32m";
    case Verdict::kInfo: return "\033[34m";
    case Verdict::kNote: return "\033[2;33m";
    case Verdict::kNone: return "";
  }
  return "";
}

std::string Position(const Location& l) {
  if (l.line <= 0) return "-";
  return l.column > 0 ? std::to_string(l.line) + ":" + std::to_string(l.column) : std::to_string(l.line);
}

std::string PadRight(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// Fixed findings as the baseline listed them, in CIS order for host audits.
std::vector<const Finding*> SortedFixed(const Report& report) {
  std::vector<const Finding*> out;
  for (const Finding& f : report.fixed) out.push_back(&f);
  if (HasVerdicts(report)) std::stable_sort(out.begin(), out.end(), HostOrder);
  return out;
}

// What a fixed finding was about: its subject (host) or its file (audit).
std::string FixedWhat(const Finding& f) {
  if (f.verdict != Verdict::kNone || !f.subject.kind.empty() || !f.subject.name.empty()) {
    std::string subject = SubjectText(f.subject);
    return "CIS " + CisOf(f) + (subject.empty() ? "" : " " + subject);
  }
  return f.id + " " + (f.location.path.empty() ? "(no file)" : f.location.path);
}

// ---- Markdown ----

std::string MarkdownFileSections(const Report& report) {
  std::string out;
  for (const auto& [path, findings] : GroupByPath(report.findings)) {
    out += "\n## " + EscapeMarkdown(path.empty() ? "(no file)" : path) + "\n\n";
    out += report.has_baseline ? "| line | severity | ID | finding | remediation | change |\n|---|---|---|---|---|---|\n"
                               : "| line | severity | ID | finding | remediation |\n|---|---|---|---|---|\n";
    for (const Finding* f : findings) {
      out += "| " + Position(f->location) + " | " + std::string(SeverityName(f->severity)) + " | " +
             EscapeMarkdown(f->id) + " | " + EscapeMarkdown(f->message) + " | " +
             EscapeMarkdown(f->remediation) + " |";
      if (report.has_baseline) out += " " + EscapeMarkdown(f->change) + " |";
      out += "\n";
    }
  }
  return out;
}

std::string MarkdownHostSections(const Report& report) {
  std::string out;
  for (const Section& section : GroupBySection(report)) {
    out += "\n## " + EscapeMarkdown(SectionHeading(section.number)) + "\n\n";
    out += "| status | severity | CIS | subject | finding | evidence | remediation |";
    out += report.has_baseline ? " change |\n|---|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|---|\n";
    for (const Finding* f : section.findings) {
      bool warn = f->verdict == Verdict::kWarn || f->verdict == Verdict::kNone;
      out += "| " + StatusLabel(f->verdict) + " | " + (warn ? std::string(SeverityName(f->severity)) : "-") +
             " | " + EscapeMarkdown(CisOf(*f)) + " | " + EscapeMarkdown(SubjectText(f->subject)) + " | " +
             EscapeMarkdown(f->message) + " | " + EscapeMarkdown(f->evidence) + " | " +
             (f->verdict == Verdict::kPass ? "" : EscapeMarkdown(f->remediation)) + " |";
      if (report.has_baseline) out += " " + EscapeMarkdown(f->change) + " |";
      out += "\n";
    }
  }
  return out;
}

// Consecutive skipped checks with the same reason, as one line: a host
// without running containers skips the 31 checks of section 5 for one reason.
struct SkippedRun {
  std::string what;  // "CIS 5.2" or "CIS 5.2 to 5.32 (31 checks)"
  std::string reason;
};

std::vector<SkippedRun> GroupSkipped(const std::vector<SkippedCheck>& skipped) {
  std::vector<SkippedRun> runs;
  for (size_t i = 0; i < skipped.size();) {
    size_t j = i + 1;
    while (j < skipped.size() && skipped[j].reason == skipped[i].reason) ++j;
    std::string what = "CIS " + skipped[i].cis;
    if (j - i == 1) {
      what += " (" + skipped[i].id + ")";
    } else {
      what += " to " + skipped[j - 1].cis + " (" + std::to_string(j - i) + " checks)";
    }
    runs.push_back(SkippedRun{what, skipped[i].reason});
    i = j;
  }
  return runs;
}

std::string MarkdownFixedAndSkipped(const Report& report) {
  std::string out;
  if (report.has_baseline && !report.fixed.empty()) {
    out += "\n## Fixed since the baseline\n\n";
    for (const Finding* f : SortedFixed(report)) {
      out += "- " + EscapeMarkdown(FixedWhat(*f)) + ": " + EscapeMarkdown(f->message) + "\n";
    }
  }
  if (!report.skipped.empty()) {
    out += "\n## Skipped\n\n";
    for (const SkippedRun& run : GroupSkipped(report.skipped)) {
      out += "- " + EscapeMarkdown(run.what) + ": " + EscapeMarkdown(run.reason) + "\n";
    }
  }
  return out;
}

// ---- Table ----

std::string TableHostRows(const Report& report, const TableOptions& options) {
  const char* reset = options.color ? "\033[0m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  std::string out;
  for (const Section& section : GroupBySection(report)) {
    out += std::string(bold) + EscapeTerminal(SectionHeading(section.number)) + reset + "\n";
    for (const Finding* f : section.findings) {
      std::string status = PadRight(StatusLabel(f->verdict), 5);
      if (options.color) status = std::string(StatusColour(*f)) + status + reset;
      bool warn = f->verdict == Verdict::kWarn || f->verdict == Verdict::kNone;
      std::string sev = warn ? std::string(SeverityLabel(f->severity)) : "";
      std::string subject = SubjectText(f->subject);
      out += "  " + status + " " + PadRight(sev, 9) + PadRight(EscapeTerminal(CisOf(*f)), 8) + " " +
             (f->change == "new" ? "[new] " : "") + EscapeTerminal(subject) + (subject.empty() ? "" : ": ") +
             EscapeTerminal(f->message) + "\n";
      if (!f->evidence.empty()) out += std::string(26, ' ') + "evidence: " + EscapeTerminal(f->evidence) + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string TableFileRows(const Report& report, const TableOptions& options) {
  const char* reset = options.color ? "\033[0m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  std::string out;
  for (const auto& [path, findings] : GroupByPath(report.findings)) {
    out += std::string(bold) + EscapeTerminal(path.empty() ? "(no file)" : path) + reset + "\n";
    for (const Finding* f : findings) {
      std::string sev = std::string(SeverityLabel(f->severity));
      std::string sev_cell = options.color ? std::string(Colour(f->severity)) + PadRight(sev, 8) + reset
                                           : PadRight(sev, 8);
      out += "  " + PadRight(Position(f->location), 8) + sev_cell + " " + PadRight(f->id, 11) + " " +
             (f->change == "new" ? "[new] " : "") + EscapeTerminal(f->message) + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string TableFixedAndSkipped(const Report& report) {
  std::string out;
  if (report.has_baseline && !report.fixed.empty()) {
    out += "fixed since the baseline:\n";
    for (const Finding* f : SortedFixed(report)) {
      out += "  " + EscapeTerminal(FixedWhat(*f)) + ": " + EscapeTerminal(f->message) + "\n";
    }
  }
  for (const SkippedRun& run : GroupSkipped(report.skipped)) {
    out += "skipped: " + EscapeTerminal(run.what) + ": " + EscapeTerminal(run.reason) + "\n";
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const Report& report) {
  bool host = HasVerdicts(report);
  std::string out = "# bulwark report: " + EscapeMarkdown(report.target) + "\n\n";
  out += SummaryLine(report) + "\n\n";
  if (report.has_baseline) out += EscapeMarkdown(BaselineText(report)) + "\n\n";
  out += "| severity | count |\n|---|---|\n";
  auto counts = CountBySeverity(report.findings);
  for (Severity s : kAllSeverities) {
    out += "| " + std::string(SeverityName(s)) + " | " + std::to_string(counts[static_cast<size_t>(s)]) + " |\n";
  }
  out += host ? MarkdownHostSections(report) : report.scan ? MarkdownVulnSections(report) : MarkdownFileSections(report);
  out += MarkdownFixedAndSkipped(report);
  if (!report.diagnostics.empty()) {
    out += "\n## Diagnostics\n\n";
    for (const Diagnostic& d : report.diagnostics) {
      out += "- " + EscapeMarkdown(d.location.path) + ":" + Position(d.location) + ": " +
             EscapeMarkdown(d.message) + "\n";
    }
  }
  return out;
}

std::string RenderTable(const Report& report, const TableOptions& options) {
  const char* reset = options.color ? "\033[0m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  std::string out = HasVerdicts(report) ? TableHostRows(report, options)
                    : report.scan       ? TableVulnRows(report, options)
                                        : TableFileRows(report, options);
  for (const Diagnostic& d : report.diagnostics) {
    out += "diagnostic: " + EscapeTerminal(d.location.path) + ":" + Position(d.location) + ": " +
           EscapeTerminal(d.message) + "\n";
  }
  if (options.quiet) return out;
  out += TableFixedAndSkipped(report);
  if (report.has_baseline) out += EscapeTerminal(BaselineText(report)) + "\n";
  out += std::string(bold) + SummaryLine(report) + reset + "\n";
  return out;
}

}  // namespace bulwark::core
