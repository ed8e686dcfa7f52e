#include "runtime/rules/rule_reader.hpp"

#include <charconv>
#include <exception>
#include <utility>

#include "runtime/rules/rule_reader_internal.hpp"
#include "runtime/rules/yaml_guard.hpp"

namespace bulwark::runtime::rules {
namespace internal {
namespace {

// Falco's reader regexes: macro names are identifiers, list names bare strings.
bool IsIdentifier(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsBareString(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || c == ' ' || c == '\t' ||
        c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      return false;
    }
  }
  return true;
}

std::string VersionString(const std::array<int, 3>& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

}  // namespace

SrcPos FileReader::Pos(const YAML::Node& node) const {
  YAML::Mark m = node.Mark();
  if (m.line < 0) return SrcPos{source_, 0, 0};
  return SrcPos{source_, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

MappedText FileReader::Text(const YAML::Node& node) const {
  YAML::Mark m = node.Mark();
  const std::string& value = node.Scalar();
  if (m.pos < 0 || m.line < 0) return PlainText(value, SrcPos{source_, 0, 0});
  return MapScalar(value, text_, static_cast<size_t>(m.pos), m.line, m.column, source_);
}

bool FileReader::Fail(const ItemCtx& ctx, const YAML::Node& at, std::string_view code, std::string message) {
  SrcPos p = at.IsDefined() ? Pos(at) : ctx.pos;
  if (p.line == 0) p = ctx.pos;
  diags_.Error(code, p, ctx.kind, ctx.name, std::move(message));
  return false;
}

void FileReader::Warn(const ItemCtx& ctx, const YAML::Node& at, std::string_view code, std::string message) {
  SrcPos p = at.IsDefined() ? Pos(at) : ctx.pos;
  if (p.line == 0) p = ctx.pos;
  diags_.Warning(code, p, ctx.kind, ctx.name, std::move(message));
}

bool FileReader::Scalar(const YAML::Node& item, const char* key, const ItemCtx& ctx, bool required,
                        std::string& out) {
  const YAML::Node v = item[key];
  if (!v.IsDefined()) {
    if (!required) return true;
    return Fail(ctx, item, "missing-key", std::string("Item has no mapping for key '") + key + "'");
  }
  if (v.IsNull()) return Fail(ctx, v, "invalid-value", std::string("Mapping for key '") + key + "' is empty");
  if (!v.IsScalar()) return Fail(ctx, v, "invalid-value", std::string("Value for key '") + key + "' is not a scalar value");
  if (v.Scalar().empty()) return Fail(ctx, v, "invalid-value", std::string("Value for key '") + key + "' must be non-empty");
  if (v.Scalar().size() > kMaxScalarBytes) return Fail(ctx, v, "too-large", std::string("Value for key '") + key + "' is too long");
  out = v.Scalar();
  return true;
}

bool FileReader::Bool(const YAML::Node& item, const char* key, const ItemCtx& ctx, bool& out) {
  const YAML::Node v = item[key];
  if (!v.IsDefined()) return true;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out)) {
    return Fail(ctx, v, "invalid-value", std::string("Can't decode YAML scalar value for key '") + key + "' as a boolean");
  }
  return true;
}

bool FileReader::StringSeq(const YAML::Node& item, const char* key, const ItemCtx& ctx, size_t max,
                           std::vector<std::string>& out) {
  const YAML::Node v = item[key];
  if (!v.IsDefined()) return Fail(ctx, item, "missing-key", std::string("Item has no mapping for key '") + key + "'");
  if (!v.IsSequence()) return Fail(ctx, v, "invalid-value", std::string("Value for key '") + key + "' is not a sequence");
  if (v.size() > max) return Fail(ctx, v, "too-large", std::string("Too many entries under '") + key + "'");
  for (const YAML::Node& e : v) {
    if (!e.IsScalar()) return Fail(ctx, e, "invalid-value", "sequence value is not scalar");
    if (e.Scalar().size() > kMaxScalarBytes) return Fail(ctx, e, "too-large", "sequence value is too long");
    out.push_back(e.Scalar());
  }
  return true;
}

void FileReader::WarnUnknownKeys(const YAML::Node& item, const ItemCtx& ctx,
                                 const std::set<std::string_view>& known) {
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("<non-scalar>");
    if (known.count(key) == 0) Warn(ctx, it->first, "unknown-key", "Unknown key '" + key + "' ignored");
  }
}

bool FileReader::Overrides(const YAML::Node& item, const ItemCtx& ctx, const std::set<std::string>& appendable,
                           const std::set<std::string>& replaceable, std::set<std::string>& append,
                           std::set<std::string>& replace) {
  const YAML::Node ov = item["override"];
  if (!ov.IsDefined()) return true;
  if (!ov.IsMap()) return Fail(ctx, ov, "invalid-override", "Value of 'override' must be a mapping");
  for (auto it = ov.begin(); it != ov.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      return Fail(ctx, it->first, "invalid-override", "Entries under 'override' must be 'key: append|replace'");
    }
    const std::string key = it->first.Scalar();
    const std::string op = it->second.Scalar();
    bool can_append = appendable.count(key) > 0;
    bool can_replace = replaceable.count(key) > 0;
    if (op == "append") {
      if (!can_append) return Fail(ctx, it->first, "invalid-override", "Key '" + key + "' cannot be appended to, use 'replace' instead");
      append.insert(key);
    } else if (op == "replace") {
      if (!can_replace) return Fail(ctx, it->first, "invalid-override", "Key '" + key + "' cannot be replaced");
      replace.insert(key);
    } else {
      std::string allowed = std::string(can_append ? "append " : "") + (can_replace ? "replace " : "");
      return Fail(ctx, it->second, "invalid-override",
                  "Invalid override operation for key '" + key + "': '" + op + "'. Allowed values are: " + allowed);
    }
  }
  return true;
}

