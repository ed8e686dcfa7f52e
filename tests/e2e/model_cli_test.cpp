// `bulwark model` end to end: golden threat models (JSON, Markdown, DOT) of
// the lab, vulnerable and hardened, and of three systems of other shapes (a
// Kubernetes app with an ingress and a database, a compose stack with a
// message broker and three services, a single container). The diagram is
// rendered by Graphviz in the run and checked: every element and boundary
// is named in the SVG, and the PNG is drawn at a legible size. The goldens
// use the small fixture catalog (tests/model/fixtures/catalog) so they are
// the same on every clone; the real ATT&CK data is checked separately.
// BULWARK_UPDATE_GOLDEN=1 rewrites the goldens (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/version.hpp"
#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct System {
  std::string name;  // golden directory
  std::string path;  // relative to the source dir
};

const System kSystems[] = {
    {"lab-vulnerable", "lab/vulnerable-app"},
    {"lab-hardened", "lab/hardened-app"},
    {"k8s-shop", "tests/model/fixtures/systems/k8s-shop"},
    {"compose-broker", "tests/model/fixtures/systems/compose-broker"},
    {"single-container", "tests/model/fixtures/systems/single-container"},
};

fs::path Catalog() { return SourceDir() / "tests/model/fixtures/catalog"; }

