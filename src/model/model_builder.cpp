#include "model/model_builder.hpp"

#include <algorithm>
#include <cctype>

#include "model/datastore_catalog.hpp"

namespace bulwark::model::detail {
namespace {

constexpr size_t kMaxEvidenceText = 160;

}  // namespace

SourceText::SourceText(std::string path, std::string content)
    : path_(std::move(path)), content_(std::move(content)), lines_(content_) {}

Evidence SourceText::At(int line, std::string_view fallback) const {
  Evidence evidence{path_, line, std::string(fallback)};
  if (line <= 0 || line > lines_.line_count()) {
    evidence.line = 0;
    return evidence;
  }
  std::string text = Trim(lines_.Line(line));
  // Long lines (minified JSON, a base64 blob) are cut on a UTF-8 boundary.
  if (text.size() > kMaxEvidenceText) {
    size_t cut = kMaxEvidenceText;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  evidence.text = text.empty() ? std::string(fallback) : std::move(text);
  return evidence;
}

Element* BuildState::Find(std::string_view id) {
  auto it = element_index_.find(std::string(id));
  return it == element_index_.end() ? nullptr : &model.elements[it->second];
}

Element& BuildState::AddElement(Element element) {
  auto [it, inserted] = element_index_.emplace(element.id, model.elements.size());
  if (inserted) model.elements.push_back(std::move(element));
  return model.elements[it->second];
}

void BuildState::AddFlow(Flow flow) {
  auto it = flow_index_.find(flow.id);
  if (it != flow_index_.end()) {
    Flow& existing = model.flows[it->second];
    for (Evidence& e : flow.evidence) AddEvidence(existing.evidence, std::move(e));
    existing.authenticated = existing.authenticated || flow.authenticated;
    return;
  }
  if (model.flows.size() >= kMaxFlows) {
    if (!flow_limit_noted_) {
      Diagnose(flow.evidence.empty() ? "" : flow.evidence.front().path, 0, 0,
               "more than " + std::to_string(kMaxFlows) + " data flows; the rest are left out");
      flow_limit_noted_ = true;
    }
    return;
  }
  flow_index_.emplace(flow.id, model.flows.size());
  model.flows.push_back(std::move(flow));
}

TrustBoundary& BuildState::AddBoundary(TrustBoundary boundary) {
  auto [it, inserted] = boundary_index_.emplace(boundary.id, model.boundaries.size());
  if (inserted) {
    model.boundaries.push_back(std::move(boundary));
  } else {
    TrustBoundary& existing = model.boundaries[it->second];
    for (Evidence& e : boundary.evidence) AddEvidence(existing.evidence, std::move(e));
    existing.isolated = existing.isolated || boundary.isolated;
  }
  return model.boundaries[it->second];
}

void BuildState::RemoveElements(const std::set<std::string>& ids) {
  std::erase_if(model.elements, [&](const Element& e) { return ids.count(e.id) > 0; });
  std::erase_if(model.flows, [&](const Flow& f) { return ids.count(f.from) > 0 || ids.count(f.to) > 0; });
  Reindex();
}

void BuildState::RemoveFlows(const std::set<std::string>& ids) {
  std::erase_if(model.flows, [&](const Flow& f) { return ids.count(f.id) > 0; });
  Reindex();
}

void BuildState::Reindex() {
  element_index_.clear();
  flow_index_.clear();
  for (size_t i = 0; i < model.elements.size(); ++i) element_index_.emplace(model.elements[i].id, i);
  for (size_t i = 0; i < model.flows.size(); ++i) flow_index_.emplace(model.flows[i].id, i);
}

void BuildState::NoteName(const std::string& scope, const std::string& name) {
  scopes_by_name_[name].insert(scope);
}

void BuildState::AddName(const std::string& scope, const std::string& name, const std::string& id) {
  std::vector<std::string>& ids = names_[{scope, Lower(name)}];
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

const std::vector<std::string>* BuildState::Lookup(const std::string& scope, const std::string& name) const {
  auto it = names_.find({scope, Lower(name)});
  return it == names_.end() ? nullptr : &it->second;
}

std::string BuildState::QualifiedName(const std::string& scope, const std::string& name) const {
  auto it = scopes_by_name_.find(name);
  if (it == scopes_by_name_.end() || it->second.size() < 2) return name;
  return ScopeLabel(scope) + "/" + name;
}

std::string BuildState::ScopeLabel(const std::string& scope) const {
  auto label = scope_labels_.find(scope);
  return label == scope_labels_.end() ? scope : label->second;
}

void BuildState::Diagnose(const std::string& path, int line, int column, std::string message) {
  core::Diagnostic d;
  d.location.path = path;
  d.location.line = std::max(line, 0);
  d.location.column = std::max(column, 0);
  d.message = std::move(message);
  model.diagnostics.push_back(std::move(d));
}

void AddEvidence(std::vector<Evidence>& list, Evidence evidence) {
  if (list.size() >= kMaxEvidencePerItem) return;
  for (const Evidence& e : list) {
    if (e.path == evidence.path && e.line == evidence.line && e.text == evidence.text) return;
  }
  list.push_back(std::move(evidence));
}

void AddTag(Element& element, std::string_view tag) { AddUnique(element.tags, tag); }

void AddUnique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

int LeadingPort(std::string_view text) {
  int port = 0;
  size_t i = 0;
  for (; i < text.size() && i < 6 && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    port = port * 10 + (text[i] - '0');
  }
  return i > 0 && port <= 65535 ? port : 0;
}

Flow NewFlow(FlowKind kind, std::string_view from, std::string_view to, std::string_view discriminator,
             std::string protocol, int port, std::string label, Evidence evidence) {
  Flow flow;
  flow.id = FlowId(from, to, discriminator);
  flow.kind = kind;
  flow.from = std::string(from);
  flow.to = std::string(to);
  flow.encrypted = TlsProtocol(protocol);
  flow.protocol = std::move(protocol);
  flow.port = port;
  flow.label = std::move(label);
  flow.evidence.push_back(std::move(evidence));
  return flow;
}

std::string FlowId(std::string_view from, std::string_view to, std::string_view discriminator) {
  std::string id = "flow:";
  id.append(from).append("->").append(to);
  if (!discriminator.empty()) id.append(":").append(discriminator);
  return id;
}

}  // namespace bulwark::model::detail
