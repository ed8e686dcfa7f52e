// One before/after pair compared: counts by severity and category, what
// was fixed, what is new, what remains, what was accepted as risk.
#include <algorithm>
#include <map>
#include <tuple>

#include "report/summary_parts.hpp"

namespace bulwark::report::summary_parts {
namespace {

// An item and the key that says it is "the same" in the other run: a
// vulnerability is its ID in a package, a host check its ID on a subject,
// a file finding its ID in a file (lines move when files are edited).
struct Keyed {
  std::string key;
  Item item;
};

std::string Where(const core::Finding& f) {
  if (f.category == core::Category::kVulnerability && !f.package.name.empty()) {
    return f.package.name + (f.installed.empty() ? "" : " " + f.installed);
  }
  if (!f.subject.kind.empty() && f.location.path.empty()) {
    return f.subject.name.empty() ? f.subject.kind : f.subject.kind + " " + f.subject.name;
  }
  if (f.location.path.empty()) return "";
  return f.location.path + (f.location.line > 0 ? ":" + std::to_string(f.location.line) : "");
}

Keyed FromFinding(const core::Finding& f) {
  Item item;
  item.id = f.id;
  item.title = f.title.empty() ? f.id : f.title;
  item.severity = f.severity;
  item.category = std::string(core::CategoryName(f.category));
  item.where = Where(f);
  item.remediation = f.remediation;
  if (f.category == core::Category::kVulnerability) {
    item.no_fix = f.fixed.empty();
    if (item.remediation.empty()) {
      item.remediation = item.no_fix ? "No fixed version is known yet"
                                     : "Upgrade " + f.package.name + " to " + f.fixed + " or later";
    }
  }
  std::string key = f.id + '\x1f';
  if (f.category == core::Category::kVulnerability) {
    key += f.package.name;
  } else if (f.verdict != core::Verdict::kNone) {
    key += f.subject.kind + '\x1f' + f.subject.name;
  } else {
    key += f.location.path;
  }
  return Keyed{std::move(key), std::move(item)};
}

// Host audits list passes, infos and notes too: only warnings are problems.
bool Counted(ResultKind kind, const core::Finding& f) {
  return kind != ResultKind::kHostAudit || f.verdict == core::Verdict::kWarn;
}

std::vector<Keyed> FromFindings(ResultKind kind, const std::vector<core::Finding>& findings) {
  std::vector<Keyed> out;
  for (const core::Finding& f : findings) {
    if (Counted(kind, f)) out.push_back(FromFinding(f));
  }
  return out;
}

std::vector<Keyed> FromThreats(const ModelResult& model) {
  std::vector<Keyed> out;
  for (const ModelThreat& t : model.threats) {
    if (t.status != "confirmed") continue;
    Item item{t.rule.empty() ? t.id : t.rule,
              t.title.empty() ? t.id : t.title,
              t.risk,
              t.stride,
              t.target,
              t.mitigation,
              1,
              false};
    out.push_back(Keyed{t.id, std::move(item)});
  }
  return out;
}

// Alerts are counted one by one but listed per rule.
std::vector<Keyed> FromAlerts(const std::vector<Alert>& alerts) {
  std::map<std::string, Item> by_rule;
  for (const Alert& a : alerts) {
    auto [it, inserted] = by_rule.try_emplace(a.rule);
    Item& item = it->second;
    if (inserted) {
      item = Item{a.rule, a.rule, a.severity, a.rule, a.container, "", 0, false};
    }
    ++item.count;
    item.severity = std::max(item.severity, a.severity);
  }
  std::vector<Keyed> out;
  for (auto& [rule, item] : by_rule) out.push_back(Keyed{rule, std::move(item)});
  return out;
}

std::vector<Keyed> ItemsOf(const Snapshot& s) {
  if (s.model != nullptr) return FromThreats(*s.model);
  if (s.alerts != nullptr) return FromAlerts(*s.alerts);
  if (s.report != nullptr) return FromFindings(s.kind, s.report->findings);
  return {};
}

// The before a report's own baseline describes: what was not new, plus
// what the baseline says got fixed.
std::vector<Keyed> RebuiltBefore(ResultKind kind, const core::Report& report) {
  std::vector<Keyed> out;
  for (const core::Finding& f : report.findings) {
    if (f.change != "new" && Counted(kind, f)) out.push_back(FromFinding(f));
  }
  for (const core::Finding& f : report.fixed) {
    if (Counted(kind, f)) out.push_back(FromFinding(f));
  }
  return out;
}

Counts CountItems(const std::vector<Keyed>& items) {
  Counts c;
  for (const Keyed& k : items) {
    c.by_severity[static_cast<size_t>(k.item.severity)] += k.item.count;
    c.by_category[k.item.category] += k.item.count;
    c.total += k.item.count;
  }
  return c;
}

// Multiset difference: `out` gets the items of `from` that `other` has
// fewer of.
void Extra(const std::vector<Keyed>& from, const std::vector<Keyed>& other,
           std::vector<Item>& out) {
  std::map<std::string, int> available;
  for (const Keyed& k : other) ++available[k.key];
  for (const Keyed& k : from) {
    auto it = available.find(k.key);
    if (it != available.end() && it->second > 0) {
      --it->second;
    } else {
      out.push_back(k.item);
    }
  }
}

void SortItems(std::vector<Item>& items) {
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return std::tie(a.id, a.where) < std::tie(b.id, b.where);
  });
}

