// SourceFile: one input file held in memory, with the path shown to the user,
// and LineIndex for turning byte offsets into 1-based line/column positions.
// Value types; LineIndex is immutable after construction (thread-safe reads).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::core {

struct SourceFile {
  std::string path;                    // as shown to the user (relative to the audit root)
  std::filesystem::path absolute_path;  // where it lives; may be empty for in-memory input
  std::string content;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // 1-based line and column (column counts bytes) of a byte offset.
  std::pair<int, int> Position(size_t offset) const;
  // The text of a 1-based line without its line ending; empty when out of range.
  std::string_view Line(int line) const;
  int line_count() const { return static_cast<int>(starts_.size()); }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace bulwark::core
