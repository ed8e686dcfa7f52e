// The load pipeline: read every source into one Collector, expand lists,
// parse and resolve macros, then compile each rule (exceptions, list
// substitution, parse, macro resolution, fields, output) and report what
// went wrong where. Positions in rewritten conditions map back to the rule
// files through MappedText. Besides the bounds on each item, the load as a
// whole is bounded (load_budget.hpp): lists, condition text, macro nodes.
#include <string_view>
#include <unordered_set>
#include <utility>

#include "runtime/rules/collector.hpp"
#include "runtime/rules/condition_parser.hpp"
#include "runtime/rules/condition_text.hpp"
#include "runtime/rules/engine_internal.hpp"
#include "runtime/rules/load_budget.hpp"
#include "runtime/rules/macro_resolver.hpp"
#include "runtime/rules/rule_reader.hpp"

namespace bulwark::runtime::rules::internal {
namespace {

// Falco's rule loader parses with this recursion limit.
constexpr uint32_t kMaxParseDepth = 1000;

struct Loader {
  Loader(const std::vector<std::string>& names, LoadResult& result, EngineState& state)
      : diags(names, result), state(state) {}

  Diagnostics diags;
  EngineState& state;
  Collector collector;
  std::vector<ExpandedList> lists;
  std::vector<bool> list_used;
  std::vector<MacroBody> macros;
  std::vector<MappedText> macro_text;  // each macro's condition after list substitution
  LoadBudget budget;

  // Substitutes lists; reports (as `kind` `name`) and returns false when the
  // text grows too large, or the texts of the load together do.
  bool Substitute(MappedText& text, std::string_view kind, const std::string& name) {
    std::vector<bool> used;
    if (!SubstituteLists(text, lists, used)) {
      diags.Error("too-large", text.origin, kind, name,
                  "condition is longer than " + std::to_string(kMaxConditionBytes) + " bytes after list substitution");
      return false;
    }
    if (text.size() > budget.condition_bytes) {
      diags.Error("too-large", text.origin, kind, name,
                  "the rule files' conditions are longer than " + std::to_string(kMaxLoadConditionBytes >> 20) +
                      " MiB in total after list substitution (all macros and rules); nothing more is compiled");
      budget.condition_bytes = 0;
      return false;
    }
    budget.condition_bytes -= text.size();
    for (size_t i = 0; i < used.size(); ++i) {
      if (used[i]) list_used[i] = true;
    }
    return true;
  }

  // Position of offset `pos` in `own` text, or in a macro's text.
  SrcPos At(const MappedText& own, size_t pos, int32_t origin_macro) const {
    if (origin_macro >= 0 && static_cast<size_t>(origin_macro) < macro_text.size()) {
      return macro_text[static_cast<size_t>(origin_macro)].At(pos);
    }
    return own.At(pos);
  }

  std::string InMacro(int32_t origin_macro) const {
    if (origin_macro < 0 || static_cast<size_t>(origin_macro) >= macros.size()) return {};
    return " (in macro '" + macros[static_cast<size_t>(origin_macro)].name + "')";
  }

  void PrepareMacros() {
    const auto& infos = collector.macros();
    macros.resize(infos.size());
    macro_text.resize(infos.size());
    for (size_t i = 0; i < infos.size(); ++i) {
      MacroBody& m = macros[i];
      m.name = infos[i].name;
      m.index = infos[i].index;
      m.visibility = infos[i].visibility;
      macro_text[i] = infos[i].condition;
      if (!Substitute(macro_text[i], "macro", m.name)) continue;
      ParseResult parsed = ParseCondition(macro_text[i].text, kMaxParseDepth);
      if (!parsed.expr) {
        diags.Error("parse-error", macro_text[i].At(parsed.error_pos), "macro", m.name, parsed.error);
        continue;
      }
      m.ast = std::move(parsed.expr);
    }
    MacroResolver resolver(macros, budget.expanded_nodes);
    for (size_t i = 0; i < macros.size(); ++i) {
      resolver.ResolveMacro(i);
      if (!macros[i].error.empty()) {
        diags.Error(macros[i].error.rfind("Undefined", 0) == 0 ? "undefined-macro" : "macro-error",
                    macro_text[i].At(macros[i].error_pos), "macro", macros[i].name, macros[i].error);
      }
    }
  }

  void CompileRule(const RuleInfo& info, MacroResolver& resolver) {
    CompiledRule rule;
    rule.name = info.name;
    rule.desc = info.desc;
    rule.priority = info.priority;
    rule.tags.assign(info.tags.begin(), info.tags.end());
    rule.source = info.source;
    rule.enabled = info.enabled;
    rule.file = info.pos.source < names().size() ? names()[info.pos.source] : std::string();
    rule.line = static_cast<int>(info.pos.line);
    if (!info.unknown_source) rule.compiled = CompileCondition(info, rule, resolver) && CompileRuleOutput(info, rule);
    state.rules.push_back(std::move(rule));
  }

