#include "runtime/rules/engine.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <utility>

#include "runtime/rules/engine_internal.hpp"

namespace bulwark::runtime::rules {

using internal::BucketEntry;
using internal::EngineState;

Engine::Engine(std::unique_ptr<EngineState> state) : state_(std::move(state)) { Rebuild(); }
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::Load(const std::vector<RuleSource>& sources, LoadResult& result, const DnsCache* dns) {
  return std::unique_ptr<Engine>(new Engine(internal::LoadEngineState(sources, result, dns)));
}

void Engine::Rebuild() {
  for (auto& b : state_->buckets) b.clear();
  state_->active_types.reset();
  state_->active_rules = 0;
  Program& program = state_->program;
  std::vector<std::vector<uint32_t>> roots(kEventTypeCount);
  for (size_t i = 0; i < state_->rules.size(); ++i) {
    const auto& r = state_->rules[i];
    // Priorities are ordered most severe first.
    if (!r.compiled || !r.enabled || r.priority > state_->min_priority) continue;
    ++state_->active_rules;
    state_->active_types |= r.types;
    for (size_t t = 0; t < kEventTypeCount; ++t) {
      if (!r.types.test(t)) continue;
      uint32_t root = program.Specialize(r.root, static_cast<EventType>(t));
      // Decided false for this type: the rule cannot match its events.
      if (program.kind_of(root) == NodeKind::kConst && !program.const_value(root)) continue;
      state_->buckets[t].push_back({static_cast<uint32_t>(i), root});
      roots[t].push_back(root);
    }
  }
  program.Finalize(roots);
  for (auto& bucket : state_->buckets) {
    for (auto& entry : bucket) entry.guard = program.GuardOf(entry.root).value_or(BucketEntry::kNoGuard);
  }
}

size_t Engine::Evaluate(const EventContext& ctx, std::vector<Alert>& out) {
  if (ctx.evt == nullptr) return 0;
  auto type = static_cast<size_t>(ctx.evt->type);
  if (type >= kEventTypeCount) return 0;
  const auto& bucket = state_->buckets[type];
  if (bucket.empty()) return 0;
  Program& program = state_->program;
  program.BeginEvent(ctx);
  size_t matched = 0;
  for (const auto& entry : bucket) {
    // An earlier rule found the guard false: this rule cannot match.
    if (entry.guard != BucketEntry::kNoGuard && program.KnownFalse(entry.guard)) continue;
    if (!program.Eval(entry.root)) continue;
    const auto& rule = state_->rules[entry.rule];
    Alert& a = out.emplace_back();
    a.time_ns = ctx.evt->ts_ns;
    a.rule = rule.name;
    a.priority = rule.priority;
    RenderOutput(rule.output, program, a.output, a.output_fields);
    a.tags = rule.tags;
    a.source = "syscall";
    if (ctx.state != nullptr) a.hostname = std::string(ctx.state->Hostname());
    ++matched;
    if (state_->mode == MatchMode::kFirst) break;
  }
  return matched;
}

EventTypeSet Engine::EventTypes() const { return state_->active_types; }

std::vector<std::string> Engine::DnsNames() const {
  return std::vector<std::string>(state_->dns_names.begin(), state_->dns_names.end());
}

size_t Engine::SetRuleEnabled(std::string_view pattern, bool enabled) {
  std::string p(pattern);
  size_t n = 0;
  for (auto& r : state_->rules) {
    if (fnmatch(p.c_str(), r.name.c_str(), 0) == 0) {
      r.enabled = enabled;
      ++n;
    }
  }
  Rebuild();
  return n;
}

size_t Engine::SetTagEnabled(std::string_view tag, bool enabled) {
  size_t n = 0;
  for (auto& r : state_->rules) {
    if (std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end()) {
      r.enabled = enabled;
      ++n;
    }
  }
  Rebuild();
  return n;
}

void Engine::SetMinPriority(Priority priority) {
  state_->min_priority = priority;
  Rebuild();
}

void Engine::SetMatchMode(MatchMode mode) { state_->mode = mode; }

std::vector<RuleSummary> Engine::Rules() const {
  std::vector<RuleSummary> out;
  out.reserve(state_->rules.size());
  for (const auto& r : state_->rules) {
    RuleSummary s;
    s.name = r.name;
    s.desc = r.desc;
    s.priority = r.priority;
    s.tags = r.tags;
    if (r.compiled) s.event_types = EventTypeList(r.types);
    s.enabled = r.enabled;
    s.compiled = r.compiled;
    s.source = r.source;
    s.file = r.file;
    s.line = r.line;
    out.push_back(std::move(s));
  }
  return out;
}

size_t Engine::ActiveRuleCount() const { return state_->active_rules; }

const FieldRegistry& Engine::fields() const { return *state_->registry; }

}  // namespace bulwark::runtime::rules