CommandResult Model(const std::string& path, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{BulwarkBinary().string(), "model", path, "--output-dir", out.string(),
                                "--reference-data", Catalog().string(), "--no-results", "-q"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunCommand(argv, SourceDir());
}

// The version and the absolute source path are the only run-dependent text.
std::string Normalise(std::string text) {
  const std::string version(core::kVersion);
  for (size_t pos; (pos = text.find(version)) != std::string::npos;) text.replace(pos, version.size(), "VERSION");
  return text;
}

void ExpectGolden(const fs::path& golden, const std::string& actual) {
  std::string normalised = Normalise(actual);
  if (const char* update = std::getenv("BULWARK_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    WriteFile(golden, normalised);
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing: run with BULWARK_UPDATE_GOLDEN=1";
  EXPECT_EQ(ReadFile(golden), normalised) << "golden " << golden << " differs";
}

// Text of every <text> element, entities decoded.
std::set<std::string> SvgTexts(const std::string& svg) {
  std::set<std::string> texts;
  std::regex text_re("<text[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_re); it != std::sregex_iterator(); ++it) {
    std::string t = (*it)[1];
    for (auto [entity, ch] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
                              {"&#45;", "-"}, {"&amp;", "&"}}) {
      for (size_t pos; (pos = t.find(entity)) != std::string::npos;) t.replace(pos, std::string(entity).size(), ch);
    }
    texts.insert(t);
  }
  return texts;
}

bool SvgNames(const std::set<std::string>& texts, const std::string& name) {
  for (const std::string& t : texts) {
    if (t.find(name) != std::string::npos) return true;
  }
  return false;
}

uint32_t BigEndian32(const std::string& s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
         (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

}  // namespace

class ModelGolden : public ::testing::TestWithParam<System> {};

TEST_P(ModelGolden, JsonMarkdownAndDotMatchTheGoldens) {
  const System& system = GetParam();
  fs::path out = MakeTempDir("bulwark-model-" + system.name);
  CommandResult r = Model(system.path, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path golden = SourceDir() / "tests/e2e/golden/model" / system.name;
  ExpectGolden(golden / "threat_model.json", ReadFile(out / "threat_model.json"));
  ExpectGolden(golden / "threat_model.md", ReadFile(out / "threat_model.md"));
  ExpectGolden(golden / "architecture_diagram.dot", ReadFile(out / "architecture_diagram.dot"));
  fs::remove_all(out);
}

TEST_P(ModelGolden, SvgNamesEveryElementAndBoundary) {
  const System& system = GetParam();
  fs::path out = MakeTempDir("bulwark-model-svg-" + system.name);
  CommandResult r = Model(system.path, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json model = json::parse(ReadFile(out / "threat_model.json"));
  std::set<std::string> texts = SvgTexts(ReadFile(out / "architecture_diagram.svg"));
  ASSERT_FALSE(model["system"]["elements"].empty());
  for (const json& e : model["system"]["elements"]) {
    EXPECT_TRUE(SvgNames(texts, e["name"].get<std::string>())) << system.name << ": element " << e["name"];
  }
  for (const json& b : model["system"]["boundaries"]) {
    EXPECT_TRUE(SvgNames(texts, b["name"].get<std::string>())) << system.name << ": boundary " << b["name"];
  }
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Systems, ModelGolden, ::testing::ValuesIn(kSystems),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           for (char& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });

// The lab's PNG is a deliverable people read: drawn at Graphviz's natural
// size (never scaled down to fit a page), with fonts of at least 12 pt.
TEST(ModelDiagram, LabPngIsLegibleAtFullSize) {
  fs::path out = MakeTempDir("bulwark-model-png");
  CommandResult r = Model("lab/vulnerable-app", out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string png = ReadFile(out / "architecture_diagram.png");
  ASSERT_GT(png.size(), 24u);
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  ASSERT_EQ(png.substr(12, 4), "IHDR");
  uint32_t width = BigEndian32(png, 16);
  uint32_t height = BigEndian32(png, 20);
  EXPECT_GE(width, 600u);
  EXPECT_GE(height, 200u);
  EXPECT_LE(width, 6000u) << "too wide to read at 100%";
  EXPECT_LE(height, 6000u);
  std::string dot = ReadFile(out / "architecture_diagram.dot");
  EXPECT_FALSE(std::regex_search(dot, std::regex("[\\[ ,;]size *="))) << "a size attribute scales the drawing down";
  std::regex font_re("(?:fontsize|point-size)=\"?([0-9.]+)");
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), font_re); it != std::sregex_iterator(); ++it) {
    EXPECT_GE(std::stod((*it)[1]), 12.0) << "font too small: " << (*it)[0];
  }
  // Every label of the SVG is in the PNG's source graph too: the two come
  // from the same DOT, so a name in the SVG is drawn in the PNG.
  std::set<std::string> texts = SvgTexts(ReadFile(out / "architecture_diagram.svg"));
  for (const char* name : {"web", "db", "frontend", "backend"}) EXPECT_TRUE(SvgNames(texts, name)) << name;
  fs::remove_all(out);
}

TEST(ModelCli, BeforeAndAfterDrawsBothAndComparesCounts) {
  fs::path out = MakeTempDir("bulwark-model-before-after");
  CommandResult r = Model("lab/hardened-app", out, {"--before", "lab/vulnerable-app"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json after = json::parse(ReadFile(out / "threat_model.json"));
  ASSERT_TRUE(after.contains("before"));
  EXPECT_GT(after["before"]["confirmed"].get<int>(), after["summary"]["confirmed"].get<int>())
      << "hardening must confirm fewer threats";
  std::string dot = ReadFile(out / "architecture_diagram.dot");
  EXPECT_NE(dot.find("Before"), std::string::npos);
  EXPECT_NE(dot.find("After"), std::string::npos);
  std::string md = ReadFile(out / "threat_model.md");
  EXPECT_NE(md.find("Before and after"), std::string::npos);
  fs::remove_all(out);
}

TEST(ModelCli, StdoutFormatsAndErrors) {
  CommandResult md = RunCommand({BulwarkBinary().string(), "model", "lab/vulnerable-app", "--no-results", "-q",
                                 "--reference-data", Catalog().string()},
                                SourceDir());
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("STRIDE"), std::string::npos);
  CommandResult js = RunCommand({BulwarkBinary().string(), "model", "lab/vulnerable-app", "--no-results", "-q",
                                 "-f", "json", "--reference-data", Catalog().string()},
                                SourceDir());
  ASSERT_EQ(js.exit_code, 0) << js.err;
  EXPECT_FALSE(json::parse(js.out, nullptr, false).is_discarded());
  CommandResult missing = RunCommand({BulwarkBinary().string(), "model", "no/such/dir", "--no-results"}, SourceDir());
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("no/such/dir"), std::string::npos) << missing.err;
  CommandResult bad_format = RunCommand({BulwarkBinary().string(), "model", ".", "-f", "pdf"}, SourceDir());
  EXPECT_EQ(bad_format.exit_code, 2);
  CommandResult rules = RunCommand({BulwarkBinary().string(), "model", "--list-rules"}, SourceDir());
  ASSERT_EQ(rules.exit_code, 0);
  EXPECT_NE(rules.out.find("rules"), std::string::npos);
}

// With the real ATT&CK / NIST data compiled in (the development workspace
// and CI), every technique and control the lab's model names has its
// official name and title.
TEST(ModelCli, CompiledCatalogNamesEveryTechniqueAndControl) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  CommandResult r = RunCommand({BulwarkBinary().string(), "model", "lab/vulnerable-app", "--no-results", "-q", "-f",
                                "json"},
                               SourceDir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json model = json::parse(r.out);
  if (!model["reference"]["available"].get<bool>()) {
    GTEST_SKIP() << "SKIPPED: this build has no ATT&CK/NIST data compiled in (BULWARK_REFERENCE_DATA)";
  }
  EXPECT_EQ(model["reference"]["attack_version"], json::parse(ReadFile(data / "attack-containers.json"))["attack_version"]);
  for (const json& t : model["threats"]) {
    for (const json& a : t["attack"]) EXPECT_FALSE(a["name"].get<std::string>().empty()) << a;
    for (const json& c : t["nist"]) EXPECT_FALSE(c["title"].get<std::string>().empty()) << c;
  }
}

}  // namespace bulwark::testing
