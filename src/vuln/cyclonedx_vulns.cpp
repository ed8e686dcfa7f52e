#include "vuln/cyclonedx_vulns.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "sbom/cyclonedx_writer.hpp"
#include "sbom/sbom_json.hpp"

namespace bulwark::vuln {
namespace {

using nlohmann::json;

// Where a reader can look an ID up, by the source that reported it.
std::string AdvisoryUrl(const std::string& id, const std::string& source) {
  std::string encoded = sbom::UriEncode(id);
  if (source == "debian-tracker") return "https://security-tracker.debian.org/tracker/" + encoded;
  if (source == "alpine-secdb") return "https://security.alpinelinux.org/vuln/" + encoded;
  if (id.starts_with("CVE-") && source.empty()) return "https://nvd.nist.gov/vuln/detail/" + encoded;
  if (id.starts_with("GHSA-") && source.empty()) return "https://github.com/advisories/" + encoded;
  return "https://osv.dev/vulnerability/" + encoded;
}

json Source(const std::string& id, const std::string& source) {
  std::string name = source;
  if (name.empty()) name = id.starts_with("CVE-") ? "NVD" : id.starts_with("GHSA-") ? "GitHub" : "OSV";
  return json{{"name", name}, {"url", AdvisoryUrl(id, source)}};
}

// The CycloneDX rating method for a CVSS vector.
std::string CvssMethod(const std::string& vector) {
  if (vector.starts_with("CVSS:3.1/")) return "CVSSv31";
  if (vector.starts_with("CVSS:3.0/")) return "CVSSv3";
  if (vector.starts_with("CVSS:4.0/")) return "CVSSv4";
  if (vector.starts_with("AV:")) return "CVSSv2";
  return "other";
}

json Ratings(const VulnMatch& m) {
  json rating{{"severity", m.severity.empty() ? "unknown" : m.severity}};
  if (m.cvss_score > 0) rating["score"] = m.cvss_score;
  if (!m.cvss_vector.empty()) {
    rating["method"] = CvssMethod(m.cvss_vector);
    rating["vector"] = m.cvss_vector;
  }
  if (!m.sources.empty()) rating["source"] = json{{"name", m.sources.front()}};
  return json::array({rating});
}

// "CWE-79" -> 79; anything else is dropped.
void AddCwe(const std::string& cwe, std::set<int>& out) {
  std::string_view digits(cwe);
  if (digits.starts_with("CWE-")) digits.remove_prefix(4);
  if (digits.empty() || digits.size() > 9) return;
  int value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return;
    value = value * 10 + (c - '0');
  }
  out.insert(value);
}

// A URL fit for the schema's iri-reference: no spaces or control characters.
bool PlainUrl(const std::string& url) {
  return !url.empty() && std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>';
  });
}

// All matches of one vulnerability ID, merged.
struct Entry {
  const VulnMatch* first = nullptr;
  std::set<std::string> aliases;
  std::set<int> cwes;
  std::vector<std::string> urls;
  std::vector<std::string> recommendations;
  json affects = json::array();
  std::set<std::string> refs;
};

void Merge(Entry& entry, const VulnMatch& m, const sbom::Sbom& sbom, const std::vector<std::string>& refs) {
  if (entry.first == nullptr) entry.first = &m;
  entry.aliases.insert(m.aliases.begin(), m.aliases.end());
  for (const std::string& cwe : m.cwes) AddCwe(cwe, entry.cwes);
  for (const std::string& url : m.urls) {
    if (PlainUrl(url) && std::find(entry.urls.begin(), entry.urls.end(), url) == entry.urls.end()) {
      entry.urls.push_back(url);
    }
  }
  if (m.package_index >= sbom.packages.size()) return;
  const sbom::Package& package = sbom.packages[m.package_index];
  if (!m.fixed.empty()) {
    std::string text = "Upgrade " + package.name + " to " + m.fixed;
    auto& list = entry.recommendations;
    if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(text);
  }
  const std::string& ref = refs[m.package_index];
  if (!entry.refs.insert(ref).second) return;
  std::string version = m.installed.empty() ? package.version : m.installed;
  json affected{{"ref", ref}};
  if (!version.empty()) affected["versions"] = json::array({json{{"version", version}, {"status", "affected"}}});
  entry.affects.push_back(std::move(affected));
}

json EntryJson(const std::string& id, const Entry& entry) {
  const VulnMatch& m = *entry.first;
  std::string source = m.sources.empty() ? "" : m.sources.front();
  json out{{"id", id}, {"source", Source(id, source)}, {"ratings", Ratings(m)}};
  if (!entry.cwes.empty()) out["cwes"] = entry.cwes;
  if (!m.summary.empty()) out["description"] = m.summary;
  if (!entry.recommendations.empty()) {
    std::string text;
    for (const std::string& r : entry.recommendations) text += (text.empty() ? "" : "; ") + r;
    out["recommendation"] = text;
  }
  if (!entry.urls.empty()) {
    json advisories = json::array();
    for (const std::string& url : entry.urls) advisories.push_back(json{{"url", url}});
    out["advisories"] = std::move(advisories);
  }
  if (!entry.aliases.empty()) {
    json references = json::array();
    json properties = json::array();
    for (const std::string& alias : entry.aliases) {
      references.push_back(json{{"id", alias}, {"source", Source(alias, "")}});
      properties.push_back(json{{"name", "bulwark:vulnerability:alias"}, {"value", alias}});
    }
    out["references"] = std::move(references);
    out["properties"] = std::move(properties);
  }
  out["affects"] = entry.affects;
  return out;
}

}  // namespace

void AddVulnerabilities(json& bom, const std::vector<VulnMatch>& matches, const sbom::Sbom& sbom) {
  std::vector<std::string> refs = sbom::PackageBomRefs(sbom);
  std::map<std::string, Entry> entries;  // sorted by ID: stable output
  for (const VulnMatch& m : matches) {
    if (m.id.empty()) continue;
    Merge(entries[m.id], m, sbom, refs);
  }
  json vulnerabilities = json::array();
  for (const auto& [id, entry] : entries) {
    if (!entry.affects.empty()) vulnerabilities.push_back(EntryJson(id, entry));
  }
  bom["vulnerabilities"] = std::move(vulnerabilities);
}

}  // namespace bulwark::vuln
