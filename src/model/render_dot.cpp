// The architecture diagram in Graphviz DOT. Every piece of input text goes
// into HTML-like labels (entity-escaped) and every ID through DotId, so a
// hostile name cannot close a string or add statements. Clusters nest as the
// trust boundaries do, up to a depth that Graphviz lays out comfortably.
#include <algorithm>

#include "core/version.hpp"
#include "model/render_model.hpp"
#include "model/render_util.hpp"

namespace bulwark::model {
namespace {

using render::HtmlLabel;

constexpr int kMaxClusterDepth = 12;
constexpr size_t kPostureLines = 2;
constexpr std::string_view kFont = "Helvetica,Arial,sans-serif";
constexpr std::string_view kCrossingColor = "#c62828";
// IDs of the diagram's own nodes start with '^' and a lower-case letter,
// which DotId never writes (it writes ^XX), so no element can take their place.

// A name for a label: Graphviz rejects an empty <b></b>, so something is always shown.
std::string Shown(std::string_view name, std::string_view id) {
  if (!name.empty()) return HtmlLabel(name);
  return id.empty() ? std::string("(unnamed)") : HtmlLabel(id);
}

// Confirmed, potential and mitigated threats on one element or flow.
struct Badge {
  int confirmed = 0;
  int potential = 0;
  int mitigated = 0;
  core::Severity highest = core::Severity::kInfo;
};

Badge BadgeFor(const std::vector<Threat>& threats, std::string_view target) {
  Badge badge;
  for (const Threat& threat : threats) {
    if (threat.target != target) continue;
    switch (threat.status) {
      case ThreatStatus::kConfirmed:
        ++badge.confirmed;
        badge.highest = std::max(badge.highest, threat.risk);
        break;
      case ThreatStatus::kPotential: ++badge.potential; break;
      case ThreatStatus::kMitigated: ++badge.mitigated; break;
    }
  }
  return badge;
}

// "⚠ 3 confirmed · high" on the risk's colour.
std::string ConfirmedCell(int count, core::Severity risk) {
  render::RiskColors colors = render::ColorsOf(risk);
  return "<td bgcolor=\"" + std::string(colors.fill) + "\"><font color=\"" + std::string(colors.text) +
         "\" point-size=\"12\"><b>\xE2\x9A\xA0 " + std::to_string(count) + " confirmed \xC2\xB7 " +
         std::string(core::SeverityName(risk)) + "</b></font></td>";
}

std::string BadgeRows(const Badge& badge) {
  std::string rows;
  if (badge.confirmed > 0) rows += "<tr>" + ConfirmedCell(badge.confirmed, badge.highest) + "</tr>";
  std::string quiet;
  if (badge.potential > 0) quiet += std::to_string(badge.potential) + " potential";
  if (badge.mitigated > 0) {
    quiet += (quiet.empty() ? "" : " \xC2\xB7 ") + std::string("\xE2\x9C\x93 ") + std::to_string(badge.mitigated) +
             " mitigated";
  }
  if (!quiet.empty()) rows += "<tr><td><font point-size=\"12\" color=\"#546e7a\">" + quiet + "</font></td></tr>";
  return rows;
}

std::string NodeAttributes(ElementKind kind) {
  switch (kind) {
    case ElementKind::kExternalActor: return "shape=box, style=\"filled\", fillcolor=\"#eceff1\"";
    case ElementKind::kService: return "shape=box, style=\"rounded,filled\", fillcolor=\"#e3f2fd\"";
    case ElementKind::kDataStore: return "shape=cylinder, style=\"filled\", fillcolor=\"#fff8e1\"";
    case ElementKind::kPlatform: return "shape=box3d, style=\"filled\", fillcolor=\"#ede7f6\"";
  }
  return "shape=box";
}

std::string NodeLabel(const Element& element, const Badge& badge) {
  std::string subtitle = element.technology.empty() ? std::string(ElementKindName(element.kind))
                                                    : element.technology + " \xC2\xB7 " +
                                                          std::string(ElementKindName(element.kind));
  std::string label = "<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">";
  label += "<tr><td><b>" + Shown(element.name, element.id) + "</b></td></tr>";
  label += "<tr><td><font point-size=\"12\" color=\"#455a64\">" + HtmlLabel(subtitle) + "</font></td></tr>";
  // The first posture facts (user, privileges, host access) show what hardening changed.
  std::vector<std::string> facts = render::PostureFacts(element);
  for (size_t i = 0; i < facts.size() && i < kPostureLines; ++i) {
    label += "<tr><td><font point-size=\"12\" color=\"#263238\"><i>" + HtmlLabel(facts[i], 40) +
             "</i></font></td></tr>";
  }
  label += BadgeRows(badge);
  return label + "</table>>";
}

class DotWriter {
 public:
  DotWriter(std::string& out, int& clusters) : out_(out), clusters_(clusters) {}

