#include "runtime/rules/condition_compiler.hpp"

#include <algorithm>
#include <utility>

#include "runtime/rules/check_merge.hpp"

namespace bulwark::runtime::rules {
namespace {

std::optional<Transformer> ParseTransformer(const std::string& name) {
  if (name == "tolower") return Transformer::kToLower;
  if (name == "toupper") return Transformer::kToUpper;
  if (name == "basename") return Transformer::kBasename;
  if (name == "len") return Transformer::kLen;
  if (name == "b64") return Transformer::kB64;
  return std::nullopt;
}

bool IsStringLike(FieldType t) { return t == FieldType::kString || t == FieldType::kBytes || t == FieldType::kDynamic; }

}  // namespace

void ConditionCompiler::Problem(DiagSeverity severity, const Expr& e, std::string code, std::string message,
                                size_t pos) {
  problems_->push_back(CompileProblem{severity, std::move(code), std::move(message), pos, e.origin_macro});
}

std::optional<uint32_t> ConditionCompiler::Compile(const Expr& e, std::vector<CompileProblem>& problems) {
  problems_ = &problems;
  return CompileNode(e);
}

std::optional<uint32_t> ConditionCompiler::CompileNode(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      std::vector<uint32_t> kids;
      for (const auto& c : e.children) {
        auto id = CompileNode(*c);
        if (!id) return std::nullopt;
        kids.push_back(*id);
      }
      // Event-type tests are the cheapest and most selective: evaluate them
      // first (conditions have no side effects, so order does not change results).
      std::stable_partition(kids.begin(), kids.end(),
                            [this](uint32_t id) { return program_.kind_of(id) == NodeKind::kTypeSet; });
      if (e.kind == ExprKind::kOr) MergeEqualityAlternatives(program_, kids);
      if (kids.size() == 1) return kids[0];
      return program_.AddGroup(e.kind == ExprKind::kAnd ? NodeKind::kAnd : NodeKind::kOr, kids);
    }
    case ExprKind::kNot: {
      auto child = CompileNode(*e.children[0]);
      if (!child) return std::nullopt;
      return program_.AddNot(*child);
    }
    case ExprKind::kIdentifier:
      Problem(DiagSeverity::kError, e, "undefined-macro", "Undefined macro '" + e.identifier + "' used in filter.", e.pos);
      return std::nullopt;
    case ExprKind::kCheck: return CompileCheck(e);
  }
  return std::nullopt;
}

std::optional<uint32_t> ConditionCompiler::CompileTypeCheck(const Expr& e, Op op) {
  EventTypeSet set;
  for (const auto& v : e.values) {
    if (auto t = EventTypeFromName(v)) {
      set.set(static_cast<size_t>(*t));
    } else {
      Problem(DiagSeverity::kWarning, e, "unknown-event-type",
              "event type '" + v + "' is not captured by bulwark's sensor; it never occurs", e.value_pos);
    }
  }
  if (op == Op::kNe) set = AllEventTypes() & ~set;
  return program_.AddTypeSet(set);
}

