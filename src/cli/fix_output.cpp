#include "cli/fix_output.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/escape.hpp"
#include "core/severity.hpp"
#include "fix/unified_diff.hpp"

namespace bulwark::cli {
namespace {

std::string OctalMode(unsigned mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "100%03o", mode & 0777);
  return buffer;
}

// Diff labels never start with '/', so an absolute path (--daemon) still
// reads as a/etc/docker/daemon.json.
std::string Label(const std::string& prefix, const std::string& path) {
  std::string trimmed = path;
  while (!trimmed.empty() && trimmed.front() == '/') trimmed.erase(0, 1);
  return prefix + trimmed;
}

std::string DiffOf(const fix::FileChange& change) {
  std::string out = "diff --git " + Label("a/", change.relative_path) + " " + Label("b/", change.relative_path) + "\n";
  if (change.created) {
    out += "new file mode " + OctalMode(change.mode.value_or(0644)) + "\n";
  } else if (change.old_mode && change.mode) {
    out += "old mode " + OctalMode(*change.old_mode) + "\nnew mode " + OctalMode(*change.mode) + "\n";
  }
  fix::DiffLabels labels{change.created ? "/dev/null" : Label("a/", change.relative_path),
                         Label("b/", change.relative_path)};
  out += fix::UnifiedDiff(change.before, change.after, labels);
  return out;
}

// On a terminal: colour, and control characters from the files made visible.
std::string Decorate(const std::string& diff, const FixOutputStyle& style) {
  if (!style.terminal) return diff;
  std::string out;
  size_t start = 0;
  while (start < diff.size()) {
    size_t newline = diff.find('\n', start);
    size_t end = newline == std::string::npos ? diff.size() : newline;
    std::string line = core::EscapeTerminal(diff.substr(start, end - start));
    const char* colour = nullptr;
    if (style.colour) {
      if (line.rfind("+++", 0) == 0 || line.rfind("---", 0) == 0 || line.rfind("diff ", 0) == 0) {
        colour = "\x1b[1m";
      } else if (!line.empty() && line[0] == '+') {
        colour = "\x1b[32m";
      } else if (!line.empty() && line[0] == '-') {
        colour = "\x1b[31m";
      } else if (line.rfind("@@", 0) == 0) {
        colour = "\x1b[36m";
      }
    }
    if (colour != nullptr) out += colour;
    out += line;
    if (colour != nullptr) out += "\x1b[0m";
    out += "\n";
    start = end + 1;
  }
  return out;
}

nlohmann::json Summary(const core::Report& report) {
  auto counts = core::CountBySeverity(report.findings);
  nlohmann::json summary = nlohmann::json::object();
  for (core::Severity s : core::kAllSeverities) {
    summary[std::string(core::SeverityName(s))] = counts[static_cast<size_t>(s)];
  }
  summary["total"] = report.findings.size();
  return summary;
}

}  // namespace

std::string RenderFixDiff(const FixOutput& out, const FixOutputStyle& style) {
  std::string text;
  for (const fix::FileChange& change : out.plan->changes) text += DiffOf(change);
  return Decorate(text, style);
}

