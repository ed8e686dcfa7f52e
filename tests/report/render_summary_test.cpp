#include "report/render_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "scenario.hpp"
#include "test_support.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;
using namespace scenario;  // NOLINT(google-build-using-namespace): test helpers
using bulwark::testing::MakeTempDir;

constexpr const char* kHostile =
    "<script>alert(1)</script> | `rm -rf` **bold** [x](http://e.test)\n# heading";

Summary Build(const fs::path& dir) {
  auto set = LoadResults(dir);
  EXPECT_TRUE(set.ok());
  return set.ok() ? BuildSummary(*set) : Summary{};
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Writes the rendered page for a human to look at when asked.
void Keep(const std::string& name, const std::string& text) {
  if (const char* dir = std::getenv("BULWARK_KEEP_RENDERED"); dir != nullptr && *dir != '\0') {
    std::ofstream(fs::path(dir) / name) << text;
  }
}

// The hardening story, with a hostile title, target, path and reason.
fs::path HostileStory() {
  fs::path dir = WriteHardeningStory();
  F hostile{"EVIL-1", "critical", "code", "a|b`c<d>.py", kHostile};
  json report = ReportJson(kHostile, {hostile});
  report["suppressed"] = json::array({{{"id", "EVIL-2"},
                                       {"title", kHostile},
                                       {"severity", "low"},
                                       {"category", "code"},
                                       {"location", {{"path", "x"}, {"line", 1}}},
                                       {"source", "inline"},
                                       {"reason", kHostile}}});
  Save(dir, "audit", kHostile, "2026-11-23T12:30:00Z", report);
  return dir;
}

TEST(RenderSummaryMarkdown, HasEverySection) {
  Summary s = Build(WriteHardeningStory());
  std::string md = RenderSummaryMarkdown(s);
  Keep("summary_report.md", md);
  for (const char* heading : {"# Security summary: shop", "## Steps taken", "## Before and after",
                              "### By category", "## Vulnerabilities", "## What was fixed",
                              "## What remains and why", "### Accepted risk (1)", "## Architecture",
                              "### How the architecture changed", "## Lessons", "### Follow-ups"}) {
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(md.find("| Code and configuration audit | 1 \u2192 0 | 3 \u2192 1 | 4 \u2192 1 | 2 "
                    "\u2192 1 | 0 \u2192 0 | "
                    "10 \u2192 3 | 8 | 1 |"),
            std::string::npos);
  EXPECT_NE(md.find("| Image vulnerabilities | 0 \u2192 0 | 7 \u2192 0 |"), std::string::npos);
  EXPECT_NE(md.find("12 \u2192 5"), std::string::npos);
  EXPECT_NE(md.find("6 \u2192 1"), std::string::npos);
  EXPECT_NE(md.find("pinned by digest in CI"), std::string::npos);
  EXPECT_NE(md.find("web no longer runs as root"), std::string::npos);
  EXPECT_NE(md.find("fix --write"), std::string::npos);
  // One or two printed pages: a bounded number of lines.
  EXPECT_LT(std::count(md.begin(), md.end(), '\n'), 200);
}

TEST(RenderSummaryMarkdown, EscapesHostileText) {
  std::string md = RenderSummaryMarkdown(Build(HostileStory()));
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("&lt;script&gt;"), std::string::npos);
  for (size_t i = md.find('`'); i != std::string::npos; i = md.find('`', i + 1)) {
    EXPECT_EQ(md[i - 1], '\\') << "unescaped backtick at " << i;
  }
  EXPECT_NE(md.find("\\`rm -rf\\`"), std::string::npos);
  EXPECT_NE(md.find("a\\|b\\`c&lt;d&gt;.py"), std::string::npos);
  EXPECT_EQ(md.find("\n# heading"), std::string::npos);  // no line break from input
  // Every table row keeps its column count: no unescaped pipe from input.
  std::istringstream lines(md);
  std::string line;
  int header_columns = -1;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') {
      header_columns = -1;
      continue;
    }
    int columns = 0;
    for (size_t i = 0; i < line.size(); ++i)
      columns += line[i] == '|' && (i == 0 || line[i - 1] != '\\') ? 1 : 0;
    if (header_columns < 0) header_columns = columns;
    EXPECT_EQ(columns, header_columns) << line;
  }
}

TEST(RenderSummaryHtml, SelfContainedPrintablePage) {
  Summary s = Build(WriteHardeningStory());
  std::string html = RenderSummaryHtml(s);
  Keep("summary_report.html", html);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  std::string lower = Lower(html);
  for (const char* banned :
       {"<script", "src=", "href=", "@import", "url(", "<link", "<iframe", "<img"}) {
    EXPECT_EQ(lower.find(banned), std::string::npos) << banned;
  }
  for (const char* heading :
       {"<h2>Steps taken</h2>", "<h2>Before and after</h2>", "<h2>Vulnerabilities</h2>",
        "<h2>What was fixed</h2>", "<h2>What remains and why</h2>", "<h2>Architecture</h2>",
        "<h2>Lessons</h2>"}) {
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(html.find("<td>10 \u2192 3</td>"), std::string::npos);
}

TEST(RenderSummaryHtml, EscapesHostileText) {
  std::string html = RenderSummaryHtml(Build(HostileStory()));
  std::string lower = Lower(html);
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a|b`c&lt;d&gt;.py"), std::string::npos);
  EXPECT_EQ(lower.find("href="), std::string::npos);
}

TEST(RenderSummary, EmptySummaryStillRenders) {
  Summary s = BuildSummary(ResultSet{});
  std::string md = RenderSummaryMarkdown(s);
  std::string html = RenderSummaryHtml(s);
  EXPECT_NE(md.find("# Security summary"), std::string::npos);
  EXPECT_NE(md.find("No results were found"), std::string::npos);
  EXPECT_NE(html.find("No results were found"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::report
