#include "runtime/rules/check_merge.hpp"

#include <string>
#include <unordered_set>
#include <utility>

namespace bulwark::runtime::rules {
namespace {

bool Mergeable(const Program& program, uint32_t node) {
  if (program.kind_of(node) != NodeKind::kCheck) return false;
  const CompiledCheck& c = program.check_of(node);
  return c.type == FieldType::kString && c.mult == Multiplicity::kSingle && c.transformers.empty() &&
         (c.op == Op::kEq || c.op == Op::kIn);
}

// One `in` check over the values of `group` (checks of one slot), reusing
// an identical check when one exists.
uint32_t BuildMerged(Program& program, const std::vector<uint32_t>& group) {
  std::vector<std::string> values;
  std::unordered_set<std::string> seen;
  for (uint32_t node : group) {
    for (const auto& v : program.check_of(node).operand->strs) {
      if (seen.insert(v).second) values.push_back(v);
    }
  }
  const uint32_t slot = program.check_of(group[0]).slot;
  std::string key = Program::CheckKey(slot, "in", {}, values);
  if (auto existing = program.FindCheck(key)) return *existing;
  auto operand = CompileOperand(FieldType::kString, Op::kIn, values, program.dns());
  // Plain strings always compile for `in`; keep the group if not.
  if (!operand.ok()) return group[0];
  CompiledCheck merged;
  merged.slot = slot;
  merged.type = FieldType::kString;
  merged.mult = Multiplicity::kSingle;
  merged.op = Op::kIn;
  merged.operand = std::move(operand).value();
  return program.AddCheck(std::move(merged), key);
}

}  // namespace

void MergeEqualityAlternatives(Program& program, std::vector<uint32_t>& alternatives) {
  std::vector<uint32_t> out;
  std::vector<bool> taken(alternatives.size(), false);
  for (size_t i = 0; i < alternatives.size(); ++i) {
    if (taken[i]) continue;
    const uint32_t node = alternatives[i];
    if (!Mergeable(program, node)) {
      out.push_back(node);
      continue;
    }
    std::vector<uint32_t> group = {node};
    for (size_t j = i + 1; j < alternatives.size(); ++j) {
      const uint32_t other = alternatives[j];
      if (!taken[j] && Mergeable(program, other) && program.check_of(other).slot == program.check_of(node).slot) {
        group.push_back(other);
        taken[j] = true;
      }
    }
    out.push_back(group.size() == 1 ? node : BuildMerged(program, group));
  }
  alternatives = std::move(out);
}

}  // namespace bulwark::runtime::rules