std::vector<AcceptedRisk> Accepted(const core::Report& report) {
  std::vector<AcceptedRisk> out;
  for (const core::SuppressedFinding& s : report.suppressed_findings) {
    out.push_back(AcceptedRisk{FromFinding(s.finding).item, s.source, s.reason});
  }
  return out;
}

std::vector<std::string> SortedKeys(const std::vector<Keyed>& items) {
  std::vector<std::string> keys;
  for (const Keyed& k : items) keys.push_back(k.key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

std::vector<std::string> SnapshotKeys(const Snapshot& snapshot) {
  return SortedKeys(ItemsOf(snapshot));
}

std::vector<std::string> RebuiltKeys(const Snapshot& snapshot) {
  if (snapshot.report == nullptr) return {};
  return SortedKeys(RebuiltBefore(snapshot.kind, *snapshot.report));
}

Comparison Compare(const std::vector<Snapshot>& snapshots, const Pair& pair) {
  const Snapshot& after = snapshots[pair.after];
  Comparison c;
  c.kind = after.kind;
  c.label = std::string(KindLabel(after.kind));
  c.target = after.target;
  c.after_time = after.time_text;
  c.after_source = after.source;
  std::vector<Keyed> after_items = ItemsOf(after);
  std::vector<Keyed> before_items;
  if (pair.before >= 0) {
    const Snapshot& before = snapshots[pair.before];
    c.has_before = true;
    before_items = ItemsOf(before);
    c.before_time = before.time_text;
    c.before_source = before.source;
    if (before.target != after.target) c.before_target = before.target;
  } else if (pair.rebuilt) {
    c.has_before = true;
    before_items = RebuiltBefore(after.kind, *after.report);
    c.before_source =
        "baseline " + after.report->baseline_path + " (as recorded in " + after.source + ")";
  }
  c.after = CountItems(after_items);
  if (c.has_before) {
    c.before = CountItems(before_items);
    Extra(before_items, after_items, c.fixed);
    Extra(after_items, before_items, c.added);
  }
  for (Keyed& k : after_items) c.remaining.push_back(std::move(k.item));
  SortItems(c.fixed);
  SortItems(c.added);
  SortItems(c.remaining);
  if (after.report != nullptr) c.accepted = Accepted(*after.report);
  return c;
}

}  // namespace bulwark::report::summary_parts
