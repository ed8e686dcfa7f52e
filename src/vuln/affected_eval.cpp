#include "vuln/affected_eval.hpp"

#include <algorithm>

#include "vuln/matcher.hpp"

namespace bulwark::vuln {
namespace {

bool IsUsable(const VersionRange& range) { return range.type == "SEMVER" || range.type == "ECOSYSTEM"; }

// introduced "0" is before every version; limit "*" after every version.
bool IsOpenEnd(const RangeEvent& event) {
  return (event.kind == RangeEvent::Kind::kIntroduced && event.version == "0") ||
         (event.kind == RangeEvent::Kind::kLimit && event.version == "*");
}

}  // namespace

void VersionRanks::Add(std::string_view version) { pending_.emplace_back(version); }

void VersionRanks::Finish() {
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  // stable_sort: a merge sort stays in bounds even if a comparison on
  // hostile version strings were not a strict weak order.
  std::stable_sort(pending_.begin(), pending_.end(), [this](const std::string& a, const std::string& b) {
    return CompareVersions(scheme_, a, b) < 0;
  });
  int rank = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i > 0 && CompareVersions(scheme_, pending_[i - 1], pending_[i]) != 0) ++rank;
    rank_.emplace(std::move(pending_[i]), rank);
  }
  pending_.clear();
}

int VersionRanks::Rank(std::string_view version) const {
  auto it = rank_.find(std::string(version));
  return it == rank_.end() ? kAfterAll : it->second;
}

RankTables::RankTables(std::string_view ecosystem_name) {
  if (auto scheme = SchemeForEcosystem(ecosystem_name)) ecosystem.emplace(*scheme);
}

void RankTables::AddEvents(const AffectedPackage& affected) {
  for (const VersionRange& range : affected.ranges) {
    if (!IsUsable(range)) continue;
    VersionRanks* table = range.type == "SEMVER" ? &semver : (ecosystem ? &*ecosystem : nullptr);
    if (!table) continue;
    for (const RangeEvent& event : range.events) {
      if (!IsOpenEnd(event)) table->Add(event.version);
    }
  }
}

void RankTables::Add(std::string_view installed) {
  semver.Add(installed);
  if (ecosystem) ecosystem->Add(installed);
}

void RankTables::Finish() {
  semver.Finish();
  if (ecosystem) ecosystem->Finish();
}

std::vector<RankedRange> RankRanges(const AffectedPackage& affected, const RankTables& tables) {
  std::vector<RankedRange> out;
  for (const VersionRange& range : affected.ranges) {
    if (!IsUsable(range)) continue;
    RankedRange ranked;
    ranked.semver = range.type == "SEMVER";
    const VersionRanks* table = tables.For(ranked.semver);
    if (!table) continue;
    for (const RangeEvent& event : range.events) {
      int rank = event.kind == RangeEvent::Kind::kIntroduced && event.version == "0" ? VersionRanks::kBeforeAll
                 : event.kind == RangeEvent::Kind::kLimit && event.version == "*" ? VersionRanks::kAfterAll
                                                                                    : table->Rank(event.version);
      if (event.kind == RangeEvent::Kind::kLimit) {
        ranked.limits.push_back(rank);
      } else {
        ranked.events.emplace_back(event.kind, rank);
      }
    }
    // Sorted by version; on a tie "introduced" first, so "introduced X,
    // fixed X" is an empty range rather than everything from X on.
    std::stable_sort(ranked.events.begin(), ranked.events.end(), [](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second < b.second;
      return a.first == RangeEvent::Kind::kIntroduced && b.first != RangeEvent::Kind::kIntroduced;
    });
    out.push_back(std::move(ranked));
  }
  return out;
}

namespace {

bool InRange(const RankedRange& range, int v) {
  if (!range.limits.empty() &&
      std::none_of(range.limits.begin(), range.limits.end(), [v](int limit) { return v < limit; })) {
    return false;
  }
  bool affected = false;
  for (const auto& [kind, rank] : range.events) {
    if (rank > v) break;  // no later event applies to v
    if (kind == RangeEvent::Kind::kIntroduced) {
      affected = true;
    } else if (kind == RangeEvent::Kind::kFixed) {
      affected = false;  // v >= fixed
    } else if (kind == RangeEvent::Kind::kLastAffected && v > rank) {
      affected = false;
    }
  }
  return affected;
}

}  // namespace

bool InRanges(const std::vector<RankedRange>& ranges, int ecosystem_rank, int semver_rank) {
  for (const RankedRange& range : ranges) {
    if (InRange(range, range.semver ? semver_rank : ecosystem_rank)) return true;
  }
  return false;
}

bool IsAffected(const AffectedPackage& affected, std::string_view version) {
  if (affected.not_affected) return false;
  if (std::find(affected.versions.begin(), affected.versions.end(), version) != affected.versions.end()) return true;
  RankTables tables(affected.ecosystem);
  tables.AddEvents(affected);
  tables.Add(version);
  tables.Finish();
  int eco = tables.ecosystem ? tables.ecosystem->Rank(version) : VersionRanks::kAfterAll;
  return InRanges(RankRanges(affected, tables), eco, tables.semver.Rank(version));
}

}  // namespace bulwark::vuln
