// The data flow diagram as a Mermaid flowchart, so GitHub and other viewers
// draw it inline. Node and subgraph IDs are generated (e0, b0), never taken
// from input; every label is a quoted string with entity codes (MermaidText).
#include <map>

#include "model/render_markdown_parts.hpp"
#include "model/render_util.hpp"

namespace bulwark::model::render {
namespace {

// Mermaid nests subgraphs recursively when drawing; deeper input is flattened.
constexpr size_t kMaxSubgraphDepth = 8;

std::string NodeShape(const Element& element) {
  std::string label = "\"" + MermaidText(element.name.empty() ? element.id : element.name) + "\"";
  switch (element.kind) {
    case ElementKind::kExternalActor: return "[" + label + "]";
    case ElementKind::kService: return "(" + label + ")";
    case ElementKind::kDataStore: return "[(" + label + ")]";
    case ElementKind::kPlatform: return "[[" + label + "]]";
  }
  return "[" + label + "]";
}

class MermaidWriter {
 public:
  MermaidWriter(const SystemModel& system, std::string& out) : system_(system), out_(out) {}

  void Write() {
    BoundaryTree tree = BuildTree(system_);
    for (size_t i = 0; i < system_.elements.size(); ++i) ids_.emplace(system_.elements[i].id, i);
    for (size_t root : tree.roots) Subgraph(tree, root, 1);
    for (size_t e : tree.loose_elements) Node(e, 1);
    Edges();
  }

 private:
  void Line(size_t depth, const std::string& text) { out_ += std::string(depth * 2, ' ') + text + "\n"; }

  void Node(size_t element, size_t depth) {
    Line(depth, "e" + std::to_string(element) + NodeShape(system_.elements[element]));
  }

  void Subgraph(const BoundaryTree& tree, size_t index, size_t depth) {
    const TrustBoundary& boundary = system_.boundaries[index];
    std::string label = boundary.name.empty() ? boundary.id : boundary.name;
    label += " \xC2\xB7 " + std::string(BoundaryKindName(boundary.kind)) + (boundary.isolated ? ", isolated" : "");
    Line(depth, "subgraph b" + std::to_string(index) + "[\"" + MermaidText(label) + "\"]");
    std::vector<size_t> flat{index};  // boundaries drawn inside this subgraph (iterative)
    while (!flat.empty()) {
      size_t current = flat.back();
      flat.pop_back();
      if (auto it = tree.elements.find(current); it != tree.elements.end()) {
        for (size_t e : it->second) Node(e, depth + 1);
      }
      auto children = tree.children.find(current);
      if (children == tree.children.end()) continue;
      for (size_t child : children->second) {
        if (depth < kMaxSubgraphDepth) {
          Subgraph(tree, child, depth + 1);
        } else {
          flat.push_back(child);
        }
      }
    }
    Line(depth, "end");
  }

  void Edges() {
    size_t edge = 0;
    std::vector<size_t> crossing;
    for (const Flow& flow : system_.flows) {
      auto from = ids_.find(flow.from);
      auto to = ids_.find(flow.to);
      if (from == ids_.end() || to == ids_.end()) continue;
      std::string label = FlowLabel(flow);
      std::string arrow = flow.bidirectional ? " <-->" : " -->";
      if (!label.empty()) arrow += "|\"" + MermaidText(label) + "\"|";
      Line(1, "e" + std::to_string(from->second) + arrow + " e" + std::to_string(to->second));
      if (!flow.crosses.empty()) crossing.push_back(edge);
      ++edge;
    }
    for (size_t index : crossing) Line(1, "linkStyle " + std::to_string(index) + " stroke:#c62828,stroke-width:3px");
  }

  const SystemModel& system_;
  std::string& out_;
  std::map<std::string, size_t, std::less<>> ids_;  // element id -> first index
};

}  // namespace

std::string MermaidFlowchart(const SystemModel& system) {
  std::string out = "```mermaid\nflowchart LR\n";
  MermaidWriter(system, out).Write();
  return out + "```\n";
}

}  // namespace bulwark::model::render
