// The architecture diagram: DOT from hand-built threat models, drawn by the
// Graphviz library to SVG (checked for every element and boundary name and
// for exactly the expected nodes) and PNG (checked for legible dimensions),
// hostile names that try to break out of the DOT, before/after, and
// RenderGraphviz on garbage.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <set>

#include "model/render_fixture.hpp"
#include "model/render_model.hpp"
#include "test_support.hpp"

namespace bulwark::model {
namespace {

using testing::LabModel;

std::string XmlUnescape(std::string text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    size_t end = text.find(';', i);
    if (end == std::string::npos) {
      out.push_back('&');
      continue;
    }
    std::string entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (!entity.empty() && entity[0] == '#') {
      unsigned long cp = entity.size() > 1 && entity[1] == 'x' ? std::stoul(entity.substr(2), nullptr, 16)
                                                               : std::stoul(entity.substr(1));
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    } else {
      out += "&" + entity + ";";
    }
    i = end;
  }
  return out;
}

// The content of every <text> element, unescaped.
std::vector<std::string> SvgTexts(const std::string& svg) {
  std::vector<std::string> texts;
  static const std::regex text(R"(<text[^>]*>([^<]*)</text>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it) {
    texts.push_back(XmlUnescape((*it)[1]));
  }
  return texts;
}

bool HasText(const std::vector<std::string>& texts, const std::string& wanted) {
  for (const std::string& t : texts) {
    if (t == wanted) return true;
  }
  return false;
}

// The <title> of every node group: the node IDs Graphviz drew.
std::multiset<std::string> NodeTitles(const std::string& svg) {
  std::multiset<std::string> titles;
  static const std::regex node(R"(<g id="node\d+" class="node">\s*<title>([^<]*)</title>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), node); it != std::sregex_iterator(); ++it) {
    titles.insert(XmlUnescape((*it)[1]));
  }
  return titles;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// Legend nodes, an empty boundary's placeholder and the before/after anchor
// are the diagram's own; their IDs start with '^' and a letter (input's are ^XX).
std::multiset<std::string> ElementTitles(const std::string& svg) {
  std::multiset<std::string> out;
  static const std::regex own("^\\^(legend|empty|anchor)");
  for (const std::string& title : NodeTitles(svg)) {
    if (!std::regex_search(title, own)) out.insert(title);
  }
  return out;
}

std::string Svg(const ThreatModel& model, const RenderOptions& options = {}) {
  std::string dot = RenderDiagramDot(model, options);
  auto svg = RenderGraphviz(dot, "svg");
  EXPECT_TRUE(svg.ok()) << svg.status().ToString() << "\n" << dot;
  return svg.ok() ? *svg : std::string();
}

uint32_t BigEndian32(const std::string& data, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(data[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(data[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(data[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(data[at + 3]));
}

TEST(RenderDot, LabSvgNamesEveryElementAndBoundary) {
  ThreatModel model = LabModel();
  std::string svg = Svg(model);
  std::vector<std::string> texts = SvgTexts(svg);
  for (const Element& e : model.system.elements) EXPECT_TRUE(HasText(texts, e.name)) << e.name;
  for (const TrustBoundary& b : model.system.boundaries) EXPECT_TRUE(HasText(texts, b.name)) << b.name;
  EXPECT_TRUE(HasText(texts, "HTTP :15000"));
  EXPECT_TRUE(HasText(texts, "PostgreSQL :5432"));
  EXPECT_TRUE(HasText(texts, "DOCKER-API"));  // no label: the protocol in capitals
  // web's three confirmed threats, highest critical; the flow's potential threat has no badge.
  EXPECT_TRUE(HasText(texts, "\xE2\x9A\xA0 3 confirmed \xC2\xB7 critical")) << svg;
  EXPECT_TRUE(HasText(texts, "1 potential"));
  EXPECT_TRUE(HasText(texts, "Legend"));
  std::multiset<std::string> expected;
  for (const Element& e : model.system.elements) expected.insert(e.id);
  EXPECT_EQ(ElementTitles(svg), expected);
}

TEST(RenderDot, DotIsLegibleAndShapedPerKind) {
  std::string dot = RenderDiagramDot(LabModel());
  EXPECT_NE(dot.find("rankdir=LR"), std::string::npos);
  std::regex sizes(R"((fontsize=|point-size=")([0-9.]+))");
  int seen = 0;
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), sizes); it != std::sregex_iterator(); ++it) {
    EXPECT_GE(std::stod((*it)[2]), 12.0) << (*it)[0];
    ++seen;
  }
  EXPECT_GT(seen, 5);
  EXPECT_EQ(std::regex_search(dot, std::regex(R"([ ,;\[]size=|\bdpi=|ratio=)")), false)
      << "the drawing must not be scaled";
  EXPECT_NE(dot.find("shape=cylinder"), std::string::npos);
  EXPECT_NE(dot.find("shape=box3d"), std::string::npos);
  EXPECT_NE(dot.find("style=\"rounded,filled\""), std::string::npos);
  // The two boundary-crossing flows and the engine's flow into frontend are red and bold.
  EXPECT_EQ(Count(dot, "penwidth=2.6, style=bold"), 3u);
}

TEST(RenderDot, LabPngIsLegibleAtFullSize) {
  ThreatModel model = LabModel();
  std::string dot = RenderDiagramDot(model);
  auto png = RenderGraphviz(dot, "png");
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  uint32_t width = BigEndian32(*png, 16);
  uint32_t height = BigEndian32(*png, 20);
  std::printf("lab diagram PNG: %u x %u px\n", width, height);
  // To look at it: BULWARK_DIAGRAM_OUT=/tmp/x build/tests/model_render_dot_test
  if (const char* dir = std::getenv("BULWARK_DIAGRAM_OUT")) {
    bulwark::testing::WriteFile(std::filesystem::path(dir) / "lab.png", *png);
    bulwark::testing::WriteFile(std::filesystem::path(dir) / "lab.dot", dot);
    RenderOptions options;
    ThreatModel before = LabModel();
    options.before = &before;
    std::string both = RenderDiagramDot(testing::HardenedLabModel(), options);
    bulwark::testing::WriteFile(std::filesystem::path(dir) / "before_after.dot", both);
    auto both_png = RenderGraphviz(both, "png");
    if (both_png.ok()) bulwark::testing::WriteFile(std::filesystem::path(dir) / "before_after.png", *both_png);
  }
  EXPECT_GE(width, 600u);
  EXPECT_GE(height, 300u);
  EXPECT_LE(width, 6000u);
  EXPECT_LE(height, 6000u);
  // Not scaled down: 96 dpi, so the PNG is the SVG's size in points times 4/3.
  auto svg = RenderGraphviz(dot, "svg");
  ASSERT_TRUE(svg.ok());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*svg, match, std::regex(R"re(<svg width="([0-9.]+)pt" height="([0-9.]+)pt")re")));
  double expected_width = std::stod(match[1]) * 96.0 / 72.0;
  EXPECT_NEAR(width, expected_width, expected_width * 0.03);
}

TEST(RenderDot, HostileNamesCannotBreakTheDot) {
  ThreatModel model = LabModel();
  std::vector<std::string> names = {"a|b<script>alert(1)</script>", "quote \" inside", "amp & < > ' \"",
                                    "x\"]; node [label=\"pwned\"]; \"y", "line\nbreak\r\n", "}\n}\ndigraph {",
                                    "back\\slash\\", "bad utf8 \xff\xfe end", "<<b>html</b>>", "%legend/actor",
                                    "]", "]]", "\\", "^legend/actor", ""};
  model.system.elements.clear();
  model.system.flows.clear();
  model.threats.clear();
  for (size_t i = 0; i < names.size(); ++i) {
    Element e = testing::MakeElement(names[i] + std::to_string(i), ElementKind::kService, names[i], names[i],
                                     i % 2 == 0 ? "boundary:network:frontend" : "x\"]; cluster");
    model.system.elements.push_back(e);
    if (i > 0) {
      Flow f = testing::MakeFlow(model.system.elements[i - 1].id, e.id, names[i], 80, names[i], {"\"crosses"});
      model.system.flows.push_back(f);
    }
  }
  model.system.boundaries[2].name = "net\"]; \"evil";
  model.system.name = "</b>\"]; graph [label=\"x";
  std::string svg = Svg(model);
  std::vector<std::string> texts = SvgTexts(svg);
  std::multiset<std::string> expected;
  for (const Element& e : model.system.elements) expected.insert(e.id);
  // IDs arrive ^XX-encoded where they hold quotes, backslashes, '%' or non-ASCII.
  std::multiset<std::string> titles = ElementTitles(svg);
  EXPECT_EQ(titles.size(), expected.size()) << svg;
  EXPECT_EQ(Count(svg, "class=\"edge\""), model.system.flows.size());
  EXPECT_TRUE(HasText(texts, "a|b<script>alert(1)</script>"));
  EXPECT_TRUE(HasText(texts, "x\"]; node [label=\"pwned\"]; \"y"));
  EXPECT_TRUE(HasText(texts, "back\\slash\\"));
  EXPECT_TRUE(HasText(texts, "net\"]; \"evil"));
  EXPECT_TRUE(HasText(texts, "]"));
  EXPECT_TRUE(HasText(texts, "\\"));
  EXPECT_TRUE(HasText(texts, "14"));  // no name: its ID
  EXPECT_FALSE(HasText(texts, "pwned"));
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(RenderDot, BeforeAndAfterSideBySide) {
  ThreatModel before = LabModel();
  ThreatModel after = testing::HardenedLabModel();
  RenderOptions options;
  options.before = &before;
  std::string svg = Svg(after, options);
  std::vector<std::string> texts = SvgTexts(svg);
  EXPECT_TRUE(HasText(texts, "Before"));
  EXPECT_TRUE(HasText(texts, "After"));
  std::multiset<std::string> titles = ElementTitles(svg);
  EXPECT_EQ(titles.size(), before.system.elements.size() + after.system.elements.size());
  EXPECT_EQ(titles.count("before/service:web"), 1u);
  EXPECT_EQ(titles.count("after/service:web"), 1u);
  EXPECT_TRUE(HasText(texts, "\xE2\x9A\xA0 3 confirmed \xC2\xB7 critical"));  // only before
  EXPECT_TRUE(HasText(texts, "\xE2\x9C\x93 3 mitigated"));                    // after
  EXPECT_EQ(Count(svg, ">backend<"), 2u);
  // "After" is drawn to the right of "Before".
  std::smatch before_x;
  std::smatch after_x;
  ASSERT_TRUE(std::regex_search(svg, before_x, std::regex(R"re(x="([0-9.-]+)"[^>]*>Before<)re")));
  ASSERT_TRUE(std::regex_search(svg, after_x, std::regex(R"re(x="([0-9.-]+)"[^>]*>After<)re")));
  EXPECT_LT(std::stod(before_x[1]), std::stod(after_x[1]));
}

TEST(RenderDot, BoundaryCyclesDeepNestingAndEmptyBoundaries) {
  ThreatModel model = LabModel();
  // A parent cycle, a self-parent, a duplicate ID and a 300-deep chain.
  model.system.boundaries.push_back(testing::MakeBoundary("cycle:a", BoundaryKind::kNetwork, "cycle a", "cycle:b"));
  model.system.boundaries.push_back(testing::MakeBoundary("cycle:b", BoundaryKind::kNetwork, "cycle b", "cycle:a"));
  model.system.boundaries.push_back(testing::MakeBoundary("self", BoundaryKind::kNamespace, "self", "self"));
  model.system.boundaries.push_back(testing::MakeBoundary("boundary:host", BoundaryKind::kHost, "dup", ""));
  std::string parent = "boundary:host";
  for (int i = 0; i < 300; ++i) {
    std::string id = "deep:" + std::to_string(i);
    model.system.boundaries.push_back(
        testing::MakeBoundary(id, BoundaryKind::kNetwork, "deep " + std::to_string(i), parent));
    parent = id;
  }
  model.system.elements.push_back(testing::MakeElement("service:deep", ElementKind::kService, "deepest", "", parent));
  model.system.elements.push_back(
      testing::MakeElement("service:cyc", ElementKind::kService, "in cycle", "", "cycle:a"));
  std::string svg = Svg(model);
  std::vector<std::string> texts = SvgTexts(svg);
  for (const Element& e : model.system.elements) EXPECT_TRUE(HasText(texts, e.name)) << e.name;
  EXPECT_TRUE(HasText(texts, "cycle a"));
  EXPECT_TRUE(HasText(texts, "cycle b"));
  EXPECT_TRUE(HasText(texts, "self"));
  EXPECT_TRUE(HasText(texts, "no elements"));  // "self" and "cycle b" hold nothing
  EXPECT_FALSE(HasText(texts, "dup"));
  EXPECT_EQ(ElementTitles(svg).size(), model.system.elements.size());
}

TEST(RenderDot, EmptyModelStillRenders) {
  ThreatModel model;
  std::string svg = Svg(model);
  EXPECT_TRUE(HasText(SvgTexts(svg), "Legend"));
  EXPECT_TRUE(ElementTitles(svg).empty());
  // Nameless and ID-less: Graphviz rejects an empty bold label, so something is shown.
  model.system.boundaries.push_back(testing::MakeBoundary("", BoundaryKind::kNetwork, "", ""));
  model.system.elements.push_back(testing::MakeElement("", ElementKind::kService, "", "", ""));
  std::vector<std::string> texts = SvgTexts(Svg(model));
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "(unnamed)"), 2);
}

