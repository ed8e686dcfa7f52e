// Golden tests for the renderers. Set BULWARK_UPDATE_GOLDEN=1 to rewrite the
// expected files after an intended change (then review the diff).
#include "core/render.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/finding_sink.hpp"
#include "core/version.hpp"
#include "test_support.hpp"

namespace bulwark::core {
namespace {

CheckRegistry SampleRegistry() {
  CheckRegistry registry;
  CheckInfo root{"BW-DF-001", "Container runs as root", Severity::kHigh, Category::kDockerfile,
                 "A process running as root in a container is root on the host if it escapes.",
                 "Add a non-root USER to the final stage."};
  root.references = References{{"4.1"}, {"T1611"}, {"AC-6"}, {"CWE-250"}, {}};
  root.fixable = true;
  CheckInfo secret{"BW-PY-010", "Hard-coded credential", Severity::kHigh, Category::kCode,
                   "Credentials in source leak with the code.", "Read it from a secret store."};
  secret.references.cwe = {"CWE-798"};
  CheckInfo info{"BW-K8-001", "Untrusted | input", Severity::kLow, Category::kKubernetes, "r", "m"};
  EXPECT_TRUE(registry.Add(root).ok());
  EXPECT_TRUE(registry.Add(secret).ok());
  EXPECT_TRUE(registry.Add(info).ok());
  return registry;
}

Report SampleReport(const CheckRegistry& registry) {
  FindingSink sink(registry);
  sink.Report("BW-DF-001", Location{"app/Dockerfile", 1, 1}, "final stage has no USER; runs as root");
  sink.Report("BW-PY-010", Location{"app/app.py", 7, 1}, "PASSWORD is assigned the literal \"su***\"");
  // Hostile text from input: escape sequences, markup, invalid UTF-8, a table pipe.
  sink.Report("BW-K8-001", Location{"k8s/evil dir/pod.yaml", 0, 0},
              "name \x1b[2J<img src=x onerror=alert(1)> | \xff");
  Report report;
  report.target = "lab/vulnerable-app";
  report.findings = sink.findings();
  report.files_examined = 3;
  report.files_by_kind = {{"dockerfile", 1}, {"python", 1}, {"kubernetes", 1}};
  report.suppressed = 1;
  report.diagnostics.push_back({Location{"broken.yml", 4, 7}, "mapping values are not allowed here"});
  SortFindings(report.findings);
  return report;
}

std::string Normalise(std::string text) {
  for (size_t pos; (pos = text.find(kVersion)) != std::string::npos;) text.replace(pos, std::string(kVersion).size(), "VERSION");
  return text;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  auto path = testing::SourceDir() / "tests/core/golden" / name;
  std::string normalised = Normalise(actual);
  const char* update = std::getenv("BULWARK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") testing::WriteFile(path, normalised);
  EXPECT_EQ(normalised, testing::ReadFile(path)) << "golden file " << path << " differs";
}

}  // namespace

TEST(Render, JsonGolden) {
  CheckRegistry registry = SampleRegistry();
  ExpectGolden("report.json", RenderJson(SampleReport(registry)));
}

TEST(Render, JsonHasCliShapeAndParses) {
  CheckRegistry registry = SampleRegistry();
  auto doc = nlohmann::json::parse(RenderJson(SampleReport(registry)));
  EXPECT_EQ(doc["tool"]["name"], "bulwark");
  EXPECT_EQ(doc["target"], "lab/vulnerable-app");
  ASSERT_EQ(doc["findings"].size(), 3u);
  const auto& f = doc["findings"][0];
  for (const char* key : {"id", "title", "severity", "category", "location", "message", "remediation",
                          "references", "fixable"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  EXPECT_EQ(doc["summary"]["high"], 2);
  EXPECT_EQ(doc["summary"]["low"], 1);
  EXPECT_EQ(doc["diagnostics"][0]["line"], 4);
}

TEST(Render, SarifGolden) {
  CheckRegistry registry = SampleRegistry();
  ExpectGolden("report.sarif", RenderSarif(SampleReport(registry), registry));
}

TEST(Render, SarifRulesAndRegions) {
  CheckRegistry registry = SampleRegistry();
  auto doc = nlohmann::json::parse(RenderSarif(SampleReport(registry), registry));
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), 3u);
  const auto& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "BW-DF-001");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
  // A whole-file finding has no region (SARIF forbids startLine 0).
  EXPECT_FALSE(run["results"][2]["locations"][0]["physicalLocation"].contains("region"));
  EXPECT_EQ(run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "k8s/evil%20dir/pod.yaml");
}

TEST(Render, MarkdownGoldenAndEscaped) {
  CheckRegistry registry = SampleRegistry();
  std::string md = RenderMarkdown(SampleReport(registry));
  ExpectGolden("report.md", md);
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
}

TEST(Render, TableGoldenPlainAndColour) {
  CheckRegistry registry = SampleRegistry();
  Report report = SampleReport(registry);
  std::string plain = RenderTable(report, TableOptions{false, false});
  ExpectGolden("report.txt", plain);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);  // nothing from input reaches the terminal raw
  std::string colour = RenderTable(report, TableOptions{true, false});
  EXPECT_NE(colour.find("\033[1;31m"), std::string::npos);
  EXPECT_EQ(colour.find("\x1b[2J"), std::string::npos);
}

}  // namespace bulwark::core

namespace bulwark::core {

TEST(Render, JsonListsSuppressedFindingsWithReasons) {
  CheckRegistry registry = SampleRegistry();
  Report report = SampleReport(registry);
  Finding hidden = report.findings.front();
  report.suppressed_findings.push_back({hidden, "ignorefile:3", "accepted: base image owned by platform team"});
  auto doc = nlohmann::json::parse(RenderJson(report));
  ASSERT_TRUE(doc.contains("suppressed"));
  ASSERT_EQ(doc["suppressed"].size(), 1u);
  EXPECT_EQ(doc["suppressed"][0]["id"], hidden.id);
  EXPECT_EQ(doc["suppressed"][0]["source"], "ignorefile:3");
  EXPECT_EQ(doc["suppressed"][0]["reason"], "accepted: base image owned by platform team");
  EXPECT_EQ(doc["suppressed"][0]["location"]["path"], hidden.location.path);
  // Reports without suppressions keep the shape they always had.
  EXPECT_FALSE(nlohmann::json::parse(RenderJson(SampleReport(registry))).contains("suppressed"));
}

}  // namespace bulwark::core
