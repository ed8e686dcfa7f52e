#include "sbom/spdx_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/version.hpp"
#include "sbom/sbom_json.hpp"

namespace bulwark::sbom {
namespace {

using Json = nlohmann::ordered_json;

// A curated part of the SPDX licence list: the IDs packages in container
// images declare in practice (Debian, PyPI, npm, Maven), deprecated forms
// included because the CycloneDX schema accepts them. Every entry is checked
// against the official list in tests/sbom/sbom_schema_test.cpp.
constexpr std::array kLicenseIds = {
    "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-1.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later",
    "Apache-1.0", "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-1.0", "Artistic-1.0-Perl",
    "Artistic-2.0", "Beerware", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent",
    "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-3-Clause-Modification", "BSD-4-Clause",
    "BSD-Source-Code", "BSL-1.0", "bzip2-1.0.6", "CAL-1.0", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0",
    "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "CECILL-2.1", "CPL-1.0", "curl", "ECL-2.0",
    "EFL-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "FSFAP", "FSFUL", "FSFULLR", "FTL", "GD",
    "GFDL-1.2", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3", "GFDL-1.3-only", "GFDL-1.3-or-later",
    "GPL-1.0", "GPL-1.0+", "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only",
    "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0+", "GPL-3.0-only", "GPL-3.0-or-later", "HPND",
    "HPND-sell-variant", "IJG", "ImageMagick", "Info-ZIP", "IPA", "ISC", "JSON", "LGPL-2.0",
    "LGPL-2.0+", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+", "LGPL-2.1-only",
    "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0+", "LGPL-3.0-only", "LGPL-3.0-or-later", "Libpng",
    "libtiff", "LPL-1.02", "LPPL-1.3c", "MirOS", "MIT", "MIT-0", "MIT-CMU", "MIT-Modern-Variant",
    "MPL-1.0", "MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception", "MS-PL", "MS-RL", "NCSA",
    "OFL-1.1", "OLDAP-2.8", "OpenSSL", "OSL-3.0", "PHP-3.0", "PHP-3.01", "PostgreSQL", "PSF-2.0",
    "Python-2.0", "Python-2.0.1", "Qhull", "Ruby", "SGI-B-2.0", "Sleepycat", "SMLNJ", "Spencer-94",
    "TCL", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11",
    "X11-distribute-modifications-variant", "Xnet", "Zlib", "zlib-acknowledgement", "ZPL-2.0",
    "ZPL-2.1"};

constexpr std::array kExceptionIds = {
    "Autoconf-exception-2.0", "Autoconf-exception-3.0", "Bison-exception-2.2",
    "Classpath-exception-2.0", "Font-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1",
    "Linux-syscall-note", "LLVM-exception", "OCaml-LGPL-linking-exception",
    "OpenJDK-assembly-exception-1.0", "openvpn-openssl-exception", "Qt-LGPL-exception-1.1",
    "WxWindows-exception-3.1"};

constexpr int kMaxLicenseDepth = 32;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using LicenseIndex = std::unordered_map<std::string, std::string>;  // lower case -> canonical

template <size_t N>
LicenseIndex BuildIndex(const std::array<const char*, N>& table) {
  LicenseIndex index;
  for (const char* id : table) index.emplace(Lower(id), id);
  return index;
}

const std::string* Lookup(const LicenseIndex& index, std::string_view token) {
  auto it = index.find(Lower(token));
  return it == index.end() ? nullptr : &it->second;
}

const LicenseIndex& Licenses() {
  static const LicenseIndex index = BuildIndex(kLicenseIds);
  return index;
}

const LicenseIndex& Exceptions() {
  static const LicenseIndex index = BuildIndex(kExceptionIds);
  return index;
}

bool IsRefChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; }

// LicenseRef-x or DocumentRef-y:LicenseRef-x, as Annex D allows.
bool IsLicenseRef(std::string_view token) {
  if (token.starts_with("DocumentRef-")) {
    size_t colon = token.find(':');
    if (colon == std::string_view::npos) return false;
    token.remove_prefix(colon + 1);
  }
  if (!token.starts_with("LicenseRef-") || token.size() == 11) return false;
  for (char c : token.substr(11)) {
    if (!IsRefChar(c)) return false;
  }
  return true;
}

// Recursive descent over Annex D: or := and (OR and)*; and := with (AND with)*;
// with := simple (WITH exception)?; simple := id[+] | ref | "(" or ")".
class LicenseParser {
 public:
  explicit LicenseParser(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
      } else if (text[i] == '(' || text[i] == ')') {
        tokens_.emplace_back(1, text[i++]);
      } else {
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '(' &&
               text[i] != ')') {
          ++i;
        }
        tokens_.emplace_back(text.substr(start, i - start));
      }
    }
  }

  bool Parse() { return !tokens_.empty() && Or(0) && pos_ == tokens_.size(); }
  const std::string& Text() const { return out_; }

 private:
  bool Or(int depth) { return Chain(depth, "OR", &LicenseParser::And); }
  bool And(int depth) { return Chain(depth, "AND", &LicenseParser::With); }

  bool Chain(int depth, std::string_view op, bool (LicenseParser::*next)(int)) {
    if (!(this->*next)(depth)) return false;
    while (Accept(op)) {
      if (!(this->*next)(depth)) return false;
    }
    return true;
  }

  bool With(int depth) {
    if (!Simple(depth)) return false;
    if (!Accept("WITH")) return true;
    if (pos_ >= tokens_.size()) return false;
    const std::string* exception = Lookup(Exceptions(), tokens_[pos_++]);
    if (exception == nullptr) return false;
    Emit(*exception);
    return true;
  }

  bool Simple(int depth) {
    if (pos_ >= tokens_.size()) return false;
    const std::string& token = tokens_[pos_++];
    if (token == "(") {
      if (depth >= kMaxLicenseDepth) return false;
      Emit("(");
      if (!Or(depth + 1) || pos_ >= tokens_.size() || tokens_[pos_++] != ")") return false;
      Emit(")");
      return true;
    }
    if (IsLicenseRef(token)) {
      Emit(token);
      return true;
    }
    if (const std::string* id = Lookup(Licenses(), token)) {
      Emit(*id);
      return true;
    }
    if (token.size() > 1 && token.back() == '+') {  // "or any later version"
      if (const std::string* id = Lookup(Licenses(), std::string_view(token).substr(0, token.size() - 1))) {
        if (id->back() != '+') {
          Emit(*id + "+");
          return true;
        }
      }
    }
    return false;
  }

  bool Accept(std::string_view op) {
    if (pos_ >= tokens_.size() || Lower(tokens_[pos_]) != Lower(op)) return false;
    if (tokens_[pos_] != op && tokens_[pos_] != Lower(op)) return false;  // "And" is not an operator
    ++pos_;
    Emit(std::string(op));
    return true;
  }

  void Emit(const std::string& token) {
    if (!out_.empty() && out_.back() != '(' && token != ")") out_ += ' ';
    out_ += token;
  }

  std::vector<std::string> tokens_;
  size_t pos_ = 0;
  std::string out_;
};

