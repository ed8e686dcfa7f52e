#include "core/source_file.hpp"

#include <algorithm>

namespace bulwark::core {

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
  // A trailing newline does not open a new line.
  if (starts_.size() > 1 && starts_.back() == text.size()) starts_.pop_back();
}

std::pair<int, int> LineIndex::Position(size_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
  size_t start = starts_[line - 1];
  return {static_cast<int>(line), static_cast<int>(offset - start + 1)};
}

std::string_view LineIndex::Line(int line) const {
  if (line < 1 || line > line_count()) return {};
  size_t begin = starts_[static_cast<size_t>(line - 1)];
  size_t end = static_cast<size_t>(line) < starts_.size() ? starts_[static_cast<size_t>(line)]
                                                          : text_.size();
  std::string_view out = text_.substr(begin, end - begin);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.remove_suffix(1);
  return out;
}

}  // namespace bulwark::core
