// Alpine secdb documents -> Advisory (notes/sca.md §4.2). A document lists,
// per origin package, "fixed version -> [CVE ids]"; every version below the
// fixed one is affected (there is no introduced version), and the fixed
// version "0" marks CVEs the package is not affected by.
#include <algorithm>
#include <cctype>
#include <map>

#include "vuln/importers.hpp"
#include "vuln/json_fields.hpp"
#include "vuln/version.hpp"

namespace bulwark::vuln {
namespace {

namespace jf = json_fields;
using Json = jf::Json;

// Branch and repository names become DB source and ecosystem names.
bool IsPlainName(std::string_view name) {
  if (name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

bool IsCveToken(std::string_view token) {
  if (!token.starts_with("CVE-") || token.size() < 10) return false;
  for (size_t i = 4; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(token[i]))) return false;
  }
  return token[8] == '-' && std::isdigit(static_cast<unsigned char>(token[9]));
}

// "CVE-2017-17434-1" -> "CVE-2017-17434": the id stops after its digits.
std::string CveId(std::string_view token) {
  size_t end = 9;
  while (end < token.size() && std::isdigit(static_cast<unsigned char>(token[end]))) ++end;
  return std::string(token.substr(0, end));
}

// The vulnerability IDs of one secfixes entry. Entries may carry several
// IDs and notes: "CVE-2018-3646 XSA-273", "CVE-2018-16451 (SMB)", "XSA-287".
// The CVEs are the IDs; another token (XSA-287) is used only when the entry
// names no CVE, since one XSA often covers several CVEs and must not glue
// them together as aliases.
std::vector<std::string> IdsOfEntry(std::string_view entry) {
  std::vector<std::string> cves;
  std::string first_other;
  size_t pos = 0;
  while (pos < entry.size()) {
    while (pos < entry.size() && std::isspace(static_cast<unsigned char>(entry[pos]))) ++pos;
    size_t end = pos;
    while (end < entry.size() && !std::isspace(static_cast<unsigned char>(entry[end]))) ++end;
    std::string_view token = entry.substr(pos, end - pos);
    pos = end;
    if (token.empty()) continue;
    if (IsCveToken(token)) {
      cves.push_back(CveId(token));
    } else if (first_other.empty() && token.front() != '(' && token.find('-') != std::string_view::npos) {
      first_other = std::string(token);
    }
  }
  if (cves.empty() && !first_other.empty()) cves.push_back(std::move(first_other));
  return cves;
}

AffectedPackage EntryFor(const std::string& ecosystem, const std::string& package, const std::string& fixed) {
  AffectedPackage affected;
  affected.ecosystem = ecosystem;
  affected.name = package;
  if (fixed == "0") {
    affected.not_affected = true;
    return affected;
  }
  VersionRange range;
  range.type = "ECOSYSTEM";
  range.events.push_back({RangeEvent::Kind::kIntroduced, "0"});
  range.events.push_back({RangeEvent::Kind::kFixed, fixed});
  affected.ranges.push_back(std::move(range));
  return affected;
}

// One entry per (advisory, package). A CVE listed under two fixed versions
// of one package (fixed, then fixed again after a regression) keeps the
// lower one, so versions between them are not reported; "0" (not
// affected) wins over any fixed version.
void AddEntry(Advisory& advisory, AffectedPackage entry) {
  for (AffectedPackage& existing : advisory.affected) {
    if (existing.name != entry.name) continue;
    if (existing.not_affected) return;
    if (entry.not_affected ||
        CompareVersions(VersionScheme::kApk, entry.ranges[0].events[1].version,
                        existing.ranges[0].events[1].version) < 0) {
      existing = std::move(entry);
    }
    return;
  }
  advisory.affected.push_back(std::move(entry));
}

// One package's secfixes into the advisories by ID (merged across packages).
void AddPackage(const Json& pkg, const std::string& ecosystem, std::map<std::string, Advisory>& by_id) {
  std::string name = jf::String(pkg, "name");
  const Json* secfixes = jf::Object(pkg, "secfixes");
  if (name.empty() || !secfixes) return;
  for (const auto& [fixed, entries] : secfixes->items()) {
    if (fixed.empty() || !entries.is_array()) continue;
    for (const Json& entry : entries) {
      if (!entry.is_string()) continue;
      for (std::string& id : IdsOfEntry(entry.get_ref<const std::string&>())) {
        Advisory& advisory = by_id[id];
        if (advisory.id.empty()) {
          advisory.id = id;
          advisory.source = "alpine-secdb";
        }
        AddEntry(advisory, EntryFor(ecosystem, name, fixed));
      }
    }
  }
}

}  // namespace

core::Result<ParsedSource> ParseAlpineSecdb(std::string_view text) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) return core::Error(core::ErrorCode::kParseError, "not valid JSON");
  std::string branch = jf::String(doc, "distroversion");
  // An empty repository is "packages": "" in the YAML-converted files.
  const Json* packages = jf::Member(doc, "packages");
  if (branch.empty() || !packages) {
    return core::Error(core::ErrorCode::kParseError,
                       "not an Alpine secdb document (needs \"distroversion\" and \"packages\")");
  }
  if (branch.front() != 'v') branch.insert(0, "v");  // OSV requires "Alpine:v3.11"
  std::string repo = jf::String(doc, "reponame");
  if (!IsPlainName(branch) || !IsPlainName(repo)) {
    return core::Error(core::ErrorCode::kParseError, "unexpected characters in \"distroversion\" or \"reponame\"");
  }
  ParsedSource parsed;
  parsed.source = "alpine-secdb:" + branch + "/" + (repo.empty() ? "main" : repo);
  std::string ecosystem = "Alpine:" + branch;
  std::map<std::string, Advisory> by_id;
  static const Json kNone = Json::array();
  for (const Json& item : packages->is_array() ? *packages : kNone) {
    if (const Json* pkg = jf::Object(item, "pkg")) AddPackage(*pkg, ecosystem, by_id);
  }
  parsed.advisories.reserve(by_id.size());
  for (auto& [id, advisory] : by_id) parsed.advisories.push_back(std::move(advisory));
  return parsed;
}

}  // namespace bulwark::vuln
