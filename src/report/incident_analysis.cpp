// The judgement parts of the incident report: root cause, recovery,
// summary, lessons and remediation, each derived from the evidence (never
// canned text about things the evidence does not show).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

#include "report/incident_internal.hpp"
#include "report/result_time.hpp"

namespace bulwark::report::incident_internal {
namespace {

const std::set<std::string> kCodeExecutionCwes = {"CWE-77", "CWE-78", "CWE-94", "CWE-95"};

// The first alert whose rule name contains `needle` (lower case).
const IncidentAlert* FirstAlertWith(const IncidentInputs& in, std::string_view needle) {
  for (const IncidentAlert& a : in.alerts) {
    std::string lower = a.rule;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.find(needle) != std::string::npos) return &a;
  }
  return nullptr;
}

bool HasRule(const IncidentInputs& in, std::string_view needle) { return FirstAlertWith(in, needle) != nullptr; }

std::string Basename(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsCodeExecution(const core::Finding& f) {
  return std::any_of(f.references.cwe.begin(), f.references.cwe.end(),
                     [](const std::string& c) { return kCodeExecutionCwes.count(c) > 0; });
}

bool Reports(const core::Report& report, const RootCause& cause) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const core::Finding& f) {
    return f.id == cause.finding_id && Basename(f.location.path) == Basename(cause.path);
  });
}

int64_t IncidentStartSeconds(const IncidentInputs& in) {
  if (!in.alerts.empty() && in.alerts.front().time_ns > 0) return in.alerts.front().time_ns / 1'000'000'000;
  return INT64_MAX;
}

// The audit that was current when the incident began: the newest one
// before the first alert, else the oldest there is.
const LoadedResult* AuditAtStart(const IncidentInputs& in) {
  if (!in.results) return nullptr;
  const LoadedResult* before = nullptr;
  const LoadedResult* any = nullptr;
  int64_t start = IncidentStartSeconds(in);
  for (const LoadedResult& r : in.results->results) {
    if (r.kind != ResultKind::kAudit) continue;
    bool relevant = std::any_of(r.report.findings.begin(), r.report.findings.end(), IsCodeExecution);
    if (!relevant) continue;
    if (!any) any = &r;
    if (r.time_seconds <= start) before = &r;
  }
  return before ? before : any;
}

// Did this audit read source code (not only Dockerfiles, compose files...)?
bool ExaminedCode(const core::Report& report) {
  static const std::set<std::string> kNotCode = {"dockerfile", "compose", "daemon", "kubernetes", "text"};
  return std::any_of(report.files_by_kind.begin(), report.files_by_kind.end(),
                     [](const auto& kind) { return kind.second > 0 && kNotCode.count(kind.first) == 0; });
}

// A later result (fix's "after", or an audit that read the code again, e.g.
// of the hardened sources) in which the cause is gone.
const LoadedResult* FixedIn(const IncidentInputs& in, const LoadedResult& audit, const RootCause& cause) {
  for (const LoadedResult& r : in.results->results) {
    if (&r == &audit || r.time_seconds < audit.time_seconds) continue;
    if (r.kind == ResultKind::kFix && r.fix.after && ExaminedCode(*r.fix.after) && !Reports(*r.fix.after, cause)) {
      return &r;
    }
    if (r.kind == ResultKind::kAudit && r.time_seconds > audit.time_seconds && ExaminedCode(r.report) &&
        !Reports(r.report, cause)) {
      return &r;
    }
  }
  return nullptr;
}

std::string Minutes(int64_t ns) {
  int64_t seconds = ns / 1'000'000'000;
  if (seconds < 120) return std::to_string(seconds) + " s";
  return std::to_string(seconds / 60) + " min";
}

}  // namespace

bool IsAttackId(std::string_view t) {
  if (t.size() < 5 || t[0] != 'T') return false;
  for (size_t i = 1; i < t.size(); ++i) {
    char c = t[i];
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c == '.' && i == 5)) return false;
  }
  return t.size() == 5 || (t.size() == 9 && t[5] == '.');
}

