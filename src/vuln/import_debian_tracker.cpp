// The Debian security tracker's JSON -> Advisory (notes/sca.md §4.3; the
// status and fixed_version "0" rules follow vunnel's debian parser).
// Packages are keyed by *source* package, as the tracker is.
#include <algorithm>
#include <map>
#include <utility>

#include "vuln/importers.hpp"
#include "vuln/json_fields.hpp"

namespace bulwark::vuln {
namespace {

namespace jf = json_fields;
using Json = jf::Json;

constexpr size_t kMaxSummary = 400;

constexpr std::pair<std::string_view, std::string_view> kReleases[] = {
    {"jessie", "8"},     {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"},
    {"bookworm", "12"},  {"trixie", "13"}, {"forky", "14"},  {"sid", "sid"},
};

// Urgency -> severity; "low**" and friends (not yet confirmed by the
// security team) map like the plain words, as vunnel does.
std::string SeverityForUrgency(std::string urgency) {
  std::erase(urgency, '*');
  if (urgency == "unimportant" || urgency == "low") return "low";
  if (urgency == "medium" || urgency == "high") return urgency;
  return "";  // "not yet assigned", "end-of-life", unknown words
}

struct TrackerState {
  std::map<std::string, Advisory> by_id;
  int64_t skipped = 0;
};

// One release entry of one CVE of one package; false when skipped.
bool ReleaseEntry(const std::string& package, const std::string& ecosystem, const Json& release,
                  AffectedPackage& out) {
  std::string status = jf::String(release, "status");
  std::string fixed = jf::String(release, "fixed_version");
  out.ecosystem = ecosystem;
  out.name = package;
  out.severity = SeverityForUrgency(jf::String(release, "urgency"));
  VersionRange range;
  range.type = "ECOSYSTEM";
  range.events.push_back({RangeEvent::Kind::kIntroduced, "0"});
  if (status == "open") {  // affected, no fix yet ("unfixed")
    out.ranges.push_back(std::move(range));
    return true;
  }
  if (status != "resolved" || fixed.empty()) return false;  // undetermined and unknown states
  if (fixed == "0") {  // determined not vulnerable in this release
    out.not_affected = true;
    return true;
  }
  range.events.push_back({RangeEvent::Kind::kFixed, std::move(fixed)});
  out.ranges.push_back(std::move(range));
  return true;
}

void AddCve(const std::string& package, const std::string& cve, const Json& info, TrackerState& state) {
  const Json* releases = jf::Object(info, "releases");
  if (!releases) return;
  Advisory* advisory = nullptr;
  for (const auto& [codename, release] : releases->items()) {
    std::string ecosystem = DebianEcosystemForCodename(codename);
    if (ecosystem.empty()) continue;  // experimental, old releases
    AffectedPackage entry;
    if (!ReleaseEntry(package, ecosystem, release, entry)) {
      ++state.skipped;
      continue;
    }
    if (!advisory) {
      advisory = &state.by_id[cve];
      if (advisory->id.empty()) {
        advisory->id = cve;
        advisory->source = "debian-tracker";
        advisory->summary = OneLineSummary(jf::String(info, "description"), kMaxSummary);
        advisory->urls.push_back("https://security-tracker.debian.org/tracker/" + cve);
      }
    }
    advisory->affected.push_back(std::move(entry));
  }
  if (const Json* bug = jf::Member(info, "debianbug"); advisory && bug && bug->is_number_unsigned()) {
    std::string url = "https://bugs.debian.org/" + std::to_string(bug->get<uint64_t>());
    if (std::find(advisory->urls.begin(), advisory->urls.end(), url) == advisory->urls.end()) {
      advisory->urls.push_back(std::move(url));
    }
  }
}

void AddPackage(const std::string& package, const Json& cves, TrackerState& state) {
  if (package.empty() || !cves.is_object()) return;
  for (const auto& [cve, info] : cves.items()) {
    if (!cve.empty() && info.is_object()) AddCve(package, cve, info, state);
  }
}

}  // namespace

std::string DebianEcosystemForCodename(std::string_view codename) {
  for (const auto& [name, number] : kReleases) {
    if (name == codename) return "Debian:" + std::string(number);
  }
  return "";
}

core::Result<ParsedSource> ParseDebianTracker(std::string_view text) {
  TrackerState state;
  std::string package;
  bool top_is_object = false;
  // The whole tracker is ~60 MB of JSON: build and drop one package's DOM
  // at a time (returning false from the callback discards the value).
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth == 0 && event == Json::parse_event_t::object_start) top_is_object = true;
    if (depth == 1 && event == Json::parse_event_t::key) {
      package = parsed.is_string() ? parsed.get<std::string>() : std::string();
    }
    if (depth == 1 && (event == Json::parse_event_t::object_end || event == Json::parse_event_t::array_end)) {
      AddPackage(package, parsed, state);
      return false;
    }
    return true;
  };
  Json doc = Json::parse(text, callback, false);
  if (doc.is_discarded()) return core::Error(core::ErrorCode::kParseError, "not valid JSON");
  if (!top_is_object) {
    return core::Error(core::ErrorCode::kParseError, "not Debian security tracker JSON (needs an object of packages)");
  }
  ParsedSource parsed;
  parsed.source = "debian-tracker";
  parsed.skipped = state.skipped;
  parsed.advisories.reserve(state.by_id.size());
  for (auto& [id, advisory] : state.by_id) parsed.advisories.push_back(std::move(advisory));
  return parsed;
}

}  // namespace bulwark::vuln
