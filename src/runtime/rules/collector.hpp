// The collect stage of the rule loader: lists, macros and rules as the rule
// files define them, after redefinition, `append: true` and
// `override: {key: append|replace}` have been applied in file order, as
// Falco's rule_loader_collector does. Nothing is parsed or compiled here.
//
// Ordering follows Falco: every item read takes the next id; a definition
// keeps the position (`index`) of the first definition of its name and its
// `visibility` becomes the id of the latest definition, append or replace.
// Lists see lists, and macros see macros, whose index is below their own
// visibility; rules see every macro.
//
// Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/alert.hpp"
#include "runtime/rules/mapped_text.hpp"

namespace bulwark::runtime::rules {

struct ListInfo {
  std::string name;
  std::vector<std::string> items;
  SrcPos pos;
  uint32_t index = 0;
  uint32_t visibility = 0;
};

struct MacroInfo {
  std::string name;
  MappedText condition;
  SrcPos pos;
  uint32_t index = 0;
  uint32_t visibility = 0;
};

// One of `fields`, `comps` or a `values` entry: a scalar or a list of them.
struct ExceptionEntry {
  bool defined = false;
  bool is_list = false;
  std::string item;
  std::vector<ExceptionEntry> items;
};

struct ExceptionInfo {
  std::string name;
  ExceptionEntry fields;
  ExceptionEntry comps;
  std::vector<ExceptionEntry> values;
  SrcPos pos;
};

struct RuleInfo {
  std::string name;
  MappedText condition;
  MappedText output;
  std::string desc;
  Priority priority = Priority::kDebug;
  std::string source = "syscall";
  bool enabled = true;
  std::set<std::string> tags;  // sorted, as Falco keeps them
  std::vector<ExceptionInfo> exceptions;
  bool warn_evttypes = true;
  bool skip_if_unknown_filter = false;
  bool unknown_source = false;  // kept so appends to it are accepted, never compiled
  SrcPos pos;
  uint32_t index = 0;
  uint32_t visibility = 0;
};

// The keys of a rule an append or a replace carries.
struct RuleUpdate {
  std::string name;
  SrcPos pos;
  std::optional<MappedText> condition;
  std::optional<MappedText> output;
  std::optional<std::string> desc;
  std::optional<std::set<std::string>> tags;
  std::optional<std::vector<ExceptionInfo>> exceptions;
  std::optional<Priority> priority;
  std::optional<bool> enabled;
  std::optional<bool> warn_evttypes;
  std::optional<bool> skip_if_unknown_filter;

  bool HasAnyValue() const;
};

class Collector {
 public:
  // Which field names exist (exception fields are checked when collected).
  using FieldCheck = bool (*)(const void* ctx, const std::string& field);
  void SetFieldCheck(FieldCheck check, const void* ctx) {
    field_check_ = check;
    field_check_ctx_ = ctx;
  }

  core::Status DefineList(ListInfo info);
  core::Status AppendList(const ListInfo& info);
  core::Status DefineMacro(MacroInfo info);
  core::Status AppendMacro(const MacroInfo& info);
  // A rule of an unknown source is kept (flagged) and never compiled.
  core::Status DefineRule(RuleInfo info);
  core::Status AppendRule(const RuleUpdate& update);
  core::Status ReplaceRule(const RuleUpdate& update);
  // The deprecated `- rule: X\n  enabled: false` form.
  core::Status EnableRule(const std::string& name, bool enabled);

  // Validates an exception's fields/comps (defaults filled in); Falco's rules.
  core::Status ValidateException(ExceptionInfo& ex) const;

  const std::vector<ListInfo>& lists() const { return lists_; }
  const std::vector<MacroInfo>& macros() const { return macros_; }
  const std::vector<RuleInfo>& rules() const { return rules_; }
  const ListInfo* FindList(const std::string& name) const;
  const MacroInfo* FindMacro(const std::string& name) const;
  const RuleInfo* FindRule(const std::string& name) const;

  // The next item id (each item read takes one, as in Falco).
  uint32_t NextId() { return next_id_++; }

 private:
  RuleInfo* MutableRule(const std::string& name);

  std::vector<ListInfo> lists_;
  std::vector<MacroInfo> macros_;
  std::vector<RuleInfo> rules_;
  std::unordered_map<std::string, size_t> list_index_, macro_index_, rule_index_;
  uint32_t next_id_ = 0;
  FieldCheck field_check_ = nullptr;
  const void* field_check_ctx_ = nullptr;
};

}  // namespace bulwark::runtime::rules
