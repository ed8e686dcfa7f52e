// ReferenceCatalog: the ATT&CK / NIST catalog from the hand-made fixture
// (tests/model/fixtures/catalog), bad input, and -- in the development
// workspace -- the real data files and the catalog compiled from them.
#include "model/reference_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "model/derive_threats.hpp"
#include "test_support.hpp"

namespace bulwark::model {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Texts {
  std::string attack, controls, mapping;
};

Texts Read(const fs::path& dir) {
  return {testing::ReadFile(dir / "attack-containers.json"),
          testing::ReadFile(dir / "nist-800-53-container-controls.json"),
          testing::ReadFile(dir / "attack-containers-to-nist-800-53-r5.json")};
}

ReferenceCatalog Fixture() {
  Texts t = Read(testing::SourceDir() / "tests/model/fixtures/catalog");
  auto catalog = ReferenceCatalog::FromJson(t.attack, t.controls, t.mapping);
  EXPECT_TRUE(catalog.ok()) << catalog.status().message();
  return catalog.ok() ? std::move(catalog).value() : ReferenceCatalog();
}

TEST(ReferenceCatalog, FixtureGivesVersionsTacticsAndTechniques) {
  ReferenceCatalog c = Fixture();
  ASSERT_TRUE(c.available());
  EXPECT_EQ(c.attack_version(), "18.1");
  EXPECT_EQ(c.mapping_version(), "16.1");
  ASSERT_EQ(c.tactics().size(), 7u);
  EXPECT_EQ(c.tactics()[0].id, "TA0001");
  EXPECT_EQ(c.tactics()[3].name, "Privilege Escalation");
  const Technique* escape = c.FindTechnique("T1611");
  ASSERT_NE(escape, nullptr);
  EXPECT_EQ(escape->name, "Escape to Host");
  EXPECT_EQ(escape->url, "https://attack.mitre.org/techniques/T1611");
  EXPECT_EQ(c.FindTechnique("T9999"), nullptr);
}

TEST(ReferenceCatalog, TacticsOfATechniqueFollowTheMatrixOrder) {
  ReferenceCatalog c = Fixture();
  const Technique* deploy = c.FindTechnique("T1610");  // listed "Defense Evasion", "Execution" in the file
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->tactics, (std::vector<std::string>{"Execution", "Defense Evasion"}));
}

TEST(ReferenceCatalog, ControlTitlesComeFromTheControlsFileThenTheMapping) {
  ReferenceCatalog c = Fixture();
  const Control* ac6 = c.FindControl("AC-6");
  ASSERT_NE(ac6, nullptr);
  EXPECT_EQ(ac6->title, "Least Privilege");
  EXPECT_EQ(ac6->family, "Access Control");
  // Named in both: the controls file's full title wins.
  EXPECT_EQ(c.FindControl("IA-5(7)")->title, "Authenticator Management | No Embedded Unprotected Authenticators");
  // Named only in the mapping: its name, and the family of a selected control with the same prefix.
  const Control* sc39 = c.FindControl("SC-39");
  ASSERT_NE(sc39, nullptr);
  EXPECT_EQ(sc39->title, "Process Isolation");
  EXPECT_EQ(sc39->family, "System and Communications Protection");
  ASSERT_NE(c.FindControl("RA-5"), nullptr);
  EXPECT_EQ(c.FindControl("RA-5")->family, "");
  EXPECT_EQ(c.FindControl("ZZ-1"), nullptr);
}

TEST(ReferenceCatalog, ControlsForFallsBackFromSubTechniqueToParent) {
  ReferenceCatalog c = Fixture();
  EXPECT_EQ(c.ControlsFor("T1611"), (std::vector<std::string>{"AC-6", "CM-7", "SC-39"}));
  EXPECT_EQ(c.ControlsFor("T1552.001"), (std::vector<std::string>{"IA-5(7)", "SC-28"}));
  EXPECT_TRUE(c.ControlsFor("T1496.001").empty()) << "non-mappable";
  EXPECT_TRUE(c.ControlsFor("T1525").empty());
  EXPECT_TRUE(c.ControlsFor("").empty());
}

