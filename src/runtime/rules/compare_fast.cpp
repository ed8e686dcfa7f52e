#include "runtime/rules/compare_fast.hpp"

namespace bulwark::runtime::rules {
namespace {

// The string operators with a fast path, as templates so that each becomes
// one function with its test inlined.
template <Op kOp>
bool TestString(std::string_view v, const Operand& o, std::string& scratch) {
  if constexpr (kOp == Op::kEq) return v == o.strs[0];
  if constexpr (kOp == Op::kNe) return v != o.strs[0];
  if constexpr (kOp == Op::kStartsWith) return v.substr(0, o.strs[0].size()) == o.strs[0];
  if constexpr (kOp == Op::kEndsWith) {
    const std::string& s = o.strs[0];
    return v.size() >= s.size() && v.substr(v.size() - s.size()) == s;
  }
  if constexpr (kOp == Op::kContains) return v.find(o.strs[0]) != std::string_view::npos;
  if constexpr (kOp == Op::kGlob) return GlobMatch(v, o, scratch);
  if constexpr (kOp == Op::kIn) {
    if (!o.set.empty()) return o.set.count(v) > 0;
    for (const auto& s : o.strs) {
      if (v == s) return true;
    }
    return false;
  }
}

template <Op kOp>
bool OneString(const Extraction& x, const Operand& o, std::string& scratch) {
  if (!x.present || x.values.empty()) return false;
  const Value& v = x.values[0];
  if (v.kind != ValueKind::kString) [[unlikely]] {
    return CompareCheck(x, FieldType::kString, Multiplicity::kSingle, kOp, o, scratch);
  }
  return TestString<kOp>(v.str, o, scratch);
}

template <Op kOp>
bool OneNumber(const Extraction& x, const Operand& o, std::string& scratch) {
  if (!x.present || x.values.empty()) return false;
  const Value& v = x.values[0];
  if (v.kind != ValueKind::kInt && v.kind != ValueKind::kBool) [[unlikely]] {
    return CompareCheck(x, FieldType::kInt, Multiplicity::kSingle, kOp, o, scratch);
  }
  // ChooseFastCheck made sure there is exactly one number.
  const int64_t r = o.nums[0];
  if constexpr (kOp == Op::kEq) return v.num == r;
  if constexpr (kOp == Op::kNe) return v.num != r;
  if constexpr (kOp == Op::kLt) return v.num < r;
  if constexpr (kOp == Op::kLe) return v.num <= r;
  if constexpr (kOp == Op::kGt) return v.num > r;
  if constexpr (kOp == Op::kGe) return v.num >= r;
}

FastCheck ForString(Op op, const Operand& o) {
  // Scalar operators compiled with one value; `in` may have any number.
  if (op != Op::kIn && o.strs.size() != 1) return nullptr;
  switch (op) {
    case Op::kEq: return &OneString<Op::kEq>;
    case Op::kNe: return &OneString<Op::kNe>;
    case Op::kStartsWith: return &OneString<Op::kStartsWith>;
    case Op::kEndsWith: return &OneString<Op::kEndsWith>;
    case Op::kContains: return &OneString<Op::kContains>;
    case Op::kGlob: return &OneString<Op::kGlob>;
    case Op::kIn: return &OneString<Op::kIn>;
    default: return nullptr;
  }
}

FastCheck ForNumber(Op op, const Operand& o) {
  if (o.nums.size() != 1 || !o.num_ok.empty()) return nullptr;
  switch (op) {
    case Op::kEq: return &OneNumber<Op::kEq>;
    case Op::kNe: return &OneNumber<Op::kNe>;
    case Op::kLt: return &OneNumber<Op::kLt>;
    case Op::kLe: return &OneNumber<Op::kLe>;
    case Op::kGt: return &OneNumber<Op::kGt>;
    case Op::kGe: return &OneNumber<Op::kGe>;
    default: return nullptr;
  }
}

}  // namespace

FastCheck ChooseFastCheck(FieldType type, Multiplicity mult, Op op, const Operand& o) {
  if (mult != Multiplicity::kSingle) return nullptr;
  if (type == FieldType::kString) return ForString(op, o);
  if (type == FieldType::kInt || type == FieldType::kBool) return ForNumber(op, o);
  return nullptr;
}

}  // namespace bulwark::runtime::rules
