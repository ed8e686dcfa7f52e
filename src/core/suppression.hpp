// Suppressions: `.bulwarkignore` files and inline `# bulwark:ignore ID reason`
// comments. An ignore file holds one rule per line: `ID`, `path:ID` or
// `path-glob:ID`, optionally followed by `# reason`; blank lines and lines
// starting with `#` are comments. An inline comment suppresses the listed IDs
// (comma-separated, or `*`) on its own line and on the line below it.
// Immutable after construction; thread-safe reads.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/status.hpp"

namespace bulwark::core {

struct IgnoreRule {
  std::string id;
  std::string path_glob;  // empty: any path
  std::string reason;
  int line = 0;  // where it was written in the ignore file
};

class IgnoreFile {
 public:
  static IgnoreFile Parse(std::string_view text);
  static Result<IgnoreFile> Load(const std::filesystem::path& path);
  bool Matches(const Finding& finding) const { return Match(finding) != nullptr; }
  // The first rule that hides the finding (its reason goes in reports), or null.
  const IgnoreRule* Match(const Finding& finding) const;
  const std::vector<IgnoreRule>& rules() const { return rules_; }

 private:
  std::vector<IgnoreRule> rules_;
};

// Inline suppressions of one file: line -> IDs suppressed there.
class InlineIgnores {
 public:
  static InlineIgnores Scan(std::string_view content);
  bool Matches(const Finding& finding) const { return Match(finding).has_value(); }
  // The reason written after the IDs ("" when none), or nullopt when the
  // finding is not suppressed on its line.
  std::optional<std::string> Match(const Finding& finding) const;
  bool empty() const { return by_line_.empty(); }

 private:
  // line -> suppressed ID -> reason
  std::map<int, std::map<std::string, std::string, std::less<>>> by_line_;
};

// gitignore-style glob: `*` within a segment, `**` across segments, `?`,
// `[...]`. A pattern without `/` matches the last path segment anywhere.
bool GlobMatch(std::string_view pattern, std::string_view path);

}  // namespace bulwark::core
