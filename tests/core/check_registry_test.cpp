#include "core/check_registry.hpp"

#include <gtest/gtest.h>

#include "core/finding_sink.hpp"

namespace bulwark::core {

TEST(CheckRegistry, RefusesDuplicateAndEmptyIds) {
  CheckRegistry registry;
  EXPECT_TRUE(registry.Add(CheckInfo{"BW-X-001", "A check"}).ok());
  EXPECT_FALSE(registry.Add(CheckInfo{"BW-X-001", "Again"}).ok());
  EXPECT_FALSE(registry.Add(CheckInfo{"", "No id"}).ok());
  EXPECT_FALSE(registry.Add(CheckInfo{"BW-X-002", ""}).ok());
  EXPECT_EQ(registry.size(), 1u);
}

TEST(FindingSink, FillsMetadataFromRegistry) {
  CheckRegistry registry;
  CheckInfo info{"BW-X-001", "Runs as root", Severity::kHigh, Category::kDockerfile, "why", "add USER"};
  info.references.cis = {"4.1"};
  info.fixable = true;
  ASSERT_TRUE(registry.Add(info).ok());
  FindingSink sink(registry);
  sink.Report("BW-X-001", Location{"Dockerfile", 3, 1}, "no USER in final stage");
  sink.Report("BW-NOPE", Location{"Dockerfile", 4, 1}, "unregistered");
  ASSERT_EQ(sink.findings().size(), 1u);
  const Finding& f = sink.findings()[0];
  EXPECT_EQ(f.title, "Runs as root");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.remediation, "add USER");
  EXPECT_EQ(f.references.cis, std::vector<std::string>{"4.1"});
  EXPECT_TRUE(f.fixable);
  ASSERT_EQ(sink.diagnostics().size(), 1u);  // the unregistered ID is a bug, reported, not a crash
}

}  // namespace bulwark::core
