#include "runtime/rules/fields.hpp"

#include <charconv>
#include <utility>

namespace bulwark::runtime::rules {
namespace {

using core::ErrorCode;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool ParseIndex(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 9) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kInt: return "number";
    case FieldType::kBool: return "bool";
    case FieldType::kIp: return "ip address";
    case FieldType::kNet: return "ip network";
    case FieldType::kDnsName: return "dns name";
    case FieldType::kDynamic: return "argument";
    case FieldType::kBytes: return "bytes";
  }
  return "?";
}

core::Status FieldRegistry::Add(std::unique_ptr<FieldProvider> provider) {
  for (const auto& f : provider->Fields()) {
    if (by_name_.count(f.name) > 0) {
      return core::Error(ErrorCode::kInternal, "field '" + std::string(f.name) + "' registered twice");
    }
  }
  for (const auto& f : provider->Fields()) by_name_.emplace(f.name, std::make_pair(provider.get(), &f));
  providers_.push_back(std::move(provider));
  return core::Status();
}

const FieldDesc* FieldRegistry::FindDesc(std::string_view name, const FieldProvider** provider) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  *provider = it->second.first;
  return it->second.second;
}

core::Status FieldRegistry::BindArg(ResolvedField& r, const std::string* arg, std::string_view suffix) const {
  const FieldDesc& d = *r.desc;
  const std::string name(d.name);
  r.mult = Multiplicity::kSingle;
  if (!suffix.empty()) {
    if (arg != nullptr) return core::Error(ErrorCode::kInvalidArgument, "field '" + name + "." + std::string(suffix) + "' takes no [argument]");
    r.arg.present = true;
    r.arg.text = std::string(suffix);
    r.display = name + "." + std::string(suffix);
    return core::Status();
  }
  r.display = name;
  if (arg == nullptr) {
    if (d.arg == ArgMode::kRequiredKey || d.arg == ArgMode::kIndexOrKey || d.arg == ArgMode::kArgName) {
      return core::Error(ErrorCode::kInvalidArgument, "field '" + name + "' requires an argument");
    }
    r.mult = d.bare;
    return core::Status();
  }
  if (d.arg == ArgMode::kNone) {
    return core::Error(ErrorCode::kInvalidArgument, "field '" + name + "' does not take an argument");
  }
  r.arg.present = true;
  r.arg.text = *arg;
  r.display = name + "[" + *arg + "]";
  r.arg.is_index = ParseIndex(*arg, r.arg.index);
  if (d.arg == ArgMode::kOptionalIndex && !r.arg.is_index) {
    return core::Error(ErrorCode::kInvalidArgument, "field '" + name + "' needs a numeric index, got '" + *arg + "'");
  }
  if (r.arg.text.empty()) return core::Error(ErrorCode::kInvalidArgument, "field '" + name + "' has an empty argument");
  return core::Status();
}

core::Result<ResolvedField> FieldRegistry::Resolve(std::string_view name, const std::string* arg) const {
  ResolvedField r;
  if ((r.desc = FindDesc(name, &r.provider)) != nullptr) {
    RETURN_IF_ERROR(BindArg(r, arg, {}));
    return r;
  }
  // evt.arg.<name>, evt.rawarg.<name>
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const FieldDesc* d = FindDesc(name.substr(0, dot), &r.provider);
    if (d != nullptr && d->arg == ArgMode::kArgName) {
      r.desc = d;
      RETURN_IF_ERROR(BindArg(r, arg, name.substr(dot + 1)));
      return r;
    }
  }
  return core::Error(ErrorCode::kNotFound, "nonexistent field " + std::string(name));
}

bool FieldRegistry::IsDefined(std::string_view name) const {
  std::string arg_text;
  const std::string* arg = nullptr;
  size_t bracket = name.find('[');
  if (bracket != std::string_view::npos && name.back() == ']') {
    arg_text = std::string(name.substr(bracket + 1, name.size() - bracket - 2));
    arg = &arg_text;
    name = name.substr(0, bracket);
  }
  return Resolve(name, arg).ok();
}

