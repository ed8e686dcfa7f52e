// docs/scanning.md names every cataloger and every path it reads, so the
// table users read cannot drift from the code.
#include <gtest/gtest.h>

#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

TEST(CatalogersDoc, EveryCatalogerAndPathIsDocumented) {
  std::string doc = testing::ReadFile(testing::SourceDir() / "docs/scanning.md");
  for (const auto& cataloger : AllCatalogers()) {
    std::string name(cataloger->Name());
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << name << " is not in docs/scanning.md";
    for (const std::string& path : cataloger->Paths()) {
      // Descriptions in parentheses are prose in the doc; the glob before them must appear.
      std::string glob = path.substr(0, path.find(" ("));
      if (glob.rfind("**/* ", 0) == 0 || glob == "**/*" || glob.rfind("<", 0) == 0) continue;
      EXPECT_NE(doc.find("`" + glob + "`"), std::string::npos) << name << ": " << glob;
    }
  }
}

}  // namespace
}  // namespace bulwark::sbom
