// Parsers of the incident report's inputs: Falco-shaped alert lines,
// contain's evidence files and triage JSON. Every document is untrusted:
// nesting is checked before parsing, members of the wrong type read as
// empty, lists are bounded, and a bad line is a warning, never an error.
#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/json_read.hpp"
#include "report/incident.hpp"
#include "report/result_time.hpp"

namespace bulwark::report {
namespace {

using nlohmann::json;
using core::json_read::Array;
using core::json_read::Has;
using core::json_read::Member;
using core::json_read::Str;

constexpr int kMaxJsonDepth = 64;
constexpr size_t kMaxListItems = 10'000;
constexpr size_t kMaxWarnings = 50;

void Warn(std::vector<std::string>& warnings, std::string message) {
  if (warnings.size() < kMaxWarnings) warnings.push_back(std::move(message));
}

std::optional<json> ParseDocument(std::string_view text) {
  if (core::json_read::NestingDepth(text) > kMaxJsonDepth) return std::nullopt;
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

// Output field values are strings, numbers, booleans or null (absent).
std::string FieldText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return "";
}

std::optional<IncidentAlert> AlertFrom(const json& item) {
  if (!item.is_object() || Str(item, "rule").empty()) return std::nullopt;
  IncidentAlert a;
  a.time = Str(item, "time");
  a.time_ns = ParseRfc3339Ns(a.time).value_or(0);
  a.rule = Str(item, "rule");
  a.priority = Str(item, "priority");
  a.output = Str(item, "output");
  a.hostname = Str(item, "hostname");
  const json& fields = Member(item, "output_fields");
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end() && a.fields.size() < 256; ++it) {
      if (it.value().is_null()) continue;
      a.fields.emplace(it.key(), FieldText(it.value()));
    }
  }
  a.tags = core::json_read::Strings(Member(item, "tags"), 64);
  return a;
}

EvidenceFile EvidenceFrom(const json& item) {
  EvidenceFile e;
  e.path = Str(item, "path");
  e.sha256 = Str(item, "sha256");
  const json& bytes = Member(item, "bytes");
  if (bytes.is_number_unsigned()) e.bytes = bytes.get<uint64_t>();
  return e;
}

ContainAction ActionFrom(const json& item) {
  ContainAction a;
  a.time = Str(item, "time");
  a.time_ns = ParseRfc3339Ns(a.time).value_or(0);
  a.action = Str(item, "action");
  a.target = Str(item, "target");
  a.result = Str(item, "result");
  a.detail = Str(item, "detail");
  for (const json& e : Array(item, "evidence")) {
    if (a.evidence.size() >= 256) break;
    if (e.is_object()) a.evidence.push_back(EvidenceFrom(e));
  }
  return a;
}

// contain's advice: {"kind", "text", "items": [...]} (or a plain string).
std::string RemediationText(const json& r) {
  if (r.is_string()) return r.get<std::string>();
  std::string text = Str(r, "text");
  std::vector<std::string> items = core::json_read::Strings(Member(r, "items"), 20);
  for (size_t i = 0; i < items.size(); ++i) text += (i == 0 ? " (" : ", ") + items[i];
  if (!items.empty()) text += ")";
  return text;
}

// A reason in triage JSON is an object {"what", "where", ...} or a string.
std::string ReasonText(const json& r) {
  if (r.is_string()) return r.get<std::string>();
  std::string what = Str(r, "what");
  std::string where = Str(r, "where");
  return where.empty() ? what : what + " (" + where + ")";
}

std::string ConfidenceText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return "";
}

// One triage report (file, process or a container's own verdict).
TriageSummary SummaryOf(const json& doc, const std::string& name) {
  const json& assessment = Member(doc, "assessment");
  TriageSummary t;
  t.source = name;
  const json& target = Member(doc, "target");
  t.target = Str(target, "path");
  if (t.target.empty()) t.target = Str(target, "name");
  if (const json& pid = Member(target, "pid"); pid.is_number_integer()) {
    t.target = "PID " + pid.dump() + (t.target.empty() ? "" : " " + t.target);
  }
  t.verdict = Str(assessment, "verdict");
  t.confidence = ConfidenceText(Member(assessment, "confidence"));
  t.score = core::json_read::Int(assessment, "score");
  const json& hashes = Member(doc, "hashes");
  t.sha256 = Str(hashes, "sha256");
  t.sha1 = Str(hashes, "sha1");
  t.md5 = Str(hashes, "md5");
  for (const json& r : Array(assessment, "reasons")) {
    if (t.reasons.size() >= 100) break;
    std::string reason = ReasonText(r);
    if (!reason.empty()) t.reasons.push_back(std::move(reason));
  }
  t.attack = core::json_read::Strings(Member(assessment, "attack"), 100);
  for (const json& m : Array(Member(doc, "yara"), "matches")) {
    if (t.yara.size() >= 100) break;
    if (!Str(m, "rule").empty()) t.yara.push_back(Str(m, "rule"));
  }
  for (const json& ioc : Array(doc, "iocs")) {
    if (t.indicators.size() >= 500) break;
    if (!Str(ioc, "value").empty()) t.indicators.push_back({Str(ioc, "kind"), Str(ioc, "value")});
  }
  return t;
}

}  // namespace

