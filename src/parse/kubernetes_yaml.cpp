#include "parse/kubernetes_yaml.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <sstream>
#include <utility>

namespace bulwark::parse::k8s::detail {
namespace {

// Merge keys may chain (`<<: *a` where a itself merges b); real manifests
// need one or two levels.
constexpr int kMaxMergeDepth = 4;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsScalarKey(const YAML::Node& key, std::string_view wanted) {
  return key.IsScalar() && key.Scalar() == wanted;
}

// Stops a dry run once it has seen more events than the input can hold.
class EventBudget : public YAML::EventHandler {
 public:
  struct Exhausted {};
  explicit EventBudget(size_t limit) : left_(limit) {}

  void OnDocumentStart(const YAML::Mark&) override { Spend(); }
  void OnDocumentEnd() override { Spend(); }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { Spend(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { Spend(); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Spend();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Spend();
  }
  void OnSequenceEnd() override { Spend(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Spend();
  }
  void OnMapEnd() override { Spend(); }

 private:
  void Spend() {
    if (left_ == 0) throw Exhausted{};
    --left_;
  }
  size_t left_;
};

}  // namespace

bool ParserRunsAway(const std::string& text) {
  // Every event consumes at least one token of the input, and a token can
  // yield at most a handful of events ("a:" is a key, a null and maybe a map).
  EventBudget budget(1000 + 4 * text.size());
  std::istringstream stream(text);
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(budget)) {
    }
  } catch (const EventBudget::Exhausted&) {
    return true;
  } catch (const std::exception&) {
    return false;  // a syntax error; LoadAll reports it with its position
  }
  return false;
}

std::optional<bool> ParseYamlBool(std::string_view text) {
  // Kubernetes decodes YAML with go-yaml's YAML 1.1 rules, where yes/no/on/off
  // are booleans too; `privileged: on` does make a privileged container.
  const std::string word = Lower(text);
  if (word == "true" || word == "yes" || word == "on" || word == "y") return true;
  if (word == "false" || word == "no" || word == "off" || word == "n") return false;
  return std::nullopt;
}

std::optional<int64_t> ParseYamlInt(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '_') digits.push_back(c);  // YAML 1.1 digit separators
  }
  std::string_view rest = digits;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  int base = 10;
  if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) {
    base = 16;
    rest.remove_prefix(2);
  } else if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'o' || rest[1] == 'O')) {
    base = 8;
    rest.remove_prefix(2);
  } else if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'b' || rest[1] == 'B')) {
    base = 2;
    rest.remove_prefix(2);
  } else if (rest.size() > 1 && rest[0] == '0') {
    base = 8;  // YAML 1.1 octal: 0644
    rest.remove_prefix(1);
  }
  if (rest.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), magnitude, base);
  if (ec != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (magnitude > kMax + (negative ? 1 : 0)) return std::nullopt;
  if (negative)
    return magnitude == kMax + 1 ? std::numeric_limits<int64_t>::min()
                                 : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

NodeReader::NodeReader(std::string path, int line_offset, size_t& budget,
                       std::vector<core::Diagnostic>& diagnostics)
    : path_(std::move(path)),
      line_offset_(line_offset),
      budget_(budget),
      diagnostics_(diagnostics) {}

bool NodeReader::Spend(size_t units) {
  if (exhausted_) return false;
  if (units > budget_) {
    budget_ = 0;
    exhausted_ = true;
    return false;
  }
  budget_ -= units;
  return true;
}

Pos NodeReader::PosOf(const YAML::Node& node) const {
  if (!node.IsDefined()) return {};
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {};
  return Pos{mark.line + 1 + line_offset_, mark.column + 1};
}

void NodeReader::Diagnose(Pos pos, std::string message) {
  diagnostics_.push_back(
      core::Diagnostic{core::Location{path_, pos.line, pos.column, 0, 0}, std::move(message)});
}

std::optional<Entry> NodeReader::FindIn(const YAML::Node& map, std::string_view key,
                                        int merge_depth) {
  if (!map.IsMap() || !Spend(map.size() + 1)) return std::nullopt;
  std::optional<Entry> found;
  std::optional<Entry> merge;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (IsScalarKey(it->first, key)) {
      if (found) {
        Diagnose(PosOf(it->first), "duplicate key '" + std::string(key) +
                                       "': the last value is used, as kubectl does");
      }
      found.reset();  // emplace, never assign: Node::operator= writes into the document
      found.emplace(Entry{it->first, it->second});
    } else if (IsScalarKey(it->first, "<<") && !merge) {
      merge.emplace(Entry{it->first, it->second});
    }
  }
  if (!found && merge && merge_depth < kMaxMergeDepth) {
    const YAML::Node& source = merge->value;
    if (source.IsMap()) return FindIn(source, key, merge_depth + 1);
    if (source.IsSequence()) {
      // `<<: [*a, *b]`: earlier maps take precedence.
      for (const auto& item : source) {
        if (auto entry = FindIn(item, key, merge_depth + 1)) return entry;
      }
    }
  }
  if (found && found->value.IsNull()) return std::nullopt;
  return found;
}

