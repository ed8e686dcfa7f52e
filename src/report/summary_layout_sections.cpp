// What was fixed, what remains and why, the architecture and the lessons.
#include <algorithm>

#include "report/summary_layout.hpp"

namespace bulwark::report::layout {
namespace {

constexpr size_t kMaxFixed = 12;
constexpr size_t kMaxAccepted = 15;
constexpr size_t kMaxOpen = 8;
constexpr size_t kMaxNew = 5;
constexpr size_t kMaxArchitectureLines = 10;
constexpr const char* kArrow = " \u2192 ";

std::string Count(int n, const std::string& noun) {
  if (n == 1) return "1 " + noun;
  if (noun.back() == 'y') return std::to_string(n) + " " + noun.substr(0, noun.size() - 1) + "ies";
  return std::to_string(n) + " " + noun + "s";
}

std::string Heading(const Comparison& c) {
  std::string out = c.label + ": " + c.target;
  if (!c.before_target.empty()) out += " (before: " + c.before_target + ")";
  return out;
}

std::vector<std::string> ItemTexts(const std::vector<Item>& items, size_t limit) {
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) out.push_back(ItemText(items[i]));
  CapList(out, limit, items.size());
  return out;
}

Table AcceptedTable(const Summary& s, size_t& total) {
  Table t{{"ID", "Title", "Severity", "Where", "Reason"}, {}};
  total = 0;
  for (const Comparison& c : s.comparisons) {
    for (const AcceptedRisk& a : c.accepted) {
      ++total;
      if (t.rows.size() >= kMaxAccepted) continue;
      std::string reason = a.reason.empty() ? "(no reason given)" : a.reason;
      if (!a.source.empty()) reason += " [" + a.source + "]";
      t.rows.push_back({a.item.id, a.item.title, std::string(core::SeverityName(a.item.severity)),
                        a.item.where, reason});
    }
  }
  return t;
}

Table OpenTable(const Comparison& c) {
  Table t{{"Severity", "ID", "Title", "Where", "What to do"}, {}};
  for (size_t i = 0; i < c.remaining.size() && i < kMaxOpen; ++i) {
    const Item& item = c.remaining[i];
    t.rows.push_back({std::string(core::SeverityName(item.severity)), item.id, item.title,
                      item.where, item.remediation});
  }
  return t;
}

void AddOpen(const Comparison& c, Section& section) {
  section.blocks.push_back(Subheading(Heading(c)));
  if (c.kind == ResultKind::kWatch) {
    section.blocks.push_back(Paragraph(std::to_string(c.after.total) +
                                       " alerts in the latest run (" + SeverityText(c.after) +
                                       ")."));
    if (!c.remaining.empty()) section.blocks.push_back(List(ItemTexts(c.remaining, kMaxOpen)));
    return;
  }
  if (c.remaining.empty()) {
    section.blocks.push_back(Paragraph("Nothing remains open."));
    return;
  }
  std::string text = std::to_string(c.after.total) + " open (" + SeverityText(c.after) + ")";
  if (c.remaining.size() > kMaxOpen) text += "; the " + std::to_string(kMaxOpen) + " most severe";
  section.blocks.push_back(Paragraph(text + ":"));
  section.blocks.push_back(MakeTable(OpenTable(c)));
  if (!c.added.empty()) {
    section.blocks.push_back(Paragraph("New since the earlier run:"));
    section.blocks.push_back(List(ItemTexts(c.added, kMaxNew)));
  }
}

std::vector<std::string> Capped(const std::vector<std::string>& lines) {
  std::vector<std::string> out(lines.begin(),
                               lines.begin() + std::min(lines.size(), kMaxArchitectureLines));
  CapList(out, kMaxArchitectureLines, lines.size());
  return out;
}

void AddArchitectureChanges(const Architecture& a, Section& section) {
  section.blocks.push_back(Subheading("How the architecture changed"));
  section.blocks.push_back(
      Paragraph("Flows crossing a trust boundary: " + std::to_string(a.crossing_before) + kArrow +
                std::to_string(a.crossing_after) +
                "; internet-facing elements: " + std::to_string(a.internet_facing_before) + kArrow +
                std::to_string(a.internet_facing_after) + "."));
  if (a.changes.empty()) {
    section.blocks.push_back(Paragraph("No element or boundary changed its security posture."));
    return;
  }
  // One line per element and direction: "Better: web no longer runs as
  // root; now has resource limits".
  std::vector<std::string> lines;
  std::vector<std::pair<Effect, std::string>> keys;
  for (const ArchitectureChange& c : a.changes) {
    auto key = std::make_pair(c.effect, c.subject);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it != keys.end()) {
      lines[static_cast<size_t>(it - keys.begin())] += "; " + c.what;
      continue;
    }
    const char* mark = c.effect == Effect::kImproved ? "Better: "
                       : c.effect == Effect::kWorse  ? "Worse: "
                                                     : "";
    keys.push_back(key);
    lines.push_back(mark + c.text);
  }
  section.blocks.push_back(List(Capped(lines)));
}

}  // namespace

