// Reading `rule` items: definitions, the legacy `append: true`, the modern
// `override:` map (Falco's allowed keys and errors), the enabled-only
// toggle, and exceptions.
#include <utility>

#include "runtime/rules/rule_reader_internal.hpp"

namespace bulwark::runtime::rules::internal {
namespace {

const std::set<std::string> kAppendable = {"condition", "output", "desc", "tags", "exceptions"};
const std::set<std::string> kReplaceable = {"condition", "output",  "desc",          "priority",
                                            "tags",      "exceptions", "enabled",    "warn_evttypes",
                                            "skip-if-unknown-filter", "capture", "capture_duration"};

constexpr const char* kAppendDeprecated =
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Falco trims rule outputs.
MappedText Trim(MappedText t) {
  size_t b = 0, e = t.text.size();
  while (b < e && IsBlank(t.text[b])) ++b;
  while (e > b && IsBlank(t.text[e - 1])) --e;
  MappedText out;
  out.origin = t.origin;
  out.text = t.text.substr(b, e - b);
  out.pos.assign(t.pos.begin() + static_cast<std::ptrdiff_t>(b), t.pos.begin() + static_cast<std::ptrdiff_t>(e));
  return out;
}

}  // namespace

bool FileReader::ReadExceptionEntry(const YAML::Node& node, const ItemCtx& ctx, int depth, ExceptionEntry& out) {
  if (depth > 3) return Fail(ctx, node, "too-deep", "exception values nest too deeply");
  if (node.IsScalar()) {
    if (node.Scalar().empty()) return Fail(ctx, node, "invalid-value", "Value must be non-empty");
    out.is_list = false;
    out.item = node.Scalar();
    out.defined = true;
    return true;
  }
  if (node.IsSequence()) {
    if (node.size() > kMaxExceptionValues) return Fail(ctx, node, "too-large", "too many exception values");
    out.is_list = true;
    for (const YAML::Node& v : node) {
      ExceptionEntry e;
      if (!ReadExceptionEntry(v, ctx, depth + 1, e)) return false;
      out.items.push_back(std::move(e));
    }
    out.defined = !out.items.empty();
    return true;
  }
  return Fail(ctx, node, "invalid-value", "Exception entry must be a scalar or a sequence");
}

bool FileReader::ReadExceptions(const YAML::Node& item, const ItemCtx& parent, bool append,
                                std::vector<ExceptionInfo>& out) {
  const YAML::Node exs = item["exceptions"];
  if (!exs.IsDefined() || exs.IsNull()) return true;
  ItemCtx ctx{"exceptions", parent.name, Pos(exs)};
  if (!exs.IsSequence()) return Fail(ctx, exs, "invalid-value", "Rule exceptions must be a sequence");
  if (exs.size() > kMaxExceptions) return Fail(ctx, exs, "too-large", "too many exceptions");
  for (const YAML::Node& ex : exs) {
    ItemCtx ectx{"exception", "", Pos(ex)};
    if (!ex.IsMap()) return Fail(ectx, ex, "invalid-value", "Rule exception must be a mapping");
    ExceptionInfo info;
    if (!Scalar(ex, "name", ectx, true, info.name)) return false;
    ectx.name = info.name;
    info.pos = ectx.pos;
    for (const auto& prev : out) {
      if (prev.name == info.name) return Fail(ectx, ex, "duplicate-exception", "Exceptions names in the same object must be unique");
    }
    WarnUnknownKeys(ex, ectx, {"name", "fields", "comps", "values"});
    const YAML::Node fields = ex["fields"];
    if (fields.IsDefined()) {
      if (!ReadExceptionEntry(fields, ectx, 1, info.fields)) return false;
    } else if (!append) {
      return Fail(ectx, ex, "missing-key", "Item has no mapping for key 'fields'");
    }
    const YAML::Node comps = ex["comps"];
    if (comps.IsDefined() && !ReadExceptionEntry(comps, ectx, 1, info.comps)) return false;
    const YAML::Node values = ex["values"];
    if (values.IsDefined()) {
      if (!values.IsSequence()) return Fail(ectx, values, "invalid-value", "Rule exception values must be a sequence");
      if (values.size() > kMaxExceptionValues) return Fail(ectx, values, "too-large", "too many exception values");
      for (const YAML::Node& v : values) {
        ExceptionEntry e;
        if (!ReadExceptionEntry(v, ectx, 1, e)) return false;
        info.values.push_back(std::move(e));
      }
    } else if (append) {
      Warn(ectx, ex, "append-no-values", "Overriding/appending exception with no values");
    }
    out.push_back(std::move(info));
  }
  return true;
}

namespace {

// Reads the keys of an override or legacy append into `u`.
struct UpdateKeys {
  bool condition = false, output = false, desc = false, tags = false, exceptions = false;
  bool priority = false, enabled = false, warn_evttypes = false, skip = false;
};

}  // namespace

void FileReader::ReadRule(const YAML::Node& item) {
  ItemCtx ctx{"rule", "", Pos(item)};
  std::string name;
  if (!Scalar(item, "rule", ctx, true, name)) return;
  ctx.name = name;
  WarnUnknownKeys(item, ctx,
                  {"rule", "condition", "output", "desc", "priority", "source", "enabled", "tags", "exceptions",
                   "append", "override", "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration"});
  bool has_append = false;
  if (!Bool(item, "append", ctx, has_append)) return;
  if (has_append) Warn(ctx, item["append"], "deprecated-append", kAppendDeprecated);
  std::set<std::string> ov_append, ov_replace;
  if (!Overrides(item, ctx, kAppendable, kReplaceable, ov_append, ov_replace)) return;
  bool has_overrides = !ov_append.empty() || !ov_replace.empty();
  if (has_append && has_overrides) {
    Fail(ctx, item, "override-append",
         "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: "
         "append') under 'override' instead.");
    return;
  }

  // Reads one key's value into the update; false after reporting.
  auto read_key = [&](const std::string& key, RuleUpdate& u, bool append) -> bool {
    std::string s;
    if (key == "condition") {
      if (!Scalar(item, "condition", ctx, true, s)) return false;
      u.condition = Text(item["condition"]);
    } else if (key == "output") {
      if (!Scalar(item, "output", ctx, true, s)) return false;
      u.output = Trim(Text(item["output"]));
    } else if (key == "desc") {
      if (!Scalar(item, "desc", ctx, true, s)) return false;
      u.desc = s;
    } else if (key == "tags") {
      std::vector<std::string> tags;
      if (!StringSeq(item, "tags", ctx, kMaxTags, tags)) return false;
      u.tags = std::set<std::string>(tags.begin(), tags.end());
    } else if (key == "exceptions") {
      std::vector<ExceptionInfo> exs;
      if (!ReadExceptions(item, ctx, append, exs)) return false;
      u.exceptions = std::move(exs);
    } else if (key == "priority") {
      if (!Scalar(item, "priority", ctx, true, s)) return false;
      auto p = ParsePriority(s);
      if (!p) return Fail(ctx, item["priority"], "invalid-priority", "Invalid priority");
      u.priority = *p;
    } else if (key == "enabled" || key == "warn_evttypes" || key == "skip-if-unknown-filter") {
      bool b = false;
      if (!item[key].IsDefined()) return Fail(ctx, item, "missing-key", "Item has no mapping for key '" + key + "'");
      if (!Bool(item, key.c_str(), ctx, b)) return false;
      (key == "enabled" ? u.enabled : key == "warn_evttypes" ? u.warn_evttypes : u.skip_if_unknown_filter) = b;
    }
    return true;  // capture, capture_duration: accepted, not used
  };

  if (has_overrides) {
    std::set<std::string> expected;
    for (const auto& k : kReplaceable) {
      if (item[k].IsDefined()) expected.insert(k);
    }
    for (const auto& [set, kind] : {std::pair{&ov_append, "append"}, std::pair{&ov_replace, "replace"}}) {
      for (const auto& k : *set) {
        if (expected.erase(k) == 0) {
          Fail(ctx, item["override"], "invalid-override",
               std::string("An ") + kind + " override for '" + k + "' was specified but '" + k + "' is not defined");
          return;
        }
      }
    }
    if (!expected.empty()) {
      const std::string& k = *expected.begin();
      Fail(ctx, item[k], "invalid-override",
           "Unexpected key '" + k + "': no corresponding entry under 'override' is defined.");
      return;
    }
    for (bool append : {true, false}) {
      const auto& keys = append ? ov_append : ov_replace;
      if (keys.empty()) continue;
      RuleUpdate u;
      u.name = name;
      u.pos = ctx.pos;
      for (const auto& k : keys) {
        if (!read_key(k, u, true)) return;
      }
      core::Status st = append ? collector_.AppendRule(u) : collector_.ReplaceRule(u);
      if (!st.ok()) {
        Fail(ctx, item, "invalid-override", st.message());
        return;
      }
    }
    return;
  }

  if (has_append) {
    RuleUpdate u;
    u.name = name;
    u.pos = ctx.pos;
    if (item["condition"].IsDefined() && !read_key("condition", u, true)) return;
    if (item["exceptions"].IsDefined() && !read_key("exceptions", u, true)) return;
    core::Status st = collector_.AppendRule(u);
    if (!st.ok()) Fail(ctx, item, "no-previous", st.message());
    return;
  }

  if (!item["condition"].IsDefined() && !item["output"].IsDefined() && !item["desc"].IsDefined() &&
      !item["priority"].IsDefined()) {
    bool enabled = true;
    if (!item["enabled"].IsDefined()) {
      Fail(ctx, item, "missing-key", "Item has no mapping for key 'condition'");
      return;
    }
    if (!Bool(item, "enabled", ctx, enabled)) return;
    Warn(ctx, item, "deprecated-enabled",
         "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry "
         "under the 'override' key (i.e. 'enabled: replace').");
    core::Status st = collector_.EnableRule(name, enabled);
    if (!st.ok()) Fail(ctx, item, "no-previous", st.message());
    return;
  }

  RuleInfo r;
  r.name = name;
  r.pos = ctx.pos;
  RuleUpdate u;
  for (const char* k : {"condition", "output", "desc", "priority"}) {
    if (!read_key(k, u, false)) return;
  }
  r.condition = std::move(*u.condition);
  r.output = std::move(*u.output);
  r.desc = std::move(*u.desc);
  r.priority = *u.priority;
  if (!Scalar(item, "source", ctx, false, r.source)) return;
  if (!Bool(item, "enabled", ctx, r.enabled) || !Bool(item, "warn_evttypes", ctx, r.warn_evttypes) ||
      !Bool(item, "skip-if-unknown-filter", ctx, r.skip_if_unknown_filter)) {
    return;
  }
  if (item["tags"].IsDefined() && !read_key("tags", u, false)) return;
  if (u.tags) r.tags = std::move(*u.tags);
  if (!ReadExceptions(item, ctx, false, r.exceptions)) return;
  if (r.source != "syscall") {
    r.unknown_source = true;
    Warn(ctx, item, "unknown-source", "Unknown source " + r.source + ", skipping");
  }
  core::Status st = collector_.DefineRule(std::move(r));
  if (!st.ok()) Fail(ctx, item, "invalid-rule", st.message());
}

}  // namespace bulwark::runtime::rules::internal