TEST(RenderGraphviz, GarbageReturnsAnErrorNotACrash) {
  for (std::string garbage : {std::string(""), std::string("digraph {"), std::string("graph { a -> b }"),
                              std::string("}}}}"), std::string("digraph { a [label=<<b>x</b]> }"),
                              std::string("digraph { a -- b }"), std::string("strict strict digraph"),
                              std::string("\xff\xfe\x00\x01", 4), std::string(5000, '{')}) {
    auto svg = RenderGraphviz(garbage, "svg");
    EXPECT_FALSE(svg.ok()) << garbage;
    if (!svg.ok()) {
      EXPECT_EQ(svg.status().message().find('\n'), std::string::npos) << svg.status().message();
    }
  }
  auto format = RenderGraphviz("digraph { a -> b }", "pdf");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.status().code(), core::ErrorCode::kInvalidArgument);
  auto too_large = RenderGraphviz(std::string(9u << 20, ' '), "svg");
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.status().code(), core::ErrorCode::kTooLarge);
  // After all that, Graphviz still works.
  EXPECT_TRUE(RenderGraphviz("digraph { a -> b }", "svg").ok());
}

TEST(RenderGraphviz, PrintsNothingToStderr) {
  // Graphviz's router prints "triangulation failed" to stderr directly on this
  // graph (found by fuzz_render_model); the drawing is still made.
  std::string dot = bulwark::testing::ReadFile(bulwark::testing::SourceDir() /
                                               "tests/model/fixtures/render/hard_to_route.dot");
  ASSERT_FALSE(dot.empty());
  ::testing::internal::CaptureStderr();
  auto svg = RenderGraphviz(dot, "svg");
  auto garbage = RenderGraphviz("digraph { a -> }", "svg");
  auto png = RenderGraphviz(RenderDiagramDot(LabModel()), "png");
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(svg.ok()) << svg.status().ToString();
  EXPECT_FALSE(garbage.ok());
  EXPECT_TRUE(png.ok());
  EXPECT_EQ(err, "");
  std::fprintf(stderr, "stderr works again\n");  // restored after the silence
}

TEST(RenderGraphviz, MutatedDiagramsNeverCrash) {
  std::string dot = RenderDiagramDot(LabModel());
  std::mt19937 random(6);
  const std::string alphabet = "{}[]<>\"=;,-\\\n #%&ab";
  int failures = 0;
  for (int round = 0; round < 60; ++round) {
    std::string mutated = dot;
    for (int edit = 0; edit < 4; ++edit) {
      size_t at = random() % mutated.size();
      switch (random() % 3) {
        case 0: mutated[at] = alphabet[random() % alphabet.size()]; break;
        case 1: mutated.erase(at, 1 + random() % 20); break;
        default: mutated.insert(at, 1, alphabet[random() % alphabet.size()]);
      }
    }
    auto svg = RenderGraphviz(mutated, "svg");
    if (!svg.ok()) ++failures;
  }
  std::printf("mutated diagrams rejected: %d of 60\n", failures);
  EXPECT_TRUE(RenderGraphviz(dot, "svg").ok());
}

}  // namespace
}  // namespace bulwark::model
