// Internal to the engine (engine.cpp, engine_load.cpp): the compiled rule
// set the Engine facade drives, and the load pipeline that builds it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/rules/condition_compiler.hpp"
#include "runtime/rules/engine.hpp"
#include "runtime/rules/fields.hpp"
#include "runtime/rules/program.hpp"

namespace bulwark::runtime::rules::internal {

struct CompiledRule {
  std::string name;
  std::string desc;
  Priority priority = Priority::kDebug;
  std::vector<std::string> tags;
  std::string source = "syscall";
  std::string file;
  int line = 0;
  bool enabled = true;
  bool compiled = false;
  uint32_t root = 0;
  EventTypeSet types;
  CompiledOutput output;
};

// A rule in the bucket of one event type, with its condition specialised
// for that type (Program::Specialize) and a node known to be false when
// the rule cannot match (Program::GuardOf), or kNoGuard.
struct BucketEntry {
  static constexpr uint32_t kNoGuard = UINT32_MAX;
  uint32_t rule = 0;
  uint32_t root = 0;
  uint32_t guard = kNoGuard;
};

struct EngineState {
  explicit EngineState(const DnsCache* dns) : program(dns) {}

  std::unique_ptr<FieldRegistry> registry;
  Program program;
  std::vector<CompiledRule> rules;  // every rule read, in definition order
  std::set<std::string> dns_names;
  MatchMode mode = MatchMode::kAll;
  Priority min_priority = Priority::kDebug;
  // Compiled, enabled rules at or above min_priority, per event type.
  std::array<std::vector<BucketEntry>, kEventTypeCount> buckets;
  EventTypeSet active_types;
  size_t active_rules = 0;
};

std::unique_ptr<EngineState> LoadEngineState(const std::vector<RuleSource>& sources, LoadResult& result,
                                             const DnsCache* dns);

}  // namespace bulwark::runtime::rules::internal
