#include <gtest/gtest.h>

#include <map>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

CatalogOutput RunGem(const image::FileView& view) {
  CatalogOutput out;
  MakeGemCataloger()->Catalog(view, CatalogContext(), out);
  return out;
}

TEST(GemCataloger, InstalledSpecificationsReadAsText) {
  CatalogOutput out =
      RunGem(testing::FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/gem/rootfs"));
  std::map<std::string, const Package*> by_name;
  for (const Package& p : out.packages) by_name[p.name] = &p;
  ASSERT_EQ(out.packages.size(), 3u);
  const Package& rack = *by_name.at("rack");
  EXPECT_EQ(rack.version, "3.0.8");
  EXPECT_EQ(rack.type, PackageType::kGem);
  EXPECT_EQ(rack.cataloger, "gem-installed");
  EXPECT_EQ(rack.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(
      rack.locations,
      std::vector<std::string>{"/usr/local/lib/ruby/gems/3.2.0/specifications/rack-3.0.8.gemspec"});
  EXPECT_EQ(rack.purl, "pkg:gem/rack@3.0.8");
  const Package& json = *by_name.at("json");  // default gems live in specifications/default/
  EXPECT_EQ(json.version, "2.6.3");
  EXPECT_EQ(json.licenses, std::vector<std::string>{"Ruby"});
  EXPECT_EQ(by_name.at("old-style")->licenses, (std::vector<std::string>{"MIT", "GPL-2.0"}));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0],
            "var/lib/gems/3.1.0/specifications/computed-0.gemspec: no literal s.name or s.version, "
            "skipped");
}

TEST(GemCataloger, Wants) {
  auto cataloger = MakeGemCataloger();
  image::FileEntry entry;
  for (const char* path : {"usr/lib/ruby/gems/3.1.0/specifications/a-1.gemspec",
                           "specifications/a.gemspec", "x/specifications/default/a-1.gemspec"}) {
    entry.path = path;
    EXPECT_TRUE(cataloger->Wants(entry)) << path;
  }
  for (const char* path :
       {"gems/a-1/a.gemspec", "x/myspecifications/a.gemspec", "x/specifications/a.rb"}) {
    entry.path = path;
    EXPECT_FALSE(cataloger->Wants(entry)) << path;
  }
}

TEST(GemCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("s.name = \""), std::string("s.name = %q"),
        std::string("s.name = %q{x"), std::string("s.name = \"\\"), std::string(".=\n=.\ns.=\n"),
        std::string("s.name == \"a\"\ns.version = '1'"), std::string(2000, '%')}) {
    CatalogOutput out = RunGem(MemoryView({{"specifications/a.gemspec", text}}));
    EXPECT_TRUE(out.packages.empty()) << text;
  }
}

}  // namespace
}  // namespace bulwark::sbom
