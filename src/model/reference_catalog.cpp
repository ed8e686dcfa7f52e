// Parses the three reference data files. Their text comes from the build
// (trusted) or from --reference-data DIR (a user's files): every size is
// bounded, every shape checked, and nothing throws.
#include "model/reference_catalog.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace bulwark::model {

namespace generated {
extern const char kAttackJson[];
extern const char kControlsJson[];
extern const char kMappingJson[];
}  // namespace generated

namespace {

using nlohmann::json;

constexpr size_t kMaxFileBytes = size_t{16} << 20;
constexpr size_t kMaxEntries = 20000;  // techniques, controls or mappings per file
constexpr size_t kMaxListItems = 500;  // tactics of a technique, controls of a mapping
constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextLength = 1000;
constexpr int kMaxDepth = 32;

constexpr const char* kAttackFile = "attack-containers.json";
constexpr const char* kControlsFile = "nist-800-53-container-controls.json";
constexpr const char* kMappingFile = "attack-containers-to-nist-800-53-r5.json";

// A string member, cut to `limit`; "" when absent or not a string.
std::string Text(const json& object, const char* key, size_t limit = kMaxTextLength) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  const std::string& s = it->get_ref<const std::string&>();
  return s.size() > limit ? s.substr(0, limit) : s;
}

std::string Id(const json& object, const char* key = "id") {
  std::string id = Text(object, key, kMaxIdLength + 1);
  return id.size() > kMaxIdLength ? "" : id;
}

core::Status FileError(const char* file, const std::string& what) {
  return core::Error(core::ErrorCode::kParseError, std::string(file) + ": " + what);
}

// The deepest nesting of arrays and objects, strings skipped; stops counting
// past `limit` (a deep document costs memory to build, and the data files
// nest four levels).
int Depth(std::string_view text, int limit) {
  int depth = 0;
  int max = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size() && max <= limit; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max = std::max(max, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max;
}

core::Result<json> ParseObject(std::string_view text, const char* file) {
  if (text.size() > kMaxFileBytes) {
    return core::Error(core::ErrorCode::kTooLarge, std::string(file) + ": larger than 16 MiB");
  }
  if (Depth(text, kMaxDepth) > kMaxDepth) {
    return core::Error(core::ErrorCode::kTooLarge,
                       std::string(file) + ": nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return FileError(file, "not valid JSON");
  if (!doc.is_object()) return FileError(file, "not a JSON object");
  return doc;
}

// The named member as an array no longer than kMaxEntries.
core::Result<const json*> EntryArray(const json& doc, const char* key, const char* file) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return FileError(file, std::string("no '") + key + "' array");
  if (it->size() > kMaxEntries) {
    return core::Error(core::ErrorCode::kTooLarge, std::string(file) + ": too many '" + key + "' entries");
  }
  return &*it;
}

// "AC-6(1)" -> "AC".
std::string FamilyPrefix(std::string_view control) { return std::string(control.substr(0, control.find('-'))); }

}  // namespace

struct ReferenceCatalogBuilder {
  static core::Status ReadAttack(const json& doc, ReferenceCatalog& catalog);
  static core::Status ReadControls(const json& doc, ReferenceCatalog& catalog);
  static core::Status ReadMapping(const json& doc, ReferenceCatalog& catalog);
  static void AddEnterpriseExceptions(ReferenceCatalog& catalog);
  static void OrderTactics(Technique& technique, const std::vector<Tactic>& order);
};

void ReferenceCatalogBuilder::OrderTactics(Technique& technique, const std::vector<Tactic>& order) {
  auto rank = [&](const std::string& name) {
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i].name == name) return i;
    }
    return order.size();
  };
  std::stable_sort(technique.tactics.begin(), technique.tactics.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
}

core::Status ReferenceCatalogBuilder::ReadAttack(const json& doc, ReferenceCatalog& catalog) {
  catalog.attack_version_ = Text(doc, "attack_version", kMaxIdLength);
  if (auto order = doc.find("tactic_order"); order != doc.end() && order->is_array()) {
    for (const json& t : *order) {
      if (catalog.tactics_.size() >= kMaxListItems) break;
      Tactic tactic{Id(t), Text(t, "name")};
      if (!tactic.id.empty()) catalog.tactics_.push_back(std::move(tactic));
    }
  }
  ASSIGN_OR_RETURN(const json* techniques, EntryArray(doc, "techniques", kAttackFile));
  for (const json& t : *techniques) {
    Technique technique{Id(t), Text(t, "name"), {}, Text(t, "url")};
    if (technique.id.empty()) continue;
    if (auto tactics = t.find("tactics"); tactics != t.end() && tactics->is_array()) {
      for (const json& name : *tactics) {
        if (technique.tactics.size() >= kMaxListItems) break;
        if (name.is_string()) technique.tactics.push_back(name.get<std::string>().substr(0, kMaxTextLength));
      }
    }
    OrderTactics(technique, catalog.tactics_);
    std::string id = technique.id;
    catalog.techniques_.insert_or_assign(std::move(id), std::move(technique));
  }
  return core::Status();
}

