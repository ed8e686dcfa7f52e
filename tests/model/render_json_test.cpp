// threat_model.json: it parses, has exactly the documented keys at every
// level (`bulwark report` reads it), carries the catalog's names when there
// is one, the summary of the original with --before, and survives invalid
// UTF-8 in names.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/version.hpp"
#include "model/render_fixture.hpp"
#include "model/render_model.hpp"

namespace bulwark::model {
namespace {

using json = nlohmann::ordered_json;  // key order is part of the contract
using testing::LabModel;
using Keys = std::vector<std::string>;

Keys KeysOf(const json& object) {
  Keys keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

json Parse(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << text;
  return doc;
}

const Keys kEvidence = {"path", "line", "text"};

TEST(RenderJson, HasExactlyTheDocumentedShape) {
  json doc = Parse(RenderThreatModelJson(LabModel(), testing::TinyCatalog()));
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(KeysOf(doc), (Keys{"tool", "system", "threats", "controls", "unattached", "summary", "reference"}));
  EXPECT_EQ(doc["tool"], (json{{"name", "bulwark"}, {"version", core::kVersion}}));
  const json& system = doc["system"];
  EXPECT_EQ(KeysOf(system), (Keys{"name", "root", "sources", "elements", "boundaries", "flows", "data",
                                  "assumptions", "diagnostics"}));
  ASSERT_EQ(system["elements"].size(), 4u);
  for (const json& element : system["elements"]) {
    EXPECT_EQ(KeysOf(element),
              (Keys{"id", "kind", "name", "technology", "description", "image", "dockerfile", "boundary",
                    "classification", "runs_as_root", "user", "privileged", "capabilities_added", "read_only_rootfs",
                    "no_new_privileges", "host_network", "host_pid", "host_ipc", "resource_limits", "healthcheck",
                    "image_pinned", "replicas", "ports", "mounts", "networks", "credentials", "tags", "user_defined",
                    "evidence"}));
  }
  const json& db = system["elements"][1];
  const json& web = system["elements"][3];
  EXPECT_TRUE(db["runs_as_root"].is_null());
  EXPECT_EQ(web["runs_as_root"], true);
  EXPECT_EQ(web["kind"], "service");
  EXPECT_EQ(KeysOf(web["ports"][0]), (Keys{"container_port", "host_port", "host_ip", "protocol", "published"}));
  EXPECT_EQ(web["ports"][0]["host_port"], 15000);
  EXPECT_EQ(KeysOf(db["mounts"][0]), (Keys{"type", "source", "target", "read_only", "docker_socket",
                                           "sensitive_host_path"}));
  EXPECT_EQ(KeysOf(web["credentials"][0]), (Keys{"name", "inline_value"}));
  EXPECT_EQ(KeysOf(web["evidence"][0]), kEvidence);
  EXPECT_EQ(KeysOf(system["boundaries"][0]), (Keys{"id", "kind", "name", "parent", "isolated"}));
  EXPECT_EQ(system["boundaries"][2]["parent"], "boundary:host");
  EXPECT_EQ(KeysOf(system["flows"][0]), (Keys{"id", "kind", "from", "to", "protocol", "port", "label", "encrypted",
                                              "authenticated", "crosses", "evidence"}));
  EXPECT_EQ(system["flows"][0]["kind"], "published-port");
  EXPECT_EQ(KeysOf(system["data"][0]), (Keys{"id", "name", "classification", "stored_in", "carried_by"}));
  EXPECT_EQ(KeysOf(system["assumptions"][0]), (Keys{"text", "user_defined"}));
  EXPECT_TRUE(system["diagnostics"].is_array());

  ASSERT_EQ(doc["threats"].size(), 7u);
  for (const json& threat : doc["threats"]) {
    EXPECT_EQ(KeysOf(threat), (Keys{"id", "rule", "stride", "target", "on_flow", "title", "rationale", "evidence",
                                    "likelihood", "impact", "risk", "status", "attack", "nist", "mitigation",
                                    "findings"}));
  }
  const json& inject = doc["threats"][0];
  EXPECT_EQ(inject["stride"], "Tampering");
  EXPECT_EQ(inject["risk"], "critical");
  EXPECT_EQ(inject["status"], "confirmed");
  EXPECT_EQ(inject["likelihood"], "high");
  EXPECT_EQ(KeysOf(inject["evidence"][0]), kEvidence);
  EXPECT_EQ(inject["attack"][0], (json{{"id", "T1190"}, {"name", "Exploit Public-Facing Application"},
                                       {"tactics", {"Initial Access"}}}));
  EXPECT_EQ(inject["nist"][0], (json{{"id", "SI-10"}, {"title", "Information Input Validation"}}));
  EXPECT_EQ(KeysOf(inject["findings"][0]), (Keys{"id", "title", "severity", "path", "line"}));
  EXPECT_EQ(doc["threats"][3]["on_flow"], true);

  ASSERT_EQ(doc["controls"].size(), 4u);
  EXPECT_EQ(KeysOf(doc["controls"][0]), (Keys{"id", "title", "status", "threats", "findings"}));
  EXPECT_EQ(doc["controls"][1]["title"], "Authenticator Management | No Embedded Unencrypted Static Authenticators");
  EXPECT_EQ(KeysOf(doc["unattached"][0]), (Keys{"id", "title", "severity", "category", "path", "line"}));
  EXPECT_EQ(doc["unattached"][0]["category"], "host");

  const json& summary = doc["summary"];
  EXPECT_EQ(KeysOf(summary), (Keys{"elements", "flows", "boundaries", "threats", "confirmed", "potential",
                                   "mitigated", "by_stride", "by_risk"}));
  EXPECT_EQ(summary["threats"], 7);
  EXPECT_EQ(summary["confirmed"], 3);
  EXPECT_EQ(summary["potential"], 4);
  EXPECT_EQ(summary["mitigated"], 0);
  EXPECT_EQ(summary["by_stride"], (json{{"Spoofing", 1}, {"Tampering", 1}, {"Repudiation", 1},
                                        {"Information Disclosure", 2}, {"Denial of Service", 1},
                                        {"Elevation of Privilege", 1}}));
  EXPECT_EQ(KeysOf(summary["by_stride"]), (Keys{"Spoofing", "Tampering", "Repudiation", "Information Disclosure",
                                                "Denial of Service", "Elevation of Privilege"}));
  EXPECT_EQ(KeysOf(summary["by_risk"]), (Keys{"critical", "high", "medium", "low", "info"}));
  EXPECT_EQ(summary["by_risk"], (json{{"critical", 1}, {"high", 3}, {"medium", 2}, {"low", 1}, {"info", 0}}));
  EXPECT_EQ(doc["reference"], (json{{"available", true}, {"attack_version", "18.1"}, {"mapping_version", "16.1"}}));
}

TEST(RenderJson, WithoutReferenceDataNamesAreEmpty) {
  json doc = Parse(RenderThreatModelJson(LabModel(), ReferenceCatalog()));
  EXPECT_EQ(doc["reference"]["available"], false);
  EXPECT_EQ(doc["reference"]["attack_version"], "18.1");  // the model's own
  const json& root = doc["threats"][1];
  EXPECT_EQ(root["attack"][0], (json{{"id", "T1611"}, {"name", ""}, {"tactics", json::array()}}));
  EXPECT_EQ(root["nist"][0], (json{{"id", "AC-6"}, {"title", "Least Privilege"}}));  // the model's title
  EXPECT_EQ(doc["controls"][2]["title"], "");
}

TEST(RenderJson, BeforeCarriesTheOriginalsSummary) {
  ThreatModel before = LabModel();
  RenderOptions options;
  options.before = &before;
  json doc = Parse(RenderThreatModelJson(testing::HardenedLabModel(), testing::TinyCatalog(), options));
  EXPECT_EQ(KeysOf(doc), (Keys{"tool", "system", "threats", "controls", "unattached", "summary", "reference",
                               "before"}));
  EXPECT_EQ(KeysOf(doc["before"]), KeysOf(doc["summary"]));
  EXPECT_EQ(doc["before"]["confirmed"], 3);
  EXPECT_EQ(doc["summary"]["confirmed"], 0);
  EXPECT_EQ(doc["summary"]["mitigated"], 3);
  EXPECT_EQ(doc["system"]["boundaries"][3]["isolated"], true);
}

TEST(RenderJson, InvalidUtf8AndHostileTextStayValidJson) {
  ThreatModel model = LabModel();
  model.system.elements[0].name = "bad \xff\xfe utf8 \"quoted\" \n</script>";
  model.threats[0].rationale = std::string("nul \0 inside", 12);
  json doc = Parse(RenderThreatModelJson(model, ReferenceCatalog()));
  EXPECT_EQ(doc["system"]["elements"][0]["name"], "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8 \"quoted\" \n</script>");
  EXPECT_EQ(doc["threats"][0]["rationale"], std::string("nul \0 inside", 12));
}

TEST(RenderJson, EmptyModel) {
  json doc = Parse(RenderThreatModelJson(ThreatModel(), ReferenceCatalog()));
  EXPECT_TRUE(doc["system"]["elements"].empty());
  EXPECT_EQ(doc["summary"]["threats"], 0);
}

}  // namespace
}  // namespace bulwark::model
