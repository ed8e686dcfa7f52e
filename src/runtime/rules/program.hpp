// The compiled form of every rule's condition and output: a flat array of
// nodes (and/or/not, field checks, event-type set tests), the checks with
// their compiled operands, and one slot per distinct field (field + argument)
// used anywhere. Field values are extracted lazily, at most once per event
// per slot: BeginEvent() starts a new epoch and Field() extracts on first
// use, reusing the slot's buffers (no allocation once they have grown).
//
// Identical subtrees are built once (hash-consing): the macros that most
// rules share (spawned_process, open_write, container, ...) become one node
// each. Specialize() rewrites a rule's tree for one event type (its
// evt.type tests decided, the parts they settle folded away), so each
// type's bucket runs a smaller program; Finalize() then gives every node
// one event can reach twice a per-event result cache, so a shared macro is
// evaluated at most once per event.
//
// Building happens once at load; evaluation mutates only the per-event
// cache, so a Program is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/event/state.hpp"
#include "runtime/rules/compare.hpp"
#include "runtime/rules/compare_fast.hpp"
#include "runtime/rules/event_types.hpp"
#include "runtime/rules/fields.hpp"

namespace bulwark::runtime::rules {

class DnsCache;

enum class Transformer : uint8_t { kToLower, kToUpper, kBasename, kLen, kB64 };

struct CompiledCheck {
  uint32_t slot = 0;
  FieldType type = FieldType::kString;  // after transformers
  Multiplicity mult = Multiplicity::kSingle;
  Op op = Op::kEq;
  std::vector<Transformer> transformers;
  std::unique_ptr<Operand> operand;
  FastCheck fast = nullptr;  // set by AddCheck when a fast path applies
};

enum class NodeKind : uint8_t { kAnd, kOr, kNot, kCheck, kTypeSet, kConst };

struct Node {
  NodeKind kind = NodeKind::kConst;
  int32_t memo = -1;  // >= 0: the result is cached per event (the node is shared)
  uint32_t a = 0;     // and/or: first child in children_; not: child; check/typeset: index; const: value
  uint32_t b = 0;     // and/or: one past the last child
};

class Program {
 public:
  explicit Program(const DnsCache* dns) : dns_(dns) {}

  // Building. Each returns the node (an existing one when identical).
  uint32_t SlotFor(const ResolvedField& field);
  // The key that identifies a check: identical keys, identical checks.
  static std::string CheckKey(uint32_t slot, std::string_view op, const std::vector<std::string>& transformers,
                              const std::vector<std::string>& values);
  // A check identified by `key` if built already.
  std::optional<uint32_t> FindCheck(const std::string& key);
  uint32_t AddCheck(CompiledCheck check, const std::string& key);
  uint32_t AddTypeSet(const EventTypeSet& set);
  uint32_t AddNot(uint32_t child);
  uint32_t AddGroup(NodeKind kind, const std::vector<uint32_t>& children);
  uint32_t AddConst(bool value);
  // `node` for events of `type` only (program_specialize.cpp): event-type
  // tests become constants and are folded away; a kConst node when that
  // decides the whole condition. Memoised: cheap to ask again. Bounded:
  // past a budget of specialised nodes, returns `node` unchanged.
  uint32_t Specialize(uint32_t node, EventType type);
  // Before evaluating (program_specialize.cpp): caches the results of the nodes one event can reach
  // more than once. `buckets` holds the roots run for each event type.
  void Finalize(const std::vector<std::vector<uint32_t>>& buckets);
  NodeKind kind_of(uint32_t node) const { return nodes_[node].kind; }
  // For a kCheck node: its check.
  const CompiledCheck& check_of(uint32_t node) const { return checks_[nodes_[node].a]; }
  // For a kConst node: its value.
  bool const_value(uint32_t node) const { return nodes_[node].a != 0; }
  const ResolvedField& slot_field(uint32_t slot) const { return slots_[slot].field; }
  const DnsCache* dns() const { return dns_; }

  // Evaluation, for one event at a time.
  void BeginEvent(const EventContext& ctx) {
    ctx_ = &ctx;
    ++epoch_;
  }
  bool Eval(uint32_t node);
  // A node whose falsity makes `root` false without evaluating it: the
  // first cached child of an `and` root (rules that start with the same
  // macro, spawned_process or open_write, share it); nullopt when none.
  // Valid once Finalize() has run.
  std::optional<uint32_t> GuardOf(uint32_t root) const;
  // The node's result is cached for this event and is false.
  bool KnownFalse(uint32_t node) const {
    const Node& n = nodes_[node];
    if (n.memo < 0) return false;
    const Memo& m = memos_[static_cast<size_t>(n.memo)];
    return m.epoch == epoch_ && !m.value;
  }
  const Extraction& Field(uint32_t slot) {
    Slot& s = slots_[slot];
    if (s.epoch != epoch_) Extract(s);
    return s.value;
  }
  // Appends the output text of a slot; false when the field is absent.
  bool Render(uint32_t slot, std::string& out);
  EventType current_type() const { return ctx_->evt->type; }

  size_t node_count() const { return nodes_.size(); }
  size_t slot_count() const { return slots_.size(); }

 private:
  struct Slot {
    ResolvedField field;
    uint64_t epoch = 0;
    Extraction value;
  };

  struct Memo {
    uint64_t epoch = 0;
    bool value = false;
  };

  uint32_t Intern(const std::string& key, Node node);
  uint32_t SpecializeNode(uint32_t index, EventType type);
  uint32_t SpecializeGroup(uint32_t index, EventType type);
  void Extract(Slot& s);
  bool EvalGroup(const Node& n);
  bool EvalCheck(const CompiledCheck& c);
  const Extraction& Transform(const Extraction& x, const std::vector<Transformer>& tf);

  const DnsCache* dns_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;
  std::vector<CompiledCheck> checks_;
  std::vector<EventTypeSet> typesets_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, uint32_t> slot_index_;
  std::unordered_map<std::string, uint32_t> node_index_;  // structural key -> node
  std::unordered_map<uint64_t, uint32_t> specialized_;    // (node, event type) -> node
  std::vector<Memo> memos_;
  const EventContext* ctx_ = nullptr;
  uint64_t epoch_ = 0;
  std::string scratch_;
  Extraction transformed_;
};

}  // namespace bulwark::runtime::rules