  // One system's boundaries, elements and flows; IDs prefixed with `prefix`.
  void System(const ThreatModel& model, std::string_view prefix, int depth) {
    model_ = &model;
    prefix_ = std::string(prefix);
    render::BoundaryTree tree = render::BuildTree(model.system);
    for (size_t root : tree.roots) Boundary(tree, root, depth, 1);
    for (size_t element : tree.loose_elements) Node(model.system.elements[element], depth);
    Flows(depth);
  }

  std::string NodeId(std::string_view element_id) const { return render::DotId(prefix_ + std::string(element_id)); }

 private:
  void Indent(int depth) { out_.append(static_cast<size_t>(depth) * 2, ' '); }

  // One cluster per boundary, nested as the model nests them; `level`
  // counts clusters so far, past kMaxClusterDepth the rest is flattened.
  void Boundary(const render::BoundaryTree& tree, size_t index, int depth, int level) {
    const TrustBoundary& boundary = model_->system.boundaries[index];
    Indent(depth);
    out_ += "subgraph \"cluster_" + std::to_string(clusters_++) + "\" {\n";
    Indent(depth + 1);
    out_ += ClusterStyle(boundary) + "\n";
    bool empty = tree.elements.count(index) == 0 && tree.children.count(index) == 0;
    if (level >= kMaxClusterDepth) {
      FlattenedContents(tree, index, depth + 1);
    } else {
      if (auto it = tree.elements.find(index); it != tree.elements.end()) {
        for (size_t element : it->second) Node(model_->system.elements[element], depth + 1);
      }
      if (auto it = tree.children.find(index); it != tree.children.end()) {
        for (size_t child : it->second) Boundary(tree, child, depth + 1, level + 1);
      }
    }
    // Graphviz drops an empty cluster; a boundary with nothing in it is still part of the model.
    if (empty) {
      Indent(depth + 1);
      out_ += "\"^empty/" + std::to_string(clusters_) +
              "\" [shape=plaintext, label=<<i>no elements</i>>, fontsize=12, fontcolor=\"#78909c\"];\n";
    }
    Indent(depth);
    out_ += "}\n";
  }

  // Every element below `index`, without clusters (iterative: nesting in
  // input can be arbitrarily deep).
  void FlattenedContents(const render::BoundaryTree& tree, size_t index, int depth) {
    std::vector<size_t> pending{index};
    while (!pending.empty()) {
      size_t current = pending.back();
      pending.pop_back();
      if (auto it = tree.elements.find(current); it != tree.elements.end()) {
        for (size_t element : it->second) Node(model_->system.elements[element], depth);
      }
      if (auto it = tree.children.find(current); it != tree.children.end()) {
        pending.insert(pending.end(), it->second.rbegin(), it->second.rend());
      }
    }
  }

  static std::string ClusterStyle(const TrustBoundary& boundary) {
    std::string kind(BoundaryKindName(boundary.kind));
    std::string label = "label=<<b>" + Shown(boundary.name, boundary.id) +
                        "</b> <font point-size=\"12\">\xC2\xB7 " + kind +
                        (boundary.isolated ? " \xC2\xB7 isolated" : "") + "</font>>;";
    switch (boundary.kind) {
      case BoundaryKind::kInternet:
        return label + " style=\"dashed,rounded\"; color=\"#c62828\"; fontcolor=\"#b71c1c\"; penwidth=1.6;";
      case BoundaryKind::kHost:
      case BoundaryKind::kCluster:
        return label + " style=\"rounded,filled\"; fillcolor=\"#fafafa\"; color=\"#37474f\"; penwidth=2;";
      case BoundaryKind::kContainer:
        return label + " style=\"dotted,rounded\"; color=\"#546e7a\";";
      case BoundaryKind::kNetwork:
      case BoundaryKind::kNamespace:
        break;
    }
    if (boundary.isolated) {
      return label + " style=\"rounded,filled,bold\"; fillcolor=\"#e8f5e9\"; color=\"#2e7d32\"; penwidth=2.4;";
    }
    return label + " style=\"rounded,filled\"; fillcolor=\"#eef3f8\"; color=\"#78909c\"; penwidth=1.4;";
  }

  void Node(const Element& element, int depth) {
    Indent(depth);
    out_ += NodeId(element.id) + " [" + NodeAttributes(element.kind) + ", label=" +
            NodeLabel(element, BadgeFor(model_->threats, element.id)) + "];\n";
  }

  void Flows(int depth) {
    const SystemModel& system = model_->system;
    for (const Flow& flow : system.flows) {
      if (system.FindElement(flow.from) == nullptr || system.FindElement(flow.to) == nullptr) continue;
      bool crossing = !flow.crosses.empty();
      std::string label = "<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\"><tr><td>" +
                          HtmlLabel(render::FlowLabel(flow)) + (flow.encrypted ? " (TLS)" : "") + "</td></tr>";
      Badge badge = BadgeFor(model_->threats, flow.id);
      if (badge.confirmed > 0) label += "<tr>" + ConfirmedCell(badge.confirmed, badge.highest) + "</tr>";
      label += "</table>>";
      Indent(depth);
      out_ += NodeId(flow.from) + " -> " + NodeId(flow.to) + " [label=" + label;
      if (crossing) {
        out_ += ", color=\"" + std::string(kCrossingColor) + "\", fontcolor=\"" + std::string(kCrossingColor) +
                "\", penwidth=2.6, style=bold";
      }
      if (flow.bidirectional) out_ += ", dir=both";
      out_ += "];\n";
    }
  }

