// Lessons and follow-ups, drawn from what changed: each rule looks at the
// comparisons or the architecture and speaks only when its data is there.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "report/summary_parts.hpp"

namespace bulwark::report::summary_parts {
namespace {

std::string Count(int n, const std::string& word) {
  if (n == 1) return "1 " + word;
  if (!word.empty() && word.back() == 'y')
    return std::to_string(n) + " " + word.substr(0, word.size() - 1) + "ies";
  return std::to_string(n) + " " + word + "s";
}

bool Contains(const std::string& text, std::string_view word) {
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower.find(word) != std::string::npos;
}

// Ends the text with exactly one full stop.
std::string Sentence(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text + ".";
}

bool IsFindingKind(ResultKind k) {
  return k == ResultKind::kAudit || k == ResultKind::kHostAudit || k == ResultKind::kScan;
}

// Why fixes in one category matter; general advice, not about any system.
std::string CategoryHint(const std::string& category) {
  static const std::map<std::string, std::string> kHints = {
      {"dockerfile",
       "how images are built decides much of their risk, so Dockerfiles deserve a check on every "
       "change"},
      {"compose",
       "how containers are run (ports, privileges, limits) matters as much as what is in them"},
      {"kubernetes",
       "pod security settings are where the platform's protections are switched on or off"},
      {"code",
       "the application code carried the most weaknesses; a code check in CI catches them before "
       "they ship"},
      {"secret",
       "credentials kept in files were the largest problem; keep them in a secret store and rotate "
       "any exposed"},
      {"daemon", "the engine's own configuration protects every container on the host"},
      {"host", "the host's configuration is the floor every container stands on"},
      {"vulnerability",
       "outdated packages were the largest problem; rebuilding on current base images removes them "
       "in bulk"},
  };
  auto it = kHints.find(category);
  return it != kHints.end() ? it->second : "that is where the system was weakest";
}

void MostFixedCategory(Summary& s) {
  std::map<std::string, int> fixed;
  int total = 0;
  for (const Comparison& c : s.comparisons) {
    if (!IsFindingKind(c.kind)) continue;
    for (const Item& i : c.fixed) ++fixed[i.category];
    total += static_cast<int>(c.fixed.size());
  }
  if (total == 0) return;
  auto best = std::max_element(fixed.begin(), fixed.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  s.lessons.push_back("The largest share of fixes (" + std::to_string(best->second) + " of " +
                      std::to_string(total) + ") was in " + best->first +
                      " findings: " + CategoryHint(best->first) + ".");
}

std::vector<std::string> ChangedElements(const Summary& s, std::string_view phrase) {
  std::vector<std::string> names;
  for (const ArchitectureChange& c : s.architecture.changes) {
    if (c.text.find(phrase) != std::string::npos) names.push_back(c.subject);
  }
  return names;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > 5) out += " and " + std::to_string(names.size() - 5) + " more";
  return out;
}

int FixedMatching(const Summary& s, const std::function<bool(const Item&)>& match) {
  int n = 0;
  for (const Comparison& c : s.comparisons) {
    if (IsFindingKind(c.kind))
      n += static_cast<int>(std::count_if(c.fixed.begin(), c.fixed.end(), match));
  }
  return n;
}

void NonRoot(Summary& s) {
  std::vector<std::string> names = ChangedElements(s, "no longer runs as root");
  if (!names.empty()) {
    s.lessons.push_back(
        "Running " + JoinNames(names) +
        " as a non-root user closes the shortest path from an application bug to root in the "
        "container, and from there towards the host.");
    return;
  }
  int n = FixedMatching(s, [](const Item& i) { return Contains(i.title, "root"); });
  if (n > 0) {
    s.lessons.push_back(
        "Fixing " + Count(n, "finding") +
        " about root privileges means a compromised process no longer starts with full control of "
        "its container.");
  }
}

void Secrets(Summary& s) {
  int n = FixedMatching(s, [](const Item& i) { return i.category == "secret"; });
  std::vector<std::string> names = ChangedElements(s, "no longer has credentials written inline");
  if (n == 0 && names.empty()) return;
  std::string what = n > 0 ? Count(n, "secret") + " written in files" : "Inline credentials";
  if (!names.empty())
    what += (n > 0 ? " (and the inline credentials of " : " of ") + JoinNames(names) +
            (n > 0 ? ")" : "");
  s.lessons.push_back(
      what +
      " were removed: credentials belong in a secret store or are injected at run time, "
      "and any that were exposed must be rotated.");
}

void Vulnerabilities(Summary& s) {
  int fixed = 0;
  int severe = 0;
  int after = 0;
  std::set<std::string> packages;
  for (const Comparison& c : s.comparisons) {
    if (c.kind != ResultKind::kScan || !c.has_before) continue;
    for (const Item& i : c.fixed) {
      ++fixed;
      severe += i.severity >= core::Severity::kHigh ? 1 : 0;
      packages.insert(i.where.substr(0, i.where.find(' ')));
    }
    after += c.after.total;
  }
  if (fixed == 0) return;
  s.lessons.push_back(
      "Upgrading and rebuilding removed " + Count(fixed, "known vulnerability") + " in " +
      Count(static_cast<int>(packages.size()), "package") + " (" + std::to_string(severe) +
      " critical or high)" + (after == 0 ? "; the images now have none known" : "") +
      ": keeping base images and dependencies current is the cheapest security work.");
}

void BeforeAfterTotals(Summary& s) {
  for (const KindTotals& t : s.totals) {
    if (!t.has_before || t.before.total <= t.after.total) continue;
    if (t.kind == ResultKind::kHostAudit) {
      s.lessons.push_back("Host and engine hardening cleared " +
                          std::to_string(t.before.total - t.after.total) + " of " +
                          Count(t.before.total, "CIS warning") + ".");
    } else if (t.kind == ResultKind::kModel) {
      s.lessons.push_back("Confirmed threats fell from " + std::to_string(t.before.total) + " to " +
                          std::to_string(t.after.total) +
                          ": each fix removed the evidence that made a threat real rather than "
                          "only describing it.");
    } else if (t.kind == ResultKind::kWatch && t.after.total == 0) {
      s.lessons.push_back("Runtime alerts stopped after the changes (" +
                          std::to_string(t.before.total) + " before).");
    }
  }
}

void Exposure(Summary& s) {
  std::vector<std::string> texts;
  for (const ArchitectureChange& c : s.architecture.changes) {
    if (c.effect == Effect::kImproved &&
        (Contains(c.text, "port") || Contains(c.text, "isolated") ||
         Contains(c.text, "internet-facing"))) {
      texts.push_back(c.text);
    }
  }
  if (texts.empty()) return;
  std::string joined;
  for (size_t i = 0; i < texts.size() && i < 4; ++i) joined += (i == 0 ? "" : "; ") + texts[i];
  s.lessons.push_back(
      "Limiting who can reach a service shrinks the attack surface even where flaws remain in the "
      "code: " +
      Sentence(joined));
}

void NewAndAccepted(Summary& s) {
  int added = 0;
  int accepted = 0;
  int no_reason = 0;
  for (const Comparison& c : s.comparisons) {
    if (IsFindingKind(c.kind)) added += static_cast<int>(c.added.size());
    accepted += static_cast<int>(c.accepted.size());
    no_reason +=
        static_cast<int>(std::count_if(c.accepted.begin(), c.accepted.end(),
                                       [](const AcceptedRisk& a) { return a.reason.empty(); }));
  }
  if (added > 0) {
    s.lessons.push_back(
        Count(added, "finding") + (added == 1 ? " is" : " are") +
        " new in the later runs: changes can add problems as well as remove them, so every change "
        "is checked again.");
  }
  if (accepted > 0) {
    s.lessons.push_back(
        Count(accepted, "finding") + (accepted == 1 ? " is" : " are") +
        " accepted as risk with the reason recorded; accepted risk is reviewed whenever the system "
        "changes.");
  }
  if (no_reason > 0) {
    s.follow_ups.push_back("Write down why " + Count(no_reason, "suppressed finding") +
                           (no_reason == 1 ? " is" : " are") + " acceptable: no reason was given.");
  }
}

void OpenSevere(const Comparison& c, Summary& s) {
  std::vector<const Item*> severe;
  for (const Item& i : c.remaining) {
    if (i.severity >= core::Severity::kHigh) severe.push_back(&i);
  }
  if (!severe.empty()) {
    const Item& first = *severe.front();
    std::string example = first.id + (first.title != first.id ? " (" + first.title + ")" : "") +
                          (first.where.empty() ? "" : " at " + first.where);
    s.follow_ups.push_back(std::to_string(severe.size()) + " critical or high item" +
                           (severe.size() == 1 ? " remains" : "s remain") + " in " + c.label +
                           " of " + c.target + ", e.g. " + example +
                           (first.remediation.empty() ? "." : ": " + Sentence(first.remediation)));
  }
  int no_fix = static_cast<int>(std::count_if(c.remaining.begin(), c.remaining.end(),
                                              [](const Item& i) { return i.no_fix; }));
  if (no_fix > 0) {
    s.follow_ups.push_back(
        Count(no_fix, "vulnerability") + " in " + c.target +
        " have no fixed version yet: watch for updates, or accept them with a reason.");
  }
}

void FollowUps(Summary& s) {
  for (const Comparison& c : s.comparisons) {
    if (c.kind == ResultKind::kWatch) {
      if (c.after.total > 0 && !c.remaining.empty()) {
        s.follow_ups.push_back(
            "Runtime monitoring of " + c.target + " raised " + Count(c.after.total, "alert") +
            " (most severe rule: " + c.remaining.front().id + "): investigate them.");
      }
      continue;
    }
    OpenSevere(c, s);
    if (!c.has_before) {
      s.follow_ups.push_back("Only one " + c.label + " run of " + c.target +
                             " was found: run it again after the changes to measure progress.");
    }
  }
  for (const ArchitectureChange& c : s.architecture.changes) {
    if (c.effect == Effect::kWorse)
      s.follow_ups.push_back("The architecture got worse: " + c.text + ".");
  }
}

}  // namespace

void DrawLessons(Summary& summary) {
  if (summary.comparisons.empty()) {
    summary.lessons.push_back(
        "No results were found: run `bulwark audit`, `scan`, `audit --host`, `fix` or `model` "
        "first.");
    return;
  }
  MostFixedCategory(summary);
  NonRoot(summary);
  Secrets(summary);
  Vulnerabilities(summary);
  BeforeAfterTotals(summary);
  Exposure(summary);
  NewAndAccepted(summary);
  FollowUps(summary);
}

}  // namespace bulwark::report::summary_parts
