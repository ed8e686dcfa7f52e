#include <gtest/gtest.h>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

CatalogOutput RunDotnet(const image::FileView& view) {
  CatalogOutput out;
  MakeDotnetCataloger()->Catalog(view, CatalogContext(), out);
  return out;
}

TEST(DotnetCataloger, PackageLibrariesOnly) {
  CatalogOutput out = RunDotnet(
      testing::FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/dotnet/rootfs"));
  ASSERT_EQ(out.packages.size(), 2u);
  const Package& json = out.packages[0];
  EXPECT_EQ(json.name, "Newtonsoft.Json");
  EXPECT_EQ(json.version, "13.0.1");
  EXPECT_EQ(json.type, PackageType::kNuget);
  EXPECT_EQ(json.cataloger, "dotnet-deps");
  EXPECT_EQ(json.locations, std::vector<std::string>{"/app/MyApp.deps.json"});
  EXPECT_EQ(json.purl, "pkg:nuget/Newtonsoft.Json@13.0.1");  // as Trivy prints it
  EXPECT_EQ(out.packages[1].name, "Serilog");
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0],
            "app/MyApp.deps.json: library \"NoVersion\" is not \"Name/Version\", skipped");
  EXPECT_EQ(out.notes[1], "other/weird.deps.json: not a JSON object, skipped");
}

TEST(DotnetCataloger, Wants) {
  auto cataloger = MakeDotnetCataloger();
  image::FileEntry entry;
  entry.path = "app/x.deps.json";
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.path = "app/.deps.json";
  EXPECT_FALSE(cataloger->Wants(entry));
  entry.path = "app/x.runtimeconfig.json";
  EXPECT_FALSE(cataloger->Wants(entry));
}

TEST(DotnetCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("{\"libraries\": []}"),
        std::string("{\"libraries\": {\"/\": {\"type\": \"package\"}}}"),
        std::string(
            "{\"libraries\": {\"a/\": {\"type\": \"package\"}, \"b\": 1, \"c/1\": {\"type\": 1}}}"),
        std::string(100000, '[')}) {
    CatalogOutput out = RunDotnet(MemoryView({{"a.deps.json", text}}));
    EXPECT_TRUE(out.packages.empty());
  }
}

}  // namespace
}  // namespace bulwark::sbom