void FileReader::ReadDocument(const YAML::Node& doc) {
  ItemCtx ctx{"rules content", "", Pos(doc)};
  if (!doc.IsDefined() || doc.IsNull()) return;
  if (!doc.IsSequence()) {
    Fail(ctx, doc, "not-a-sequence",
         doc.IsMap() ? "Rules content is not yaml array of objects" : "Rules content is not yaml");
    return;
  }
  for (const YAML::Node& item : doc) {
    if (item.IsNull()) continue;
    try {
      ReadItem(item);
    } catch (const std::exception& e) {
      diags_.Error("yaml-validate", Pos(item), "rules content item", "", e.what());
    }
  }
}

void FileReader::ReadItem(const YAML::Node& item) {
  ItemCtx ctx{"rules content item", "", Pos(item)};
  if (!item.IsMap()) {
    Fail(ctx, item, "not-a-map", "Unexpected element type. Each element should be a yaml associative array.");
    return;
  }
  if (item["required_engine_version"].IsDefined()) {
    ReadEngineVersion(item);
  } else if (item["required_plugin_versions"].IsDefined()) {
    ReadPluginVersions(item);
  } else if (item["list"].IsDefined()) {
    ReadList(item);
  } else if (item["macro"].IsDefined()) {
    ReadMacro(item);
  } else if (item["rule"].IsDefined()) {
    ReadRule(item);
  } else {
    Warn(ctx, item, "unknown-item", "Unknown top level item");
  }
}

void FileReader::ReadEngineVersion(const YAML::Node& item) {
  ItemCtx ctx{"required_engine_version", "", Pos(item)};
  std::string text;
  if (!Scalar(item, "required_engine_version", ctx, true, text)) return;
  auto v = ParseEngineVersion(text);
  const YAML::Node node = item["required_engine_version"];
  if (!v) {
    Fail(ctx, node, "invalid-version",
         "Unable to parse engine version '" + text + "' as a semver string. Expected \"x.y.z\" semver format.");
    return;
  }
  if ((*v)[0] != kEngineVersion[0] || *v > kEngineVersion) {
    Fail(ctx, node, "engine-version",
         "Rules require engine version " + VersionString(*v) + ", but engine version is " + VersionString(kEngineVersion));
  }
}

