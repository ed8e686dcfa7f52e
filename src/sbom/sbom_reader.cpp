#include "sbom/sbom_reader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <system_error>
#include <tuple>
#include <vector>

#include "sbom/purl_parse.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

constexpr size_t kMaxPurlErrorNotes = 20;  // then only counted

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

// One package being read, with the pieces Trivy splits its source version into.
struct PackageFacts {
  Package package;
  std::string layer_diff_id;
  std::string src_name, src_version, src_release, src_epoch;
};

// Everything read from one document before it becomes an Sbom.
struct Reading {
  std::string name;  // for notes
  Sbom sbom;
  OsRelease os_declared;  // from an operating-system component/package
  OsRelease os_from_purl;
  std::vector<PackageFacts> packages;
  std::map<std::string, size_t> skipped;  // reason -> count
  size_t purl_errors = 0;
};

// Properties (CycloneDX) and annotations (SPDX) that bulwark, Trivy and Syft
// write about a package (notes/sca.md §5: Trivy's SrcName/SrcVersion/...).
void ApplyProperty(std::string_view key, const std::string& value, PackageFacts& facts) {
  Package& p = facts.package;
  if (key.starts_with("aquasecurity:trivy:")) key.remove_prefix(19);
  if (key == "bulwark:package:location") {
    p.locations.push_back(value);
  } else if (key == "FilePath") {  // Trivy's paths are relative to the image root
    p.locations.push_back(value.starts_with("/") ? value : "/" + value);
  } else if (key.starts_with("syft:location:") && key.ends_with(":path")) {
    p.locations.push_back(value);
  } else if (key == "bulwark:package:source-name") {
    p.source_name = value;
  } else if (key == "bulwark:package:source-version") {
    p.source_version = value;
  } else if (key == "bulwark:package:os-owner") {
    p.os_owner = value;
  } else if (key == "bulwark:package:arch") {
    p.arch = value;
  } else if (key == "bulwark:package:group") {
    p.group = value;
  } else if (key == "bulwark:package:cataloger" || key == "syft:package:foundBy") {
    p.cataloger = value;
  } else if (key == "bulwark:package:layer-diff-id" || key == "LayerDiffID") {
    facts.layer_diff_id = value;
  } else if (key.starts_with("bulwark:package:metadata:")) {
    p.metadata[std::string(key.substr(25))] = value;
  } else if (key == "SrcName") {
    facts.src_name = value;
  } else if (key == "SrcVersion") {
    facts.src_version = value;
  } else if (key == "SrcRelease") {
    facts.src_release = value;
  } else if (key == "SrcEpoch") {
    facts.src_epoch = value;
  }
}

void ApplyOsProperty(std::string_view key, const std::string& value, OsRelease& os) {
  if (key == "bulwark:os:codename") os.version_codename = value;
  if (key == "bulwark:os:point-release") os.point_release = value;
  if (key == "bulwark:os:id-like") os.id_like = value;
  if (key == "bulwark:os:pretty-name") os.pretty_name = value;
}

void ApplyImageProperty(std::string_view key, const std::string& value, Sbom& sbom) {
  if (key.starts_with("aquasecurity:trivy:")) key.remove_prefix(19);
  if (key == "bulwark:image:repo-tag" || key == "RepoTag") sbom.repo_tags.push_back(value);
  if (key == "bulwark:image:layer-diff-id" || key == "DiffID") sbom.layer_diff_ids.push_back(value);
  if (key == "ImageID") sbom.image_id = value;
}

