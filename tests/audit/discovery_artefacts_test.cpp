#include <gtest/gtest.h>

#include "audit/discovery.hpp"
#include "test_support.hpp"

namespace bulwark::audit {
namespace {

// Backups and temporaries of `bulwark fix --write` are not part of the service.
TEST(Discovery, SkipsBulwarkFixBackupsAndTemporaries) {
  auto dir = testing::MakeTempDir("bulwark-discovery");
  testing::WriteFile(dir / "Dockerfile", "FROM debian:12\n");
  testing::WriteFile(dir / "Dockerfile.bulwark.bak", "FROM debian\n");
  testing::WriteFile(dir / ".docker-compose.yml.bulwark-Ab12Cd", "services: {}\n");
  testing::WriteFile(dir / ".bulwark-notes", "kept: not a temporary name\n");
  std::vector<core::Diagnostic> diagnostics;
  auto files = DiscoverFiles(dir, {}, diagnostics);
  ASSERT_TRUE(files.ok());
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.relative_path);
  EXPECT_EQ(names, (std::vector<std::string>{".bulwark-notes", "Dockerfile"}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::audit
