// Helpers shared by the threat-model renderers (render_*.cpp): escaping of
// input text for Markdown, Mermaid and Graphviz labels, threat counts, the
// colours of a risk, and short descriptions of elements. Internal to
// bulwark_model; pure functions, thread-safe.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.hpp"
#include "model/threat.hpp"

namespace bulwark::model::render {

// Markdown inline text and table cells: core::EscapeMarkdown, plus $ and ~
// (math and strike-through on GitHub). Input is cut to `max` characters (0:
// no limit) with an ellipsis.
std::string Md(std::string_view text, size_t max = 0);
// The same for text that starts a line or a list item: a leading "-", "+",
// ">", "=" or "1." that would open a list, quote or heading is escaped too.
std::string MdStart(std::string_view text, size_t max = 0);
// Text inside a Mermaid quoted label: entity codes for every character that
// could end the label, the statement or the code fence.
std::string MermaidText(std::string_view text, size_t max = 80);
// Text inside a Graphviz HTML-like label: valid UTF-8, entities for & < > " ' ],
// backslashes doubled, control characters as spaces, cut to `max` characters.
std::string HtmlLabel(std::string_view text, size_t max = 60);
// A DOT quoted ID: `"` `\` `^` `%`, control and non-ASCII bytes written as
// ^XX (upper-case hex), so the ID stays injective, can never close the
// quotes and never starts with '%' (Graphviz's prefix for anonymous objects).
// The diagram's own nodes use IDs starting with '^' and a lower-case letter.
std::string DotId(std::string_view id);

// Cuts valid UTF-8 text to at most `max` code points, adding "…" when cut.
std::string Truncate(std::string_view text, size_t max);

struct ThreatCounts {
  int total = 0;
  std::array<int, 5> by_risk{};    // indexed by core::Severity
  std::array<int, 3> by_status{};  // indexed by ThreatStatus
  std::array<int, 6> by_stride{};  // indexed by Stride
};
ThreatCounts CountThreats(const std::vector<Threat>& threats);
int StatusCount(const ThreatCounts& counts, ThreatStatus status);

// Fill and text colour of a badge for a risk.
struct RiskColors {
  std::string_view fill;
  std::string_view text;
};
RiskColors ColorsOf(core::Severity risk);

// The element's name, or the ID when the model has no such element.
std::string NameOf(const SystemModel& system, std::string_view element_id);
// What a threat is on, in words: the element's name, or "a → b (HTTP :80)"
// for a flow, or the ID when the model has neither.
std::string TargetName(const SystemModel& system, std::string_view target);
std::string BoundaryNameOf(const SystemModel& system, std::string_view boundary_id);
// "HTTP :15000": the flow's label, else protocol and port.
std::string FlowLabel(const Flow& flow);
// "docker-compose.yml:12" and the quoted words when there are any.
std::string EvidenceText(const Evidence& evidence);
// Short posture facts of a container ("root", "privileged", "docker.sock",
// "no limits", ...), the ones a reader should notice first.
std::vector<std::string> PostureFacts(const Element& element);

// Which boundary holds what, with unknown parents, duplicate IDs and parent
// cycles resolved so every boundary is drawn once (diagram and Mermaid).
struct BoundaryTree {
  std::vector<size_t> roots;                       // boundary indices
  std::map<size_t, std::vector<size_t>> children;  // boundary -> boundaries
  std::map<size_t, std::vector<size_t>> elements;  // boundary -> element indices
  std::vector<size_t> loose_elements;              // outside every boundary
};
BoundaryTree BuildTree(const SystemModel& system);

}  // namespace bulwark::model::render
