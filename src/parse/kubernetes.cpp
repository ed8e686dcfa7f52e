#include "parse/kubernetes.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "parse/kubernetes_pod.hpp"
#include "parse/kubernetes_yaml.hpp"

namespace bulwark::parse::k8s {
namespace {

using detail::Entry;
using detail::NodeReader;

// Work budget for one file, in map entries and list items looked at. Real
// manifests spend under one unit per byte (kubernetes/examples: at most 0.8),
// so this leaves a wide margin, while an alias bomb can only make the model
// a bounded multiple of its own size.
constexpr size_t kBaseBudget = 10'000;
constexpr size_t kBudgetPerByte = 32;
constexpr int kMaxListNesting = 3;

// One YAML document's text and the 0-based line it starts on. Documents are
// parsed one at a time so a broken one does not hide the others.
struct Chunk {
  std::string_view text;
  int first_line = 0;
};

bool IsDocumentStart(std::string_view line) {
  if (line.substr(0, 3) != "---") return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Splits at `---` lines. YAML forbids a document marker at column 0 inside
// any scalar, so this is exact; `%` directive lines go with the next document.
std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> chunks;
  size_t chunk_start = 0;
  int chunk_line = 0;
  size_t directive_start = std::string_view::npos;
  int directive_line = 0;
  size_t offset = 0;
  for (int line_no = 0; offset < text.size(); ++line_no) {
    size_t end = text.find('\n', offset);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(offset, end - offset);
    if (!line.empty() && line[0] == '%') {
      if (directive_start == std::string_view::npos) {
        directive_start = offset;
        directive_line = line_no;
      }
    } else if (IsDocumentStart(line)) {
      size_t cut = directive_start != std::string_view::npos ? directive_start : offset;
      int cut_line = directive_start != std::string_view::npos ? directive_line : line_no;
      if (cut > chunk_start) {
        chunks.push_back({text.substr(chunk_start, cut - chunk_start), chunk_line});
      }
      chunk_start = cut;
      chunk_line = cut_line;
      directive_start = std::string_view::npos;
    } else {
      directive_start = std::string_view::npos;
    }
    offset = end + 1;
  }
  if (chunk_start < text.size()) chunks.push_back({text.substr(chunk_start), chunk_line});
  return chunks;
}

enum class TemplatePath { kNone, kPod, kTemplate, kCronJob };

std::string_view ApiGroup(const StringField& api_version) {
  if (!api_version.value) return {};
  std::string_view text = *api_version.value;
  size_t slash = text.find('/');
  return slash == std::string_view::npos ? std::string_view("core") : text.substr(0, slash);
}

TemplatePath PathForKind(std::string_view kind) {
  if (kind == "Pod") return TemplatePath::kPod;
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
      kind == "ReplicaSet" || kind == "ReplicationController" || kind == "Job") {
    return TemplatePath::kTemplate;
  }
  if (kind == "CronJob") return TemplatePath::kCronJob;
  return TemplatePath::kNone;
}

// Custom resources reuse names like "Job"; only the built-in groups count.
bool GroupFits(std::string_view kind, std::string_view group) {
  if (group.empty()) return true;  // no apiVersion: give the kind the benefit of the doubt
  if (kind == "Pod" || kind == "ReplicationController") return group == "core";
  if (kind == "Job" || kind == "CronJob") return group == "batch";
  return group == "apps" || group == "extensions";
}

std::optional<Entry> FindPath(NodeReader& reader, const YAML::Node& root,
                              std::initializer_list<std::string_view> keys) {
  std::optional<Entry> entry;
  const YAML::Node* node = &root;
  for (std::string_view key : keys) {
    entry.reset();
    auto next = reader.Find(*node, key);
    if (!next) return std::nullopt;
    entry.emplace(*next);
    node = &entry->value;
  }
  return entry;
}

std::optional<PodTemplate> ReadPodTemplate(NodeReader& reader, const YAML::Node& doc,
                                           const Object& object, TemplatePath path) {
  PodTemplate pod;
  std::optional<Entry> spec;
  if (path == TemplatePath::kPod) {
    pod.metadata = object.metadata;
    spec = reader.Find(doc, "spec");
  } else {
    auto tmpl = path == TemplatePath::kTemplate
                    ? FindPath(reader, doc, {"spec", "template"})
                    : FindPath(reader, doc, {"spec", "jobTemplate", "spec", "template"});
    if (tmpl) {
      pod.metadata = detail::ReadMetadata(reader, tmpl->value);
      spec = reader.Find(tmpl->value, "spec");
    }
  }
  if (!spec) {
    const char* where = path == TemplatePath::kPod        ? "spec"
                        : path == TemplatePath::kTemplate ? "spec.template.spec"
                                                          : "spec.jobTemplate.spec.template.spec";
    reader.Diagnose(object.kind.key, object.Ref() + " has no " + where + "; not checked");
    return std::nullopt;
  }
  pod.spec = detail::ReadPodSpec(reader, *spec);
  return pod;
}

NetworkPolicySpec ReadNetworkPolicy(NodeReader& reader, const YAML::Node& doc) {
  NetworkPolicySpec out;
  auto spec = reader.Find(doc, "spec");
  if (!spec) return out;
  if (auto selector = reader.Find(spec->value, "podSelector")) {
    out.pod_selector = detail::ReadLabelSelector(reader, *selector);
  }
  out.policy_types = reader.StringList(spec->value, "policyTypes");
  return out;
}

class DocumentReader {
 public:
  DocumentReader(NodeReader& reader, Manifest& manifest, int document)
      : reader_(reader), manifest_(manifest), document_(document) {}