TEST(ReferenceCatalog, KnowsTheOneEnterpriseTechniqueTheRulesUse) {
  ReferenceCatalog c = Fixture();
  const Technique* t = c.FindTechnique("T1059");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "Command and Scripting Interpreter");
  EXPECT_EQ(t->tactics, (std::vector<std::string>{"Execution"}));
}

TEST(ReferenceCatalog, EmptyTextsGiveAnEmptyCatalog) {
  auto c = ReferenceCatalog::FromJson("", "", "");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->available());
  EXPECT_EQ(c->FindTechnique("T1611"), nullptr);
  EXPECT_TRUE(c->ControlsFor("T1611").empty());
  EXPECT_EQ(c->FindTechnique("T1059"), nullptr) << "no exception without data";
}

TEST(ReferenceCatalog, ErrorsNameTheFile) {
  Texts t = Read(testing::SourceDir() / "tests/model/fixtures/catalog");
  auto bad_attack = ReferenceCatalog::FromJson("{", t.controls, t.mapping);
  ASSERT_FALSE(bad_attack.ok());
  EXPECT_NE(bad_attack.status().message().find("attack-containers.json"), std::string::npos);
  auto bad_controls = ReferenceCatalog::FromJson(t.attack, "[1,2]", t.mapping);
  ASSERT_FALSE(bad_controls.ok());
  EXPECT_NE(bad_controls.status().message().find("nist-800-53-container-controls.json"), std::string::npos);
  auto bad_mapping = ReferenceCatalog::FromJson(t.attack, t.controls, R"({"mappings": 3})");
  ASSERT_FALSE(bad_mapping.ok());
  EXPECT_NE(bad_mapping.status().message().find("attack-containers-to-nist-800-53-r5.json"), std::string::npos);
  auto one_missing = ReferenceCatalog::FromJson(t.attack, "", t.mapping);
  EXPECT_FALSE(one_missing.ok());
  EXPECT_EQ(one_missing.status().code(), core::ErrorCode::kParseError);
}

TEST(ReferenceCatalog, HostileInputIsBoundedAndSkipsBadEntries) {
  std::string deep(100000, '[');
  auto c = ReferenceCatalog::FromJson(deep, "{}", "{}");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), core::ErrorCode::kTooLarge);
  std::string huge(size_t{17} << 20, ' ');
  EXPECT_EQ(ReferenceCatalog::FromJson(huge, "{}", "{}").status().code(), core::ErrorCode::kTooLarge);
  // Entries of the wrong type, and ids far too long, are skipped.
  std::string attack = R"({"techniques": [1, "x", {"id": 5}, {"id": ")" + std::string(500, 'T') +
                       R"("}, {"id": "T1611", "name": ["no"], "tactics": [3, "Impact"]}], "tactic_order": 4})";
  auto skipped = ReferenceCatalog::FromJson(attack, R"({"controls": [null, {"id": "AC-6"}]})",
                                            R"({"mappings": [{"technique_id": "T1611", "controls": [{"id": 1}, {}]}]})");
  ASSERT_TRUE(skipped.ok()) << skipped.status().message();
  ASSERT_NE(skipped->FindTechnique("T1611"), nullptr);
  EXPECT_EQ(skipped->FindTechnique("T1611")->name, "");
  EXPECT_EQ(skipped->FindTechnique("T1611")->tactics, std::vector<std::string>{"Impact"});
  EXPECT_TRUE(skipped->ControlsFor("T1611").empty());
  EXPECT_NE(skipped->FindControl("AC-6"), nullptr);
}

// ---- the real data (development workspace only) ----