size_t FieldRegistry::MatchPrefix(std::string_view text, ResolvedField& out, std::string& error) const {
  size_t run = 0;
  while (run < text.size() && (IsIdentChar(text[run]) || text[run] == '.')) ++run;
  std::string_view token = text.substr(0, run);
  size_t best = 0;
  std::string_view suffix;
  // An evt.arg.<name> style field consumes its name.
  for (size_t dot = token.find('.'); dot != std::string_view::npos; dot = token.find('.', dot + 1)) {
    const FieldProvider* p = nullptr;
    const FieldDesc* d = FindDesc(token.substr(0, dot), &p);
    if (d == nullptr || d->arg != ArgMode::kArgName) continue;
    size_t end = dot + 1;
    while (end < token.size() && IsIdentChar(token[end])) ++end;
    if (end > dot + 1) {
      best = end;
      suffix = token.substr(dot + 1, end - dot - 1);
      out.provider = p;
      out.desc = d;
    }
  }
  for (size_t len = token.size(); len > best; --len) {
    const FieldProvider* p = nullptr;
    if (const FieldDesc* d = FindDesc(token.substr(0, len), &p); d != nullptr) {
      best = len;
      suffix = {};
      out.provider = p;
      out.desc = d;
      break;
    }
  }
  if (best == 0) return 0;
  size_t consumed = best;
  std::string arg;
  bool has_arg = false;
  if (suffix.empty() && consumed < text.size() && text[consumed] == '[') {
    size_t close = text.find(']', consumed);
    if (close == std::string_view::npos) {
      error = "unterminated '[' after %" + std::string(token.substr(0, best));
      return 0;
    }
    arg = std::string(text.substr(consumed + 1, close - consumed - 1));
    has_arg = true;
    consumed = close + 1;
  }
  core::Status st = BindArg(out, has_arg ? &arg : nullptr, suffix);
  if (!st.ok()) {
    error = st.message();
    return 0;
  }
  return consumed;
}

std::vector<const FieldDesc*> FieldRegistry::AllFields() const {
  std::vector<const FieldDesc*> all;
  for (const auto& p : providers_) {
    for (const auto& f : p->Fields()) all.push_back(&f);
  }
  return all;
}

std::string FieldsMarkdown(const FieldRegistry& registry) {
  std::string out = "| field | type | meaning |\n|---|---|---|\n";
  for (const FieldDesc* f : registry.AllFields()) {
    std::string name(f->name);
    switch (f->arg) {
      case ArgMode::kNone: break;
      case ArgMode::kOptionalIndex: name += "`, `" + std::string(f->name) + "[N]"; break;
      case ArgMode::kOptionalKey: name += "`, `" + std::string(f->name) + "[NAME]"; break;
      case ArgMode::kRequiredKey: name += "[KEY]"; break;
      case ArgMode::kIndexOrKey: name += "[N]`, `" + std::string(f->name) + "[PATH]"; break;
      case ArgMode::kArgName: name += ".NAME`, `" + std::string(f->name) + "[N]"; break;
    }
    out += "| `" + name + "` | " + std::string(FieldTypeName(f->type)) + " | " + std::string(f->description) + " |\n";
  }
  return out;
}

std::vector<std::unique_ptr<FieldProvider>> DefaultFieldProviders() {
  std::vector<std::unique_ptr<FieldProvider>> list;
  list.push_back(MakeEventFields());
  list.push_back(MakeProcessFields());
  list.push_back(MakeUserFields());
  list.push_back(MakeFdFields());
  list.push_back(MakeContainerFields());
  return list;
}

std::unique_ptr<FieldRegistry> DefaultFieldRegistry() {
  auto registry = std::make_unique<FieldRegistry>();
  for (auto& p : DefaultFieldProviders()) {
    core::Status st = registry->Add(std::move(p));
    // Duplicate names are a programming error in the provider tables.
    if (!st.ok()) return nullptr;
  }
  return registry;
}

}  // namespace bulwark::runtime::rules
