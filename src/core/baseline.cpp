#include "core/baseline.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "core/finding_json.hpp"
#include "core/json_read.hpp"

namespace bulwark::core {
namespace {

using nlohmann::json;
using namespace json_read;  // NOLINT(google-build-using-namespace): local helpers

// Deeper JSON is not a report; refusing it early keeps a nesting bomb from
// costing gigabytes in the DOM.
constexpr int kMaxDepth = 64;
// More findings than any real report holds (a 64 MiB report has ~150,000):
// each becomes a Finding, so a list of tiny items must not multiply memory.
constexpr size_t kMaxEntries = 1'000'000;

// One finding of the earlier run.
struct Earlier {
  Finding finding;
  bool per_check = false;    // a docker-bench result: about a whole check
  bool any_subject = false;  // a docker-bench result without items
};

Result<Finding> BulwarkFinding(const json& j, const std::string& where) {
  if (!j.is_object() || Str(j, "id").empty()) {
    return Error(ErrorCode::kParseError,
                 where + " is not a finding (an object with a string \"id\")");
  }
  return FindingFromJson(j);
}

Status TooMany(const std::string& path) {
  return Error(ErrorCode::kTooLarge, "baseline " + path + " lists more than " +
                                         std::to_string(kMaxEntries) + " findings");
}

// bulwark's JSON report: its findings (its passes cannot be fixed, and a
// current finding that passed before is new either way).
Result<std::vector<Earlier>> ReadBulwark(const json& doc, const std::string& path) {
  std::vector<Earlier> out;
  const json& findings = Member(doc, "findings");
  if (findings.size() > kMaxEntries) return TooMany(path);
  for (size_t i = 0; i < findings.size(); ++i) {
    ASSIGN_OR_RETURN(Finding f, BulwarkFinding(findings[i], "baseline " + path + ": findings[" +
                                                                std::to_string(i) + "]"));
    out.push_back(Earlier{std::move(f), false, false});
  }
  return out;
}

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// docker-bench's items are container or image names (IDs in some checks),
// "(truncated)" after `-n LIMIT`.
std::vector<std::string> Items(const json& result) {
  std::vector<std::string> out;
  for (const std::string& raw : Strings(Member(result, "items"))) {
    std::string item = Trim(raw);
    if (!item.empty() && item.front() == '/') item.erase(0, 1);
    if (!item.empty() && item != "(truncated)") out.push_back(std::move(item));
  }
  return out;
}

void AddDockerBenchResult(const json& result, Verdict verdict, std::vector<Earlier>& out) {
  Finding f;
  std::string cis = Str(result, "id");
  f.id = "BW-CIS-" + cis;
  f.title = Str(result, "desc");
  f.category = Category::kHost;
  f.references.cis = {cis};
  f.verdict = verdict;
  f.message = Str(result, "details").empty() ? f.title : Str(result, "details");
  std::set<std::string> items;  // duplicates would only repeat the same match
  for (std::string& item : Items(result)) items.insert(std::move(item));
  if (items.empty()) {
    out.push_back(Earlier{std::move(f), true, true});
    return;
  }
  for (const std::string& item : items) {
    Earlier e{f, true, false};
    e.finding.subject.name = item;
    out.push_back(std::move(e));
  }
}

// docker-bench-security's JSON log: {"dockerbenchsecurity", "tests": [{"id",
// "desc", "results": [{"id", "desc", "result", "details"?, "items"?}]}], ...}.
Result<std::vector<Earlier>> ReadDockerBench(const json& doc, const std::string& path) {
  const json& tests = Member(doc, "tests");
  if (!tests.is_array()) {
    return Error(ErrorCode::kParseError,
                 "baseline " + path + ": a docker-bench-security log without a \"tests\" array");
  }
  std::vector<Earlier> out;
  for (size_t s = 0; s < tests.size(); ++s) {
    const json& results = Member(tests[s], "results");
    if (results.is_null()) continue;  // a section that ran no check
    if (!results.is_array()) {
      return Error(ErrorCode::kParseError, "baseline " + path + ": tests[" + std::to_string(s) +
                                               "].results is not an array");
    }
    for (size_t r = 0; r < results.size(); ++r) {
      const json& result = results[r];
      if (Str(result, "id").empty() || Str(result, "result").empty()) {
        return Error(ErrorCode::kParseError, "baseline " + path + ": tests[" + std::to_string(s) +
                                                 "].results[" + std::to_string(r) +
                                                 "] has no \"id\" or \"result\"");
      }
      Verdict verdict = ParseVerdict(Str(result, "result"));
      if (verdict == Verdict::kNone || verdict == Verdict::kPass) continue;
      if (out.size() + Member(result, "items").size() >= kMaxEntries) return TooMany(path);
      AddDockerBenchResult(result, verdict, out);
    }
  }
  return out;
}

Result<std::vector<Earlier>> ReadBaseline(std::string_view text, const std::string& path) {
  const std::string what = "baseline " + path;
  if (text.size() > kMaxBaselineBytes) {
    return Error(ErrorCode::kTooLarge,
                 what + " is " + std::to_string(text.size() >> 20) + " MiB; the limit is 64 MiB");
  }
  if (NestingDepth(text) > kMaxDepth) {
    return Error(ErrorCode::kParseError, what + " nests JSON deeper than " +
                                             std::to_string(kMaxDepth) + " levels: not a report");
  }
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Error(ErrorCode::kParseError,
                 what +
                     " is not valid JSON (give an earlier run's `--format json` report "
                     "or docker-bench-security's .json log)");
  }
  // A result saved in the results directory wraps the report unchanged.
  if (doc.is_object() && doc.contains("bulwark_result") && Member(doc, "report").is_object()) {
    json inner = std::move(doc["report"]);
    doc = std::move(inner);
  }
  if (doc.is_object() && doc.contains("dockerbenchsecurity")) return ReadDockerBench(doc, path);
  if (doc.is_object() && Member(doc, "findings").is_array()) return ReadBulwark(doc, path);
  return Error(ErrorCode::kParseError,
               what +
                   " is neither a bulwark JSON report (no \"findings\" array) nor a "
                   "docker-bench-security JSON log (no \"dockerbenchsecurity\")");
}

// ---- Matching ----

bool PerItemKind(const std::string& kind) { return kind == "container" || kind == "image"; }

bool ItemNames(const std::string& item, const Subject& s) {
  if (item == s.name) return true;
  if (s.id.empty() || item.size() < 12) return false;
  return item.starts_with(s.id) || s.id.starts_with(item);
}

// What the current run examined: which checks ran (and which warn), on
// which subjects. Sets, so a baseline with many items costs log time each.
struct Examined {
  std::set<std::string> checks;   // IDs with a current finding or pass, not skipped
  std::set<std::string> warning;  // IDs with a current warn
  std::set<std::pair<std::string, std::string>> subject_keys;  // kind, name
  std::set<std::string> item_names;  // names and IDs of containers and images