TEST(ReferenceCatalogRealData, EveryTechniqueControlAndMappingLoads) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  Texts t = Read(data);
  auto c = ReferenceCatalog::FromJson(t.attack, t.controls, t.mapping);
  ASSERT_TRUE(c.ok()) << c.status().message();
  json attack = json::parse(t.attack);
  EXPECT_EQ(c->attack_version(), attack["attack_version"].get<std::string>());
  EXPECT_EQ(c->mapping_version(), "16.1");
  EXPECT_EQ(c->tactics().size(), attack["tactic_order"].size());
  const json techniques = attack["techniques"];
  for (const json& tech : techniques) {
    const Technique* found = c->FindTechnique(tech["id"].get<std::string>());
    ASSERT_NE(found, nullptr) << tech["id"];
    EXPECT_EQ(found->name, tech["name"].get<std::string>());
  }
  const json controls = json::parse(t.controls)["controls"];
  for (const json& control : controls) {
    EXPECT_NE(c->FindControl(control["id"].get<std::string>()), nullptr) << control["id"];
  }
  EXPECT_FALSE(c->ControlsFor("T1611").empty());
  EXPECT_EQ(c->ControlsFor("T1552.001").empty(), false);
  EXPECT_TRUE(c->ControlsFor("T1496.001").empty()) << "non_mappable in the 16.1 mapping";
}

// Every technique a rule names is in the Containers matrix (T1059 the one
// Enterprise exception) and every control is in the controls or mapping file.
TEST(ReferenceCatalogRealData, RulesNameOnlyKnownTechniquesAndControls) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  Texts t = Read(data);
  std::set<std::string> techniques{"T1059"};
  const json attack_techniques = json::parse(t.attack)["techniques"];
  for (const json& tech : attack_techniques) techniques.insert(tech["id"].get<std::string>());
  std::set<std::string> controls;
  const json listed = json::parse(t.controls)["controls"];
  for (const json& c : listed) controls.insert(c["id"].get<std::string>());
  const json mappings = json::parse(t.mapping)["mappings"];
  for (const json& m : mappings) {
    for (const json& c : m["controls"]) controls.insert(c["id"].get<std::string>());
  }
  for (const ThreatRuleInfo& rule : ThreatRules()) {
    for (const std::string& id : rule.attack) EXPECT_TRUE(techniques.count(id)) << rule.id << ": " << id;
    for (const std::string& id : rule.nist) EXPECT_TRUE(controls.count(id)) << rule.id << ": " << id;
  }
}

TEST(ReferenceCatalogRealData, CompiledCatalogEqualsTheSharedFiles) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const ReferenceCatalog& compiled = CompiledReferenceCatalog();
  if (!compiled.available()) {
    GTEST_SKIP() << "SKIPPED: this build compiled no reference data (BULWARK_REFERENCE_DATA)";
  }
  Texts t = Read(data);
  auto loaded = ReferenceCatalog::FromJson(t.attack, t.controls, t.mapping);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(&compiled, &CompiledReferenceCatalog()) << "parsed once";
  EXPECT_EQ(compiled.attack_version(), loaded->attack_version());
  EXPECT_EQ(compiled.mapping_version(), loaded->mapping_version());
  ASSERT_EQ(compiled.tactics().size(), loaded->tactics().size());
  for (size_t i = 0; i < compiled.tactics().size(); ++i) {
    EXPECT_EQ(compiled.tactics()[i].id, loaded->tactics()[i].id);
    EXPECT_EQ(compiled.tactics()[i].name, loaded->tactics()[i].name);
  }
  const json techniques = json::parse(t.attack)["techniques"];
  for (const json& tech : techniques) {
    std::string id = tech["id"].get<std::string>();
    const Technique* a = compiled.FindTechnique(id);
    const Technique* b = loaded->FindTechnique(id);
    ASSERT_TRUE(a != nullptr && b != nullptr) << id;
    EXPECT_EQ(a->name, b->name);
    EXPECT_EQ(a->tactics, b->tactics);
    EXPECT_EQ(a->url, b->url);
    EXPECT_EQ(compiled.ControlsFor(id), loaded->ControlsFor(id)) << id;
    for (const std::string& control : loaded->ControlsFor(id)) {
      const Control* x = compiled.FindControl(control);
      const Control* y = loaded->FindControl(control);
      ASSERT_TRUE(x != nullptr && y != nullptr) << control;
      EXPECT_EQ(x->title, y->title);
      EXPECT_EQ(x->family, y->family);
    }
  }
}

}  // namespace
}  // namespace bulwark::model