std::vector<RootCause> FindRootCauses(const IncidentInputs& in) {
  std::vector<RootCause> out;
  const LoadedResult* audit = AuditAtStart(in);
  if (!audit) return out;
  std::vector<const core::Finding*> findings;
  for (const core::Finding& f : audit->report.findings) {
    if (IsCodeExecution(f)) findings.push_back(&f);
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const core::Finding* a, const core::Finding* b) { return a->severity > b->severity; });
  for (const core::Finding* f : findings) {
    if (out.size() == 5) break;
    RootCause c;
    c.finding_id = f->id;
    c.title = f->title;
    c.path = f->location.path;
    c.location = f->location.path + ":" + std::to_string(f->location.line);
    c.severity = std::string(core::SeverityName(f->severity));
    c.message = f->message;
    c.remediation = f->remediation;
    c.cwe = f->references.cwe;
    c.fixed_since = FixedIn(in, *audit, c) != nullptr;
    out.push_back(std::move(c));
  }
  return out;
}

void AddRecovery(const IncidentInputs& in, Incident& out) {
  const LoadedResult* audit = AuditAtStart(in);
  if (!audit) return;
  for (const RootCause& cause : out.root_causes) {
    const LoadedResult* fixed = FixedIn(in, *audit, cause);
    if (!fixed) continue;
    TimelineEntry e;
    e.time = FormatIsoTime(fixed->time_seconds);
    e.time_ns = fixed->time_seconds * 1'000'000'000;
    e.phase = "recovery";
    e.what = cause.finding_id + " (" + cause.location + ") no longer reported by " +
             std::string(ResultKindName(fixed->kind)) + " of " + fixed->run.target;
    e.source = std::string(ResultKindName(fixed->kind));
    out.timeline.push_back(std::move(e));
  }
  std::stable_sort(out.timeline.begin(), out.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.time_ns < b.time_ns; });
}

std::string TitleText(const IncidentInputs& in, const Incident& out) {
  if (out.status == "no incident") return "No sign of compromise";
  std::string what = HasRule(in, "binary") ? "Unknown binary dropped and run" : "Suspicious activity";
  for (const Asset& a : out.assets) {
    if (a.kind == "container") return what + " in container " + a.name;
  }
  return what;
}

std::string SummaryText(const IncidentInputs& in, const Incident& out) {
  if (out.status == "no incident") {
    std::string text = "No runtime alert was raised in the monitoring data read";
    size_t runs = 0;
    if (in.results) {
      for (const LoadedResult& r : in.results->results) runs += r.kind == ResultKind::kWatch;
    }
    text += runs ? " (" + std::to_string(runs) + " watch run(s))" : "";
    text += ": nothing was dropped or run by an attacker that the rules could see.";
    for (const RootCause& c : out.root_causes) {
      if (c.fixed_since) text += " The entry point " + c.finding_id + " is closed in the current build.";
    }
    return text;
  }
  std::string text = std::to_string(in.alerts.size()) + " runtime alert(s) from " +
                     std::to_string(out.alerts_by_rule.size()) + " rule(s) between " + out.first_activity +
                     " and " + out.last_activity + ".";
  if (const IncidentAlert* shell = FirstAlertWith(in, "shell")) {
    text += " The attacker ran a shell through the application (" + shell->Field("proc.pname") + ").";
  }
  if (const IncidentAlert* drop = FirstAlertWith(in, "binary")) {
    text += " A new binary was written and run: " + drop->Field("proc.exepath") + ".";
  }
  for (const TriageSummary& t : in.triages) {
    text += " Triage of " + t.target + ": " + t.verdict + " (score " + std::to_string(t.score) + ").";
  }
  if (!out.root_causes.empty()) {
    text += " Root cause: " + out.root_causes.front().finding_id + " (" + out.root_causes.front().title + ") at " +
            out.root_causes.front().location + ".";
  }
  text += out.contained.empty() ? " Not contained yet." : " Contained at " + out.contained + ".";
  return text;
}

