// The report's opening, its steps, the before/after tables and the
// vulnerabilities; the other sections are in summary_layout_sections.cpp.
#include "report/summary_layout.hpp"

#include <map>

namespace bulwark::report::layout {
namespace {

constexpr size_t kMaxSteps = 25;
constexpr size_t kMaxEdits = 15;
constexpr size_t kMaxVulnerabilities = 10;
constexpr const char* kArrow = " \u2192 ";

std::string BeforeAfter(bool has_before, int before, int after) {
  return (has_before ? std::to_string(before) : std::string("n/a")) + kArrow +
         std::to_string(after);
}

bool IsFindingKind(ResultKind k) {
  return k == ResultKind::kAudit || k == ResultKind::kHostAudit || k == ResultKind::kScan;
}

std::string EditText(const FixEdit& e) {
  std::string checks;
  for (size_t i = 0; i < e.checks.size() && i < 8; ++i)
    checks += (i == 0 ? "" : ", ") + e.checks[i];
  if (e.checks.size() > 8) checks += ", ...";
  return e.path + (e.created ? " (created)" : "") + (checks.empty() ? "" : ": " + checks);
}

Table SeverityTable(const Summary& s) {
  Table t{{"Kind", "Critical", "High", "Medium", "Low", "Info", "Total", "Fixed", "New"}, {}};
  for (const KindTotals& k : s.totals) {
    std::vector<std::string> row{k.label};
    for (core::Severity sev : core::kAllSeverities) {
      auto i = static_cast<size_t>(sev);
      row.push_back(BeforeAfter(k.has_before, k.before.by_severity[i], k.after.by_severity[i]));
    }
    row.push_back(BeforeAfter(k.has_before, k.before.total, k.after.total));
    row.push_back(k.has_before ? std::to_string(k.fixed) : "n/a");
    row.push_back(k.has_before ? std::to_string(k.added) : "n/a");
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Categories of the finding kinds only: a model's are STRIDE letters and a
// watch's are rule names, which the sections below list.
Table CategoryTable(const Summary& s) {
  std::map<std::string, std::pair<int, int>> counts;
  bool has_before = false;
  for (const KindTotals& k : s.totals) {
    if (!IsFindingKind(k.kind)) continue;
    has_before = has_before || k.has_before;
    for (const auto& [category, n] : k.before.by_category) counts[category].first += n;
    for (const auto& [category, n] : k.after.by_category) counts[category].second += n;
  }
  Table t{{"Category", "Before", "After"}, {}};
  for (const auto& [category, n] : counts) {
    t.rows.push_back(
        {category, has_before ? std::to_string(n.first) : "n/a", std::to_string(n.second)});
  }
  return t;
}

}  // namespace

Block Paragraph(std::string text) {
  return Block{Block::Type::kParagraph, std::move(text), {}, {}};
}
Block Subheading(std::string text) {
  return Block{Block::Type::kSubheading, std::move(text), {}, {}};
}
Block List(std::vector<std::string> items) {
  return Block{Block::Type::kList, "", std::move(items), {}};
}
Block MakeTable(Table table) { return Block{Block::Type::kTable, "", {}, std::move(table)}; }

void CapList(std::vector<std::string>& items, size_t limit, size_t total) {
  if (items.size() > limit) items.resize(limit);
  if (total > items.size())
    items.push_back("... and " + std::to_string(total - items.size()) + " more");
}

std::string SeverityText(const Counts& counts) {
  std::string out;
  for (core::Severity s : core::kAllSeverities) {
    int n = counts.by_severity[static_cast<size_t>(s)];
    if (n > 0)
      out +=
          (out.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(core::SeverityName(s));
  }
  return out.empty() ? "none" : out;
}

std::string ItemText(const Item& item) {
  std::string out = item.id;
  if (!item.title.empty() && item.title != item.id) out += " " + item.title;
  out += " (" + std::string(core::SeverityName(item.severity)) +
         (item.count > 1 ? ", " + std::to_string(item.count) + " times" : "") + ")";
  if (!item.where.empty()) out += " \u2014 " + item.where;
  return out;
}

Section StepsSection(const Summary& s) {
  Section section{"Steps taken", {}};
  if (s.steps.empty()) {
    section.blocks.push_back(Paragraph("No runs were recorded."));
    return section;
  }
  Table t{{"#", "Time (UTC)", "Command", "Target", "Outcome"}, {}};
  for (size_t i = 0; i < s.steps.size() && i < kMaxSteps; ++i) {
    const Step& step = s.steps[i];
    t.rows.push_back({std::to_string(i + 1), step.time, step.command, step.target, step.outcome});
  }
  section.blocks.push_back(MakeTable(std::move(t)));
  if (s.steps.size() > kMaxSteps) {
    section.blocks.push_back(
        Paragraph("... and " + std::to_string(s.steps.size() - kMaxSteps) + " more runs."));
  }
  if (!s.edits.empty()) {
    section.blocks.push_back(Subheading("Files changed by fix --write"));
    std::vector<std::string> edits;
    for (const FixEdit& e : s.edits) edits.push_back(EditText(e));
    CapList(edits, kMaxEdits, s.edits.size());
    section.blocks.push_back(List(std::move(edits)));
  }
  return section;
}

Section CountsSection(const Summary& s) {
  Section section{"Before and after", {}};
  if (s.totals.empty()) {
    section.blocks.push_back(Paragraph("Nothing to compare yet."));
    return section;
  }
  section.blocks.push_back(Paragraph(
      "Counts before \u2192 after, by severity. Host audits count CIS warnings; threat models "
      "count confirmed "
      "threats by risk; runtime alerts count alerts by priority. n/a: only one run was found."));
  section.blocks.push_back(MakeTable(SeverityTable(s)));
  int unpaired = 0;
  for (const KindTotals& k : s.totals) unpaired += k.unpaired;
  if (unpaired > 0) {
    section.blocks.push_back(
        Paragraph(std::to_string(unpaired) + (unpaired == 1 ? " run has" : " runs have") +
                  " no earlier run to compare with and is left out of the table (see What "
                  "remains and why)."));
  }
  Table categories = CategoryTable(s);
  if (!categories.rows.empty()) {
    section.blocks.push_back(Subheading("By category"));
    section.blocks.push_back(MakeTable(std::move(categories)));
  }
  return section;
}

Section VulnerabilitiesSection(const Summary& s) {
  Section section{"Vulnerabilities", {}};
  for (const Comparison& c : s.comparisons) {
    if (c.kind != ResultKind::kScan) continue;
    std::string line = c.target + ": " + BeforeAfter(c.has_before, c.before.total, c.after.total) +
                       " known vulnerabilities (now " + SeverityText(c.after) + ")";
    if (!c.before_target.empty()) line += ", compared with " + c.before_target;
    section.blocks.push_back(Paragraph(line + "."));
    if (c.fixed.empty()) continue;
    std::vector<std::string> fixed;
    for (const Item& i : c.fixed) fixed.push_back(ItemText(i));
    CapList(fixed, kMaxVulnerabilities, c.fixed.size());
    section.blocks.push_back(Subheading("Gone from " + c.target));
    section.blocks.push_back(List(std::move(fixed)));
  }
  if (section.blocks.empty()) {
    section.blocks.push_back(
        Paragraph("No image scans were found: run `bulwark scan IMAGE` (or drop Trivy or Grype "
                  "JSON reports in the results directory)."));
  }
  return section;
}

Document LayoutSummary(const Summary& s) {
  Document d;
  d.title = s.title;
  if (!s.targets.empty()) {
    std::string targets;
    for (const std::string& t : s.targets) targets += (targets.empty() ? "" : ", ") + t;
    d.meta.push_back("Scope: " + targets);
  }
  if (!s.first_time.empty())
    d.meta.push_back("Period (UTC): " + s.first_time + " to " + s.last_time);
  d.meta.push_back(
      "Sources: " + std::to_string(s.results_read) + " results" +
      (s.diagnostics > 0 ? ", " + std::to_string(s.diagnostics) + " files or parts not used" : ""));
  d.sections = {StepsSection(s),  CountsSection(s),    VulnerabilitiesSection(s),
                FixedSection(s),  RemainingSection(s), ArchitectureSection(s),
                LessonsSection(s)};
  return d;
}

}  // namespace bulwark::report::layout
