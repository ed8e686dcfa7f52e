// Turns the DB records that hit one package into one VulnMatch per
// vulnerability: records whose IDs or aliases overlap (PYSEC-x and GHSA-y
// both naming CVE-z; the Debian tracker's CVE and an OSV record aliasing
// it) are merged, keeping the highest severity and every ID. Internal to
// the matcher; pure functions.
#pragma once

#include <string>
#include <vector>

#include "vuln/affected_eval.hpp"
#include "vuln/matcher.hpp"

namespace bulwark::vuln {

struct MergeContext {
  size_t package_index = 0;
  std::string installed;  // as the package states it
  std::string compared;   // the version the data was compared with
  MatchKey key;
  const RankTables* tables = nullptr;  // ranks of every event version of this key
  int ecosystem_rank = 0;              // of `compared`
  int semver_rank = 0;
};

void MergeHits(const std::vector<const Candidate*>& hits, const MergeContext& context, std::vector<VulnMatch>& out);

// 4 critical, 3 high, 2 medium, 1 low, 0 unknown.
int SeverityRank(std::string_view severity);

}  // namespace bulwark::vuln