std::string Normalised(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    c = (c == '_' || c == '.') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Starts a package from its purl; false (counted or noted) when it is not usable.
bool StartPackage(const std::string& purl_text, const std::string& display_name, Reading& reading,
                  PackageFacts& facts) {
  core::Result<Purl> purl = ParsePurl(purl_text);
  if (!purl.ok()) {
    if (reading.purl_errors++ < kMaxPurlErrorNotes) {
      reading.sbom.notes.push_back(reading.name + ": " + purl.status().message());
    }
    return false;
  }
  std::optional<Package> package = PackageFromPurl(*purl);
  if (!package) {
    ++reading.skipped["purl type " + purl->type];
    return false;
  }
  facts.package = std::move(*package);
  facts.package.purl = purl_text;
  // Keep the name as the SBOM spells it ("Flask") when it is the purl's name.
  if (!display_name.empty() && Normalised(display_name) == Normalised(facts.package.name)) {
    facts.package.name = display_name;
  }
  if (reading.os_from_purl.Empty()) reading.os_from_purl = OsFromPurl(*purl);
  return true;
}

// ---- CycloneDX -------------------------------------------------------------

void CdxLicenses(const json& component, Package& p) {
  for (const json& choice : Array(component, "licenses")) {
    std::string text = Str(choice, "expression");
    if (const json* license = Member(choice, "license")) {
      text = Str(*license, "id");
      if (text.empty()) text = Str(*license, "name");
    }
    if (!text.empty()) p.licenses.push_back(text);
  }
}

void CdxComponent(const json& component, Reading& reading) {
  std::string type = Str(component, "type");
  std::string name = Str(component, "name");
  if (type == "operating-system") {
    if (!reading.os_declared.Empty() || name.empty()) return;
    reading.os_declared = OsFromNameVersion(name, Str(component, "version"));
    reading.os_declared.pretty_name = Str(component, "description");
    for (const json& property : Array(component, "properties")) {
      ApplyOsProperty(Str(property, "name"), Str(property, "value"), reading.os_declared);
    }
    return;
  }
  std::string purl = Str(component, "purl");
  if (purl.empty()) {
    if (type != "file") ++reading.skipped["no purl"];
    return;
  }
  std::string group = Str(component, "group");
  bool joined = !group.empty() && (purl.starts_with("pkg:npm/") || purl.starts_with("pkg:golang/") ||
                                   purl.starts_with("pkg:composer/"));
  PackageFacts facts;
  if (!StartPackage(purl, joined ? group + "/" + name : name, reading, facts)) return;
  if (facts.package.version.empty()) facts.package.version = Str(component, "version");
  CdxLicenses(component, facts.package);
  for (const json& property : Array(component, "properties")) {
    ApplyProperty(Str(property, "name"), Str(property, "value"), facts);
  }
  reading.packages.push_back(std::move(facts));
}

void ReadCycloneDx(const json& doc, Reading& reading) {
  std::string spec = Str(doc, "specVersion");
  static const char* kKnown[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};
  if (std::find(std::begin(kKnown), std::end(kKnown), spec) == std::end(kKnown)) {
    reading.sbom.notes.push_back(reading.name + ": CycloneDX specVersion \"" + spec +
                                 "\" is not one bulwark knows (1.2-1.6); read as 1.6");
  }
  const json* metadata = Member(doc, "metadata");
  const json* image = metadata != nullptr ? Member(*metadata, "component") : nullptr;
  // Components nest (components[].components[]); an explicit stack, not recursion.
  std::vector<const json*> stack{&Array(doc, "components")};
  if (metadata != nullptr) {
    for (const json& property : Array(*metadata, "properties")) {
      if (Str(property, "name") == "bulwark:note") reading.sbom.notes.push_back(Str(property, "value"));
    }
  }
  if (image != nullptr) {
    if (!Str(*image, "name").empty()) reading.sbom.target = Str(*image, "name");
    if (Str(*image, "type") == "container") reading.sbom.image_id = Str(*image, "version");
    for (const json& property : Array(*image, "properties")) {
      ApplyImageProperty(Str(property, "name"), Str(property, "value"), reading.sbom);
    }
    stack.push_back(&Array(*image, "components"));
  }
  while (!stack.empty()) {
    const json* components = stack.back();
    stack.pop_back();
    for (const json& component : *components) {
      if (!component.is_object()) continue;
      CdxComponent(component, reading);
      stack.push_back(&Array(component, "components"));
    }
  }
}

// ---- SPDX ------------------------------------------------------------------

std::string SpdxPurl(const json& package) {
  for (const json& ref : Array(package, "externalRefs")) {
    if (Str(ref, "referenceType") == "purl") return Str(ref, "referenceLocator");
  }
  return "";
}

// "key: value" pairs: bulwark's annotations ("bulwark:package:source-name: x")
// and Trivy's attributionTexts ("DiffID: sha256:..", "LayerDiffID: ..").
template <typename Apply>
void SpdxAnnotations(const json& package, Apply apply) {
  auto split = [&apply](const std::string& text) {
    size_t colon = text.find(": ");
    if (colon != std::string::npos) apply(text.substr(0, colon), text.substr(colon + 2));
  };
  for (const json& annotation : Array(package, "annotations")) split(Str(annotation, "comment"));
  for (const json& text : Array(package, "attributionTexts")) {
    if (text.is_string()) split(text.get<std::string>());
  }
}

std::string SpdxLicense(const json& package, const std::map<std::string, std::string>& extracted) {
  std::string license = Str(package, "licenseDeclared");
  if (license.empty() || license == "NOASSERTION" || license == "NONE") license = Str(package, "licenseConcluded");
  if (license.empty() || license == "NOASSERTION" || license == "NONE") return "";
  auto it = extracted.find(license);  // a lone LicenseRef-: the text it stands for
  return it == extracted.end() ? license : it->second;
}

// Syft's and bulwark's "acquired package info from X: /a, /b"; Trivy's
// "built package from: glibc 2.36-9".
void SpdxSourceInfo(const std::string& info, PackageFacts& facts) {
  static constexpr std::string_view kAcquired = "acquired package info from ";
  static constexpr std::string_view kBuilt = "built package from: ";
  if (info.starts_with(kAcquired)) {
    size_t colon = info.find(": ", kAcquired.size());
    for (size_t start = colon == std::string::npos ? info.size() : colon + 2; start < info.size();) {
      size_t end = std::min(info.find(", ", start), info.size());
      facts.package.locations.push_back(info.substr(start, end - start));
      start = end + 2;
    }
  } else if (info.starts_with(kBuilt)) {
    std::string rest = info.substr(kBuilt.size());
    size_t space = rest.find(' ');
    if (facts.src_name.empty()) facts.src_name = rest.substr(0, space);
    if (facts.src_version.empty() && space != std::string::npos) facts.src_version = rest.substr(space + 1);
  }
}

void ReadSpdx(const json& doc, Reading& reading) {
  std::map<std::string, std::string> extracted;
  for (const json& info : Array(doc, "hasExtractedLicensingInfos")) {
    std::string text = Str(info, "name").empty() ? Str(info, "extractedText") : Str(info, "name");
    extracted[Str(info, "licenseId")] = text;
  }
  if (!Str(doc, "name").empty()) reading.sbom.target = Str(doc, "name");  // a CONTAINER package overrides
  for (const json& package : Array(doc, "packages")) {
    std::string purpose = Str(package, "primaryPackagePurpose");
    std::string name = Str(package, "name");
    if (purpose == "OPERATING-SYSTEM" || purpose == "OPERATING_SYSTEM") {
      if (!reading.os_declared.Empty() || name.empty()) continue;
      reading.os_declared = OsFromNameVersion(name, Str(package, "versionInfo"));
      SpdxAnnotations(package, [&](std::string_view k, const std::string& v) { ApplyOsProperty(k, v, reading.os_declared); });
      continue;
    }
    if (purpose == "CONTAINER") {
      reading.sbom.target = name.empty() ? reading.sbom.target : name;
      reading.sbom.image_id = Str(package, "versionInfo");
      SpdxAnnotations(package, [&](std::string_view k, const std::string& v) { ApplyImageProperty(k, v, reading.sbom); });
      continue;
    }
    std::string purl = SpdxPurl(package);
    PackageFacts facts;
    if (purl.empty()) {
      ++reading.skipped["no purl"];
      continue;
    }
    if (!StartPackage(purl, name, reading, facts)) continue;
    if (facts.package.version.empty()) facts.package.version = Str(package, "versionInfo");
    if (std::string license = SpdxLicense(package, extracted); !license.empty()) {
      facts.package.licenses.push_back(license);
    }
    SpdxAnnotations(package, [&](std::string_view k, const std::string& v) {
      if (k == "bulwark:package:type") return;  // the purl says it
      ApplyProperty(k, v, facts);
    });
    SpdxSourceInfo(Str(package, "sourceInfo"), facts);
    reading.packages.push_back(std::move(facts));
  }
}

// ---- Assembly --------------------------------------------------------------

// Trivy splits the source version like the binary one: [epoch:]version[-release].
void FinishSource(PackageFacts& facts) {
  Package& p = facts.package;
  if (p.source_name.empty()) p.source_name = facts.src_name;
  if (p.source_version.empty() && !facts.src_version.empty()) {
    p.source_version = facts.src_version;
    if (!facts.src_release.empty()) p.source_version += "-" + facts.src_release;
    if (!facts.src_epoch.empty() && facts.src_epoch != "0") p.source_version = facts.src_epoch + ":" + p.source_version;
  }
  if (p.source_version == p.version) p.source_version.clear();
}

Sbom Finish(Reading reading) {
  Sbom& sbom = reading.sbom;
  sbom.os = reading.os_declared.Empty() ? reading.os_from_purl : reading.os_declared;
  if (sbom.os.point_release.empty() && sbom.os.id == reading.os_from_purl.id) {
    sbom.os.point_release = reading.os_from_purl.point_release;
  }
  for (PackageFacts& facts : reading.packages) {
    FinishSource(facts);
    auto layer = std::find(sbom.layer_diff_ids.begin(), sbom.layer_diff_ids.end(), facts.layer_diff_id);
    if (!facts.layer_diff_id.empty() && layer != sbom.layer_diff_ids.end()) {
      facts.package.layer = static_cast<int>(layer - sbom.layer_diff_ids.begin());
    }
    sbom.packages.push_back(std::move(facts.package));
  }
  std::stable_sort(sbom.packages.begin(), sbom.packages.end(), [](const Package& a, const Package& b) {
    auto first = [](const Package& p) { return p.locations.empty() ? std::string() : p.locations.front(); };
    return std::make_tuple(a.type, std::cref(a.name), std::cref(a.version), first(a)) <
           std::make_tuple(b.type, std::cref(b.name), std::cref(b.version), first(b));
  });
  if (reading.purl_errors > kMaxPurlErrorNotes) {
    sbom.notes.push_back(reading.name + ": " + std::to_string(reading.purl_errors - kMaxPurlErrorNotes) +
                         " more invalid purls");
  }
  for (const auto& [reason, count] : reading.skipped) {
    sbom.notes.push_back(reading.name + ": skipped " + std::to_string(count) + " component(s): " + reason);
  }
  return std::move(reading.sbom);
}

core::Status Error(std::string_view name, const std::string& message, core::ErrorCode code = core::ErrorCode::kParseError) {
  return core::Error(code, std::string(name) + ": " + message);
}

}  // namespace