  void Read(const YAML::Node& node, int list_depth) {
    if (!node.IsMap()) {
      if (!node.IsNull()) reader_.Diagnose(reader_.PosOf(node), "not a Kubernetes object (a map)");
      return;
    }
    StringField kind = reader_.String(node, "kind");
    StringField api_version = reader_.String(node, "apiVersion");
    if (!kind.value) {
      if (api_version.present()) reader_.Diagnose(reader_.PosOf(node), "object has no 'kind'");
      return;  // not a Kubernetes object (a values file, a kustomization...)
    }
    auto items = reader_.Find(node, "items");
    if (items && kind.value->ends_with("List")) {
      ReadList(*items, list_depth);
      return;
    }
    AddObject(node, std::move(kind), std::move(api_version));
  }

 private:
  void ReadList(const Entry& items, int list_depth) {
    if (list_depth >= kMaxListNesting) {
      reader_.Diagnose(reader_.PosOf(items.key), "Lists nested too deeply; items ignored");
      return;
    }
    for (const YAML::Node& item : reader_.Items(items.value, "items")) Read(item, list_depth + 1);
  }

  void AddObject(const YAML::Node& node, StringField kind, StringField api_version) {
    if (manifest_.objects.size() >= kMaxObjectsPerFile) {
      if (manifest_.objects.size() == kMaxObjectsPerFile) {
        reader_.Diagnose(kind.key, "more than " + std::to_string(kMaxObjectsPerFile) +
                                       " objects in one file; the rest are ignored");
      }
      return;
    }
    Object object;
    object.document = document_;
    object.pos = reader_.PosOf(node);
    object.kind = std::move(kind);
    object.api_version = std::move(api_version);
    object.metadata = detail::ReadMetadata(reader_, node);
    object.node = RawNode(node);
    const std::string& kind_name = *object.kind.value;
    TemplatePath path = PathForKind(kind_name);
    if (path != TemplatePath::kNone && GroupFits(kind_name, ApiGroup(object.api_version))) {
      object.pod = ReadPodTemplate(reader_, node, object, path);
    } else if (kind_name == "NetworkPolicy") {
      object.network_policy = ReadNetworkPolicy(reader_, node);
    } else if (kind_name == "ServiceAccount") {
      object.automount_service_account_token = reader_.Bool(node, "automountServiceAccountToken");
    }
    manifest_.objects.push_back(std::move(object));
  }