  explicit Examined(const Report& report) {
    for (const auto* list : {&report.findings, &report.passed}) {
      for (const Finding& f : *list) {
        checks.insert(f.id);
        if (f.verdict == Verdict::kWarn) warning.insert(f.id);
        subject_keys.emplace(f.subject.kind, f.subject.name);
        if (!PerItemKind(f.subject.kind)) continue;
        item_names.insert(f.subject.name);
        if (!f.subject.id.empty()) item_names.insert(f.subject.id);
      }
    }
    for (const SkippedCheck& s : report.skipped) {
      checks.erase(s.id);
      checks.erase("BW-CIS-" + s.cis);
    }
  }
  // A docker-bench item: a name, an ID, or a full ID whose short form we know.
  bool NamesSubject(const std::string& item) const {
    return item_names.count(item) > 0 ||
           (item.size() > 12 && item_names.count(item.substr(0, 12)) > 0);
  }
};

using Key = std::tuple<std::string, Verdict, std::string, std::string>;

// Host findings of bulwark's own report: one-to-one on ID, verdict, subject.
void MatchHost(std::vector<Earlier>& earlier, std::vector<bool>& earlier_matched,
               const std::vector<Finding>& current, std::vector<bool>& matched) {
  std::map<Key, std::vector<size_t>> open;
  for (size_t i = current.size(); i-- > 0;) {
    const Finding& f = current[i];
    if (f.verdict != Verdict::kNone)
      open[Key{f.id, f.verdict, f.subject.kind, f.subject.name}].push_back(i);
  }
  for (size_t e = 0; e < earlier.size(); ++e) {
    const Finding& f = earlier[e].finding;
    if (earlier[e].per_check || f.verdict == Verdict::kNone) continue;
    auto it = open.find(Key{f.id, f.verdict, f.subject.kind, f.subject.name});
    if (it == open.end() || it->second.empty()) continue;
    matched[it->second.back()] = true;
    it->second.pop_back();
    earlier_matched[e] = true;
  }
}

// File findings: ID and path; equal messages pair first, then the rest in order.
void MatchFiles(std::vector<Earlier>& earlier, std::vector<bool>& earlier_matched,
                const std::vector<Finding>& current, std::vector<bool>& matched) {
  using Group = std::pair<std::string, std::string>;  // ID, path
  std::map<Group, std::map<std::string, std::vector<size_t>>> by_message;
  std::map<Group, std::vector<size_t>> in_order;
  for (size_t i = current.size(); i-- > 0;) {
    const Finding& f = current[i];
    if (f.verdict != Verdict::kNone) continue;
    by_message[{f.id, f.location.path}][f.message].push_back(i);
    in_order[{f.id, f.location.path}].push_back(i);
  }
  std::vector<size_t> leftovers;
  for (size_t e = 0; e < earlier.size(); ++e) {
    const Finding& f = earlier[e].finding;
    if (earlier[e].per_check || f.verdict != Verdict::kNone) continue;
    auto group = by_message.find({f.id, f.location.path});
    if (group == by_message.end()) continue;
    auto same = group->second.find(f.message);
    if (same == group->second.end() || same->second.empty()) {
      leftovers.push_back(e);
      continue;
    }
    matched[same->second.back()] = earlier_matched[e] = true;
    same->second.pop_back();
  }
  // Reworded findings of the same check in the same file pair up by count.
  for (size_t e : leftovers) {
    std::vector<size_t>& open = in_order[{earlier[e].finding.id, earlier[e].finding.location.path}];
    while (!open.empty() && matched[open.back()]) open.pop_back();
    if (open.empty()) continue;
    matched[open.back()] = earlier_matched[e] = true;
    open.pop_back();
  }
}

// docker-bench results are per check: many-to-many (see baseline.hpp).
void MatchDockerBench(std::vector<Earlier>& earlier, std::vector<bool>& earlier_matched,
                      const std::vector<Finding>& current, std::vector<bool>& matched) {
  std::map<std::string, std::vector<size_t>> by_id;
  for (size_t i = 0; i < current.size(); ++i) by_id[current[i].id].push_back(i);
  for (size_t e = 0; e < earlier.size(); ++e) {
    if (!earlier[e].per_check) continue;
    const Finding& before = earlier[e].finding;
    for (size_t i : by_id[before.id]) {
      const Finding& f = current[i];
      if (f.verdict != before.verdict) continue;
      if (!PerItemKind(f.subject.kind) || earlier[e].any_subject ||
          ItemNames(before.subject.name, f.subject)) {
        matched[i] = earlier_matched[e] = true;
      }
    }
  }
}

bool CountsAsFixed(const Earlier& e, const Examined& examined) {
  const Finding& f = e.finding;
  if (f.verdict == Verdict::kNone) return true;  // file audits: the finding is gone
  if (f.verdict != Verdict::kWarn || !examined.checks.count(f.id)) return false;
  if (e.per_check) {
    if (e.any_subject || examined.NamesSubject(f.subject.name)) return true;
    // An item that names nothing we examined (a user of 1.1.2, a container
    // now gone): fixed only when the check warns about nothing now.
    return examined.warning.count(f.id) == 0;
  }
  return !PerItemKind(f.subject.kind) ||
         examined.subject_keys.count({f.subject.kind, f.subject.name}) > 0;
}

}  // namespace

