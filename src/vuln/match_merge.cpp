#include "vuln/match_merge.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <numeric>
#include <unordered_map>

#include "vuln/cvss.hpp"

namespace bulwark::vuln {
namespace {

// Union-find over hit indices.
size_t Root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// Groups of hits that share an ID, each in hit order, groups by first hit.
std::vector<std::vector<const Candidate*>> GroupByIds(const std::vector<const Candidate*>& hits) {
  std::vector<size_t> parent(hits.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::unordered_map<std::string_view, size_t> owner;
  owner.reserve(hits.size() * 4);
  for (size_t i = 0; i < hits.size(); ++i) {
    auto link = [&](std::string_view id) {
      auto [it, added] = owner.emplace(id, i);
      if (!added) parent[Root(parent, i)] = Root(parent, it->second);
    };
    link(hits[i]->advisory.id);
    for (const std::string& alias : hits[i]->advisory.aliases) link(alias);
  }
  std::vector<std::vector<const Candidate*>> groups;
  std::vector<size_t> group_of_root(hits.size(), SIZE_MAX);
  for (size_t i = 0; i < hits.size(); ++i) {
    size_t& group = group_of_root[Root(parent, i)];
    if (group == SIZE_MAX) {
      group = groups.size();
      groups.emplace_back();
    }
    groups[group].push_back(hits[i]);
  }
  return groups;
}

std::string SeverityOf(const Candidate& c) {
  if (!c.affected.severity.empty()) return c.affected.severity;  // per-release (Debian urgency)
  if (!c.advisory.severity.empty()) return c.advisory.severity;
  return SeverityForCvss(c.advisory.cvss_score);
}

// The CVE when the group names exactly one, else the first record's ID.
std::string PreferredId(const std::vector<std::string>& ids, const std::vector<const Candidate*>& group) {
  const std::string* cve = nullptr;
  int cves = 0;
  for (const std::string& id : ids) {
    if (id.starts_with("CVE-")) {
      cve = &id;
      ++cves;
    }
  }
  return cves == 1 ? *cve : group.front()->advisory.id;
}

// The lowest fixed version above the compared one, over every range of
// every record in the group.
std::string LowestFix(const std::vector<const Candidate*>& group, const MergeContext& context) {
  const std::string* best = nullptr;
  int best_rank = 0;
  bool best_semver = false;
  for (const Candidate* c : group) {
    for (const VersionRange& range : c->affected.ranges) {
      bool semver = range.type == "SEMVER";
      const VersionRanks* table = context.tables->For(semver);
      if (!table) continue;
      int installed = semver ? context.semver_rank : context.ecosystem_rank;
      for (const RangeEvent& event : range.events) {
        if (event.kind != RangeEvent::Kind::kFixed) continue;
        int rank = table->Rank(event.version);
        if (rank <= installed) continue;
        // Ranks of the two tables do not compare: keep the ecosystem's.
        if (best && (best_semver == semver ? rank >= best_rank : semver)) continue;
        best = &event.version;
        best_rank = rank;
        best_semver = semver;
      }
    }
  }
  return best ? *best : std::string();
}

template <typename T>
void AddUnique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

VulnMatch MergeGroup(const std::vector<const Candidate*>& group, const MergeContext& context) {
  VulnMatch match;
  match.package_index = context.package_index;
  match.installed = context.installed;
  match.ecosystem = context.key.ecosystem;
  match.matched_name = context.key.name;
  std::vector<std::string> ids;
  for (const Candidate* c : group) {
    const Advisory& a = c->advisory;
    ids.push_back(a.id);
    ids.insert(ids.end(), a.aliases.begin(), a.aliases.end());
    std::string severity = SeverityOf(*c);
    if (SeverityRank(severity) > SeverityRank(match.severity)) match.severity = severity;
    if (a.cvss_score > match.cvss_score) {
      match.cvss_score = a.cvss_score;
      match.cvss_vector = a.cvss_vector;
    }
    if (match.cvss_vector.empty()) match.cvss_vector = a.cvss_vector;  // a CVSS 4 vector, unscored
    if (match.summary.empty()) match.summary = a.summary;
    for (const std::string& url : a.urls) AddUnique(match.urls, url);
    for (const std::string& cwe : a.cwes) AddUnique(match.cwes, cwe);
    AddUnique(match.sources, a.source);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  match.id = PreferredId(ids, group);
  std::erase(ids, match.id);
  match.aliases = std::move(ids);
  std::sort(match.cwes.begin(), match.cwes.end());
  std::sort(match.sources.begin(), match.sources.end());
  match.fixed = LowestFix(group, context);
  return match;
}

}  // namespace

int SeverityRank(std::string_view severity) {
  if (severity == "critical") return 4;
  if (severity == "high") return 3;
  if (severity == "medium") return 2;
  if (severity == "low") return 1;
  return 0;
}

void MergeHits(const std::vector<const Candidate*>& hits, const MergeContext& context, std::vector<VulnMatch>& out) {
  size_t first = out.size();
  for (const auto& group : GroupByIds(hits)) out.push_back(MergeGroup(group, context));
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const VulnMatch& a, const VulnMatch& b) { return a.id < b.id; });
}

}  // namespace bulwark::vuln
