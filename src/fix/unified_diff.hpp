// UnifiedDiff: the `diff -u` / `git diff` text of two versions of a file, so
// `bulwark fix` output can be read by a reviewer and applied with
// `git apply` or `patch -p1`. Line-based (Myers' O(ND) algorithm), three
// lines of context, "\ No newline at end of file" markers; CRs stay in the
// lines so CRLF files round-trip. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::fix {

struct DiffLabels {
  std::string old_path;  // "a/Dockerfile", or "/dev/null" for a new file
  std::string new_path;  // "b/Dockerfile"
};

// Empty when the texts are equal.
std::string UnifiedDiff(std::string_view before, std::string_view after, const DiffLabels& labels,
                        int context = 3);

}  // namespace bulwark::fix