core::Result<Sbom> ReadSbom(std::string_view text, std::string_view name_for_errors) {
  if (text.size() > kMaxSbomBytes) {
    return Error(name_for_errors, "SBOM larger than 256 MiB; refusing to read it", core::ErrorCode::kTooLarge);
  }
  size_t start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start != std::string_view::npos && text[start] == '<') {
    return Error(name_for_errors, "XML SBOMs are not supported; give CycloneDX or SPDX as JSON");
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(name_for_errors, "not a JSON object; expected a CycloneDX or SPDX JSON SBOM");
  }
  Reading reading;
  reading.name = std::string(name_for_errors);
  reading.sbom.target = reading.name;
  if (Str(doc, "bomFormat") == "CycloneDX") {
    ReadCycloneDx(doc, reading);
  } else if (Str(doc, "spdxVersion").starts_with("SPDX-2.")) {
    ReadSpdx(doc, reading);
  } else {
    return Error(name_for_errors,
                 "neither CycloneDX (\"bomFormat\": \"CycloneDX\") nor SPDX 2.x (\"spdxVersion\") JSON");
  }
  return Finish(std::move(reading));
}

core::Result<Sbom> ReadSbomFile(const std::filesystem::path& path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    bool missing = ec == std::errc::no_such_file_or_directory;
    return Error(path.string(), "cannot read: " + ec.message(),
                 missing ? core::ErrorCode::kNotFound : core::ErrorCode::kIoError);
  }
  if (size > kMaxSbomBytes) {
    return Error(path.string(), "SBOM larger than 256 MiB; refusing to read it", core::ErrorCode::kTooLarge);
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    return Error(path.string(), "cannot read the file", core::ErrorCode::kIoError);
  }
  return ReadSbom(text, path.string());
}

}  // namespace bulwark::sbom
