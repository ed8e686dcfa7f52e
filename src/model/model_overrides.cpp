// Reading bulwark-model.yaml into ModelOverrides. Each section is a list of
// maps (`- id: service:web`) or a map keyed by id (`service:web: {...}`).
#include "model/model_overrides.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/source_file.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::model {
namespace {

using parse::YamlMark;
using parse::YamlNode;

class Reader {
 public:
  Reader(std::string_view text, const std::string& path, std::vector<core::Diagnostic>& diagnostics)
      : lines_(text), path_(path), diagnostics_(diagnostics) {}

  void Diagnose(YamlMark mark, std::string message) {
    diagnostics_.push_back({core::Location{path_, mark.line, mark.column, 0, 0}, std::move(message)});
  }

  Evidence At(YamlMark mark) const {
    std::string_view line = mark.line > 0 ? lines_.Line(mark.line) : std::string_view();
    size_t begin = line.find_first_not_of(" \t");
    line = begin == std::string_view::npos ? std::string_view() : line.substr(begin);
    if (line.size() > 160) line = line.substr(0, 160);
    return Evidence{path_, mark.line, std::string(line)};
  }

  // Scalar text of `key`; a diagnostic when it is there but not a scalar.
  std::optional<std::string> Text(const YamlNode& map, std::string_view key) {
    const YamlNode* value = map.Find(key);
    if (value == nullptr || value->IsNull()) return std::nullopt;
    if (!value->IsScalar()) {
      Diagnose(value->mark(), "'" + std::string(key) + "' must be text");
      return std::nullopt;
    }
    return value->text();
  }

  std::optional<bool> Bool(const YamlNode& map, std::string_view key) {
    const YamlNode* value = map.Find(key);
    if (value == nullptr || value->IsNull()) return std::nullopt;
    auto b = value->IsScalar() ? value->AsBool(true) : std::nullopt;
    if (!b) Diagnose(value->mark(), "'" + std::string(key) + "' must be true or false");
    return b;
  }

  std::optional<int> Port(const YamlNode& map, std::string_view key) {
    const YamlNode* value = map.Find(key);
    if (value == nullptr || value->IsNull()) return std::nullopt;
    auto n = value->IsScalar() ? value->AsInt() : std::nullopt;
    if (!n || *n < 0 || *n > 65535) {
      Diagnose(value->mark(), "'" + std::string(key) + "' must be a port number (0-65535)");
      return std::nullopt;
    }
    return static_cast<int>(*n);
  }

  // A list of text (a single text is a list of one).
  std::vector<std::string> List(const YamlNode& map, std::string_view key) {
    std::vector<std::string> out;
    const YamlNode* value = map.Find(key);
    if (value == nullptr || value->IsNull()) return out;
    if (value->IsScalar()) return {value->text()};
    if (!value->IsSequence()) {
      Diagnose(value->mark(), "'" + std::string(key) + "' must be a list");
      return out;
    }
    for (const auto& item : value->items()) {
      if (item && item->IsScalar()) {
        out.push_back(item->text());
      } else if (item) {
        Diagnose(item->mark(), "items of '" + std::string(key) + "' must be text");
      }
    }
    return out;
  }

  std::optional<Classification> Class(const YamlNode& map) {
    auto text = Text(map, "classification");
    if (!text) return std::nullopt;
    auto c = ParseClassification(*text);
    if (!c) {
      Diagnose(map.Find("classification")->mark(),
               "unknown classification '" + parse::Printable(*text) +
                   "' (public, internal, confidential, restricted)");
    }
    return c;
  }

  void CheckKeys(const YamlNode& map, std::initializer_list<std::string_view> known, std::string_view where) {
    for (const auto& entry : map.entries()) {
      const std::string& key = entry.key ? entry.key->text() : std::string();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        Diagnose(entry.key ? entry.key->mark() : map.mark(),
                 "unknown key '" + parse::Printable(key) + "' in " + std::string(where));
      }
    }
  }