void FileReader::ReadPluginVersions(const YAML::Node& item) {
  ItemCtx ctx{"required_plugin_versions", "", Pos(item)};
  const YAML::Node reqs = item["required_plugin_versions"];
  if (!reqs.IsSequence()) {
    Fail(ctx, reqs, "invalid-value", "Value of required_plugin_versions must be a sequence");
    return;
  }
  for (const YAML::Node& plugin : reqs) {
    ItemCtx pctx{"required_plugin_versions entry", "", Pos(plugin)};
    if (!plugin.IsMap()) {
      Fail(pctx, plugin, "invalid-value", "Plugin version must be a mapping");
      continue;
    }
    std::vector<std::pair<std::string, std::string>> alternatives(1);
    if (!Scalar(plugin, "name", pctx, true, alternatives[0].first)) continue;
    pctx.name = alternatives[0].first;
    if (!Scalar(plugin, "version", pctx, true, alternatives[0].second)) continue;
    const YAML::Node alts = plugin["alternatives"];
    if (alts.IsDefined()) {
      if (!alts.IsSequence()) {
        Fail(pctx, alts, "invalid-value", "Value of plugin version alternatives must be a sequence");
        continue;
      }
      for (const YAML::Node& alt : alts) {
        std::pair<std::string, std::string> a;
        if (!alt.IsMap() || !Scalar(alt, "name", pctx, true, a.first) || !Scalar(alt, "version", pctx, true, a.second)) {
          if (!alt.IsMap()) Fail(pctx, alt, "invalid-value", "Plugin version alternative must be a mapping");
          break;
        }
        alternatives.push_back(std::move(a));
      }
    }
    bool satisfied = false;
    std::set<std::string> seen;
    for (const auto& [name, version] : alternatives) {
      if (!seen.insert(name).second) {
        Fail(pctx, plugin, "invalid-value", "Defined multiple alternative version requirements for plugin '" + name + "'");
        satisfied = true;  // reported already
        break;
      }
      auto v = ParseEngineVersion(version);
      if (!v || version.find('.') == std::string::npos) {
        Fail(pctx, plugin, "invalid-version", "Invalid required version '" + version + "' for plugin '" + name + "'");
        satisfied = true;
        break;
      }
      if (name == "container" && *v <= kContainerPluginVersion) satisfied = true;
    }
    if (!satisfied) {
      Warn(pctx, plugin, "plugin-unavailable",
           "plugin '" + pctx.name + "' (" + alternatives[0].second + ") is not available in bulwark; only the " +
               "syscall source and the built-in container fields (container plugin " +
               VersionString(kContainerPluginVersion) + ") are: rules that need it are skipped or fail");
    }
  }
}

