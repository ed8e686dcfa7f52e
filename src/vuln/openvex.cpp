#include "vuln/openvex.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "sbom/purl_parse.hpp"

namespace bulwark::vuln {
namespace {

using nlohmann::json;

const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string Str(const json& object, const char* key) {
  const json* value = Member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

const json& Array(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json* value = Member(object, key);
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

core::Status Error(std::string_view name, const std::string& message) {
  return core::Error(core::ErrorCode::kParseError, std::string(name) + ": " + message);
}

int Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
long long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153LL * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// RFC 3339 ("2023-01-16T19:07:16.85-06:00") as Unix seconds; 0 when unreadable.
long long ParseTime(std::string_view text) {
  int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0) return 0;
  long long seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]));) ++pos;
  }
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int offset_hours = Digits(text, pos + 1, 2), offset_minutes = Digits(text, pos + 4, 2);
    if (offset_hours < 0 || offset_minutes < 0) return 0;
    long long offset = offset_hours * 3600 + offset_minutes * 60;
    seconds += text[pos] == '+' ? -offset : offset;
  }
  return seconds;
}

std::optional<VexStatus> ParseStatus(const std::string& text) {
  if (text == "not_affected") return VexStatus::kNotAffected;
  if (text == "affected") return VexStatus::kAffected;
  if (text == "fixed") return VexStatus::kFixed;
  if (text == "under_investigation") return VexStatus::kUnderInvestigation;
  return std::nullopt;
}

// A product or subcomponent: a string (0.0.x) or {"@id", "identifiers": {"purl"}}.
std::string ProductPurl(const json& product) {
  std::string purl = product.is_string() ? product.get<std::string>() : std::string();
  if (const json* identifiers = Member(product, "identifiers")) purl = Str(*identifiers, "purl");
  if (purl.empty()) purl = Str(product, "@id");
  return purl.starts_with("pkg:") ? purl : "";
}

VexProduct ReadProduct(const json& product) {
  VexProduct out;
  out.id = product.is_string() ? product.get<std::string>() : Str(product, "@id");
  out.purl = ProductPurl(product);
  for (const json& sub : Array(product, "subcomponents")) {
    if (std::string purl = ProductPurl(sub); !purl.empty()) out.subcomponents.push_back(purl);
  }
  return out;
}

core::Result<VexStatement> ReadStatement(const json& s, size_t index, const VexDocument& doc, std::string_view name) {
  std::string where = "statement " + std::to_string(index + 1);
  VexStatement out;
  if (const json* v = Member(s, "vulnerability"); v != nullptr && v->is_string()) {
    out.vulnerability = v->get<std::string>();  // 0.0.x
  } else if (v != nullptr) {
    out.vulnerability = Str(*v, "name").empty() ? Str(*v, "@id") : Str(*v, "name");
    for (const json& alias : Array(*v, "aliases")) {
      if (alias.is_string()) out.aliases.push_back(alias.get<std::string>());
    }
  }
  if (out.vulnerability.empty()) return Error(name, where + ": no vulnerability name");
  std::optional<VexStatus> status = ParseStatus(Str(s, "status"));
  if (!status) return Error(name, where + ": unknown status \"" + Str(s, "status").substr(0, 64) + "\"");
  out.status = *status;
  for (const json& product : Array(s, "products")) out.products.push_back(ReadProduct(product));
  // 0.0.x put subcomponents beside the products.
  std::vector<std::string> loose;
  for (const json& sub : Array(s, "subcomponents")) {
    if (std::string purl = ProductPurl(sub); !purl.empty()) loose.push_back(purl);
  }
  if (!loose.empty() && out.products.empty()) out.products.emplace_back();
  for (VexProduct& product : out.products) product.subcomponents.insert(product.subcomponents.end(), loose.begin(), loose.end());
  out.justification = Str(s, "justification");
  out.impact_statement = Str(s, "impact_statement");
  out.action_statement = Str(s, "action_statement");
  out.timestamp = Str(s, "timestamp").empty() ? doc.timestamp : Str(s, "timestamp");
  out.time = ParseTime(out.timestamp);
  return out;
}

bool IsOpenVexContext(const json& doc) {
  const json* context = Member(doc, "@context");
  if (context == nullptr) return false;
  auto mentions = [](const json& value) {
    return value.is_string() && value.get<std::string>().find("openvex") != std::string::npos;
  };
  if (mentions(*context)) return true;
  return context->is_array() && std::any_of(context->begin(), context->end(), mentions);
}

