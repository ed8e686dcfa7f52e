// The summary report laid out once as plain text blocks (headings,
// paragraphs, lists, tables) that the Markdown and HTML renderers both
// write, so they say the same and each escapes every string itself: no
// text here carries markup. Lists are cut so the report fits on one or two
// printed pages. Internal to bulwark_report; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "report/summary.hpp"

namespace bulwark::report::layout {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Block {
  enum class Type { kParagraph, kSubheading, kList, kTable };
  Type type = Type::kParagraph;
  std::string text;                // paragraph, subheading
  std::vector<std::string> items;  // list
  Table table;
};

struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;
  std::vector<std::string> meta;  // lines under the title: targets, dates, sources
  std::vector<Section> sections;
};

Document LayoutSummary(const Summary& summary);

// Parts of LayoutSummary, in the order the report shows them.
Section StepsSection(const Summary& summary);
Section CountsSection(const Summary& summary);
Section VulnerabilitiesSection(const Summary& summary);
Section FixedSection(const Summary& summary);
Section RemainingSection(const Summary& summary);
Section ArchitectureSection(const Summary& summary);
Section LessonsSection(const Summary& summary);

// Block builders.
Block Paragraph(std::string text);
Block Subheading(std::string text);
Block List(std::vector<std::string> items);
Block MakeTable(Table table);

// Keeps the first `limit` items and says how many more there were.
void CapList(std::vector<std::string>& items, size_t limit, size_t total);

// "2 critical, 3 high" (zero counts left out); "none" when all are zero.
std::string SeverityText(const Counts& counts);
// "ID title (severity) — where".
std::string ItemText(const Item& item);

}  // namespace bulwark::report::layout