std::string RenderFixJson(const FixOutput& out) {
  nlohmann::json doc;
  doc["target"] = core::SanitizeUtf8(out.target);
  doc["write"] = out.write;
  nlohmann::json changes = nlohmann::json::array();
  for (const fix::FileChange& change : out.plan->changes) {
    nlohmann::json entry;
    entry["path"] = core::SanitizeUtf8(change.relative_path);
    entry["created"] = change.created;
    if (change.mode) entry["mode"] = OctalMode(*change.mode).substr(3);
    entry["fixed"] = change.fixed;
    entry["diff"] = core::SanitizeUtf8(DiffOf(change));
    changes.push_back(std::move(entry));
  }
  doc["changes"] = std::move(changes);
  nlohmann::json notes = nlohmann::json::array();
  for (const fix::LocatedNote& note : out.plan->notes) {
    notes.push_back({{"path", core::SanitizeUtf8(note.path)},
                     {"check", note.note.check_id},
                     {"line", note.note.line},
                     {"message", core::SanitizeUtf8(note.note.message)}});
  }
  doc["notes"] = std::move(notes);
  nlohmann::json problems = nlohmann::json::array();
  auto add_problems = [&problems](const std::vector<fix::FixProblem>& list) {
    for (const fix::FixProblem& p : list) {
      problems.push_back({{"path", core::SanitizeUtf8(p.path)}, {"message", core::SanitizeUtf8(p.message)}});
    }
  };
  add_problems(out.plan->problems);
  if (out.write_problems != nullptr) add_problems(*out.write_problems);
  doc["problems"] = std::move(problems);
  doc["selected_findings"] = out.plan->selected_findings;
  doc["addressed_findings"] = out.plan->addressed_findings;
  doc["before"] = Summary(out.plan->before);
  doc["after"] = out.after != nullptr ? Summary(out.after->before) : nlohmann::json();
  if (!out.restart_advice.empty()) doc["daemon_restart"] = out.restart_advice;
  return doc.dump(2) + "\n";
}

std::string RenderFixSummary(const FixOutput& out, bool terminal) {
  auto clean = [terminal](const std::string& text) {
    return terminal ? core::EscapeTerminal(text) : core::SanitizeUtf8(text);
  };
  const fix::FixPlanResult& plan = *out.plan;
  std::string text;
  for (const fix::FileChange& change : plan.changes) {
    text += clean(change.relative_path) + (change.created ? " (new)" : "") + ":";
    bool any = false;
    for (const auto& [id, count] : change.fixed) {
      text += (any ? ", " : " ") + id + (count > 1 ? " x" + std::to_string(count) : "");
      any = true;
    }
    if (change.old_mode && change.mode) text += " (mode " + OctalMode(*change.mode).substr(3) + ")";
    text += "\n";
  }
  for (const fix::LocatedNote& note : plan.notes) {
    text += "note: " + clean(note.path) + (note.note.line > 0 ? ":" + std::to_string(note.note.line) : "") + ": " +
            note.note.check_id + ": " + clean(note.note.message) + "\n";
  }
  if (!out.write) {
    // git apply and patch only know modes 644 and 755.
    for (const fix::FileChange& change : plan.changes) {
      bool private_mode = change.mode && (*change.mode & 0777) != 0644 && (*change.mode & 0777) != 0755;
      if (private_mode && (change.created || change.old_mode)) {
        text += "note: if you apply the diff yourself, then run: chmod " + OctalMode(*change.mode).substr(3) + " " +
                clean(change.relative_path) + " (git apply and patch do not set this mode; --write does)\n";
      }
    }
  }
  for (const fix::FixProblem& problem : plan.problems) {
    text += "error: " + clean(problem.path) + ": " + clean(problem.message) + "\n";
  }
  if (out.write_problems != nullptr) {
    for (const fix::FixProblem& problem : *out.write_problems) {
      text += "error: " + clean(problem.path) + ": " + clean(problem.message) + "\n";
    }
  }
  text += std::to_string(plan.addressed_findings) + " of " + std::to_string(plan.selected_findings) +
          " fixable findings addressed in " + std::to_string(plan.changes.size()) + " files; ";
  if (plan.changes.empty()) {
    text += "nothing to change\n";
  } else if (!out.write) {
    text += "run with --write to apply\n";
  } else {
    text += "written (backups: FILE.bulwark.bak)\n";
  }
  text += "audit before: " + core::FindingCountsText(plan.before.findings) + "\n";
  if (out.after != nullptr) {
    text += "audit after:  " + core::FindingCountsText(out.after->before.findings) + "\n";
    if (!out.after->changes.empty()) {
      text += "warning: a second fix run would still change " + std::to_string(out.after->changes.size()) +
              " files; please report this as a bulwark bug\n";
    }
  }
  if (!out.restart_advice.empty()) text += clean(out.restart_advice) + "\n";
  return text;
}

}  // namespace bulwark::cli