core::Status ReferenceCatalogBuilder::ReadControls(const json& doc, ReferenceCatalog& catalog) {
  ASSIGN_OR_RETURN(const json* controls, EntryArray(doc, "controls", kControlsFile));
  for (const json& c : *controls) {
    Control control{Id(c), Text(c, "title"), Text(c, "family")};
    if (control.id.empty()) continue;
    std::string id = control.id;
    catalog.controls_.insert_or_assign(std::move(id), std::move(control));
  }
  return core::Status();
}

// Controls the mapping names but the controls file does not select get the
// mapping's name as title, and the family of a selected control with the
// same prefix ("AC-17" -> "Access Control").
core::Status ReferenceCatalogBuilder::ReadMapping(const json& doc, ReferenceCatalog& catalog) {
  if (auto source = doc.find("source"); source != doc.end()) {
    catalog.mapping_version_ = Text(*source, "mapping_attack_version", kMaxIdLength);
  }
  std::map<std::string, std::string, std::less<>> families;
  for (const auto& [id, control] : catalog.controls_) {
    if (!control.family.empty()) families.emplace(FamilyPrefix(id), control.family);
  }
  ASSIGN_OR_RETURN(const json* mappings, EntryArray(doc, "mappings", kMappingFile));
  for (const json& m : *mappings) {
    std::string technique = Id(m, "technique_id");
    auto controls = m.is_object() ? m.find("controls") : m.end();
    if (technique.empty() || controls == m.end() || !controls->is_array()) continue;
    std::vector<std::string>& ids = catalog.mitigations_[technique];
    for (const json& c : *controls) {
      if (ids.size() >= kMaxListItems) break;
      std::string id = Id(c);
      if (id.empty()) continue;
      if (!catalog.controls_.count(id)) {
        auto family = families.find(FamilyPrefix(id));
        catalog.controls_.emplace(id, Control{id, Text(c, "name"), family == families.end() ? "" : family->second});
      }
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
    }
    if (ids.empty()) catalog.mitigations_.erase(technique);
  }
  return core::Status();
}

// The Containers matrix lists only T1059's sub-technique T1059.013; the
// threat rules name the parent for code injection in an application (the
// interpreter is Python or a shell, not the container CLI), so the catalog
// knows its Enterprise name. See docs/threat-model.md.
void ReferenceCatalogBuilder::AddEnterpriseExceptions(ReferenceCatalog& catalog) {
  if (catalog.techniques_.empty() || catalog.techniques_.count("T1059")) return;
  Technique t{"T1059", "Command and Scripting Interpreter", {"Execution"},
              "https://attack.mitre.org/techniques/T1059"};
  catalog.techniques_.emplace(t.id, std::move(t));
}

core::Result<ReferenceCatalog> ReferenceCatalog::FromJson(std::string_view attack_json,
                                                          std::string_view controls_json,
                                                          std::string_view mapping_json) {
  ReferenceCatalog catalog;
  if (attack_json.empty() && controls_json.empty() && mapping_json.empty()) return catalog;
  ASSIGN_OR_RETURN(json attack, ParseObject(attack_json, kAttackFile));
  ASSIGN_OR_RETURN(json controls, ParseObject(controls_json, kControlsFile));
  ASSIGN_OR_RETURN(json mapping, ParseObject(mapping_json, kMappingFile));
  RETURN_IF_ERROR(ReferenceCatalogBuilder::ReadAttack(attack, catalog));
  RETURN_IF_ERROR(ReferenceCatalogBuilder::ReadControls(controls, catalog));
  RETURN_IF_ERROR(ReferenceCatalogBuilder::ReadMapping(mapping, catalog));
  ReferenceCatalogBuilder::AddEnterpriseExceptions(catalog);
  return catalog;
}

const Technique* ReferenceCatalog::FindTechnique(std::string_view id) const {
  auto it = techniques_.find(id);
  return it == techniques_.end() ? nullptr : &it->second;
}

const Control* ReferenceCatalog::FindControl(std::string_view id) const {
  auto it = controls_.find(id);
  return it == controls_.end() ? nullptr : &it->second;
}

std::vector<std::string> ReferenceCatalog::ControlsFor(std::string_view technique_id) const {
  auto it = mitigations_.find(technique_id);
  if (it != mitigations_.end()) return it->second;
  size_t dot = technique_id.find('.');
  if (dot == std::string_view::npos) return {};
  it = mitigations_.find(technique_id.substr(0, dot));
  return it == mitigations_.end() ? std::vector<std::string>{} : it->second;
}

// Parsed once; a build whose embedded data does not parse (it was checked
// when generated, so only a corrupted build) gets an empty catalog.
const ReferenceCatalog& CompiledReferenceCatalog() {
  static const ReferenceCatalog catalog = [] {
    auto parsed = ReferenceCatalog::FromJson(generated::kAttackJson, generated::kControlsJson,
                                             generated::kMappingJson);
    return parsed.ok() ? std::move(parsed).value() : ReferenceCatalog();
  }();
  return catalog;
}

}  // namespace bulwark::model
