// summary_report.md: the laid-out summary (summary_layout.hpp) as Markdown.
#include "core/escape.hpp"
#include "report/render_summary.hpp"
#include "report/summary_layout.hpp"

namespace bulwark::report {
namespace {

std::string Md(const std::string& text) { return core::EscapeMarkdown(text); }

void WriteRow(const std::vector<std::string>& cells, std::string& out) {
  out += "|";
  for (const std::string& cell : cells) out += " " + Md(cell) + " |";
  out += "\n";
}

void WriteTable(const layout::Table& table, std::string& out) {
  WriteRow(table.header, out);
  out += "|";
  for (size_t i = 0; i < table.header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : table.rows) WriteRow(row, out);
  out += "\n";
}

void WriteBlock(const layout::Block& block, std::string& out) {
  switch (block.type) {
    case layout::Block::Type::kParagraph:
      out += Md(block.text) + "\n\n";
      break;
    case layout::Block::Type::kSubheading:
      out += "### " + Md(block.text) + "\n\n";
      break;
    case layout::Block::Type::kList:
      for (const std::string& item : block.items) out += "- " + Md(item) + "\n";
      out += "\n";
      break;
    case layout::Block::Type::kTable:
      WriteTable(block.table, out);
      break;
  }
}

}  // namespace

std::string RenderSummaryMarkdown(const Summary& summary) {
  layout::Document doc = layout::LayoutSummary(summary);
  std::string out = "# " + Md(doc.title) + "\n\n";
  // Two trailing spaces: a line break inside one paragraph.
  for (const std::string& line : doc.meta) out += Md(line) + "  \n";
  out += "\n";
  for (const layout::Section& section : doc.sections) {
    out += "## " + Md(section.heading) + "\n\n";
    for (const layout::Block& block : section.blocks) WriteBlock(block, out);
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

}  // namespace bulwark::report
