#include "runtime/rules/collector.hpp"

#include <algorithm>
#include <utility>

#include "runtime/rules/condition_parser.hpp"

namespace bulwark::runtime::rules {
namespace {

using core::ErrorCode;

core::Status Invalid(std::string message) { return core::Error(ErrorCode::kInvalidArgument, std::move(message)); }

// Redefinition keeps the first definition's position; visibility moves on.
template <typename T>
void Define(std::vector<T>& infos, std::unordered_map<std::string, size_t>& index, T info, uint32_t id) {
  auto it = index.find(info.name);
  info.visibility = id;
  if (it != index.end()) {
    info.index = infos[it->second].index;
    infos[it->second] = std::move(info);
    return;
  }
  info.index = id;
  index.emplace(info.name, infos.size());
  infos.push_back(std::move(info));
}

bool IsOperator(const std::string& op) {
  const auto& ops = SupportedOperators();
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

constexpr const char* kNoPreviousList =
    "List uses 'append' or 'override.items: append' but no list by that name already exists";
constexpr const char* kNoPreviousMacro =
    "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists";
constexpr const char* kNoPreviousRuleAppend =
    "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists";
constexpr const char* kNoPreviousRuleReplace =
    "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists";

}  // namespace

bool RuleUpdate::HasAnyValue() const {
  return condition || output || desc || tags || exceptions || priority || enabled || warn_evttypes ||
         skip_if_unknown_filter;
}

const ListInfo* Collector::FindList(const std::string& name) const {
  auto it = list_index_.find(name);
  return it == list_index_.end() ? nullptr : &lists_[it->second];
}

const MacroInfo* Collector::FindMacro(const std::string& name) const {
  auto it = macro_index_.find(name);
  return it == macro_index_.end() ? nullptr : &macros_[it->second];
}

const RuleInfo* Collector::FindRule(const std::string& name) const {
  auto it = rule_index_.find(name);
  return it == rule_index_.end() ? nullptr : &rules_[it->second];
}

RuleInfo* Collector::MutableRule(const std::string& name) {
  auto it = rule_index_.find(name);
  return it == rule_index_.end() ? nullptr : &rules_[it->second];
}

core::Status Collector::DefineList(ListInfo info) {
  Define(lists_, list_index_, std::move(info), NextId());
  return core::Status();
}

core::Status Collector::AppendList(const ListInfo& info) {
  auto it = list_index_.find(info.name);
  if (it == list_index_.end()) return Invalid(kNoPreviousList);
  ListInfo& prev = lists_[it->second];
  prev.items.insert(prev.items.end(), info.items.begin(), info.items.end());
  prev.visibility = NextId();
  return core::Status();
}

core::Status Collector::DefineMacro(MacroInfo info) {
  Define(macros_, macro_index_, std::move(info), NextId());
  return core::Status();
}

core::Status Collector::AppendMacro(const MacroInfo& info) {
  auto it = macro_index_.find(info.name);
  if (it == macro_index_.end()) return Invalid(kNoPreviousMacro);
  MacroInfo& prev = macros_[it->second];
  prev.condition.Append(" ", info.condition.origin);
  prev.condition.Append(info.condition);
  prev.visibility = NextId();
  return core::Status();
}

core::Status Collector::ValidateException(ExceptionInfo& ex) const {
  auto known = [this](const std::string& f) { return field_check_ == nullptr || field_check_(field_check_ctx_, f); };
  if (ex.fields.is_list) {
    if (!ex.comps.defined) {
      ex.comps.defined = true;
      ex.comps.is_list = true;
      ex.comps.items.assign(ex.fields.items.size(), ExceptionEntry{true, false, "=", {}});
    }
    if (!ex.comps.is_list || ex.fields.items.size() != ex.comps.items.size()) {
      return Invalid("Fields and comps lists must have equal length");
    }
    for (const auto& c : ex.comps.items) {
      if (!IsOperator(c.item)) return Invalid("'" + c.item + "' is not a supported comparison operator");
    }
    for (const auto& f : ex.fields.items) {
      if (!known(f.item)) return Invalid("'" + f.item + "' is not a supported filter field");
    }
    return core::Status();
  }
  if (!ex.comps.defined) {
    ex.comps.defined = true;
    ex.comps.is_list = false;
    ex.comps.item = "in";
  }
  if (ex.comps.is_list) return Invalid("Fields and comps must both be strings");
  if (ex.comps.item != "in" && ex.comps.item != "pmatch" && ex.comps.item != "intersects") {
    return Invalid("When fields is a single value, comps must be one of (in, pmatch, intersects)");
  }
  if (!known(ex.fields.item)) return Invalid("'" + ex.fields.item + "' is not a supported filter field");
  return core::Status();
}

core::Status Collector::DefineRule(RuleInfo info) {
  if (const RuleInfo* prev = FindRule(info.name); prev != nullptr && prev->source != info.source) {
    return Invalid("Rule has been re-defined with a different source");
  }
  if (!info.unknown_source) {
    for (auto& ex : info.exceptions) {
      if (!ex.fields.defined) return Invalid("Rule exception item must have fields property with a list of fields");
      RETURN_IF_ERROR(ValidateException(ex));
    }
  }
  Define(rules_, rule_index_, std::move(info), NextId());
  return core::Status();
}

core::Status Collector::AppendRule(const RuleUpdate& u) {
  RuleInfo* prev = MutableRule(u.name);
  if (prev == nullptr) return Invalid(kNoPreviousRuleAppend);
  if (!u.HasAnyValue()) return Invalid("Appended rule must have exceptions or condition property");
  if (u.condition && !u.condition->empty()) {
    prev->condition.Append(" ", u.condition->origin);
    prev->condition.Append(*u.condition);
  }
  if (u.output && !u.output->empty()) {
    prev->output.Append(" ", u.output->origin);
    prev->output.Append(*u.output);
  }
  if (u.desc && !u.desc->empty()) prev->desc += " " + *u.desc;
  if (u.tags) prev->tags.insert(u.tags->begin(), u.tags->end());
  if (u.exceptions) {
    for (const auto& ex : *u.exceptions) {
      auto it = std::find_if(prev->exceptions.begin(), prev->exceptions.end(),
                             [&ex](const ExceptionInfo& e) { return e.name == ex.name; });
      if (it == prev->exceptions.end()) {
        if (!ex.fields.defined) return Invalid("Rule exception must have fields property with a list of fields");
        if (ex.values.empty()) return Invalid("Rule exception must have values property with a list of values");
        ExceptionInfo added = ex;
        if (!prev->unknown_source) RETURN_IF_ERROR(ValidateException(added));
        prev->exceptions.push_back(std::move(added));
      } else {
        if (ex.fields.defined) return Invalid("Can not append exception fields to existing exception, only values");
        if (ex.comps.defined) return Invalid("Can not append exception comps to existing exception, only values");
        it->values.insert(it->values.end(), ex.values.begin(), ex.values.end());
      }
    }
  }
  prev->visibility = NextId();
  return core::Status();
}

core::Status Collector::ReplaceRule(const RuleUpdate& u) {
  RuleInfo* prev = MutableRule(u.name);
  if (prev == nullptr) return Invalid(kNoPreviousRuleReplace);
  if (!u.HasAnyValue()) return Invalid("The rule must have at least one field that can be replaced");
  if (u.exceptions && !prev->unknown_source) {
    std::vector<ExceptionInfo> replaced = *u.exceptions;
    for (auto& ex : replaced) {
      if (!ex.fields.defined) return Invalid("Rule exception must have fields property with a list of fields");
      RETURN_IF_ERROR(ValidateException(ex));
    }
    prev->exceptions = std::move(replaced);
  }
  if (u.condition) prev->condition = *u.condition;
  if (u.output) prev->output = *u.output;
  if (u.desc) prev->desc = *u.desc;
  if (u.tags) prev->tags = *u.tags;
  if (u.priority) prev->priority = *u.priority;
  if (u.enabled) prev->enabled = *u.enabled;
  if (u.warn_evttypes) prev->warn_evttypes = *u.warn_evttypes;
  if (u.skip_if_unknown_filter) prev->skip_if_unknown_filter = *u.skip_if_unknown_filter;
  prev->visibility = NextId();
  return core::Status();
}

core::Status Collector::EnableRule(const std::string& name, bool enabled) {
  RuleInfo* prev = MutableRule(name);
  if (prev == nullptr) return Invalid("Rule has 'enabled' key but no rule by that name already exists");
  prev->enabled = enabled;
  return core::Status();
}

}  // namespace bulwark::runtime::rules
