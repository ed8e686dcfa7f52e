// The compiled form of every rule's condition and output: a flat array of
// nodes (and/or/not, field checks, event-type set tests), the checks with
// their compiled operands, and one slot per distinct field (field + argument)
// used anywhere. Field values are extracted lazily, at most once per event
// per slot: BeginEvent() starts a new epoch and Field() extracts on first
// use, reusing the slot's buffers (no allocation once they have grown).
//
// Identical subtrees are built once (hash-consing): the macros that most
// rules share (spawned_process, open_write, container, ...) become one node
// each, and Finalize() gives every node used more than once a per-event
// result cache, so a shared macro is evaluated at most once per event.
//
// Building happens once at load; evaluation mutates only the per-event
// cache, so a Program is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/event/state.hpp"
#include "runtime/rules/compare.hpp"
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
  // A check identified by `key` (field slot, operator, values) if built already.
  std::optional<uint32_t> FindCheck(const std::string& key);
  uint32_t AddCheck(CompiledCheck check, const std::string& key);
  uint32_t AddTypeSet(const EventTypeSet& set);
  uint32_t AddNot(uint32_t child);
  uint32_t AddGroup(NodeKind kind, const std::vector<uint32_t>& children);
  // After the last rule: caches the results of shared nodes.
  void Finalize();
  NodeKind kind_of(uint32_t node) const { return nodes_[node].kind; }
  const ResolvedField& slot_field(uint32_t slot) const { return slots_[slot].field; }
  const DnsCache* dns() const { return dns_; }

  // Evaluation, for one event at a time.
  void BeginEvent(const EventContext& ctx) {
    ctx_ = &ctx;
    ++epoch_;
  }
  bool Eval(uint32_t node);
  const Extraction& Field(uint32_t slot);
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
  bool EvalNode(const Node& n);
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
  std::vector<uint32_t> uses_;                            // references per node
  std::vector<Memo> memos_;
  const EventContext* ctx_ = nullptr;
  uint64_t epoch_ = 0;
  std::string scratch_;
  Extraction transformed_;
};

}  // namespace bulwark::runtime::rules