  bool CompileCondition(const RuleInfo& info, CompiledRule& rule, MacroResolver& resolver) {
    MappedText text = info.condition;
    std::string error;
    SrcPos error_pos;
    if (!AppendExceptions(text, info.exceptions, error, error_pos)) {
      diags.Error("invalid-exception", error_pos, "rule", info.name, error);
      return false;
    }
    if (!Substitute(text, "rule", info.name)) return false;
    ParseResult parsed = ParseCondition(text.text, kMaxParseDepth);
    if (!parsed.expr) {
      diags.Error("parse-error", text.At(parsed.error_pos), "rule", info.name, parsed.error);
      return false;
    }
    ResolveError rerr;
    if (!resolver.Resolve(parsed.expr, kSeeAllMacros, rerr)) {
      diags.Error(rerr.message.rfind("Undefined", 0) == 0 ? "undefined-macro" : "macro-error", text.At(rerr.pos),
                  "rule", info.name, rerr.message);
      return false;
    }
    std::vector<CompileProblem> problems;
    ConditionCompiler compiler(*state.registry, state.program, state.dns_names);
    auto root = compiler.Compile(*parsed.expr, problems);
    bool skipped = false;
    for (const auto& p : problems) {
      std::string message = p.message + InMacro(p.origin_macro);
      SrcPos at = At(text, p.pos, p.origin_macro);
      if (p.severity == DiagSeverity::kWarning) {
        diags.Warning(p.code, at, "rule", info.name, message);
      } else if (info.skip_if_unknown_filter && p.code == "unknown-field") {
        diags.Warning("unknown-field-skipped", at, "rule", info.name, message + "; rule skipped (skip-if-unknown-filter)");
        skipped = true;
      } else {
        diags.Error(p.code, at, "rule", info.name, message);
      }
    }
    if (!root || skipped) return false;
    rule.root = *root;
    rule.types = EventTypesOf(*parsed.expr);
    WarnEventTypes(info, rule.types);
    return true;
  }

  void WarnEventTypes(const RuleInfo& info, const EventTypeSet& types) {
    if (!info.warn_evttypes) return;
    if (types.none()) {
      diags.Warning("no-evttype", info.pos, "rule", info.name,
                    "Rule can never match: its condition allows no event type bulwark captures.");
    } else if (types.count() > AllEventTypes().count() / 2) {
      diags.Warning("no-evttype", info.pos, "rule", info.name,
                    "Rule matches too many evt.type values. This has a significant performance penalty.");
    }
  }

  bool CompileRuleOutput(const RuleInfo& info, CompiledRule& rule) {
    std::string error;
    size_t pos = 0;
    bool unknown = false;
    if (CompileOutput(info.output.text, *state.registry, state.program, rule.output, error, pos, unknown)) return true;
    if (unknown && info.skip_if_unknown_filter) {
      diags.Warning("unknown-field-skipped", info.output.At(pos), "rule", info.name,
                    error + "; rule skipped (skip-if-unknown-filter)");
    } else {
      diags.Error(unknown ? "unknown-field" : "invalid-output", info.output.At(pos), "rule", info.name, error);
    }
    return false;
  }

  void ReportLargeLists() {
    for (size_t i = 0; i < lists.size(); ++i) {
      if (!lists[i].too_large) continue;
      diags.Error("too-large", collector.lists()[i].pos, "list", lists[i].name,
                  "the lists expand to more than " + std::to_string(kMaxLoadListItems) +
                      " items in total (nested lists counted each time they are named); this list is left empty");
    }
  }

  void WarnUnused() {
    for (size_t i = 0; i < macros.size(); ++i) {
      if (!macros[i].used && macros[i].state == MacroBody::State::kDone) {
        diags.Warning("unused-macro", collector.macros()[i].pos, "macro", macros[i].name,
                      "Macro not referred to by any other rule/macro");
      }
    }
    // Names used inside another list, gathered once: a search per list
    // would take lists times items (a minute for a hostile file).
    std::unordered_set<std::string_view> in_lists;
    for (const auto& other : collector.lists()) in_lists.insert(other.items.begin(), other.items.end());
    for (size_t i = 0; i < lists.size(); ++i) {
      const bool nested = in_lists.count(lists[i].name) > 0;
      if (!list_used[i] && !nested) {
        diags.Warning("unused-list", collector.lists()[i].pos, "list", lists[i].name,
                      "List not referred to by any other rule/macro");
      }
    }
  }

  const std::vector<std::string>& names() const { return *names_; }
  const std::vector<std::string>* names_ = nullptr;
};

bool FieldDefined(const void* registry, const std::string& field) {
  return static_cast<const FieldRegistry*>(registry)->IsDefined(field);
}

}  // namespace

std::unique_ptr<EngineState> LoadEngineState(const std::vector<RuleSource>& sources, LoadResult& result,
                                             const DnsCache* dns) {
  auto state = std::make_unique<EngineState>(dns);
  state->registry = DefaultFieldRegistry();
  std::vector<std::string> names;
  names.reserve(sources.size());
  for (const auto& s : sources) names.push_back(s.name);
  Loader loader(names, result, *state);
  loader.names_ = &names;
  if (state->registry == nullptr) {
    loader.diags.Error("internal", SrcPos{}, "", "", "field registry has duplicate fields");
    state->registry = std::make_unique<FieldRegistry>();
    return state;
  }
  loader.collector.SetFieldCheck(&FieldDefined, state->registry.get());
  for (uint32_t i = 0; i < sources.size(); ++i) ReadRuleFile(i, sources[i].text, loader.collector, loader.diags);
  loader.lists = ExpandLists(loader.collector.lists(), loader.collector);
  loader.ReportLargeLists();
  loader.list_used.assign(loader.lists.size(), false);
  loader.PrepareMacros();
  MacroResolver resolver(loader.macros, loader.budget.expanded_nodes);
  for (const auto& rule : loader.collector.rules()) loader.CompileRule(rule, resolver);
  loader.WarnUnused();
  return state;
}

}  // namespace bulwark::runtime::rules::internal