Status ApplyBaseline(std::string_view baseline_text, const std::string& baseline_path,
                     Report& report) {
  try {
    ASSIGN_OR_RETURN(std::vector<Earlier> earlier, ReadBaseline(baseline_text, baseline_path));
    std::vector<bool> matched(report.findings.size(), false);
    std::vector<bool> earlier_matched(earlier.size(), false);
    MatchHost(earlier, earlier_matched, report.findings, matched);
    MatchFiles(earlier, earlier_matched, report.findings, matched);
    MatchDockerBench(earlier, earlier_matched, report.findings, matched);
    Examined examined(report);
    std::vector<Finding> fixed;
    for (size_t e = 0; e < earlier.size(); ++e) {
      if (!earlier_matched[e] && CountsAsFixed(earlier[e], examined)) {
        fixed.push_back(std::move(earlier[e].finding));
      }
    }
    for (size_t i = 0; i < report.findings.size(); ++i)
      report.findings[i].change = matched[i] ? "unchanged" : "new";
    report.fixed = std::move(fixed);
    report.has_baseline = true;
    report.baseline_path = baseline_path;
    return Status::Ok();
  } catch (const json::exception& e) {
    // Unreachable with the type checks above; a library surprise must not crash the run.
    return Error(ErrorCode::kInternal, "baseline " + baseline_path + ": " + e.what());
  }
}

}  // namespace bulwark::core