void FileReader::ReadList(const YAML::Node& item) {
  ItemCtx ctx{"list", "", Pos(item)};
  std::string name;
  if (!Scalar(item, "list", ctx, true, name)) return;
  ctx.name = name;
  if (!IsBareString(name)) {
    Fail(ctx, item["list"], "invalid-name",
         "List has an invalid name. List names must match a regular expression: ([^()\"'[:space:]=,]+)");
    return;
  }
  WarnUnknownKeys(item, ctx, {"list", "items", "append", "override"});
  ListInfo info;
  info.name = name;
  info.pos = ctx.pos;
  if (!StringSeq(item, "items", ctx, kMaxListItems, info.items)) return;
  bool append = false;
  if (!Bool(item, "append", ctx, append)) return;
  if (append) Warn(ctx, item["append"], "deprecated-append", "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
  std::set<std::string> ov_append, ov_replace;
  if (!Overrides(item, ctx, {"items"}, {"items"}, ov_append, ov_replace)) return;
  if (append && !(ov_append.empty() && ov_replace.empty())) {
    Fail(ctx, item, "override-append", "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
    return;
  }
  append = append || ov_append.count("items") > 0;
  core::Status st = append ? collector_.AppendList(info) : collector_.DefineList(std::move(info));
  if (!st.ok()) Fail(ctx, item, "no-previous", st.message());
}

void FileReader::ReadMacro(const YAML::Node& item) {
  ItemCtx ctx{"macro", "", Pos(item)};
  std::string name;
  if (!Scalar(item, "macro", ctx, true, name)) return;
  ctx.name = name;
  if (!IsIdentifier(name)) {
    Fail(ctx, item["macro"], "invalid-name",
         "Macro has an invalid name. Macro names must match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)");
    return;
  }
  WarnUnknownKeys(item, ctx, {"macro", "condition", "append", "override"});
  std::string cond;
  if (!Scalar(item, "condition", ctx, true, cond)) return;
  MacroInfo info;
  info.name = name;
  info.pos = ctx.pos;
  info.condition = Text(item["condition"]);
  bool append = false;
  if (!Bool(item, "append", ctx, append)) return;
  if (append) Warn(ctx, item["append"], "deprecated-append", "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
  std::set<std::string> ov_append, ov_replace;
  if (!Overrides(item, ctx, {"condition"}, {"condition"}, ov_append, ov_replace)) return;
  if (append && !(ov_append.empty() && ov_replace.empty())) {
    Fail(ctx, item, "override-append", "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.");
    return;
  }
  append = append || ov_append.count("condition") > 0;
  core::Status st = append ? collector_.AppendMacro(info) : collector_.DefineMacro(std::move(info));
  if (!st.ok()) Fail(ctx, item, "no-previous", st.message());
}

}  // namespace internal

std::optional<std::array<int, 3>> ParseEngineVersion(std::string_view text) {
  std::array<int, 3> v{0, 0, 0};
  auto parse = [](std::string_view s, int& out) {
    if (s.empty() || s.size() > 9) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  size_t dot1 = text.find('.');
  if (dot1 == std::string_view::npos) {
    int legacy = 0;
    if (!parse(text, legacy)) return std::nullopt;
    v[1] = legacy;  // Falco's implicit version for integers: 0.N.0
    return v;
  }
  size_t dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  std::string_view patch = text.substr(dot2 + 1);
  // Pre-release or build suffixes ("1.2.3-rc1") are ignored, as semver orders them close enough here.
  patch = patch.substr(0, patch.find_first_of("-+"));
  if (!parse(text.substr(0, dot1), v[0]) || !parse(text.substr(dot1 + 1, dot2 - dot1 - 1), v[1]) ||
      !parse(patch, v[2])) {
    return std::nullopt;
  }
  return v;
}

void ReadRuleFile(uint32_t source, std::string_view text, Collector& collector, Diagnostics& diags) {
  if (text.size() > kMaxRuleFileBytes) {
    diags.Error("too-large", SrcPos{source, 0, 0}, "", "",
                "rule file is larger than " + std::to_string(kMaxRuleFileBytes >> 20) + " MiB; refused");
    return;
  }
  if (auto problem = CheckYamlShape(text, kMaxRuleFileBytes)) {
    SrcPos p{source, static_cast<uint32_t>(problem->line), static_cast<uint32_t>(problem->column)};
    diags.Error(problem->code, p, "", "", problem->message);
    return;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    SrcPos p{source, e.mark.line >= 0 ? static_cast<uint32_t>(e.mark.line + 1) : 0,
             e.mark.column >= 0 ? static_cast<uint32_t>(e.mark.column + 1) : 0};
    diags.Error("yaml-parse", p, "", "", e.msg.empty() ? std::string("YAML parse error") : e.msg);
    return;
  } catch (const std::exception& e) {
    diags.Error("yaml-parse", SrcPos{source, 0, 0}, "", "", e.what());
    return;
  }
  internal::FileReader reader(source, text, collector, diags);
  for (const auto& doc : docs) {
    try {
      reader.ReadDocument(doc);
    } catch (const std::exception& e) {
      diags.Error("yaml-validate", SrcPos{source, 0, 0}, "", "", e.what());
    }
  }
}

}  // namespace bulwark::runtime::rules