  NodeReader& reader_;
  Manifest& manifest_;
  int document_;
};

core::Location LocationOf(const std::string& path, int line, int column) {
  return core::Location{path, line, column, 0, 0};
}

std::string YamlErrorMessage(const YAML::Exception& error) {
  if (dynamic_cast<const YAML::DeepRecursion*>(&error) != nullptr) {
    return "YAML nesting too deep; document skipped";
  }
  return "invalid YAML: " + error.msg;
}

// Parses one chunk; returns false when the work budget ran out.
bool ParseChunk(const std::string& path, const Chunk& chunk, size_t& budget, int& document,
                Manifest& manifest) {
  std::vector<YAML::Node> docs;
  const std::string text(chunk.text);
  if (detail::ParserRunsAway(text)) {
    manifest.diagnostics.push_back(
        {LocationOf(path, chunk.first_line + 1, 0),
         "YAML that yaml-cpp cannot finish parsing (a stray ',' outside a flow collection?); "
         "document skipped"});
    ++document;
    return true;
  }
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    int line = error.mark.is_null() ? chunk.first_line + 1 : chunk.first_line + error.mark.line + 1;
    int column = error.mark.is_null() ? 0 : error.mark.column + 1;
    manifest.diagnostics.push_back({LocationOf(path, line, column), YamlErrorMessage(error)});
    ++document;
    return true;
  }
  for (const YAML::Node& doc : docs) {
    if (!doc.IsDefined() || doc.IsNull()) continue;
    ++manifest.documents;
    const size_t objects_before = manifest.objects.size();
    NodeReader reader(path, chunk.first_line, budget, manifest.diagnostics);
    DocumentReader(reader, manifest, document++).Read(doc, 0);
    if (reader.exhausted()) {
      // What was read is incomplete: missing fields would become false findings.
      manifest.objects.resize(objects_before);
      manifest.diagnostics.push_back(
          {LocationOf(path, chunk.first_line + 1, 0),
           "document too large or too repetitive (YAML alias expansion?); analysis of the file "
           "stopped here"});
      return false;
    }
  }
  return true;
}

// Drops repeats and keeps lines inside the file: yaml-cpp reports errors at
// end of input one line past the last.
void TidyDiagnostics(std::string_view text, std::vector<core::Diagnostic>& diagnostics) {
  int last_line = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++last_line;
  std::set<std::tuple<int, int, std::string>> seen;
  std::vector<core::Diagnostic> out;
  for (core::Diagnostic& d : diagnostics) {
    if (d.location.line > last_line) {
      d.location.line = std::max(last_line, 1);
      d.location.column = 0;
    }
    if (seen.emplace(d.location.line, d.location.column, d.message).second) {
      out.push_back(std::move(d));
    }
  }
  diagnostics = std::move(out);
}

}  // namespace

RawNode& RawNode::operator=(const RawNode& other) {
  if (this != &other) {
    node_.reset();
    if (other.node_) node_.emplace(*other.node_);
  }
  return *this;
}

std::string_view ContainerKindName(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::kContainer:
      return "container";
    case ContainerKind::kInitContainer:
      return "initContainer";
    case ContainerKind::kEphemeralContainer:
      return "ephemeralContainer";
  }
  return "container";
}

std::string Object::Ref() const {
  std::string name = metadata.name.value.value_or("");
  if (name.empty() && metadata.generate_name.value) name = *metadata.generate_name.value + "*";
  if (name.empty()) name = "<unnamed>";
  return kind.value.value_or("<no kind>") + "/" + name;
}

std::string Object::Namespace() const {
  const std::string& ns = metadata.namespace_name.value ? *metadata.namespace_name.value : "";
  return ns.empty() ? "default" : ns;
}

bool IsWorkloadKind(std::string_view kind) { return PathForKind(kind) != TemplatePath::kNone; }

Manifest ParseKubernetes(const core::SourceFile& file) {
  Manifest manifest;
  const std::string_view text = file.content;
  if (text.size() > kMaxManifestBytes) {
    manifest.diagnostics.push_back({LocationOf(file.path, 0, 0),
                                    "file larger than " + std::to_string(kMaxManifestBytes >> 20) +
                                        " MiB; not analysed as a Kubernetes manifest"});
    return manifest;
  }
  if (text.find('\0') != std::string_view::npos) {
    manifest.diagnostics.push_back(
        {LocationOf(file.path, 0, 0), "binary data (NUL bytes); not a YAML manifest"});
    return manifest;
  }
  size_t budget = kBaseBudget + kBudgetPerByte * text.size();
  int document = 0;
  for (const Chunk& chunk : SplitDocuments(text)) {
    try {
      if (!ParseChunk(file.path, chunk, budget, document, manifest)) break;
    } catch (const std::exception& error) {
      // yaml-cpp can throw from node accessors on odd input; keep the others.
      manifest.diagnostics.push_back({LocationOf(file.path, chunk.first_line + 1, 0),
                                      std::string("could not read document: ") + error.what()});
    }
  }
  TidyDiagnostics(text, manifest.diagnostics);
  return manifest;
}

}  // namespace bulwark::parse::k8s
