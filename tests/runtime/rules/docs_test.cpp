// docs/rules.md lists every field from the registry (FieldsMarkdown); this
// keeps the table current. BULWARK_UPDATE_GOLDEN=1 rewrites it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "runtime/rules/fields.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::rules {
namespace {

constexpr const char* kBegin = "<!-- fields:begin -->\n";
constexpr const char* kEnd = "<!-- fields:end -->";

TEST(Docs, FieldTableIsCurrent) {
  auto path = bulwark::testing::SourceDir() / "docs/rules.md";
  std::string doc = bulwark::testing::ReadFile(path);
  size_t begin = doc.find(kBegin);
  size_t end = doc.find(kEnd);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  begin += std::string(kBegin).size();
  auto registry = DefaultFieldRegistry();
  std::string table = FieldsMarkdown(*registry);
  if (const char* update = std::getenv("BULWARK_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    doc.replace(begin, end - begin, table);
    bulwark::testing::WriteFile(path, doc);
    return;
  }
  bool current = doc.substr(begin, end - begin) == table;
  EXPECT_TRUE(current) << "docs/rules.md field table is stale: run this test with BULWARK_UPDATE_GOLDEN=1";
  // The prose states the count.
  EXPECT_NE(doc.find(std::to_string(registry->AllFields().size()) + " fields from five providers"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::runtime::rules