  std::string& out_;
  int& clusters_;
  const ThreatModel* model_ = nullptr;
  std::string prefix_;
};

// One compact table (no rank constraint: rank=sink crashes Graphviz 2.4x
// with clusters): shapes by their fill colours, the two
// kinds of flow, and the badge colours.
void Legend(std::string& out) {
  auto cell = [](std::string_view fill, std::string_view style, std::string_view text) {
    return "<tr><td border=\"1\" bgcolor=\"" + std::string(fill) + "\"" + std::string(style) +
           " cellpadding=\"4\" colspan=\"4\">" + std::string(text) + "</td></tr>";
  };
  out += "  \"^legend\" [shape=plaintext, fontsize=12, label=<<table border=\"1\" color=\"#b0bec5\" "
         "cellborder=\"0\" cellspacing=\"4\" cellpadding=\"2\"><tr><td colspan=\"4\"><b>Legend</b></td></tr>";
  out += cell("#eceff1", "", "external actor (box)");
  out += cell("#e3f2fd", " style=\"rounded\"", "service (rounded box)");
  out += cell("#fff8e1", " style=\"rounded\"", "data store (cylinder)");
  out += cell("#ede7f6", "", "platform (3-D box)");
  out += "<tr><td colspan=\"4\"><font color=\"#c62828\"><b>\xE2\x94\x81\xE2\x94\x81\xE2\x96\xB6</b> crosses a "
         "trust boundary</font></td></tr><tr><td colspan=\"4\"><font color=\"#455a64\">"
         "\xE2\x94\x80\xE2\x94\x80\xE2\x96\xB6 inside one boundary</font></td></tr>"
         "<tr><td colspan=\"4\">\xE2\x9A\xA0 confirmed threats, by highest risk:</td></tr><tr>";
  for (core::Severity risk : {core::Severity::kCritical, core::Severity::kHigh, core::Severity::kMedium,
                              core::Severity::kLow}) {
    render::RiskColors colors = render::ColorsOf(risk);
    out += "<td bgcolor=\"" + std::string(colors.fill) + "\"><font color=\"" + std::string(colors.text) + "\">" +
           std::string(core::SeverityName(risk)) + "</font></td>";
  }
  out += "</tr></table>>];\n";
}

void Header(std::string& out, const std::string& title) {
  std::string font(kFont);
  out += "digraph \"bulwark_threat_model\" {\n";
  out += "  graph [rankdir=LR, fontname=\"" + font +
         "\", fontsize=18, labelloc=t, labeljust=l, nodesep=0.5, ranksep=1.0, pad=0.4, splines=true, "
         "label=<<b>" + title + "</b><br/><font point-size=\"12\" color=\"#546e7a\">bulwark " +
         HtmlLabel(core::kVersion) + " \xC2\xB7 trust boundaries, data flows and confirmed threats</font>>];\n";
  out += "  node [fontname=\"" + font + "\", fontsize=14, margin=\"0.18,0.08\", penwidth=1.4];\n";
  out += "  edge [fontname=\"" + font + "\", fontsize=12, color=\"#455a64\", fontcolor=\"#37474f\", "
         "penwidth=1.4, arrowsize=0.8];\n";
}

}  // namespace

std::string RenderDiagramDot(const ThreatModel& model, const RenderOptions& options) {
  std::string out;
  int clusters = 0;
  std::string name = HtmlLabel(model.system.name.empty() ? std::string("system") : model.system.name);
  if (options.before == nullptr) {
    Header(out, name + " \xE2\x80\x94 architecture");
    DotWriter(out, clusters).System(model, "", 1);
  } else {
    Header(out, name + " \xE2\x80\x94 before and after hardening");
    // One cluster per side; an invisible anchor between them keeps "After" to the right.
    DotWriter before(out, clusters);
    out += "  subgraph \"cluster_before\" {\n    label=<<b>Before</b>>; fontsize=18; style=\"rounded\"; "
           "color=\"#90a4ae\";\n";
    before.System(*options.before, "before/", 2);
    out += "  }\n";
    DotWriter after(out, clusters);
    out += "  subgraph \"cluster_after\" {\n    label=<<b>After</b>>; fontsize=18; style=\"rounded\"; "
           "color=\"#90a4ae\";\n";
    after.System(model, "after/", 2);
    out += "  }\n  \"^anchor\" [shape=point, style=invis, width=0.01];\n";
    for (const Element& element : options.before->system.elements) {
      out += "  " + before.NodeId(element.id) + " -> \"^anchor\" [style=invis];\n";
    }
    for (const Element& element : model.system.elements) {
      out += "  \"^anchor\" -> " + after.NodeId(element.id) + " [style=invis];\n";
    }
  }
  Legend(out);
  out += "}\n";
  return out;
}

}  // namespace bulwark::model
