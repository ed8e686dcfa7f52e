#include "core/render_vulns.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/escape.hpp"

namespace bulwark::core {
namespace {

// Packages in name order; within one, the worst vulnerability first.
std::map<std::string, std::vector<const Finding*>> GroupByPackage(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<const Finding*>> groups;
  for (const Finding& f : findings) {
    std::string key = f.package.type + " " + f.package.name + " " + f.installed + " (" + f.location.path + ")";
    groups[key].push_back(&f);
  }
  for (auto& [key, list] : groups) {
    std::stable_sort(list.begin(), list.end(), [](const Finding* a, const Finding* b) {
      return std::tie(b->severity, a->id) < std::tie(a->severity, b->id);
    });
  }
  return groups;
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

const char* SeverityColour(Severity s) {
  switch (s) {
    case Severity::kCritical: return "\033[1;35m";
    case Severity::kHigh: return "\033[1;31m";
    case Severity::kMedium: return "\033[33m";
    case Severity::kLow: return "\033[36m";
    case Severity::kInfo: return "\033[2m";
  }
  return "";
}

std::string FixedText(const Finding& f) { return f.fixed.empty() ? "no fix yet" : "fixed in " + f.fixed; }

// Advisory summaries can be paragraphs; a table row keeps the first 100
// characters (cut at a UTF-8 boundary) and the JSON keeps everything.
std::string ShortTitle(const std::string& title) {
  constexpr size_t kMax = 100;
  if (title.size() <= kMax) return title;
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
  return title.substr(0, cut) + "...";
}

}  // namespace

std::string TableVulnRows(const Report& report, const TableOptions& options) {
  const char* reset = options.color ? "\033[0m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  std::string out;
  for (const auto& [package, findings] : GroupByPackage(report.findings)) {
    out += std::string(bold) + EscapeTerminal(package) + reset + "\n";
    for (const Finding* f : findings) {
      std::string sev = Pad(std::string(SeverityLabel(f->severity)), 8);
      if (options.color) sev = std::string(SeverityColour(f->severity)) + sev + reset;
      out += "  " + sev + " " + Pad(EscapeTerminal(f->id), 20) + " " + Pad(EscapeTerminal(FixedText(*f)), 22) +
             " " + (f->change == "new" ? "[new] " : "") + EscapeTerminal(ShortTitle(f->title)) + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string MarkdownVulnSections(const Report& report) {
  std::string out = "\n## Vulnerabilities\n\n";
  out += "| severity | ID | package | installed | fixed | aliases | title |\n|---|---|---|---|---|---|---|\n";
  for (const auto& [package, findings] : GroupByPackage(report.findings)) {
    for (const Finding* f : findings) {
      std::string aliases;
      for (const std::string& a : f->aliases) aliases += (aliases.empty() ? "" : ", ") + a;
      out += "| " + std::string(SeverityName(f->severity)) + " | " + EscapeMarkdown(f->id) + " | " +
             EscapeMarkdown(f->package.type + "/" + f->package.name) + " | " + EscapeMarkdown(f->installed) +
             " | " + EscapeMarkdown(f->fixed.empty() ? "-" : f->fixed) + " | " + EscapeMarkdown(aliases) + " | " +
             EscapeMarkdown(f->title) + " |\n";
    }
  }
  return out;
}

}  // namespace bulwark::core