// A purl reduced to what VEX matching compares.
struct PurlKey {
  std::string type, name_space, name, version;
  std::map<std::string, std::string> qualifiers;
};

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<PurlKey> KeyOf(const std::string& text) {
  core::Result<sbom::Purl> purl = sbom::ParsePurl(text);
  if (!purl.ok()) return std::nullopt;
  PurlKey key{purl->type, purl->name_space, purl->name, purl->version, purl->qualifiers};
  if (key.type == "pypi") {  // PEP 503: case, '_' and '.' do not tell names apart
    for (char& c : key.name) c = (c == '_' || c == '.') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (key.type == "deb" || key.type == "rpm") {  // Trivy's epoch qualifier vs bulwark's "E:V"
    std::string epoch = key.qualifiers["epoch"];
    key.qualifiers.erase("epoch");
    if (!epoch.empty() && epoch != "0" && !key.version.empty() && key.version.find(':') == std::string::npos) {
      key.version = epoch + ":" + key.version;
    }
  }
  return key;
}

bool PurlMatches(const PurlKey& statement, const PurlKey& package) {
  if (statement.type != package.type || statement.name_space != package.name_space ||
      statement.name != package.name) {
    return false;
  }
  if (!statement.version.empty() && statement.version != package.version) return false;
  return std::all_of(statement.qualifiers.begin(), statement.qualifiers.end(), [&package](const auto& q) {
    auto it = package.qualifiers.find(q.first);
    return it != package.qualifiers.end() && it->second == q.second;
  });
}

struct CompiledStatement {
  const VexStatement* statement = nullptr;
  size_t index = 0;
  std::set<std::string> ids;  // upper case
  std::vector<PurlKey> purls;
  bool whole_image = false;
};

CompiledStatement Compile(const VexStatement& s, size_t index) {
  CompiledStatement out{&s, index, {Upper(s.vulnerability)}, {}, false};
  for (const std::string& alias : s.aliases) out.ids.insert(Upper(alias));
  for (const VexProduct& product : s.products) {
    for (const std::string& sub : product.subcomponents) {
      if (std::optional<PurlKey> key = KeyOf(sub)) out.purls.push_back(std::move(*key));
    }
    std::optional<PurlKey> key = KeyOf(product.purl);
    if (!key) continue;
    bool image = key->type == "oci" || key->type == "docker";
    if (image && product.subcomponents.empty()) out.whole_image = true;
    if (!image) out.purls.push_back(std::move(*key));
  }
  return out;
}

bool ProductMatches(const CompiledStatement& s, const std::optional<PurlKey>& package) {
  if (s.whole_image) return true;
  return package && std::any_of(s.purls.begin(), s.purls.end(),
                                [&package](const PurlKey& key) { return PurlMatches(key, *package); });
}

// Statement indexes by upper-case vulnerability ID and alias, so a finding
// looks at the statements about its IDs only.
using StatementIndex = std::unordered_map<std::string, std::vector<size_t>>;

// The latest statement that applies to the finding, or null.
const CompiledStatement* LatestFor(const core::Finding& finding, const std::vector<CompiledStatement>& statements,
                                   const StatementIndex& index) {
  std::set<size_t> candidates;
  auto collect = [&](const std::string& id) {
    auto it = index.find(Upper(id));
    if (it != index.end()) candidates.insert(it->second.begin(), it->second.end());
  };
  collect(finding.id);
  for (const std::string& alias : finding.aliases) collect(alias);
  if (candidates.empty()) return nullptr;
  std::optional<PurlKey> package = KeyOf(finding.package.purl);
  const CompiledStatement* latest = nullptr;
  for (size_t i : candidates) {  // ascending: document order breaks timestamp ties
    const CompiledStatement& s = statements[i];
    if (!ProductMatches(s, package)) continue;
    if (latest == nullptr || s.statement->time >= latest->statement->time) latest = &s;
  }
  return latest;
}

}  // namespace

std::string_view VexStatusName(VexStatus status) {
  switch (status) {
    case VexStatus::kNotAffected: return "not_affected";
    case VexStatus::kAffected: return "affected";
    case VexStatus::kFixed: return "fixed";
    case VexStatus::kUnderInvestigation: return "under_investigation";
  }
  return "under_investigation";
}

core::Result<VexDocument> ReadOpenVex(std::string_view text, std::string_view name) {
  if (text.size() > kMaxVexBytes) {
    return core::Error(core::ErrorCode::kTooLarge, std::string(name) + ": VEX document larger than 64 MiB");
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Error(name, "not a JSON object; expected an OpenVEX document");
  if (!IsOpenVexContext(doc)) {
    return Error(name, "not an OpenVEX document (no \"@context\": \"https://openvex.dev/ns/...\")");
  }
  const json* statements = Member(doc, "statements");
  if (statements == nullptr || !statements->is_array()) return Error(name, "no \"statements\" array");
  VexDocument out;
  out.id = Str(doc, "@id");
  out.author = Str(doc, "author");
  out.timestamp = Str(doc, "timestamp");
  for (size_t i = 0; i < statements->size(); ++i) {
    ASSIGN_OR_RETURN(VexStatement statement, ReadStatement((*statements)[i], i, out, name));
    out.statements.push_back(std::move(statement));
  }
  return out;
}

}  // namespace bulwark::vuln

namespace bulwark::vuln {

std::vector<core::Finding> ApplyVex(const VexDocument& vex, std::vector<core::Finding>& findings) {
  std::vector<CompiledStatement> statements;
  statements.reserve(vex.statements.size());
  for (size_t i = 0; i < vex.statements.size(); ++i) statements.push_back(Compile(vex.statements[i], i));
  StatementIndex index;
  for (size_t i = 0; i < statements.size(); ++i) {
    for (const std::string& id : statements[i].ids) index[id].push_back(i);
  }
  std::vector<core::Finding> kept;
  std::vector<core::Finding> suppressed;
  for (core::Finding& finding : findings) {
    const CompiledStatement* latest = LatestFor(finding, statements, index);
    if (latest == nullptr) {
      kept.push_back(std::move(finding));
      continue;
    }
    VexStatus status = latest->statement->status;
    finding.vex_status = std::string(VexStatusName(status));
    bool drop = status == VexStatus::kNotAffected || status == VexStatus::kFixed;
    (drop ? suppressed : kept).push_back(std::move(finding));
  }
  findings = std::move(kept);
  return suppressed;
}

}  // namespace bulwark::vuln
