// OSV range evaluation (osv-schema docs/schema.md, "Evaluation"), built for
// matching many installed versions against many entries of one package:
// every version string involved is ordered once with the ecosystem's
// scheme, after which events compare as integers. IsAffected (matcher.hpp)
// uses the same code for one entry and one version. Not thread-safe per
// object; build one per package name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vuln/advisory.hpp"
#include "vuln/version.hpp"

namespace bulwark::vuln {

// The order of a set of version strings under one scheme: equal versions
// ("1.0" and "1.0.0" in PEP 440) share a rank.
class VersionRanks {
 public:
  static constexpr int kBeforeAll = -1;        // introduced "0"
  static constexpr int kAfterAll = 1 << 30;    // limit "*"

  explicit VersionRanks(VersionScheme scheme) : scheme_(scheme) {}
  void Add(std::string_view version);
  void Finish();  // sorts; call after the last Add, before Rank
  // The rank of a version given to Add; kAfterAll for one never added.
  int Rank(std::string_view version) const;
  VersionScheme scheme() const { return scheme_; }

 private:
  VersionScheme scheme_;
  std::vector<std::string> pending_;
  std::unordered_map<std::string, int> rank_;
};

// One range with events resolved to ranks and sorted (limits apart).
struct RankedRange {
  bool semver = false;  // ranks from the SEMVER table, else the ecosystem's
  std::vector<std::pair<RangeEvent::Kind, int>> events;
  std::vector<int> limits;
};

// Both rank tables of one package: the ecosystem's scheme (absent when the
// ecosystem is unknown: only explicit version lists can match then) and
// SemVer for SEMVER ranges.
struct RankTables {
  std::optional<VersionRanks> ecosystem;
  VersionRanks semver{VersionScheme::kSemver};

  explicit RankTables(std::string_view ecosystem_name);
  // Adds every event version of the entry's usable ranges.
  void AddEvents(const AffectedPackage& affected);
  void Add(std::string_view installed);  // to both tables
  void Finish();
  const VersionRanks* For(bool use_semver) const {
    return use_semver ? &semver : (ecosystem ? &*ecosystem : nullptr);
  }
};

// The entry's ranges resolved against finished tables; ranges whose scheme
// is unknown are left out.
std::vector<RankedRange> RankRanges(const AffectedPackage& affected, const RankTables& tables);

// True when the installed version (its ranks in both tables) lies in one of
// the ranges.
bool InRanges(const std::vector<RankedRange>& ranges, int ecosystem_rank, int semver_rank);

}  // namespace bulwark::vuln
