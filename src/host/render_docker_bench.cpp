#include "host/render_docker_bench.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "core/host_report.hpp"

namespace bulwark::host {
namespace {

// Keys in docker-bench's order, for readers that diff the two tools' logs.
using Json = nlohmann::ordered_json;

constexpr const char* kDockerBenchVersion = "1.6.0";

std::string ResultWord(core::Verdict v) {
  std::string word(core::VerdictName(v));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return word;
}

bool PerItemKind(const std::string& kind) { return kind == "container" || kind == "image"; }

// "containers: web db", docker-bench's "<what>: <items>" details.
std::string ItemsDetails(const std::vector<const core::Finding*>& deciding) {
  std::string kind = deciding.front()->subject.kind;
  for (const core::Finding* f : deciding) {
    if (f->subject.kind != kind) kind.clear();
  }
  std::string out = (kind.empty() ? std::string("subject") : kind) + "s:";
  for (const core::Finding* f : deciding) out += " " + f->subject.name;
  return out;
}

// One check's result, aggregated over its subjects; adds to the score.
Json CheckResultJson(const HostCheck& check, const std::vector<const core::Finding*>& results,
                     int& score) {
  core::Verdict verdict = core::Verdict::kPass;
  for (const core::Finding* f : results) {
    if (core::VerdictRank(f->verdict) > core::VerdictRank(verdict)) verdict = f->verdict;
  }
  std::vector<const core::Finding*> deciding;
  for (const core::Finding* f : results) {
    if (f->verdict == verdict) deciding.push_back(f);
  }
  Json out{{"id", check.cis}, {"desc", check.title}, {"result", ResultWord(verdict)}};
  bool pass = verdict == core::Verdict::kPass;
  bool per_item = deciding.size() > 1 || std::any_of(deciding.begin(), deciding.end(), [](auto* f) {
                    return PerItemKind(f->subject.kind);
                  });
  if (deciding.size() == 1) {
    const core::Finding& f = *deciding.front();
    std::string details = f.evidence.empty() && !pass ? f.message : f.evidence;
    if (!details.empty()) out["details"] = details;
  } else if (!pass) {
    out["details"] = ItemsDetails(deciding);
  }
  if (!pass && per_item) {
    Json items = Json::array();
    for (const core::Finding* f : deciding) items.push_back(f->subject.name);
    out["items"] = std::move(items);
  }
  if (!pass && !check.remediation.empty()) out["remediation"] = check.remediation;
  if (check.scored && verdict == core::Verdict::kPass) ++score;
  if (check.scored && verdict == core::Verdict::kWarn) --score;
  return out;
}

const core::SkippedCheck* FindSkipped(const core::Report& report, const HostCheck& check) {
  std::string id = HostCheckId(check.cis);
  for (const core::SkippedCheck& s : report.skipped) {
    if (s.id == id || s.cis == check.cis) return &s;
  }
  return nullptr;
}

}  // namespace

std::string RenderDockerBenchJson(const core::Report& report, const std::vector<HostCheck>& checks,
                                  int64_t start_epoch, int64_t end_epoch) {
  std::map<std::string, std::vector<const core::Finding*>> by_id;
  for (const auto* list : {&report.findings, &report.passed}) {
    for (const core::Finding& f : *list) {
      if (f.verdict != core::Verdict::kNone) by_id[f.id].push_back(&f);
    }
  }
  // Sections 1-7 always, as docker-bench prints them; others when they have results.
  std::vector<std::string> order = {"1", "2", "3", "4", "5", "6", "7"};
  std::map<std::string, Json> sections;
  int score = 0;
  int count = 0;
  for (const HostCheck& check : checks) {
    std::string section = core::CisSection(check.cis);
    Json result;
    auto it = by_id.find(HostCheckId(check.cis));
    if (it != by_id.end()) {
      result = CheckResultJson(check, it->second, score);
    } else if (const core::SkippedCheck* skipped = FindSkipped(report, check)) {
      result = Json{{"id", check.cis},
                    {"desc", check.title},
                    {"result", "INFO"},
                    {"details", "not checked: " + skipped->reason}};
    } else {
      continue;  // nothing to judge (no running container, not selected)
    }
    if (std::find(order.begin(), order.end(), section) == order.end()) order.push_back(section);
    sections[section].push_back(std::move(result));
    ++count;
  }
  Json tests = Json::array();
  for (const std::string& section : order) {
    Json results = sections.count(section) ? sections[section] : Json::array();
    tests.push_back(Json{{"id", section},
                         {"desc", core::CisSectionTitle(section)},
                         {"results", std::move(results)}});
  }
  Json root{{"dockerbenchsecurity", kDockerBenchVersion},
            {"start", start_epoch},
            {"tests", std::move(tests)},
            {"checks", count},
            {"score", score},
            {"end", end_epoch}};
  // Names and evidence come from the host and the engine: invalid UTF-8 is replaced, never thrown
  // on.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::host