std::optional<Entry> NodeReader::Find(const YAML::Node& map, std::string_view key) {
  return FindIn(map, key, 0);
}

std::vector<Entry> NodeReader::Entries(const YAML::Node& map) {
  std::vector<Entry> out;
  if (!map.IsMap() || !Spend(map.size() + 1)) return out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    if (out.size() >= kMaxItemsPerList) {
      Diagnose(PosOf(map), "map has more than " + std::to_string(kMaxItemsPerList) +
                               " entries; the rest are ignored");
      break;
    }
    out.push_back(Entry{it->first, it->second});
  }
  return out;
}

std::vector<YAML::Node> NodeReader::Items(const YAML::Node& seq, std::string_view what) {
  std::vector<YAML::Node> out;
  if (!seq.IsSequence() || !Spend(seq.size() + 1)) return out;
  for (const auto& item : seq) {
    if (out.size() >= kMaxItemsPerList) {
      Diagnose(PosOf(seq), std::string(what) + " has more than " +
                               std::to_string(kMaxItemsPerList) + " items; the rest are ignored");
      break;
    }
    out.push_back(item);
  }
  return out;
}

StringField NodeReader::StringOf(const YAML::Node& node) {
  StringField field;
  field.key = field.at = PosOf(node);
  if (node.IsScalar()) {
    field.value = node.Scalar();
  } else if (!node.IsNull()) {
    Diagnose(field.at, "expected a string here");
  }
  return field;
}

IntField NodeReader::IntOf(const YAML::Node& node) {
  IntField field;
  field.key = field.at = PosOf(node);
  if (node.IsScalar()) field.value = ParseYamlInt(node.Scalar());
  if (!field.value && !node.IsNull()) Diagnose(field.at, "expected an integer here");
  return field;
}

StringField NodeReader::String(const YAML::Node& map, std::string_view key) {
  StringField field;
  auto entry = Find(map, key);
  if (!entry) return field;
  field.key = PosOf(entry->key);
  field.at = PosOf(entry->value);
  if (entry->value.IsScalar()) {
    field.value = entry->value.Scalar();
  } else {
    Diagnose(field.at, "'" + std::string(key) + "' should be a string");
  }
  return field;
}

BoolField NodeReader::Bool(const YAML::Node& map, std::string_view key) {
  BoolField field;
  auto entry = Find(map, key);
  if (!entry) return field;
  field.key = PosOf(entry->key);
  field.at = PosOf(entry->value);
  if (entry->value.IsScalar()) field.value = ParseYamlBool(entry->value.Scalar());
  if (!field.value) Diagnose(field.at, "'" + std::string(key) + "' should be true or false");
  return field;
}

IntField NodeReader::Int(const YAML::Node& map, std::string_view key) {
  IntField field;
  auto entry = Find(map, key);
  if (!entry) return field;
  field.key = PosOf(entry->key);
  field.at = PosOf(entry->value);
  if (entry->value.IsScalar()) field.value = ParseYamlInt(entry->value.Scalar());
  if (!field.value) Diagnose(field.at, "'" + std::string(key) + "' should be an integer");
  return field;
}

std::vector<KeyValue> NodeReader::StringMap(const YAML::Node& map, std::string_view key) {
  std::vector<KeyValue> out;
  auto entry = Find(map, key);
  if (!entry) return out;
  for (const Entry& item : Entries(entry->value)) {
    KeyValue kv;
    kv.key = item.key.Scalar();
    kv.key_pos = PosOf(item.key);
    kv.value_pos = PosOf(item.value);
    if (item.value.IsScalar()) kv.value = item.value.Scalar();
    out.push_back(std::move(kv));
  }
  return out;
}

std::vector<StringField> NodeReader::StringList(const YAML::Node& map, std::string_view key,
                                                Pos* key_pos) {
  std::vector<StringField> out;
  auto entry = Find(map, key);
  if (!entry) return out;
  if (key_pos != nullptr) *key_pos = PosOf(entry->key);
  if (!entry->value.IsSequence()) {
    Diagnose(PosOf(entry->value), "'" + std::string(key) + "' should be a list");
    return out;
  }
  for (const YAML::Node& item : Items(entry->value, key)) out.push_back(StringOf(item));
  return out;
}

}  // namespace bulwark::parse::k8s::detail