// FNV-1a: a stable short hash that keeps SPDX IDs unique and reproducible.
std::string ShortHash(const Package& p) {
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&hash](std::string_view text) {
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    hash = (hash ^ 0xff) * 1099511628211ULL;  // separator
  };
  mix(PackageTypeName(p.type));
  mix(p.name);
  mix(p.version);
  mix(p.purl);
  for (const std::string& location : p.locations) mix(location);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xf];
  return out;
}

constexpr size_t kMaxIdNameLength = 64;  // keeps hostile names from making huge IDs

// What one document's packages share: IDs handed out, licence refs extracted.
struct DocumentState {
  std::string created;
  std::string annotator;
  std::set<std::string> ids;
  std::map<std::string, std::string> refs_by_text;
  Json extracted = Json::array();
};

std::string UniqueId(const std::string& id, std::set<std::string>& used) {
  std::string candidate = id;
  for (int n = 2; !used.insert(candidate).second; ++n) candidate = id + "-" + std::to_string(n);
  return candidate;
}

std::string IdPart(std::string_view text) { return SpdxIdSafe(text.substr(0, kMaxIdNameLength)); }

// Free licence text gets a LicenseRef- ID of its own, listed once per document.
std::string ExtractedRef(const std::string& text, DocumentState& state) {
  auto it = state.refs_by_text.find(text);
  if (it != state.refs_by_text.end()) return it->second;
  std::string ref = UniqueId("LicenseRef-" + IdPart(text), state.ids);
  state.refs_by_text.emplace(text, ref);
  state.extracted.push_back(Json{{"licenseId", ref}, {"extractedText", text}, {"name", text}});
  return ref;
}

