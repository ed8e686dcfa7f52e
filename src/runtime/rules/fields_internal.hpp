// Internal to the field providers (fields_*.cpp): a provider base holding a
// field table, and the process-lineage helpers several providers share.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/rules/fields.hpp"

namespace bulwark::runtime::rules::internal {

class TableProvider : public FieldProvider {
 public:
  TableProvider(std::string_view name, std::vector<FieldDesc> fields) : name_(name), fields_(std::move(fields)) {}
  std::string_view Name() const override { return name_; }
  const std::vector<FieldDesc>& Fields() const override { return fields_; }

 private:
  std::string_view name_;
  std::vector<FieldDesc> fields_;
};

// Lineage walks stop after this many levels (and on loops).
inline constexpr int kMaxAncestors = 64;

// The parent of `p` in the state tables, or null.
const Process* Parent(const EventContext& ctx, const Process* p);
// Ancestor `n` of the event's process (0: the process itself), or null.
const Process* Ancestor(const EventContext& ctx, int64_t n);
// Calls f(const Process&) for the parent, grandparent, ... (not the process itself).
template <typename F>
void ForEachAncestor(const EventContext& ctx, F&& f) {
  const Process* p = ctx.proc;
  for (int i = 0; i < kMaxAncestors && p != nullptr; ++i) {
    p = Parent(ctx, p);
    if (p == nullptr || p == ctx.proc) break;
    f(*p);
  }
}

// head followed by " arg" for each argument: Falco's proc.cmdline
// ("comm arg1 arg2") and proc.exeline ("exe arg1 arg2").
void AppendJoined(const std::string& head, const std::vector<std::string>& args, std::string& out);

}  // namespace bulwark::runtime::rules::internal
