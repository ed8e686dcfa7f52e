// Per-event-type specialisation of the compiled program, and the choice of
// the nodes that cache their result per event.
//
// Rules are bucketed by the event types their condition can match, so in
// the bucket of one type every `evt.type` test has a known answer. Deciding
// those tests once, at load, and folding what they settle (`and` with a
// false child, `or` with a true one, groups left with one child) saves the
// evaluator a node visit per test per event, and usually the group around
// it: `evt.type in (open, openat) and open_read` becomes `open_read`.
#include <limits>
#include <vector>

#include "runtime/rules/program.hpp"

namespace bulwark::runtime::rules {

namespace {

// Falco's rule files with bulwark's make about 3,000 (node, type) pairs. A
// hostile file could make its node count times the 80 event types; past
// this many, nodes stay general (their evt.type tests run per event).
constexpr size_t kMaxSpecialized = 200000;

}  // namespace

uint32_t Program::Specialize(uint32_t node, EventType type) {
  const uint64_t key = (uint64_t{node} << 16) | static_cast<uint16_t>(type);
  if (auto it = specialized_.find(key); it != specialized_.end()) return it->second;
  if (specialized_.size() >= kMaxSpecialized) return node;
  uint32_t out = SpecializeNode(node, type);
  specialized_.emplace(key, out);
  return out;
}

uint32_t Program::SpecializeNode(uint32_t index, EventType type) {
  // A copy: building new nodes may move nodes_.
  const Node n = nodes_[index];
  switch (n.kind) {
    case NodeKind::kTypeSet: return AddConst(typesets_[n.a].test(static_cast<size_t>(type)));
    case NodeKind::kCheck:
    case NodeKind::kConst: return index;
    case NodeKind::kNot: {
      uint32_t child = Specialize(n.a, type);
      if (kind_of(child) == NodeKind::kConst) return AddConst(!const_value(child));
      return child == n.a ? index : AddNot(child);
    }
    case NodeKind::kAnd:
    case NodeKind::kOr: return SpecializeGroup(index, type);
  }
  return index;
}

uint32_t Program::SpecializeGroup(uint32_t index, EventType type) {
  const Node n = nodes_[index];
  // The child value that decides the group: false for `and`, true for `or`;
  // children with the other constant value drop out.
  const bool decisive = n.kind == NodeKind::kOr;
  std::vector<uint32_t> kids;
  bool changed = false;
  for (uint32_t i = n.a; i < n.b; ++i) {
    const uint32_t original = children_[i];  // by index: AddGroup may move children_
    const uint32_t child = Specialize(original, type);
    changed = changed || child != original;
    if (kind_of(child) == NodeKind::kConst) {
      if (const_value(child) == decisive) return AddConst(decisive);
      continue;
    }
    kids.push_back(child);
  }
  if (kids.empty()) return AddConst(!decisive);
  if (kids.size() == 1) return kids[0];
  return changed ? AddGroup(n.kind, kids) : index;
}

std::optional<uint32_t> Program::GuardOf(uint32_t root) const {
  const Node& n = nodes_[root];
  if (n.kind != NodeKind::kAnd) return std::nullopt;
  for (uint32_t i = n.a; i < n.b; ++i) {
    if (nodes_[children_[i]].memo >= 0) return children_[i];
  }
  return std::nullopt;
}

void Program::Finalize(const std::vector<std::vector<uint32_t>>& buckets) {
  // A node one event can reach twice (from two parents, or as the root of
  // two rules of its bucket) gets a cache. Walk each bucket's graph once,
  // marking nodes met again.
  constexpr uint32_t kNever = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> last_bucket(nodes_.size(), kNever);
  std::vector<bool> shared(nodes_.size(), false);
  std::vector<uint32_t> stack;
  for (uint32_t b = 0; b < buckets.size(); ++b) {
    stack.assign(buckets[b].begin(), buckets[b].end());
    while (!stack.empty()) {
      const uint32_t i = stack.back();
      stack.pop_back();
      if (last_bucket[i] == b) {
        shared[i] = true;
        continue;
      }
      last_bucket[i] = b;
      const Node& n = nodes_[i];
      if (n.kind == NodeKind::kNot) stack.push_back(n.a);
      if (n.kind == NodeKind::kAnd || n.kind == NodeKind::kOr) {
        stack.insert(stack.end(), children_.begin() + n.a, children_.begin() + n.b);
      }
    }
  }
  memos_.clear();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    // Event-type tests and constants cost less than their cache would.
    const bool worth = n.kind != NodeKind::kTypeSet && n.kind != NodeKind::kConst;
    n.memo = shared[i] && worth ? static_cast<int32_t>(memos_.size()) : -1;
    if (n.memo >= 0) memos_.emplace_back();
  }
}

}  // namespace bulwark::runtime::rules
