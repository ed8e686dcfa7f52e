// The totals one load may build (load_budget.hpp): macro nodes, list items
// and condition text over all macros, lists and rules together, each
// refused with an error that names the file, line and item where the total
// ran out, while the load finishes.
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/condition_text.hpp"
#include "runtime/rules/fake_state.hpp"
#include "runtime/rules/load_budget.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::LoadYaml;
using testing::OneRule;

// The first error whose text contains `needle`, formatted; "" when none.
std::string ErrorWith(const LoadResult& r, const std::string& needle) {
  for (const auto& d : r.diagnostics) {
    std::string text = FormatDiagnostic(d);
    if (d.severity == DiagSeverity::kError && text.find(needle) != std::string::npos) return text;
  }
  return "";
}

std::string Macro(const std::string& name, const std::string& condition) {
  return "- macro: " + name + "\n  condition: " + condition + "\n";
}

TEST(LoadBudget, ManyLargeMacrosStopAtTheTotalNodes) {
  // m15 has 65,535 nodes, each x 131,071: under the per-condition bound,
  // but twenty of them (what the fuzzer found: 1.6 GB from 1.4 KB) are not.
  std::string yaml = Macro("m0", "proc.name = a");
  for (int i = 1; i <= 15; ++i) {
    std::string prev = "m" + std::to_string(i - 1);
    yaml += Macro("m" + std::to_string(i), prev + " and " + prev);
  }
  for (int i = 0; i < 20; ++i) yaml += Macro("x" + std::to_string(i), "m15 and m15");
  yaml += OneRule("evt.type = execve and x0");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_NE(engine, nullptr);
  // The m chain and x0, x1 take about 390,000 nodes: x2 is refused at its
  // second reference, and every later macro at its first.
  EXPECT_EQ(ErrorWith(r, "in total"),
            "test.yaml:38:22: error: macro 'x2': the rule files expand to more than " +
                std::to_string(kMaxLoadExpandedNodes) +
                " condition nodes in total (all macros and rules); nothing more is expanded")
      << Errors(r);
  EXPECT_NE(ErrorWith(r, "macro 'x19'"), "");
  // The rule, compiled after every macro, is refused too: the total is spent.
  EXPECT_NE(ErrorWith(r, "rule 'r'"), "") << Errors(r);
}

TEST(LoadBudget, NestedListsStopAtTheTotalItems) {
  std::string items;
  for (int i = 0; i < 1000; ++i) items += (i == 0 ? "" : ", ") + std::string("a") + std::to_string(i);
  std::string refs;
  for (int i = 0; i < 1001; ++i) refs += i == 0 ? "many" : ", many";
  std::string yaml = "- list: many\n  items: [" + items + "]\n- list: product\n  items: [" + refs + "]\n" +
                     OneRule("evt.type = execve and proc.name in (product)");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(ErrorWith(r, "list 'product'"),
            "test.yaml:3:3: error: list 'product': the lists expand to more than " +
                std::to_string(kMaxLoadListItems) +
                " items in total (nested lists counted each time they are named); this list is left empty")
      << Errors(r);
  // Only that list: the rule using it still compiles (against no items).
  EXPECT_EQ(r.ErrorCount(), 1u) << Errors(r);
}

TEST(LoadBudget, ExpandListsCountsBeforeCopying) {
  Collector c;
  ASSERT_TRUE(c.DefineList({"a", {"1", "2", "3"}, {}, 0, 0}).ok());
  ASSERT_TRUE(c.DefineList({"b", {"a", "a"}, {}, 0, 0}).ok());
  ASSERT_TRUE(c.DefineList({"c", {"x"}, {}, 0, 0}).ok());
  auto lists = ExpandLists(c.lists(), c, 4);
  EXPECT_EQ(lists[0].items.size(), 3u);
  EXPECT_TRUE(lists[1].too_large);
  EXPECT_TRUE(lists[1].items.empty());
  EXPECT_EQ(lists[2].items, (std::vector<std::string>{"x"}));  // what is left still fits
}

TEST(LoadBudget, ConditionTextStopsAtTheTotalBytes) {
  // A list of about 1 MB of text, under the 1 MiB per-condition bound, used by
  // nine macros: the ninth passes the 8 MiB total.
  std::string items;
  for (int i = 0; i < 10000; ++i) items += (i == 0 ? "" : ", ") + std::string(95, 'p') + std::to_string(10000 + i);
  std::string yaml = "- list: big\n  items: [" + items + "]\n";
  for (int i = 0; i < 9; ++i) yaml += Macro("uses" + std::to_string(i), "proc.name in (big)");
  LoadResult r;
  auto engine = LoadYaml(yaml, r);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(ErrorWith(r, "MiB in total"),
            "test.yaml:20:14: error: macro 'uses8': the rule files' conditions are longer than " +
                std::to_string(kMaxLoadConditionBytes >> 20) +
                " MiB in total after list substitution (all macros and rules); nothing more is compiled")
      << Errors(r);
  EXPECT_EQ(r.ErrorCount(), 1u) << Errors(r);
}

}  // namespace
}  // namespace bulwark::runtime::rules
