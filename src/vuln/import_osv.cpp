// OSV records -> Advisory (osv-schema docs/schema.md; notes/sca.md §4.1).
#include <algorithm>
#include <cctype>

#include "vuln/cvss.hpp"
#include "vuln/importers.hpp"
#include "vuln/json_fields.hpp"

namespace bulwark::vuln {
namespace {

namespace jf = json_fields;
using Json = jf::Json;

constexpr size_t kMaxDerivedSummary = 200;

// GHSA's database_specific.severity words -> bulwark's severity names.
std::string GhsaSeverity(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "moderate") return "medium";
  if (lower == "low" || lower == "medium" || lower == "high" || lower == "critical") return lower;
  return "";
}

// severity[] entries of a record or of one affected package: the CVSS 3.x
// vector gives score and severity; a CVSS 4 vector is kept but not scored.
void ReadSeverityList(const Json& holder, std::string& vector, double& score) {
  const Json* list = jf::Array(holder, "severity");
  if (!list) return;
  for (const Json& entry : *list) {
    std::string type = jf::String(entry, "type");
    std::string value = jf::String(entry, "score");
    if (type == "CVSS_V3") {
      if (auto base = CvssV3BaseScore(value)) {
        vector = value;
        score = *base;
        return;
      }
    } else if (type == "CVSS_V4" && vector.empty()) {
      vector = value;
    }
  }
}

void ReadSeverity(const Json& record, Advisory& advisory) {
  ReadSeverityList(record, advisory.cvss_vector, advisory.cvss_score);
  if (advisory.cvss_score > 0) {
    advisory.severity = SeverityForCvss(advisory.cvss_score);
    return;
  }
  if (const Json* specific = jf::Object(record, "database_specific")) {
    advisory.severity = GhsaSeverity(jf::String(*specific, "severity"));
  }
}

std::optional<RangeEvent> ReadEvent(const Json& event) {
  static constexpr std::pair<const char*, RangeEvent::Kind> kKinds[] = {
      {"introduced", RangeEvent::Kind::kIntroduced},
      {"fixed", RangeEvent::Kind::kFixed},
      {"last_affected", RangeEvent::Kind::kLastAffected},
      {"limit", RangeEvent::Kind::kLimit},
  };
  for (const auto& [key, kind] : kKinds) {
    std::string version = jf::String(event, key);
    if (!version.empty()) return RangeEvent{kind, std::move(version)};
  }
  return std::nullopt;
}

void ReadRanges(const Json& affected, AffectedPackage& out) {
  const Json* ranges = jf::Array(affected, "ranges");
  if (!ranges) return;
  for (const Json& range : *ranges) {
    VersionRange parsed;
    parsed.type = jf::String(range, "type");
    if (parsed.type != "ECOSYSTEM" && parsed.type != "SEMVER") continue;  // GIT: see header
    const Json* events = jf::Array(range, "events");
    if (!events) continue;
    for (const Json& event : *events) {
      if (auto e = ReadEvent(event)) parsed.events.push_back(std::move(*e));
    }
    if (!parsed.events.empty()) out.ranges.push_back(std::move(parsed));
  }
}

void ReadAffected(const Json& record, Advisory& advisory) {
  const Json* list = jf::Array(record, "affected");
  if (!list) return;
  for (const Json& affected : *list) {
    const Json* package = jf::Object(affected, "package");
    if (!package) continue;
    AffectedPackage out;
    out.ecosystem = jf::String(*package, "ecosystem");
    out.name = jf::String(*package, "name");
    if (out.ecosystem.empty() || out.name.empty()) continue;
    if (out.ecosystem == "PyPI") out.name = NormalizePypiName(out.name);
    ReadRanges(affected, out);
    jf::AppendStrings(affected, "versions", out.versions);
    std::string vector;
    double score = 0;
    ReadSeverityList(affected, vector, score);
    out.severity = SeverityForCvss(score);
    // Kept even with nothing to match on (the store skips it): its
    // ecosystem still tells which DB source the record belongs to.
    advisory.affected.push_back(std::move(out));
  }
}

void ReadReferences(const Json& record, Advisory& advisory) {
  const Json* refs = jf::Array(record, "references");
  if (!refs) return;
  for (const Json& ref : *refs) {
    std::string url = jf::String(ref, "url");
    if (!url.empty() && std::find(advisory.urls.begin(), advisory.urls.end(), url) == advisory.urls.end()) {
      advisory.urls.push_back(std::move(url));
    }
  }
}

}  // namespace

// The first line, cut at a word boundary: records without a summary
// (PYSEC, the Debian tracker) still need a one-line title.
std::string OneLineSummary(std::string_view text, size_t max_chars) {
  std::string_view line = text.substr(0, text.find('\n'));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
  if (line.size() <= max_chars) return std::string(line);
  size_t cut = line.rfind(' ', max_chars);
  if (cut == std::string_view::npos || cut < max_chars / 2) cut = max_chars;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string(line.substr(0, cut)) + "...";
}

std::string NormalizePypiName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_separator) out.push_back('-');
      in_separator = true;
      continue;
    }
    in_separator = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

core::Result<Advisory> ParseOsvRecord(std::string_view text) {
  Json record = Json::parse(text, nullptr, false);
  if (record.is_discarded()) return core::Error(core::ErrorCode::kParseError, "not valid JSON");
  if (!record.is_object()) return core::Error(core::ErrorCode::kParseError, "an OSV record must be a JSON object");
  Advisory advisory;
  advisory.id = jf::String(record, "id");
  if (advisory.id.empty()) return core::Error(core::ErrorCode::kParseError, "OSV record without an \"id\"");
  advisory.withdrawn = !jf::String(record, "withdrawn").empty();
  advisory.source = "osv";
  jf::AppendStrings(record, "aliases", advisory.aliases);
  std::erase(advisory.aliases, advisory.id);
  advisory.summary = jf::String(record, "summary");
  if (advisory.summary.empty()) advisory.summary = OneLineSummary(jf::String(record, "details"), kMaxDerivedSummary);
  advisory.published = jf::String(record, "published");
  advisory.modified = jf::String(record, "modified");
  ReadSeverity(record, advisory);
  ReadReferences(record, advisory);
  if (const Json* specific = jf::Object(record, "database_specific")) {
    jf::AppendStrings(*specific, "cwe_ids", advisory.cwes);
  }
  ReadAffected(record, advisory);
  return advisory;
}

std::string OsvSourceFor(const Advisory& advisory) {
  if (advisory.affected.empty()) return "osv:unknown";
  const std::string& ecosystem = advisory.affected.front().ecosystem;
  return "osv:" + ecosystem.substr(0, ecosystem.find(':'));
}

}  // namespace bulwark::vuln
