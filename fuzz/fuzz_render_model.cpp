// libFuzzer target: the threat-model renderers on a model whose every name,
// ID, label and parent comes from the input (fields separated by 0x1F). The
// Markdown and JSON must be produced, the JSON must parse, and the DOT must
// always lay out and draw in Graphviz: no input text may break out of it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/render_model.hpp"

namespace {

using namespace bulwark::model;  // NOLINT(google-build-using-namespace): a fuzz harness

constexpr size_t kMaxFields = 48;
constexpr size_t kMaxField = 160;

std::vector<std::string> Fields(std::string_view input) {
  std::vector<std::string> fields;
  while (fields.size() < kMaxFields) {
    size_t end = input.find('\x1f');
    fields.emplace_back(input.substr(0, std::min(end, kMaxField)));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  return fields;
}

// Round-robin: a boundary, an element, a flow, a threat, from each field.
ThreatModel BuildModel(const std::vector<std::string>& fields) {
  ThreatModel model;
  SystemModel& s = model.system;
  s.name = fields[0];
  for (size_t i = 1; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    size_t n = f.size();
    switch (i % 4) {
      case 1:
        s.boundaries.push_back({f, static_cast<BoundaryKind>(n % 6), f,
                                s.boundaries.empty() ? f : s.boundaries[n % s.boundaries.size()].id, n % 2 == 0, {}});
        break;
      case 2: {
        Element e;
        e.id = f;
        e.name = f;
        e.technology = f;
        e.kind = static_cast<ElementKind>(n % 4);
        e.boundary = s.boundaries.empty() ? f : s.boundaries[n % s.boundaries.size()].id;
        e.runs_as_root = n % 3 == 0;
        e.mounts.push_back({"bind", f, f, false, n % 2 == 0, true, {}});
        s.elements.push_back(e);
        break;
      }
      case 3: {
        if (s.elements.empty()) break;
        Flow flow;
        flow.id = "flow:" + f;
        flow.from = s.elements[n % s.elements.size()].id;
        flow.to = s.elements[(n / 2) % s.elements.size()].id;
        flow.label = f;
        flow.protocol = f;
        if (n % 2 == 1) flow.crosses.push_back(f);
        s.flows.push_back(flow);
        break;
      }
      default: {
        Threat t;
        t.id = f;
        t.target = s.elements.empty() ? f : s.elements[n % s.elements.size()].id;
        t.title = f;
        t.rationale = f;
        t.stride = static_cast<Stride>(n % 6);
        t.risk = static_cast<bulwark::core::Severity>(n % 5);
        t.status = static_cast<ThreatStatus>(n % 3);
        t.attack = {f};
        t.nist = {f};
        t.evidence = {{f, static_cast<int>(n), f}};
        model.threats.push_back(t);
        model.controls.push_back({f, f, {t.id}, {f}, f});
      }
    }
  }
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ThreatModel model = BuildModel(Fields(std::string_view(reinterpret_cast<const char*>(data), size)));
  ThreatModel original = model;
  RenderOptions options;
  if (size > 0 && (data[0] & 1) != 0) options.before = &original;
  const ReferenceCatalog empty;
  (void)RenderThreatModelMarkdown(model, empty, options);
  std::string json = RenderThreatModelJson(model, empty, options);
  if (nlohmann::json::parse(json, nullptr, false).is_discarded()) std::abort();
  auto svg = RenderGraphviz(RenderDiagramDot(model, options), "svg");
  if (!svg.ok()) std::abort();  // input text broke the DOT
  return 0;
}
