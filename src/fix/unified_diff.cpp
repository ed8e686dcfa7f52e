#include "fix/unified_diff.hpp"

#include <algorithm>
#include <vector>

namespace bulwark::fix {

namespace {

// Lines with their line break kept, so "a\n" and "a" differ (the last line
// without a break is a change of its own, as diff shows it).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kKeep, kDelete, kInsert };

struct Step {
  Op op;
  size_t old_index;
  size_t new_index;
};

// Myers' greedy algorithm with the V arrays kept for the backtrack.
std::vector<Step> ShortestEditScript(const std::vector<std::string_view>& a,
                                     const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size());
  const long m = static_cast<long>(b.size());
  const long max = n + m;
  const long offset = max + 1;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  std::vector<std::vector<long>> trace;
  long found_d = 0;
  for (long d = 0; d <= max; ++d) {
    trace.push_back(v);
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[static_cast<size_t>(offset + k - 1)] < v[static_cast<size_t>(offset + k + 1)]))
                   ? v[static_cast<size_t>(offset + k + 1)]
                   : v[static_cast<size_t>(offset + k - 1)] + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) {
        ++x;
        ++y;
      }
      v[static_cast<size_t>(offset + k)] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      found_d = d;
      break;
    }
  }
  // Backtrack from (n, m) through the saved V arrays.
  std::vector<Step> steps;
  long x = n;
  long y = m;
  for (long d = found_d; d > 0; --d) {
    const std::vector<long>& pv = trace[static_cast<size_t>(d)];
    long k = x - y;
    long prev_k = (k == -d || (k != d && pv[static_cast<size_t>(offset + k - 1)] < pv[static_cast<size_t>(offset + k + 1)]))
                      ? k + 1
                      : k - 1;
    long prev_x = pv[static_cast<size_t>(offset + prev_k)];
    long prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      steps.push_back({Op::kKeep, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (x == prev_x) {
      --y;
      steps.push_back({Op::kInsert, static_cast<size_t>(x), static_cast<size_t>(y)});
    } else {
      --x;
      steps.push_back({Op::kDelete, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
  }
  while (x > 0 && y > 0) {
    --x;
    --y;
    steps.push_back({Op::kKeep, static_cast<size_t>(x), static_cast<size_t>(y)});
  }
  std::reverse(steps.begin(), steps.end());
  return steps;
}

void AppendLine(std::string& out, char prefix, std::string_view line) {
  out.push_back(prefix);
  out.append(line);
  if (line.empty() || line.back() != '\n') out.append("\n\\ No newline at end of file\n");
}

std::string Range(size_t start, size_t count) {
  // diff prints the line before an empty range, and omits a count of 1.
  size_t first = count == 0 ? start : start + 1;
  if (count == 1) return std::to_string(first);
  return std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after, const DiffLabels& labels,
                        int context) {
  if (before == after) return {};
  std::vector<std::string_view> a = SplitLines(before);
  std::vector<std::string_view> b = SplitLines(after);
  std::vector<Step> steps = ShortestEditScript(a, b);
  const size_t ctx = static_cast<size_t>(std::max(context, 0));

  std::string out = "--- " + labels.old_path + "\n+++ " + labels.new_path + "\n";
  size_t i = 0;
  while (i < steps.size()) {
    // Find the next change, then grow the hunk while changes are within 2*ctx.
    while (i < steps.size() && steps[i].op == Op::kKeep) ++i;
    if (i == steps.size()) break;
    size_t hunk_start = i >= ctx ? i - ctx : 0;
    size_t hunk_end = i;
    size_t keeps = 0;
    for (size_t j = i; j < steps.size(); ++j) {
      if (steps[j].op == Op::kKeep) {
        if (++keeps > 2 * ctx) break;
      } else {
        keeps = 0;
        hunk_end = j;
      }
    }
    size_t stop = std::min(steps.size(), hunk_end + 1 + ctx);
    size_t old_start = steps[hunk_start].old_index;
    size_t new_start = steps[hunk_start].new_index;
    size_t old_count = 0;
    size_t new_count = 0;
    std::string body;
    for (size_t j = hunk_start; j < stop; ++j) {
      const Step& s = steps[j];
      switch (s.op) {
        case Op::kKeep:
          AppendLine(body, ' ', a[s.old_index]);
          ++old_count;
          ++new_count;
          break;
        case Op::kDelete:
          AppendLine(body, '-', a[s.old_index]);
          ++old_count;
          break;
        case Op::kInsert:
          AppendLine(body, '+', b[s.new_index]);
          ++new_count;
          break;
      }
    }
    out += "@@ -" + Range(old_start, old_count) + " +" + Range(new_start, new_count) + " @@\n";
    out += body;
    i = stop;
  }
  return out;
}

}  // namespace bulwark::fix
