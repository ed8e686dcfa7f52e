#include "core/host_report.hpp"

#include <map>
#include <utility>

namespace bulwark::core {
namespace {

constexpr std::string_view kCisPrefix = "BW-CIS-";

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;  // > 9 digits would overflow int: compare as text
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The next dot-separated component of `s` from `pos`, advancing `pos`.
std::string_view NextComponent(std::string_view s, size_t& pos) {
  size_t dot = s.find('.', pos);
  std::string_view part =
      s.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
  pos = dot == std::string_view::npos ? s.size() + 1 : dot + 1;
  return part;
}

}  // namespace

bool HasVerdicts(const Report& report) {
  auto any = [](const std::vector<Finding>& list) {
    for (const Finding& f : list) {
      if (f.verdict != Verdict::kNone) return true;
    }
    return false;
  };
  return !report.skipped.empty() || any(report.findings) || any(report.passed) || any(report.fixed);
}

int VerdictRank(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNone: return 0;
    case Verdict::kPass: return 1;
    case Verdict::kNote: return 2;
    case Verdict::kInfo: return 3;
    case Verdict::kWarn: return 4;
  }
  return 0;
}

std::string CisOf(const Finding& finding) {
  if (!finding.references.cis.empty()) return finding.references.cis.front();
  if (finding.id.starts_with(kCisPrefix)) return finding.id.substr(kCisPrefix.size());
  return "";
}

bool CisLess(std::string_view a, std::string_view b) {
  size_t pa = 0;
  size_t pb = 0;
  while (pa <= a.size() && pb <= b.size()) {
    std::string_view ca = NextComponent(a, pa);
    std::string_view cb = NextComponent(b, pb);
    if (AllDigits(ca) && AllDigits(cb)) {
      int na = std::stoi(std::string(ca));
      int nb = std::stoi(std::string(cb));
      if (na != nb) return na < nb;
    } else if (ca != cb) {
      // Numbered sections come before lettered ones (2 < C).
      if (AllDigits(ca) != AllDigits(cb)) return AllDigits(ca);
      return ca < cb;
    }
  }
  return pa > a.size() && pb <= b.size();  // a prefix of b sorts first
}

std::string_view CisSectionTitle(std::string_view section) {
  static constexpr std::pair<std::string_view, std::string_view> kTitles[] = {
      {"1", "Host Configuration"},
      {"2", "Docker daemon configuration"},
      {"3", "Docker daemon configuration files"},
      {"4", "Container Images and Build File"},
      {"5", "Container Runtime"},
      {"6", "Docker Security Operations"},
      {"7", "Docker Swarm Configuration"},
  };
  for (const auto& [number, title] : kTitles) {
    if (number == section) return title;
  }
  return "";
}

std::string CisSection(std::string_view cis) { return std::string(cis.substr(0, cis.find('.'))); }

CheckCounts CountChecks(const Report& report) {
  std::map<std::string, Verdict> worst;
  for (const auto* list : {&report.findings, &report.passed}) {
    for (const Finding& f : *list) {
      if (f.verdict == Verdict::kNone) continue;
      auto [it, inserted] = worst.emplace(f.id, f.verdict);
      if (!inserted && VerdictRank(f.verdict) > VerdictRank(it->second)) it->second = f.verdict;
    }
  }
  CheckCounts counts;
  for (const auto& [id, verdict] : worst) {
    switch (verdict) {
      case Verdict::kPass: ++counts.pass; break;
      case Verdict::kWarn: ++counts.warn; break;
      case Verdict::kInfo: ++counts.info; break;
      case Verdict::kNote: ++counts.note; break;
      case Verdict::kNone: break;
    }
  }
  counts.skipped = static_cast<int>(report.skipped.size());
  return counts;
}

std::string CheckCountsText(const CheckCounts& c) {
  int total = c.pass + c.warn + c.info + c.note;
  std::string out = std::to_string(total) + " checks (pass: " + std::to_string(c.pass) +
                    ", warn: " + std::to_string(c.warn) + ", info: " + std::to_string(c.info) +
                    ", note: " + std::to_string(c.note) + ")";
  if (c.skipped > 0) out += ", " + std::to_string(c.skipped) + " skipped";
  return out;
}

std::string SubjectText(const Subject& subject) {
  std::string out = subject.kind;
  if (!subject.name.empty()) out += (out.empty() ? "" : " ") + subject.name;
  if (!subject.id.empty() && subject.kind != "file" && subject.id != subject.name) {
    std::string id = subject.id.substr(0, 12);
    out +=
        (out.empty() ? "(" : " (") + std::string(subject.kind == "daemon" ? "pid " : "") + id + ")";
  }
  return out;
}

BaselineCounts CountBaseline(const Report& report) {
  BaselineCounts counts;
  for (const Finding& f : report.findings) {
    if (f.change == "new") ++counts.added;
    if (f.change == "unchanged") ++counts.unchanged;
  }
  counts.fixed = static_cast<int>(report.fixed.size());
  return counts;
}

std::string BaselineText(const Report& report) {
  BaselineCounts c = CountBaseline(report);
  return "Since baseline " + report.baseline_path + ": " + std::to_string(c.added) + " new, " +
         std::to_string(c.unchanged) + " unchanged, " + std::to_string(c.fixed) + " fixed";
}

}  // namespace bulwark::core
