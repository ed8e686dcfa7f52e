// `bulwark rules validate` and `bulwark rules list` end to end: Falco's own
// rules file and bulwark's shipped rules validate; a broken file is reported
// as file:line:col with exit 1; unreadable files exit 3; the JSON forms
// parse and carry the rules' names, priorities, event types and sources.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Rules(std::vector<std::string> args) {
  args.insert(args.begin(), {BulwarkBinary().string(), "rules"});
  return RunCommand(args, SourceDir());
}

const char* kBroken = R"(- macro: shell
  condition: proc.name in (sh, bash)
- rule: Shell in container
  desc: a shell ran in a container
  condition: evt.type = execve and shell and container.id != host
  output: shell %proc.name in %container.name
  priority: NOTICE
  tags: [shell]
- rule: Broken
  desc: unknown field
  condition: evt.type = execve and proc.nmae = x
  output: x
  priority: WARNING
)";

class RulesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("bulwark-rules-cli");
    WriteFile(dir_ / "broken.yaml", kBroken);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RulesCli, ValidateFalcoRules) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  auto r = Rules({"validate", (data / "falco-rules/falco_rules.yaml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("falco_rules.yaml: Ok (25 rules, 0 errors, 0 warnings)"), std::string::npos) << r.out;
}

TEST_F(RulesCli, ShippedRulesAreValid) {
  fs::path shipped = SourceDir() / "rules/bulwark_rules.yaml";
  if (!fs::exists(shipped)) GTEST_SKIP() << "SKIPPED: rules/bulwark_rules.yaml not in this tree";
  auto r = Rules({"validate", shipped.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("bulwark_rules.yaml: Ok ("), std::string::npos) << r.out;
}

TEST_F(RulesCli, ValidateReportsPositionsAndExits1) {
  std::string file = (dir_ / "broken.yaml").string();
  auto r = Rules({"validate", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(file + ":11:36: error: rule 'Broken': nonexistent field proc.nmae"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(file + ": Invalid (2 rules, 1 errors, 0 warnings)"), std::string::npos) << r.out;
  auto json = Rules({"validate", "--format", "json", file});
  EXPECT_EQ(json.exit_code, 1);
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_FALSE(doc["valid"].get<bool>());
  ASSERT_EQ(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["line"], 11);
  EXPECT_EQ(doc["diagnostics"][0]["column"], 36);
  EXPECT_EQ(doc["diagnostics"][0]["item_name"], "Broken");
  EXPECT_EQ(doc["diagnostics"][0]["code"], "unknown-field");
}

TEST_F(RulesCli, UnreadableAndUsageErrors) {
  auto missing = Rules({"validate", "/nonexistent/rules.yaml"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("/nonexistent/rules.yaml"), std::string::npos);
  EXPECT_EQ(Rules({"validate"}).exit_code, 2);
  EXPECT_EQ(Rules({}).exit_code, 2);
  EXPECT_EQ(Rules({"validate", "--format", "xml", (dir_ / "broken.yaml").string()}).exit_code, 2);
  EXPECT_EQ(Rules({"list", "--no-default-rules"}).exit_code, 2);  // nothing to list
}

TEST_F(RulesCli, ListAsJsonAndTable) {
  std::string file = (dir_ / "broken.yaml").string();
  auto json = Rules({"list", "--no-default-rules", "-r", file, "--format", "json"});
  EXPECT_EQ(json.exit_code, 1);  // the broken rule is listed, and reported on stderr
  EXPECT_NE(json.err.find("nonexistent field proc.nmae"), std::string::npos);
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[0]["name"], "Shell in container");
  EXPECT_EQ(doc[0]["priority"], "Notice");
  EXPECT_EQ(doc[0]["enabled"], true);
  EXPECT_EQ(doc[0]["compiled"], true);
  EXPECT_EQ(doc[0]["event_types"], nlohmann::json::array({"execve"}));
  EXPECT_EQ(doc[0]["tags"], nlohmann::json::array({"shell"}));
  EXPECT_EQ(doc[0]["file"], file);
  EXPECT_EQ(doc[0]["line"], 3);
  EXPECT_EQ(doc[1]["compiled"], false);
  auto table = Rules({"list", "--no-default-rules", "-r", file});
  EXPECT_NE(table.out.find("NAME"), std::string::npos);
  EXPECT_NE(table.out.find("Shell in container  Notice"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(not compiled)"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::testing