  // Calls `read(body, id)` for each item of a section: a list of maps with
  // an `id:`, or a map from id to body.
  void Items(const YamlNode& section, std::string_view name,
             const std::function<void(const YamlNode&, std::string, YamlMark)>& read) {
    size_t count = 0;
    auto one = [&](const YamlNode* body, std::string id, YamlMark mark) {
      if (++count > kMaxOverrideItems) {
        if (count == kMaxOverrideItems + 1) Diagnose(mark, std::string(name) + ": too many items; the rest are ignored");
        return;
      }
      if (body == nullptr || !body->IsMap()) {
        Diagnose(mark, "each item of '" + std::string(name) + "' must be a map");
        return;
      }
      read(*body, std::move(id), mark);
    };
    if (section.IsSequence()) {
      for (const auto& item : section.items()) {
        auto id = item && item->IsMap() ? Text(*item, "id") : std::nullopt;
        one(item.get(), id.value_or(""), item ? item->mark() : section.mark());
      }
    } else if (section.IsMap()) {
      for (const auto& entry : section.entries()) {
        one(entry.value.get(), entry.key ? entry.key->text() : "", entry.key ? entry.key->mark() : section.mark());
      }
    } else if (!section.IsNull()) {
      Diagnose(section.mark(), "'" + std::string(name) + "' must be a list or a map");
    }
  }

 private:
  core::LineIndex lines_;
  const std::string& path_;
  std::vector<core::Diagnostic>& diagnostics_;
};

void ReadElement(Reader& r, const YamlNode& body, std::string id, YamlMark mark, ModelOverrides& out) {
  r.CheckKeys(body, {"id", "kind", "name", "technology", "classification", "description", "tags", "boundary",
                     "out_of_scope"}, "elements");
  if (id.empty()) return r.Diagnose(mark, "element without an id");
  ElementOverride e;
  e.id = std::move(id);
  e.evidence = r.At(mark);
  if (auto kind = r.Text(body, "kind")) {
    e.kind = ParseElementKind(*kind);
    if (!e.kind) r.Diagnose(body.Find("kind")->mark(), "unknown element kind '" + parse::Printable(*kind) +
                                                          "' (service, datastore, actor, platform)");
  }
  e.name = r.Text(body, "name");
  e.technology = r.Text(body, "technology");
  e.description = r.Text(body, "description");
  e.boundary = r.Text(body, "boundary");
  e.classification = r.Class(body);
  e.tags = r.List(body, "tags");
  e.out_of_scope = r.Bool(body, "out_of_scope").value_or(false);
  out.elements.push_back(std::move(e));
}

void ReadFlow(Reader& r, const YamlNode& body, std::string id, YamlMark mark, ModelOverrides& out) {
  r.CheckKeys(body, {"id", "from", "to", "protocol", "port", "encrypted", "authenticated", "label",
                     "classification", "out_of_scope"}, "flows");
  FlowOverride f;
  f.id = std::move(id);
  f.evidence = r.At(mark);
  f.from = r.Text(body, "from").value_or("");
  f.to = r.Text(body, "to").value_or("");
  if (f.id.empty() && (f.from.empty() || f.to.empty())) return r.Diagnose(mark, "flow needs 'from' and 'to' (or an id)");
  f.protocol = r.Text(body, "protocol");
  f.label = r.Text(body, "label");
  f.port = r.Port(body, "port");
  f.encrypted = r.Bool(body, "encrypted");
  f.authenticated = r.Bool(body, "authenticated");
  f.classification = r.Class(body);
  f.out_of_scope = r.Bool(body, "out_of_scope").value_or(false);
  out.flows.push_back(std::move(f));
}

void ReadBoundary(Reader& r, const YamlNode& body, std::string id, YamlMark mark, ModelOverrides& out) {
  r.CheckKeys(body, {"id", "name", "kind", "parent", "isolated"}, "boundaries");
  if (id.empty()) return r.Diagnose(mark, "boundary without an id");
  BoundaryOverride b;
  b.id = std::move(id);
  b.evidence = r.At(mark);
  b.name = r.Text(body, "name");
  b.parent = r.Text(body, "parent");
  b.isolated = r.Bool(body, "isolated");
  if (auto kind = r.Text(body, "kind")) {
    b.kind = ParseBoundaryKind(*kind);
    if (!b.kind) r.Diagnose(body.Find("kind")->mark(), "unknown boundary kind '" + parse::Printable(*kind) + "'");
  }
  out.boundaries.push_back(std::move(b));
}