std::vector<std::string> Lessons(const IncidentInputs& in, const Incident& out) {
  std::vector<std::string> lessons;
  const LoadedResult* audit = AuditAtStart(in);
  if (audit && !out.root_causes.empty() && audit->time_seconds <= IncidentStartSeconds(in)) {
    lessons.push_back("The entry point was known before the attack: the audit of " + audit->run.target + " at " +
                      FormatIsoTime(audit->time_seconds) + " reported " + out.root_causes.front().finding_id +
                      ". Gate deployments on `bulwark audit --fail-on high` so a known injection never ships.");
  }
  if (!out.detected.empty() && !out.contained.empty() && !in.alerts.empty()) {
    auto contained = ParseRfc3339Ns(out.contained);
    if (contained && *contained > in.alerts.front().time_ns && in.alerts.front().time_ns > 0) {
      lessons.push_back("Containment began " + Minutes(*contained - in.alerts.front().time_ns) +
                        " after the first alert. Wiring the Critical alerts to `bulwark contain` (webhook) "
                        "would shorten that window.");
    }
  }
  if (HasRule(in, "binary") || HasRule(in, "temporary")) {
    lessons.push_back("The payload was written to and run from a writable path. A read-only root filesystem "
                      "with /tmp mounted noexec would have stopped it.");
  }
  if (const IncidentAlert* read = FirstAlertWith(in, "sensitive file"); read && read->Field("user.name") == "root") {
    lessons.push_back("The intruder could read " + read->Field("fd.name") +
                      " because the service ran as root: run it as an unprivileged user.");
  }
  if (HasRule(in, "docker") || HasRule(in, "engine socket") || HasRule(in, "container runtime socket")) {
    lessons.push_back("The intruder looked for the container engine's socket: never mount it into an "
                      "application container.");
  }
  std::set<std::string> triage_kinds;
  for (const TriageSummary& t : in.triages) {
    for (const TriageIndicator& i : t.indicators) triage_kinds.insert(i.kind);
  }
  // triage names them "stratum_url" (docs/triage.md).
  if ((triage_kinds.count("stratum_url") || triage_kinds.count("stratum")) && !HasRule(in, "mining") && !HasRule(in, "stratum")) {
    lessons.push_back("Triage found a mining pool address, but no runtime rule alerted on the connection "
                      "(a pool on loopback or an unusual port escapes the pool-port rule): review the "
                      "mining rules' exceptions.");
  }
  if (out.status == "no incident" && !out.root_causes.empty() &&
      std::all_of(out.root_causes.begin(), out.root_causes.end(), [](const RootCause& c) { return c.fixed_since; })) {
    lessons.push_back("Fixing the audit's findings before deployment closed the entry point: the same attack "
                      "left no trace at run time.");
  }
  return lessons;
}

void AddStandardRemediation(const IncidentInputs& in, Incident& out) {
  auto add = [&](std::string text) {
    if (std::find(out.remediation.begin(), out.remediation.end(), text) == out.remediation.end()) {
      out.remediation.push_back(std::move(text));
    }
  };
  if (out.status == "no incident") return;
  for (const RootCause& c : out.root_causes) {
    if (!c.fixed_since) add("Fix " + c.finding_id + " at " + c.location + ": " + c.remediation);
  }
  // contain names the hardened image and the exposed secrets; without its
  // advice, the general form.
  bool contain_advised = std::any_of(in.containments.begin(), in.containments.end(),
                                     [](const Containment& c) { return !c.remediation.empty(); });
  if (!contain_advised) {
    add("Rebuild the image from the hardened sources and redeploy; do not clean the running container.");
    add("Rotate every credential the compromised container could read (environment, mounted files).");
  }
  std::set<std::string> persistence;
  for (const IncidentAlert& a : in.alerts) {
    std::string fd = a.Field("fd.name");
    if (!fd.empty() && (fd.rfind("/etc/cron", 0) == 0 || fd.rfind("/etc/profile", 0) == 0)) persistence.insert(fd);
  }
  for (const std::string& file : persistence) {
    add("Persistence was written to " + file + ": check every container and host that ran the image.");
  }
}

}  // namespace bulwark::report::incident_internal