std::optional<uint32_t> ConditionCompiler::CompileCheck(const Expr& e) {
  const FieldRef& f = e.field;
  auto resolved = registry_.Resolve(f.name, f.has_arg ? &f.arg : nullptr);
  if (!resolved.ok()) {
    bool unknown = resolved.status().code() == core::ErrorCode::kNotFound;
    Problem(DiagSeverity::kError, e, unknown ? "unknown-field" : "invalid-field", resolved.status().message(), f.pos);
    return std::nullopt;
  }
  ResolvedField rf = std::move(resolved).value();
  if (f.name == "evt.dir") {
    Problem(DiagSeverity::kWarning, e, "deprecated-field",
            "usage of deprecated field 'evt.dir' has been detected in the rule condition (events are exits: '<')", f.pos);
  }
  auto op = ParseOp(e.op);
  if (!op) {
    Problem(DiagSeverity::kError, e, "invalid-operator", "unknown operator '" + e.op + "'", e.pos);
    return std::nullopt;
  }
  if (f.name == "evt.type" && !f.has_arg && f.transformers.empty() &&
      (*op == Op::kEq || *op == Op::kNe || *op == Op::kIn || *op == Op::kIntersects)) {
    return CompileTypeCheck(e, *op);
  }
  // Identical checks (the same macro in many rules) are built once.
  std::string key = Program::CheckKey(program_.SlotFor(rf), e.op, f.transformers, e.values);
  if (auto existing = program_.FindCheck(key)) return *existing;
  CompiledCheck check;
  check.type = rf.desc->type;
  check.mult = rf.mult;
  check.op = *op;
  for (const auto& name : f.transformers) {
    auto t = ParseTransformer(name);
    if (!t || !IsStringLike(check.type)) {
      Problem(DiagSeverity::kError, e, "invalid-transformer",
              "transformer '" + name + "' needs a string field, '" + rf.display + "' is a " +
                  std::string(FieldTypeName(check.type)),
              f.pos);
      return std::nullopt;
    }
    check.transformers.push_back(*t);
    check.type = *t == Transformer::kLen ? FieldType::kInt : FieldType::kString;
  }
  if (std::string why = CheckOperator(check.type, check.op, check.mult); !why.empty()) {
    Problem(DiagSeverity::kError, e, "invalid-operator", why + " ('" + f.ToString() + "')", e.pos);
    return std::nullopt;
  }
  auto operand = CompileOperand(check.type, check.op, e.values, program_.dns());
  if (!operand.ok()) {
    Problem(DiagSeverity::kError, e, "invalid-value", operand.status().message() + " for " + f.ToString(), e.value_pos);
    return std::nullopt;
  }
  if (check.type == FieldType::kDnsName) dns_names_.insert(e.values.begin(), e.values.end());
  check.operand = std::move(operand).value();
  check.slot = program_.SlotFor(rf);
  return program_.AddCheck(std::move(check), key);
}

bool CompileOutput(const std::string& format, const FieldRegistry& registry, Program& program, CompiledOutput& out,
                   std::string& error, size_t& error_pos, bool& unknown_field) {
  unknown_field = false;
  OutputSegment seg;
  size_t i = 0;
  while (i < format.size()) {
    char c = format[i];
    if (c != '%') {
      seg.literal += c;
      ++i;
      continue;
    }
    size_t start = i++;
    size_t width = 0;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9' && width < 100000) {
      width = width * 10 + static_cast<size_t>(format[i] - '0');
      ++i;
    }
    ResolvedField rf;
    std::string why;
    size_t used = i < format.size() ? registry.MatchPrefix(std::string_view(format).substr(i), rf, why) : 0;
    if (used == 0) {
      error_pos = start;
      if (!why.empty()) {
        error = why;
      } else {
        size_t end = i;
        while (end < format.size() && end - i < 40 && format[end] != ' ' && format[end] != '%') ++end;
        std::string token = format.substr(i, end - i);
        unknown_field = !token.empty() && token.find('(') == std::string::npos;
        error = token.empty() ? "invalid formatting token: '%' must be followed by a field name"
                : token.find('(') != std::string::npos
                    ? "transformers in outputs are not supported by bulwark: %" + token
                    : "invalid formatting token %" + token + " (nonexistent field)";
      }
      return false;
    }
    seg.slot = program.SlotFor(rf);
    seg.width = width;
    out.segments.push_back(std::move(seg));
    seg = OutputSegment();
    auto known = std::find_if(out.fields.begin(), out.fields.end(),
                              [&rf](const auto& f) { return f.first == rf.display; });
    if (known == out.fields.end()) out.fields.emplace_back(rf.display, out.segments.back().slot);
    i += used;
  }
  if (!seg.literal.empty()) out.segments.push_back(std::move(seg));
  return true;
}

void RenderOutput(const CompiledOutput& output, Program& program, std::string& text,
                  std::vector<std::pair<std::string, std::optional<std::string>>>& fields) {
  text.clear();
  for (const auto& seg : output.segments) {
    text += seg.literal;
    if (seg.slot < 0) continue;
    size_t start = text.size();
    if (!program.Render(static_cast<uint32_t>(seg.slot), text)) text += "<NA>";
    if (seg.width > 0) {
      size_t len = text.size() - start;
      if (len > seg.width) {
        text.resize(start + seg.width);
      } else {
        text.append(seg.width - len, ' ');
      }
    }
  }
  fields.clear();
  fields.reserve(output.fields.size());
  std::string value;
  for (const auto& [name, slot] : output.fields) {
    value.clear();
    if (program.Render(slot, value)) {
      fields.emplace_back(name, value);
    } else {
      fields.emplace_back(name, std::nullopt);
    }
  }
}

}  // namespace bulwark::runtime::rules
