#include <gtest/gtest.h>

#include <map>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

CatalogOutput RunComposer(const image::FileView& view) {
  CatalogOutput out;
  MakeComposerCataloger()->Catalog(view, CatalogContext(), out);
  return out;
}

TEST(ComposerCataloger, ComposerOneAndTwo) {
  CatalogOutput out = RunComposer(
      testing::FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/composer/rootfs"));
  std::map<std::string, const Package*> by_name;
  for (const Package& p : out.packages) by_name[p.name] = &p;
  ASSERT_EQ(out.packages.size(), 5u);
  const Package& monolog = *by_name.at("monolog/monolog");
  EXPECT_EQ(monolog.version, "2.9.1");
  EXPECT_EQ(monolog.type, PackageType::kComposer);
  EXPECT_EQ(monolog.cataloger, "composer-installed");
  EXPECT_EQ(monolog.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(monolog.locations,
            std::vector<std::string>{"/var/www/app/vendor/composer/installed.json"});
  EXPECT_EQ(monolog.purl, "pkg:composer/monolog/monolog@2.9.1");
  EXPECT_EQ(by_name.at("symfony/console")->version, "v6.3.0");  // kept as written
  EXPECT_EQ(by_name.at("psr/log")->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(by_name.at("doctrine/dbal")->licenses,
            (std::vector<std::string>{"MIT", "BSD-3-Clause"}));
  EXPECT_EQ(by_name.at("guzzlehttp/guzzle")->locations,
            std::vector<std::string>{"/srv/legacy/vendor/composer/installed.json"});
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0],
            "srv/bad/vendor/composer/installed.json: neither a package array nor {\"packages\": "
            "[...]}, skipped");
  EXPECT_EQ(
      out.notes[1],
      "var/www/app/vendor/composer/installed.json: package 4: no \"name\" or \"version\", skipped");
}

TEST(ComposerCataloger, Wants) {
  auto cataloger = MakeComposerCataloger();
  image::FileEntry entry;
  entry.path = "app/vendor/composer/installed.json";
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.path = "vendor/composer/installed.json";
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.path = "app/myvendor/composer/installed.json";
  EXPECT_FALSE(cataloger->Wants(entry));
  entry.path = "app/composer.lock";
  EXPECT_FALSE(cataloger->Wants(entry));
}

TEST(ComposerCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("{}"), std::string("[1, null, \"x\", {}]"),
        std::string("{\"packages\": null}"), std::string("[{\"name\": 1, \"version\": {}}]"),
        std::string("[{\"name\": \"a/b\", \"version\": \"1\", \"license\": [1, null]}]"),
        std::string(100000, '{')}) {
    CatalogOutput out = RunComposer(MemoryView({{"vendor/composer/installed.json", text}}));
    for (const Package& p : out.packages) EXPECT_EQ(p.name, "a/b");
  }
}

}  // namespace
}  // namespace bulwark::sbom
