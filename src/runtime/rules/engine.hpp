// The Falco-compatible rule engine of `bulwark watch`.
//
// Engine::Load reads rule files given as (source name, text) pairs, in
// order (later files append to and override earlier ones, as with several
// `-r` in Falco), and compiles every rule it can: read -> collect (lists,
// macros, append/override) -> compile (textual list substitution, macros at
// AST level, exceptions, fields through the provider registry) -> index
// (rules bucketed by the event types their condition can match). Problems
// are diagnostics in the LoadResult; one bad rule never disables another.
//
// Evaluate() runs the rules of the event's type bucket, in file order, and
// appends an Alert for each match (all rules, or the first with
// MatchMode::kFirst). EventTypes() is what the sensor should capture.
//
// Thread-safety: Load and the const accessors are safe; Evaluate and the
// setters mutate per-event scratch and indexes, so one thread drives an
// Engine at a time (run one Engine per evaluating thread).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event/alert.hpp"
#include "runtime/event/state.hpp"
#include "runtime/rules/diagnostic.hpp"
#include "runtime/rules/event_types.hpp"

namespace bulwark::runtime::rules {

class DnsCache;
class FieldRegistry;
namespace internal {
struct EngineState;
}

struct RuleSource {
  std::string name;  // shown in diagnostics ("falco_rules.yaml", "<builtin>/bulwark_rules.yaml")
  std::string text;
};

enum class MatchMode : uint8_t {
  kAll,    // every matching rule alerts (default)
  kFirst,  // Falco's `rule_matching: first`: stop at the first match
};

// What `bulwark rules list` shows about a rule.
struct RuleSummary {
  std::string name;
  std::string desc;
  Priority priority = Priority::kDebug;
  std::vector<std::string> tags;
  std::vector<EventType> event_types;  // empty when not compiled
  bool enabled = false;                // as configured (file, then setters)
  bool compiled = false;               // false: the rule had errors or an unknown source
  std::string source = "syscall";
  std::string file;
  int line = 0;
};

class Engine {
 public:
  // `dns` (may be null) resolves fd.*.name comparisons; it must outlive the engine.
  static std::unique_ptr<Engine> Load(const std::vector<RuleSource>& sources, LoadResult& result,
                                      const DnsCache* dns = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Appends one Alert per matching rule; returns how many were appended.
  size_t Evaluate(const EventContext& ctx, std::vector<Alert>& out);

  // Event types any enabled rule at or above the minimum priority can match.
  EventTypeSet EventTypes() const;
  // Names compared with fd.*.name fields (to resolve into the DnsCache).
  std::vector<std::string> DnsNames() const;

  // Enables or disables rules whose name matches `pattern` (glob, as Falco's
  // -D/-d); returns how many matched.
  size_t SetRuleEnabled(std::string_view pattern, bool enabled);
  // Enables or disables every rule carrying `tag`; returns how many.
  size_t SetTagEnabled(std::string_view tag, bool enabled);
  // Rules less severe than `priority` do not run (Falco's `priority` setting).
  void SetMinPriority(Priority priority);
  void SetMatchMode(MatchMode mode);

  std::vector<RuleSummary> Rules() const;
  // Compiled rules that will run (enabled, at or above the minimum priority).
  size_t ActiveRuleCount() const;
  const FieldRegistry& fields() const;

 private:
  explicit Engine(std::unique_ptr<internal::EngineState> state);
  void Rebuild();

  std::unique_ptr<internal::EngineState> state_;
};

}  // namespace bulwark::runtime::rules
