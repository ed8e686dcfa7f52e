// MatchKeyFor and MatchSbom: packages grouped by match key, one DB query per
// key, every version of the group ranked once (affected_eval.hpp), then one
// VulnMatch per (package, vulnerability) (match_merge.cpp).
#include "vuln/matcher.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "vuln/affected_eval.hpp"
#include "vuln/importers.hpp"
#include "vuln/match_merge.hpp"

namespace bulwark::vuln {
namespace {

using sbom::PackageType;

// The leading "N" or "N.M" of a VERSION_ID ("3.19.1" -> "3.19").
std::string LeadingNumbers(std::string_view version, int parts) {
  std::string out;
  for (char c : version) {
    if (c == '.' && --parts == 0) break;
    if (c != '.' && !std::isdigit(static_cast<unsigned char>(c))) break;
    out.push_back(c);
  }
  return out.empty() || out.back() == '.' ? std::string() : out;
}

std::string DebianEcosystem(const sbom::OsRelease& os) {
  if (os.id != "debian") return "";  // Ubuntu and other derivatives have data of their own
  std::string major = LeadingNumbers(os.version_id, 1);
  if (!major.empty()) return "Debian:" + major;
  // testing and unstable have no VERSION_ID, only a codename.
  return DebianEcosystemForCodename(os.version_codename);
}

std::string AlpineEcosystem(const sbom::OsRelease& os) {
  if (os.id != "alpine") return "";
  std::string branch = LeadingNumbers(os.version_id, 2);
  return branch.find('.') == std::string::npos ? "" : "Alpine:v" + branch;
}

// OSV publishes RPM data for Rocky Linux and AlmaLinux by major release,
// listing binary RPM names; other RPM distributions have no data bulwark
// imports yet.
std::string RpmEcosystem(const sbom::OsRelease& os) {
  std::string major = LeadingNumbers(os.version_id, 1);
  if (major.empty()) return "";
  if (os.id == "rocky") return "Rocky Linux:" + major;
  if (os.id == "almalinux") return "AlmaLinux:" + major;
  return "";
}

// Debian and Alpine packages are keyed by their source package (Debian
// Source:, apk origin): the distros' trackers list source packages, not
// binaries (notes/sca.md §4.2, §4.3, §9).
MatchKey OsKey(std::string ecosystem, const sbom::Package& package) {
  if (ecosystem.empty()) return {};
  return {std::move(ecosystem), package.source_name.empty() ? package.name : package.source_name};
}

// The version compared against the data. Debian and Alpine: the source
// package's version when the cataloger recorded one that differs from the
// binary's. The trackers' fixed versions are source versions, and a binary
// may carry a version of its own (src:gcc-defaults builds cpp 4:12.2.0-3
// from source version 1.203) or a binNMU suffix (+b1); Trivy compares the
// source version for the same reason. Go: OSV's Go data is SEMVER
// without the "v".
std::string ComparedVersion(const sbom::Package& package) {
  bool by_source = package.type == PackageType::kDeb || package.type == PackageType::kApk;
  if (by_source && !package.source_version.empty()) return package.source_version;
  if (package.type == PackageType::kGo && package.version.starts_with('v')) return package.version.substr(1);
  return package.version;
}

struct Group {
  MatchKey key;
  std::vector<size_t> packages;
};

// One key's packages against its candidates.
void MatchGroup(const sbom::Sbom& sbom, const Group& group, const std::vector<Candidate>& candidates,
                std::vector<std::vector<VulnMatch>>& out) {
  // Distinct installed versions of this key.
  std::vector<std::string> versions;
  std::unordered_map<std::string, size_t> version_index;
  std::vector<size_t> package_version;
  for (size_t index : group.packages) {
    std::string version = ComparedVersion(sbom.packages[index]);
    auto [it, added] = version_index.emplace(version, versions.size());
    if (added) versions.push_back(version);
    package_version.push_back(it->second);
  }
  RankTables tables(group.key.ecosystem);
  for (const std::string& v : versions) tables.Add(v);
  for (const Candidate& c : candidates) tables.AddEvents(c.affected);
  tables.Finish();
  std::vector<int> eco_rank, semver_rank;
  for (const std::string& v : versions) {
    eco_rank.push_back(tables.ecosystem ? tables.ecosystem->Rank(v) : VersionRanks::kAfterAll);
    semver_rank.push_back(tables.semver.Rank(v));
  }
  // hits[version][candidate], and the IDs "not affected" entries clear.
  std::vector<std::vector<const Candidate*>> hits(versions.size());
  std::unordered_set<std::string> cleared;
  for (const Candidate& c : candidates) {
    if (c.affected.not_affected) {
      cleared.insert(c.advisory.id);
      cleared.insert(c.advisory.aliases.begin(), c.advisory.aliases.end());
      continue;
    }
    std::vector<bool> hit(versions.size(), false);
    for (const std::string& listed : c.affected.versions) {
      if (auto it = version_index.find(listed); it != version_index.end()) hit[it->second] = true;
    }
    std::vector<RankedRange> ranges = RankRanges(c.affected, tables);
    for (size_t v = 0; v < versions.size(); ++v) {
      if (hit[v] || InRanges(ranges, eco_rank[v], semver_rank[v])) hits[v].push_back(&c);
    }
  }
  for (auto& list : hits) {
    std::erase_if(list, [&](const Candidate* c) {
      if (cleared.count(c->advisory.id)) return true;
      return std::any_of(c->advisory.aliases.begin(), c->advisory.aliases.end(),
                         [&](const std::string& alias) { return cleared.count(alias) > 0; });
    });
  }
  // Merge once per distinct version; packages sharing it get copies.
  std::vector<size_t> last_user(versions.size(), 0);
  for (size_t i = 0; i < group.packages.size(); ++i) last_user[package_version[i]] = i;
  std::vector<std::vector<VulnMatch>> merged(versions.size());
  for (size_t v = 0; v < versions.size(); ++v) {
    if (hits[v].empty()) continue;
    MergeContext context{0, "", versions[v], group.key, &tables, eco_rank[v], semver_rank[v]};
    MergeHits(hits[v], context, merged[v]);
  }
  for (size_t i = 0; i < group.packages.size(); ++i) {
    size_t v = package_version[i];
    if (merged[v].empty()) continue;
    size_t index = group.packages[i];
    std::vector<VulnMatch>& bucket = out[index];
    if (last_user[v] == i) {
      bucket = std::move(merged[v]);
    } else {
      bucket = merged[v];
    }
    for (VulnMatch& match : bucket) {
      match.package_index = index;
      match.installed = sbom.packages[index].version;
    }
  }
}

}  // namespace

MatchKey MatchKeyFor(const sbom::Package& package, const sbom::OsRelease& os) {
  // The distro's data covers what an OS package installed (backports).
  if (!package.os_owner.empty()) return {};
  switch (package.type) {
    case PackageType::kPython:
      return {"PyPI", NormalizePypiName(package.name)};
    case PackageType::kNpm:
      return {"npm", package.name};
    case PackageType::kGo:
      return {"Go", package.name};
    case PackageType::kJava:
      if (package.group.empty()) return {};
      return {"Maven", package.group + ":" + package.name};
    case PackageType::kGem:
      return {"RubyGems", package.name};
    case PackageType::kComposer:
      return {"Packagist", package.name};
    case PackageType::kCargo:
      return {"crates.io", package.name};
    case PackageType::kNuget:
      return {"NuGet", package.name};
    case PackageType::kDeb:
      return OsKey(DebianEcosystem(os), package);
    case PackageType::kApk:
      return OsKey(AlpineEcosystem(os), package);
    case PackageType::kRpm: {
      std::string ecosystem = RpmEcosystem(os);
      if (ecosystem.empty()) return {};
      return {std::move(ecosystem), package.name};
    }
  }
  return {};
}

core::Result<std::vector<VulnMatch>> MatchSbom(const sbom::Sbom& sbom, const VulnDb& db) {
  std::unordered_map<std::string, Group> groups;  // by "ecosystem\0name"
  for (size_t i = 0; i < sbom.packages.size(); ++i) {
    const sbom::Package& package = sbom.packages[i];
    if (package.version.empty()) continue;
    MatchKey key = MatchKeyFor(package, sbom.os);
    if (key.ecosystem.empty() || key.name.empty()) continue;
    Group& group = groups[key.ecosystem + '\0' + key.name];
    if (group.packages.empty()) group.key = std::move(key);
    group.packages.push_back(i);
  }
  // One bucket per package (a package belongs to one group), each sorted
  // by ID, so the result comes out in package order without a big sort.
  std::vector<std::vector<VulnMatch>> by_package(sbom.packages.size());
  for (const auto& [name, group] : groups) {
    ASSIGN_OR_RETURN(std::vector<Candidate> candidates, db.Query(group.key.ecosystem, group.key.name));
    if (!candidates.empty()) MatchGroup(sbom, group, candidates, by_package);
  }
  size_t total = 0;
  for (const auto& bucket : by_package) total += bucket.size();
  std::vector<VulnMatch> out;
  out.reserve(total);
  for (auto& bucket : by_package) {
    for (VulnMatch& match : bucket) out.push_back(std::move(match));
  }
  return out;
}

}  // namespace bulwark::vuln