Section FixedSection(const Summary& s) {
  Section section{"What was fixed", {}};
  for (const Comparison& c : s.comparisons) {
    if (c.kind == ResultKind::kScan || c.fixed.empty()) continue;
    section.blocks.push_back(Subheading(Heading(c) + " (" + std::to_string(c.fixed.size()) + ")"));
    section.blocks.push_back(List(ItemTexts(c.fixed, kMaxFixed)));
  }
  if (section.blocks.empty()) {
    section.blocks.push_back(
        Paragraph("No fixes are recorded yet: a before and an after run of the same target are "
                  "needed (see Steps taken)."));
  }
  return section;
}

Section RemainingSection(const Summary& s) {
  Section section{"What remains and why", {}};
  size_t accepted = 0;
  Table table = AcceptedTable(s, accepted);
  if (accepted > 0) {
    section.blocks.push_back(Subheading("Accepted risk (" + std::to_string(accepted) + ")"));
    section.blocks.push_back(MakeTable(std::move(table)));
    if (accepted > kMaxAccepted) {
      section.blocks.push_back(
          Paragraph("... and " + std::to_string(accepted - kMaxAccepted) + " more."));
    }
  }
  for (const Comparison& c : s.comparisons) AddOpen(c, section);
  if (section.blocks.empty()) section.blocks.push_back(Paragraph("Nothing remains open."));
  return section;
}

Section ArchitectureSection(const Summary& s) {
  Section section{"Architecture", {}};
  const Architecture& a = s.architecture;
  if (!a.present) {
    section.blocks.push_back(
        Paragraph("No threat model was found: run `bulwark model PATH` to add the architecture."));
    return section;
  }
  section.blocks.push_back(
      Paragraph((a.name.empty() ? std::string("The system") : a.name) + " (model of " + a.time +
                "): " + Count(a.services, "service") + ", " + Count(a.datastores, "data store") +
                ", " + Count(a.actors, "external actor") + ", " +
                Count(static_cast<int>(a.boundaries.size()), "trust boundary") + "."));
  if (!a.internet_facing.empty()) {
    section.blocks.push_back(Subheading("Reachable from outside the host"));
    section.blocks.push_back(List(Capped(a.internet_facing)));
  }
  if (!a.boundaries.empty()) {
    section.blocks.push_back(Subheading("Trust boundaries"));
    section.blocks.push_back(List(Capped(a.boundaries)));
  }
  if (!a.crossing_flows.empty()) {
    section.blocks.push_back(Subheading("Data flows that cross a boundary"));
    section.blocks.push_back(List(Capped(a.crossing_flows)));
  }
  if (a.has_before) {
    AddArchitectureChanges(a, section);
  } else {
    section.blocks.push_back(
        Paragraph("Only one model was found: `bulwark model --before OLD NEW` records how the "
                  "design changed."));
  }
  return section;
}

Section LessonsSection(const Summary& s) {
  Section section{"Lessons", {}};
  if (!s.lessons.empty()) section.blocks.push_back(List(s.lessons));
  if (!s.follow_ups.empty()) {
    section.blocks.push_back(Subheading("Follow-ups"));
    std::vector<std::string> follow_ups = s.follow_ups;
    CapList(follow_ups, 12, s.follow_ups.size());
    section.blocks.push_back(List(std::move(follow_ups)));
  }
  if (section.blocks.empty())
    section.blocks.push_back(Paragraph("Nothing changed between the runs."));
  return section;
}

}  // namespace bulwark::report::layout