void ReadData(Reader& r, const YamlNode& body, std::string id, YamlMark mark, ModelOverrides& out) {
  r.CheckKeys(body, {"id", "name", "classification", "stored_in", "carried_by"}, "data");
  if (id.empty()) return r.Diagnose(mark, "data asset without an id");
  DataOverride d;
  d.evidence = r.At(mark);
  d.asset.id = std::move(id);
  d.asset.name = r.Text(body, "name").value_or(d.asset.id);
  d.asset.classification = r.Class(body).value_or(Classification::kUnknown);
  d.asset.stored_in = r.List(body, "stored_in");
  d.asset.carried_by = r.List(body, "carried_by");
  out.data.push_back(std::move(d));
}

void ReadRoot(Reader& r, const YamlNode& root, ModelOverrides& out) {
  r.CheckKeys(root, {"name", "elements", "flows", "boundaries", "data", "assumptions"}, "bulwark-model.yaml");
  out.name = r.Text(root, "name");
  using ItemReader = void (*)(Reader&, const YamlNode&, std::string, YamlMark, ModelOverrides&);
  const std::pair<std::string_view, ItemReader> sections[] = {
      {"elements", ReadElement}, {"flows", ReadFlow}, {"boundaries", ReadBoundary}, {"data", ReadData}};
  for (const auto& section : sections) {
    const ItemReader read = section.second;  // a copy: older clang cannot capture a structured binding
    if (const YamlNode* node = root.Find(section.first)) {
      r.Items(*node, section.first, [&](const YamlNode& body, std::string id, YamlMark mark) {
        read(r, body, std::move(id), mark, out);
      });
    }
  }
  out.assumptions = r.List(root, "assumptions");
}

}  // namespace

std::optional<ElementKind> ParseElementKind(std::string_view name) {
  for (ElementKind kind : {ElementKind::kService, ElementKind::kDataStore, ElementKind::kExternalActor,
                           ElementKind::kPlatform}) {
    if (ElementKindName(kind) == name) return kind;
  }
  if (name == "process") return ElementKind::kService;
  if (name == "external-entity") return ElementKind::kExternalActor;
  return std::nullopt;
}

std::optional<BoundaryKind> ParseBoundaryKind(std::string_view name) {
  for (BoundaryKind kind : {BoundaryKind::kInternet, BoundaryKind::kHost, BoundaryKind::kNetwork,
                            BoundaryKind::kCluster, BoundaryKind::kNamespace, BoundaryKind::kContainer}) {
    if (BoundaryKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

ModelOverrides ParseModelOverrides(std::string_view text, const std::string& path,
                                   std::vector<core::Diagnostic>& diagnostics) {
  ModelOverrides out;
  Reader reader(text, path, diagnostics);
  parse::YamlLimits limits;
  limits.max_bytes = kMaxOverrideBytes;
  limits.max_nodes = 200000;
  limits.max_depth = 64;
  auto stream = parse::LoadYaml(text, limits);
  if (!stream.ok()) {
    parse::YamlMark mark = parse::ErrorMark(stream.status());
    std::string message = stream.status().message();
    // The position is in the mark: drop the "LINE:COLUMN: " the message starts with.
    if (mark.known() && std::isdigit(static_cast<unsigned char>(message.front()))) {
      size_t sep = message.find(": ");
      if (sep != std::string::npos) message = message.substr(sep + 2);
    }
    reader.Diagnose(mark, "not read: " + message);
    return out;
  }
  for (const parse::YamlDuplicateKey& dup : stream->duplicate_keys) {
    reader.Diagnose(dup.duplicate, "duplicate key '" + parse::Printable(dup.key) + "': the last one is used");
  }
  if (stream->documents.empty() || stream->documents.front().root->IsNull()) return out;
  const YamlNode& root = *stream->documents.front().root;
  if (!root.IsMap()) {
    reader.Diagnose(root.mark(), "bulwark-model.yaml must be a map (name:, elements:, flows:, ...)");
    return out;
  }
  if (stream->documents.size() > 1) reader.Diagnose(stream->documents[1].start, "only the first document is read");
  ReadRoot(reader, root, out);
  return out;
}

}  // namespace bulwark::model
