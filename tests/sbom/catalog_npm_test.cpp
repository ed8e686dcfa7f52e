#include <gtest/gtest.h>

#include <map>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

CatalogOutput RunNpm(const image::FileView& view) {
  CatalogOutput out;
  MakeNpmCataloger()->Catalog(view, CatalogContext(), out);
  return out;
}

CatalogOutput RunFixture() {
  return RunNpm(testing::FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/npm/rootfs"));
}

TEST(NpmCataloger, InstalledPackagesScopedAndGlobal) {
  CatalogOutput out = RunFixture();
  std::map<std::string, const Package*> by_name;
  for (const Package& p : out.packages) by_name[p.name] = &p;
  ASSERT_EQ(out.packages.size(), 6u);
  const Package& types = *by_name.at("@types/node");
  EXPECT_EQ(types.version, "20.1.0");
  EXPECT_EQ(types.type, PackageType::kNpm);
  EXPECT_EQ(types.cataloger, "npm-installed");
  EXPECT_EQ(types.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(types.locations,
            std::vector<std::string>{"/app/node_modules/@types/node/package.json"});
  EXPECT_EQ(types.purl, "pkg:npm/%40types/node@20.1.0");
  EXPECT_EQ(by_name.at("Left-Pad")->purl, "pkg:npm/left-pad@1.3.0");
  EXPECT_EQ(by_name.at("legacy")->licenses, (std::vector<std::string>{"MIT", "Apache-2.0"}));
  EXPECT_EQ(by_name.at("npm")->locations,
            std::vector<std::string>{"/usr/lib/node_modules/npm/package.json"});
  EXPECT_EQ(by_name.at("@npmcli/arborist")->licenses, std::vector<std::string>{"ISC"});
  EXPECT_EQ(by_name.count("abbrev"), 1u);
  EXPECT_EQ(by_name.count("my-app"), 0u);  // the application itself, not under node_modules
}

TEST(NpmCataloger, NotesForBrokenManifestsButNotForPrivateOnes) {
  CatalogOutput out = RunFixture();
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0], "app/node_modules/broken/package.json: not a JSON object, skipped");
  EXPECT_EQ(out.notes[1],
            "app/node_modules/nover/package.json: no \"name\" or \"version\", skipped");
}

TEST(NpmCataloger, Wants) {
  auto cataloger = MakeNpmCataloger();
  image::FileEntry entry;
  for (const char* path : {"node_modules/a/package.json", "x/node_modules/@s/a/package.json",
                           "usr/lib/node_modules/npm/node_modules/abbrev/package.json"}) {
    entry.path = path;
    EXPECT_TRUE(cataloger->Wants(entry)) << path;
  }
  for (const char* path :
       {"package.json", "app/package.json", "node_modules/a/lib/package.json",
        "node_modules/package.json", "node_modules/a/b/c/package.json", "node_modules/a/x.json"}) {
    entry.path = path;
    EXPECT_FALSE(cataloger->Wants(entry)) << path;
  }
}

TEST(NpmCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("null"), std::string("[]"), std::string("\"x\""),
        std::string("{\"name\":1,\"version\":[]}"), std::string(100000, '['),
        std::string("{\"name\":\"a\",\"version\":\"1\",\"license\":[1],\"licenses\":{}}"),
        std::string("{\"name\":\"a\",\"version\":\"1\",\"license\":{\"type\":2}}")}) {
    CatalogOutput out = RunNpm(MemoryView({{"node_modules/a/package.json", text}}));
    for (const Package& p : out.packages) EXPECT_EQ(p.name, "a");
  }
}

}  // namespace
}  // namespace bulwark::sbom