std::string IncidentAlert::Field(const std::string& name) const {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

std::optional<int64_t> ParseRfc3339Ns(const std::string& text) {
  auto seconds = ParseIsoTime(text);
  if (!seconds) return std::nullopt;
  int64_t fraction = 0;
  size_t dot = text.find('.');
  if (dot != std::string::npos && dot > 10) {
    int digits = 0;
    for (size_t i = dot + 1; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (digits == 9) continue;
      fraction = fraction * 10 + (text[i] - '0');
      ++digits;
    }
    for (; digits < 9; ++digits) fraction *= 10;
  }
  return *seconds * 1'000'000'000 + fraction;
}

std::vector<IncidentAlert> ParseAlertLines(const std::string& text, const std::string& name,
                                           std::vector<std::string>& warnings) {
  std::vector<IncidentAlert> out;
  std::string_view rest = text;
  // A JSON array (a saved report's "alerts", or a file of them) or lines.
  size_t first = rest.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (rest[first] == '[' || rest[first] == '{')) {
    auto doc = ParseDocument(rest);
    // A saved watch result wraps its report: {"bulwark_result", "run", "report"}.
    const json* body = doc && Has(*doc, "report") ? &Member(*doc, "report") : doc ? &*doc : nullptr;
    if (body && (body->is_array() || Has(*body, "alerts"))) {
      const json& list = body->is_array() ? *body : Array(*body, "alerts");
      for (const json& item : list) {
        if (out.size() >= kMaxIncidentAlerts) break;
        if (auto a = AlertFrom(item)) out.push_back(std::move(*a));
      }
      return out;
    }
  }
  size_t line_no = 0, bad = 0;
  while (!rest.empty() && out.size() < kMaxIncidentAlerts) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto doc = ParseDocument(line);
    auto alert = doc ? AlertFrom(*doc) : std::nullopt;
    if (!alert) {
      if (bad++ == 0) Warn(warnings, name + ":" + std::to_string(line_no) + ": not an alert, skipped");
      continue;
    }
    out.push_back(std::move(*alert));
  }
  if (bad > 1) Warn(warnings, name + ": " + std::to_string(bad) + " lines in all were not alerts");
  return out;
}

std::optional<Containment> ParseContainment(const std::string& contain_json,
                                            const std::string& actions_jsonl, const std::string& dir,
                                            std::vector<std::string>& warnings) {
  Containment c;
  c.evidence_dir = dir;
  bool any = false;
  if (!contain_json.empty()) {
    auto doc = ParseDocument(contain_json);
    if (!doc || !doc->is_object()) {
      Warn(warnings, dir + "/contain.json: not a JSON object, skipped");
    } else {
      any = true;
      const json& container = Member(*doc, "container");
      c.container_id = Str(container, "id");
      c.container_name = Str(container, "name");
      c.image = Str(container, "image");
      c.started = Str(*doc, "started");
      c.finished = Str(*doc, "finished");
      for (const json& r : Array(*doc, "remediation")) {
        if (c.remediation.size() < 64) c.remediation.push_back(RemediationText(r));
      }
      std::erase(c.remediation, std::string());
      for (const json& a : Array(*doc, "actions")) {
        if (c.actions.size() >= kMaxListItems) break;
        if (a.is_object()) c.actions.push_back(ActionFrom(a));
      }
    }
  }
  // actions.jsonl is the log written as the actions ran: it wins when
  // contain.json is missing or was cut short (contain killed mid-way).
  if (!actions_jsonl.empty()) {
    std::vector<ContainAction> logged;
    std::istringstream lines(actions_jsonl);
    std::string line;
    while (std::getline(lines, line) && logged.size() < kMaxListItems) {
      auto doc = ParseDocument(line);
      if (doc && doc->is_object() && !Str(*doc, "action").empty()) logged.push_back(ActionFrom(*doc));
    }
    if (logged.size() > c.actions.size()) c.actions = std::move(logged);
    any = any || !c.actions.empty();
  }
  if (!any) return std::nullopt;
  std::stable_sort(c.actions.begin(), c.actions.end(),
                   [](const ContainAction& a, const ContainAction& b) { return a.time_ns < b.time_ns; });
  return c;
}

std::vector<TriageSummary> ParseTriage(const std::string& text, const std::string& name,
                                       std::vector<std::string>& warnings) {
  std::vector<TriageSummary> out;
  auto doc = ParseDocument(text);
  if (!doc || !Member(*doc, "assessment").is_object()) {
    Warn(warnings, name + ": not a `bulwark triage --format json` report, skipped");
    return out;
  }
  const json& target = Member(*doc, "target");
  if (Str(target, "kind") == "container") {
    std::string container = Str(target, "name");
    for (const json& item : Array(*doc, "suspicious")) {
      if (out.size() >= 50) break;
      if (!item.is_object() || !Member(item, "assessment").is_object()) continue;
      TriageSummary t = SummaryOf(item, name);
      t.target += " in container " + container;
      out.push_back(std::move(t));
    }
    if (!out.empty()) return out;
  }
  out.push_back(SummaryOf(*doc, name));
  return out;
}

}  // namespace bulwark::report