std::string DeclaredLicense(const std::vector<std::string>& licenses, DocumentState& state) {
  std::vector<std::string> parts;
  for (const std::string& text : licenses) {
    if (text.empty()) continue;
    SpdxLicense license = ClassifyLicense(text);
    parts.push_back(license.kind == SpdxLicense::Kind::kOther ? ExtractedRef(text, state) : license.text);
  }
  return parts.empty() ? "NOASSERTION" : JoinWithAnd(parts);
}

bool WhollyParenthesised(std::string_view text) {
  if (text.empty() || text.front() != '(') return false;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
    if (depth == 0) return i + 1 == text.size();
  }
  return false;
}

// Appends a "key: value" annotation (how bulwark keeps its facts in SPDX,
// read back by sbom_reader); nothing for an empty value.
void Annotate(Json& notes, const DocumentState& state, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  notes.push_back(Json{{"annotationDate", state.created},
                       {"annotationType", "OTHER"},
                       {"annotator", state.annotator},
                       {"comment", std::string(key) + ": " + value}});
}

Json BasePackage(std::string id, const std::string& name, const std::string& version, const std::string& purl) {
  Json out{{"SPDXID", std::move(id)}, {"name", name}};
  if (!version.empty()) out["versionInfo"] = version;
  out["supplier"] = "NOASSERTION";
  out["downloadLocation"] = "NOASSERTION";
  out["filesAnalyzed"] = false;
  out["licenseConcluded"] = "NOASSERTION";
  out["licenseDeclared"] = "NOASSERTION";
  out["copyrightText"] = "NOASSERTION";
  if (!purl.empty()) {
    out["externalRefs"] = Json::array(
        {Json{{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", purl}}});
  }
  return out;
}

Json PackageJson(const Package& p, const Sbom& sbom, DocumentState& state) {
  std::string type(PackageTypeName(p.type));
  std::string id = UniqueId("SPDXRef-Package-" + type + "-" + IdPart(p.name) + "-" + ShortHash(p), state.ids);
  Json out = BasePackage(std::move(id), p.name, p.version, p.purl);
  out["licenseDeclared"] = DeclaredLicense(p.licenses, state);
  std::string source_info = "acquired package info from " + (p.cataloger.empty() ? "bulwark" : p.cataloger);
  for (size_t i = 0; i < p.locations.size(); ++i) source_info += (i == 0 ? ": " : ", ") + p.locations[i];
  out["sourceInfo"] = source_info;
  out["primaryPackagePurpose"] = "LIBRARY";
  Json notes = Json::array();
  Annotate(notes, state, "bulwark:package:type", type);
  Annotate(notes, state, "bulwark:package:source-name", p.source_name);
  Annotate(notes, state, "bulwark:package:source-version", p.source_version);
  Annotate(notes, state, "bulwark:package:os-owner", p.os_owner);
  Annotate(notes, state, "bulwark:package:arch", p.arch);
  Annotate(notes, state, "bulwark:package:group", p.group);
  Annotate(notes, state, "bulwark:package:cataloger", p.cataloger);
  if (p.layer >= 0 && static_cast<size_t>(p.layer) < sbom.layer_diff_ids.size()) {
    Annotate(notes, state, "bulwark:package:layer-diff-id", sbom.layer_diff_ids[static_cast<size_t>(p.layer)]);
  }
  out["annotations"] = std::move(notes);
  return out;
}

Json ImagePackage(const Sbom& sbom, DocumentState& state) {
  std::string name = sbom.target.empty() ? "image" : sbom.target;
  Json out = BasePackage(UniqueId("SPDXRef-Image-" + IdPart(name), state.ids), name, sbom.image_id, OciImagePurl(sbom));
  out["primaryPackagePurpose"] = "CONTAINER";
  Json notes = Json::array();
  for (const std::string& tag : sbom.repo_tags) Annotate(notes, state, "bulwark:image:repo-tag", tag);
  for (const std::string& layer : sbom.layer_diff_ids) Annotate(notes, state, "bulwark:image:layer-diff-id", layer);
  if (!notes.empty()) out["annotations"] = std::move(notes);
  return out;
}

Json OsPackage(const OsRelease& os, DocumentState& state) {
  std::string id = UniqueId("SPDXRef-OperatingSystem-" + IdPart(os.id) + "-" + IdPart(os.version_id), state.ids);
  Json out = BasePackage(std::move(id), os.id, os.version_id, "");
  out["primaryPackagePurpose"] = "OPERATING_SYSTEM";
  Json notes = Json::array();
  Annotate(notes, state, "bulwark:os:codename", os.version_codename);
  Annotate(notes, state, "bulwark:os:point-release", os.point_release);
  Annotate(notes, state, "bulwark:os:pretty-name", os.pretty_name);
  Annotate(notes, state, "bulwark:os:id-like", os.id_like);
  if (!notes.empty()) out["annotations"] = std::move(notes);
  return out;
}

Json Relationship(const Json& from, const Json& to, std::string_view type) {
  return Json{{"spdxElementId", from}, {"relatedSpdxElement", to}, {"relationshipType", type}};
}

}  // namespace

Json SpdxDocument(const Sbom& sbom, const SpdxOptions& options) {
  DocumentState state;
  state.created = options.created.empty() ? UtcNowRfc3339() : options.created;
  state.annotator = std::string("Tool: bulwark-") + core::kVersion;
  state.ids.insert("SPDXRef-DOCUMENT");
  std::string uuid = options.uuid.empty() ? RandomUuidV4() : options.uuid;
  std::string name = sbom.target.empty() ? "bulwark-sbom" : sbom.target;

  Json packages = Json::array();
  Json relationships = Json::array();
  Json image = ImagePackage(sbom, state);
  relationships.push_back(Relationship("SPDXRef-DOCUMENT", image["SPDXID"], "DESCRIBES"));
  packages.push_back(image);
  if (!sbom.os.Empty()) {
    Json os = OsPackage(sbom.os, state);
    relationships.push_back(Relationship(image["SPDXID"], os["SPDXID"], "CONTAINS"));
    packages.push_back(std::move(os));
  }
  for (const Package& p : sbom.packages) {
    Json package = PackageJson(p, sbom, state);
    relationships.push_back(Relationship(image["SPDXID"], package["SPDXID"], "CONTAINS"));
    packages.push_back(std::move(package));
  }

  Json doc{{"spdxVersion", "SPDX-2.3"},
           {"dataLicense", "CC0-1.0"},
           {"SPDXID", "SPDXRef-DOCUMENT"},
           {"name", name},
           {"documentNamespace", "https://bulwark.dev/spdx/" + UriEncode(name) + "-" + uuid},
           {"creationInfo", Json{{"creators", Json::array({state.annotator})}, {"created", state.created}}}};
  if (!sbom.notes.empty()) {
    std::string comment;
    for (const std::string& note : sbom.notes) comment += (comment.empty() ? "" : "\n") + note;
    doc["comment"] = comment;
  }
  doc["packages"] = std::move(packages);
  doc["relationships"] = std::move(relationships);
  if (!state.extracted.empty()) doc["hasExtractedLicensingInfos"] = std::move(state.extracted);
  return doc;
}

std::string WriteSpdx(const Sbom& sbom, const SpdxOptions& options) {
  return SpdxDocument(sbom, options).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

SpdxLicense ClassifyLicense(std::string_view license) {
  if (const std::string* id = Lookup(Licenses(), license)) return {SpdxLicense::Kind::kId, *id};
  LicenseParser parser(license);
  if (parser.Parse()) return {SpdxLicense::Kind::kExpression, parser.Text()};
  return {SpdxLicense::Kind::kOther, std::string(license)};
}

std::vector<std::string> KnownSpdxIds() {
  std::vector<std::string> out(kLicenseIds.begin(), kLicenseIds.end());
  out.insert(out.end(), kExceptionIds.begin(), kExceptionIds.end());
  return out;
}

std::string JoinWithAnd(const std::vector<std::string>& expressions) {
  std::vector<std::string> unique;
  for (const std::string& e : expressions) {
    if (std::find(unique.begin(), unique.end(), e) == unique.end()) unique.push_back(e);
  }
  if (unique.size() == 1) return unique.front();
  std::string out;
  for (const std::string& e : unique) {
    bool wrap = e.find(' ') != std::string::npos && !WhollyParenthesised(e);
    out += (out.empty() ? "" : " AND ") + (wrap ? "(" + e + ")" : e);
  }
  return out;
}

std::string SpdxIdSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += IsRefChar(c) ? c : '-';
  return out.empty() ? "unknown" : out;
}

}  // namespace bulwark::sbom
