// docs/threat-model.md lists every threat rule with its STRIDE category,
// targets, title, ATT&CK techniques, NIST controls and confirming checks, so
// the table users read cannot drift from the rules (`--list-rules` prints
// the same data).
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "model/derive_threats.hpp"
#include "test_support.hpp"

namespace bulwark::model {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "–" : out;
}

// The table's cells of the row that starts with "| `id` |"; empty when none.
std::vector<std::string> Row(const std::string& doc, const std::string& id) {
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `" + id + "` |", 0) != 0) continue;
    std::vector<std::string> cells;
    size_t start = 1;
    for (size_t bar; (bar = line.find(" |", start)) != std::string::npos; start = bar + 2) {
      std::string cell = line.substr(start, bar - start);
      cells.push_back(cell.substr(cell.find_first_not_of(' ')));
    }
    return cells;
  }
  return {};
}

TEST(ThreatModelDoc, EveryRuleIsInTheTableAsTheCodeHasIt) {
  std::string doc = testing::ReadFile(testing::SourceDir() / "docs/threat-model.md");
  std::map<std::string, const ThreatRule*> by_id;
  for (const ThreatRule& rule : AllThreatRules()) by_id[rule.id] = &rule;
  for (const ThreatRuleInfo& rule : ThreatRules()) {
    std::vector<std::string> cells = Row(doc, rule.id);
    ASSERT_EQ(cells.size(), 7u) << rule.id << " is not a row of docs/threat-model.md; expected:\n| `" << rule.id
                                << "` | " << StrideName(rule.stride) << " | " << rule.targets << " | " << rule.title
                                << " | " << Join(rule.attack) << " | " << Join(rule.nist) << " | "
                                << Join(rule.confirmed_by) << " |";
    EXPECT_EQ(cells[1], StrideName(rule.stride)) << rule.id;
    EXPECT_EQ(cells[2], rule.targets) << rule.id;
    EXPECT_EQ(cells[3], rule.title) << rule.id;
    EXPECT_EQ(cells[4], Join(rule.attack)) << rule.id;
    EXPECT_EQ(cells[5], Join(rule.nist)) << rule.id;
    for (const std::string& check : rule.confirmed_by) {
      std::regex whole("(^|[ *,])" + std::regex_replace(check, std::regex("\\."), "\\.") + "(,|$| )");
      EXPECT_TRUE(std::regex_search(cells[6], whole)) << rule.id << " does not list " << check;
    }
    EXPECT_EQ(cells[6].rfind("* ", 0) == 0, by_id[rule.id]->fires_on_findings) << rule.id << ": the * marker";
  }
}

TEST(ThreatModelDoc, TheTableHasNoRuleTheCodeLacks) {
  std::string doc = testing::ReadFile(testing::SourceDir() / "docs/threat-model.md");
  std::set<std::string> ids;
  for (const ThreatRuleInfo& rule : ThreatRules()) ids.insert(rule.id);
  std::regex row_re("\\n\\| `(TM-[A-Z]-[0-9]+)` \\|");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row_re); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(ids.count((*it)[1])) << (*it)[1] << " is documented but not a rule";
  }
}

}  // namespace
}  // namespace bulwark::model
