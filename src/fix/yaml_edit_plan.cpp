// Turns what is pending in one collection (removed children, flow
// insertions) into edits that do not overlap: neighbouring removals in a
// flow collection share one comma, a collection left empty becomes `[]` or
// `{}`, and a file that ends without a line break still does.
#include <algorithm>

#include "fix/yaml_edit.hpp"
#include "fix/yaml_edit_collection.hpp"
#include "fix/yaml_edit_layout.hpp"
#include "fix/yaml_edit_render.hpp"

namespace bulwark::fix {
namespace {

struct Run {
  size_t first = 0;
  size_t last = 0;
};

std::vector<Run> RemovedRuns(const std::map<size_t, std::string>& removed) {
  std::vector<Run> runs;
  for (const auto& [index, id] : removed) {
    if (!runs.empty() && runs.back().last + 1 == index) {
      runs.back().last = index;
    } else {
      runs.push_back({index, index});
    }
  }
  return runs;
}

}  // namespace

// Pending insertions: in a flow collection ", piece" before the closing
// bracket (or the pieces alone in an empty one), in a block collection new
// lines after its last child, child-indented like the first one.
void YamlEditor::InsertionEdits(const Collection& c, std::vector<TextEdit>& out) const {
  const auto& layout = *layout_;
  const size_t n = c.children.size();
  if (c.inserts.empty()) return;
  if (c.flow) {
    const bool all_removed = n > 0 && c.removed.size() == n;
    size_t at = c.open + 1;
    bool first = true;
    if (n > 0 && !all_removed) {
      size_t last_kept = n - 1;
      while (c.removed.count(last_kept) != 0) --last_kept;
      at = c.children[last_kept].end;
      first = false;
    }
    for (const auto& insert : c.inserts) {
      std::string piece = yaml_internal::RenderFlow(insert.value, style_.quote);
      if (c.node->IsMap()) piece = QuoteScalar(insert.key, style_.quote) + ": " + piece;
      out.push_back(TextEdit{at, at, (first ? "" : ", ") + piece, insert.check_id});
      first = false;
    }
    return;
  }
  const auto& front = c.children.front();
  const int column = layout.ColumnOf(front.begin);
  const int last_line = layout.LineOf(c.children.back().end - 1);
  // New items follow the first one: its dash column and the spaces after it.
  int gap = 1;
  if (front.content > front.begin && layout.LineOf(front.content) == layout.LineOf(front.begin)) {
    gap = static_cast<int>(front.content - front.begin) - 1;
  }
  for (const auto& insert : c.inserts) {
    std::vector<std::string> lines;
    if (c.node->IsMap()) {
      yaml_internal::RenderBlockEntry(lines, column, insert.key, insert.value, style_);
    } else {
      yaml_internal::RenderBlockItem(lines, column, insert.value, style_, gap);
    }
    out.push_back(LinesAfter(last_line, lines, insert.check_id));
  }
}

core::Result<std::vector<TextEdit>> YamlEditor::CollectionEdits(const Collection& c) const {
  const auto& layout = *layout_;
  std::vector<TextEdit> out;
  InsertionEdits(c, out);
  const size_t n = c.children.size();
  if (c.removed.empty()) return out;
  const bool all_removed = c.removed.size() == n;
  auto removal = [&](size_t begin, size_t end, std::string text, const std::string& id) {
    out.push_back(TextEdit{begin, end, std::move(text), id});
  };

  if (c.flow) {
    if (all_removed) {
      removal(c.open + 1, c.close, "", c.removed.begin()->second);
      return out;
    }
    for (const Run& run : RemovedRuns(c.removed)) {
      const std::string& id = c.removed.at(run.first);
      if (run.last + 1 < n) {
        removal(c.children[run.first].begin, c.children[run.last + 1].begin, "", id);
      } else {
        removal(c.children[run.first - 1].end, c.children[run.last].end, "", id);
      }
    }
    return out;
  }

  if (all_removed && c.inserts.empty()) {
    removal(c.children.front().begin, c.children.back().end, c.node->IsMap() ? "{}" : "[]",
            c.removed.begin()->second);
    return out;
  }
  for (const Run& run : RemovedRuns(c.removed)) {
    const std::string& id = c.removed.at(run.first);
    if (run.first == 0 && !layout.OnlySpacesBefore(c.children[0].begin)) {
      // `- name: x` + `  other: y`: the next kept entry moves up after the dash.
      if (run.last + 1 >= n) {
        return yaml_internal::Unsupported("every entry of a mapping that starts after a dash",
                                          layout.LineOf(c.children[0].begin));
      }
      removal(c.children[0].begin, c.children[run.last + 1].begin, "", id);
      continue;
    }
    const int first_line = layout.LineOf(c.children[run.first].begin);
    const int last_line = layout.LineOf(c.children[run.last].end - 1);
    if (layout.NextLine(last_line) == text_.size() && !EndsWithNewline(text_) && first_line > 1) {
      // The text ends without a line break: take the one before instead.
      removal(layout.LineEnd(first_line - 1), text_.size(), "", id);
      continue;
    }
    // Child by child, so comments between removed children stay.
    for (size_t k = run.first; k <= run.last; ++k) {
      const int begin_line = layout.LineOf(c.children[k].begin);
      const int end_line = layout.LineOf(c.children[k].end - 1);
      removal(layout.LineStart(begin_line), layout.NextLine(end_line), "", c.removed.at(k));
    }
  }
  return out;
}

core::Result<TextEdit> YamlEditor::FillEdit(const Fill& fill) const {
  ASSIGN_OR_RETURN(auto span, layout_->Entry(*fill.map, *fill.entry));
  std::vector<std::string> lines;
  yaml_internal::RenderBlockChildren(lines, layout_->ColumnOf(span.key_begin), fill.value, style_);
  const int line = layout_->LineOf(span.end - 1);
  TextEdit edit = LinesAfter(line, lines, fill.check_id);
  if (!span.empty_value) {
    // `key: ~  # c` -> `key:  # c` + the new lines: one edit from the colon.
    const size_t next = layout_->NextLine(line);
    edit.text = std::string(text_.substr(span.end, next - span.end)) + edit.text;
    edit.begin = span.colon_end;
  }
  return edit;
}

}  // namespace bulwark::fix
