// Renderers of a ThreatModel: threat_model.md for people, threat_model.json
// for `bulwark report` and other programs, and the architecture diagram as
// Graphviz DOT, laid out and drawn to SVG or PNG by the Graphviz library in
// process. Everything that comes from input (names, labels, images, paths,
// rationale, IDs) is escaped for the output it goes into. Pure functions of
// their arguments, except RenderGraphviz, which serialises calls to the
// (not thread-safe) Graphviz library behind a mutex.
//
// Graphviz 2.42/2.43 pitfalls the DOT avoids (found by fuzz_render_model):
// text that is only "]" or ends in a backslash inside an HTML-like label
// (a syntax error; a read past the end), an empty <b></b>, IDs starting with
// '%' (taken for anonymous objects) and `rank=sink` beside clusters (an
// assertion in mincross after a few drawings).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "model/reference_catalog.hpp"
#include "model/threat.hpp"

namespace bulwark::model {

struct RenderOptions {
  // `--before/--after`: the original model, shown beside the hardened one
  // (the model passed to the renderer). nullptr: only the one model.
  const ThreatModel* before = nullptr;
};

// threat_model.md: system description, assets, trust boundaries, data flow
// diagram (an image reference and a Mermaid flowchart), STRIDE per element
// and per boundary-crossing flow, the ATT&CK for Containers techniques in
// play, vulnerability -> control -> status, residual risk, assumptions and,
// with options.before, what hardening changed. Without reference data
// (catalog.available() false) techniques and controls are named by ID.
std::string RenderThreatModelMarkdown(const ThreatModel& model, const ReferenceCatalog& catalog,
                                      const RenderOptions& options = {});

// threat_model.json: {"tool", "system", "threats", "controls", "unattached",
// "summary", "reference"} and, with options.before, "before" (the summary of
// the original). The shape is documented in docs/threat-model.md.
std::string RenderThreatModelJson(const ThreatModel& model, const ReferenceCatalog& catalog,
                                  const RenderOptions& options = {});

// The architecture diagram in DOT: trust boundaries as nested clusters, a
// shape per element kind, flows labelled with protocol and port (red when
// they cross a boundary), confirmed threats as badges, and a legend. With
// options.before, the original and the hardened system side by side.
std::string RenderDiagramDot(const ThreatModel& model, const RenderOptions& options = {});

// Lays out `dot` with Graphviz's dot engine and draws it as "svg" or "png"
// (PNG at Graphviz's 96 dpi, never scaled down). Errors (bad DOT, an unknown
// format, a missing Graphviz plugin) come back as a Status carrying
// Graphviz's message; nothing is printed to stderr (Graphviz's router writes
// there directly, so fd 2 points at /dev/null while a call runs). Calls are
// serialised; one Graphviz context lives for the process.
core::Result<std::string> RenderGraphviz(std::string_view dot, std::string_view format);
// The same for several formats from one layout, in the order asked.
core::Result<std::vector<std::string>> RenderGraphvizFormats(std::string_view dot,
                                                             const std::vector<std::string_view>& formats);

}  // namespace bulwark::model
