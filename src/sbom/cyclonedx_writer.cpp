#include "sbom/cyclonedx_writer.hpp"

#include <set>

#include "core/version.hpp"
#include "sbom/sbom_json.hpp"
#include "sbom/spdx_writer.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

std::string ImageRef(const Sbom& sbom) {
  std::string purl = OciImagePurl(sbom);
  return purl.empty() ? "bulwark:image:" + sbom.target : purl;
}

std::string OsRef(const OsRelease& os) { return "bulwark:os:" + os.id + "@" + os.version_id; }

std::string WithPackageId(const std::string& ref, int n) {
  return ref + (ref.find('?') == std::string::npos ? "?" : "&") + "package-id=" + std::to_string(n);
}

// One licence choice: SPDX IDs as {license: {id}}, a single valid
// expression (or several joined by AND) as [{expression}], and any free text
// makes every entry a {license: {name}} so nothing is lost.
json LicensesJson(const std::vector<std::string>& licenses) {
  std::vector<SpdxLicense> parsed;
  bool has_expression = false;
  bool has_other = false;
  for (const std::string& text : licenses) {
    if (text.empty()) continue;
    parsed.push_back(ClassifyLicense(text));
    has_expression |= parsed.back().kind == SpdxLicense::Kind::kExpression;
    has_other |= parsed.back().kind == SpdxLicense::Kind::kOther;
  }
  json out = json::array();
  if (has_expression && !has_other) {
    std::vector<std::string> expressions;
    for (const SpdxLicense& l : parsed) expressions.push_back(l.text);
    out.push_back(json{{"expression", JoinWithAnd(expressions)}});
    return out;
  }
  for (const SpdxLicense& l : parsed) {
    bool id = l.kind == SpdxLicense::Kind::kId;
    out.push_back(json{{"license", json{{id ? "id" : "name", l.text}}}});
  }
  return out;
}

json Property(std::string_view name, std::string_view value) {
  return json{{"name", name}, {"value", value}};
}

json PackageProperties(const Package& p, const Sbom& sbom) {
  json out = json::array();
  auto add = [&out](std::string_view name, const std::string& value) {
    if (!value.empty()) out.push_back(Property(name, value));
  };
  out.push_back(Property("bulwark:package:type", PackageTypeName(p.type)));
  for (const std::string& location : p.locations) add("bulwark:package:location", location);
  add("bulwark:package:source-name", p.source_name);
  add("bulwark:package:source-version", p.source_version);
  add("bulwark:package:os-owner", p.os_owner);
  add("bulwark:package:arch", p.arch);
  if (p.layer >= 0 && static_cast<size_t>(p.layer) < sbom.layer_diff_ids.size()) {
    add("bulwark:package:layer-diff-id", sbom.layer_diff_ids[static_cast<size_t>(p.layer)]);
  }
  add("bulwark:package:cataloger", p.cataloger);
  for (const auto& [key, value] : p.metadata) add("bulwark:package:metadata:" + key, value);
  return out;
}

json PackageComponent(const Package& p, const Sbom& sbom, const std::string& ref) {
  json out{{"bom-ref", ref}, {"type", "library"}, {"name", p.name}};
  if (p.type == PackageType::kJava && !p.group.empty()) out["group"] = p.group;
  if (!p.version.empty()) out["version"] = p.version;
  json licenses = LicensesJson(p.licenses);
  if (!licenses.empty()) out["licenses"] = std::move(licenses);
  if (!p.purl.empty()) out["purl"] = p.purl;
  out["properties"] = PackageProperties(p, sbom);
  return out;
}

json OsComponent(const OsRelease& os) {
  json out{{"bom-ref", OsRef(os)}, {"type", "operating-system"}, {"name", os.id}};
  if (!os.version_id.empty()) out["version"] = os.version_id;
  if (!os.pretty_name.empty()) out["description"] = os.pretty_name;
  json properties = json::array();
  auto add = [&properties](std::string_view name, const std::string& value) {
    if (!value.empty()) properties.push_back(Property(name, value));
  };
  add("bulwark:os:codename", os.version_codename);
  add("bulwark:os:point-release", os.point_release);
  add("bulwark:os:id-like", os.id_like);
  if (!properties.empty()) out["properties"] = std::move(properties);
  return out;
}

json ImageComponent(const Sbom& sbom) {
  json out{{"bom-ref", ImageRef(sbom)}, {"type", "container"}, {"name", sbom.target}};
  if (!sbom.image_id.empty()) out["version"] = sbom.image_id;
  std::string purl = OciImagePurl(sbom);
  if (!purl.empty()) out["purl"] = purl;
  json properties = json::array();
  for (const std::string& tag : sbom.repo_tags) properties.push_back(Property("bulwark:image:repo-tag", tag));
  for (const std::string& layer : sbom.layer_diff_ids) {
    properties.push_back(Property("bulwark:image:layer-diff-id", layer));
  }
  if (!properties.empty()) out["properties"] = std::move(properties);
  return out;
}

}  // namespace

std::vector<std::string> PackageBomRefs(const Sbom& sbom) {
  std::set<std::string> used{ImageRef(sbom)};
  if (!sbom.os.Empty()) used.insert(OsRef(sbom.os));
  std::vector<std::string> refs;
  refs.reserve(sbom.packages.size());
  for (const Package& p : sbom.packages) {
    std::string base = p.purl.empty()
                           ? "bulwark:" + std::string(PackageTypeName(p.type)) + "/" + p.name + "@" + p.version
                           : p.purl;
    std::string ref = base;
    for (int n = 2; !used.insert(ref).second; ++n) ref = WithPackageId(base, n);
    refs.push_back(std::move(ref));
  }
  return refs;
}

json CycloneDxDocument(const Sbom& sbom, const CycloneDxOptions& options) {
  std::vector<std::string> refs = PackageBomRefs(sbom);
  json components = json::array();
  json depends_on = json::array();
  if (!sbom.os.Empty()) {
    components.push_back(OsComponent(sbom.os));
    depends_on.push_back(OsRef(sbom.os));
  }
  for (size_t i = 0; i < sbom.packages.size(); ++i) {
    components.push_back(PackageComponent(sbom.packages[i], sbom, refs[i]));
    depends_on.push_back(refs[i]);
  }
  json tool{{"type", "application"}, {"name", "bulwark"}, {"version", core::kVersion}};
  json metadata{{"timestamp", options.timestamp.empty() ? UtcNowRfc3339() : options.timestamp},
                {"tools", json{{"components", json::array({tool})}}},
                {"component", ImageComponent(sbom)}};
  if (!sbom.notes.empty()) {
    json notes = json::array();
    for (const std::string& note : sbom.notes) notes.push_back(Property("bulwark:note", note));
    metadata["properties"] = std::move(notes);
  }
  return json{{"bomFormat", "CycloneDX"},
              {"specVersion", "1.5"},
              {"serialNumber", options.serial_number.empty() ? "urn:uuid:" + RandomUuidV4() : options.serial_number},
              {"version", 1},
              {"metadata", std::move(metadata)},
              {"components", std::move(components)},
              {"dependencies", json::array({json{{"ref", ImageRef(sbom)}, {"dependsOn", std::move(depends_on)}}})}};
}

std::string DumpCycloneDx(const json& bom) {
  return bom.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string WriteCycloneDx(const Sbom& sbom, const CycloneDxOptions& options) {
  return DumpCycloneDx(CycloneDxDocument(sbom, options));
}

}  // namespace bulwark::sbom
