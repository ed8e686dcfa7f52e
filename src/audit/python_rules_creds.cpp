// Hard-coded credentials: a secret-looking name (PASSWORD, api_key,
// dbPassword, SECRET_KEY) given a literal string in an assignment, a keyword
// argument or default, a dict entry, or compared against one. Values are
// always reported masked.
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "audit/python_rules.hpp"
#include "audit/secret_text.hpp"

namespace bulwark::audit::py {
namespace {

using audit::ClassifySecretName;
using audit::IsSecretKeyName;
using audit::LooksLikeSettingName;
using audit::SecretNameStrength;
using core::Severity;

template <typename Range>
bool In(std::string_view s, const Range& list) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// Reports `name` holding the literal `value`, unless the value is a
// reference or clearly not a credential.
void ReportCredential(std::string_view name, std::string_view value, core::Location loc,
                      std::string_view how, core::FindingSink& sink) {
  bool secret_key = IsSecretKeyName(name);
  SecretNameStrength strength = ClassifySecretName(name);
  if (strength == SecretNameStrength::kNone && !secret_key) return;
  if (value.empty() || LooksLikeSettingName(value)) return;
  PlaceholderKind placeholder = ClassifyPlaceholder(value);
  if (placeholder == PlaceholderKind::kReference) return;
  size_t spaces = static_cast<size_t>(std::count(value.begin(), value.end(), ' '));
  if (strength == SecretNameStrength::kWeak && (spaces > 0 || value.size() < 8)) return;
  if (spaces >= 2) return;  // a sentence: a message about a password, not one
  if (secret_key) {
    sink.Report(kHardcodedSecretKey, std::move(loc),
                fmt::format("{} \"{}\": anyone with the source can forge session cookies and "
                            "signed tokens",
                            fmt::format(fmt::runtime(how), name), MaskSecret(value)));
    return;
  }
  bool weak = placeholder == PlaceholderKind::kWeakDefault;
  sink.ReportWithSeverity(
      kHardcodedCredential, weak ? Severity::kLow : Severity::kHigh, std::move(loc),
      fmt::format("{} \"{}\"{}", fmt::format(fmt::runtime(how), name), MaskSecret(value),
                  weak ? "; it looks like a default or example value, but it still works as a "
                         "credential until replaced"
                       : ""));
}

// The value of [begin, end) when it is only constant string literals.
bool LiteralValue(const PyModel& model, size_t begin, size_t end, std::string* out) {
  if (begin >= end) return false;
  std::string value;
  for (size_t i = begin; i < end; ++i) {
    if (!model.At(i).IsConstantString()) return false;
    value += parse::PyStringValue(model.At(i));
  }
  *out = std::move(value);
  return true;
}

// Index after a run of string tokens starting at i.
size_t SkipStrings(const PyModel& model, size_t i, size_t end) {
  while (i < end && model.At(i).kind == PyTokenKind::kString) ++i;
  return i;
}

void CheckKeywordsAndDicts(const PyModel& model, size_t begin, size_t end,
                           core::FindingSink& sink) {
  int depth = 0;
  for (size_t i = begin; i < end; ++i) {
    const PyToken& t = model.At(i);
    if (t.IsOp("(") || t.IsOp("[") || t.IsOp("{")) ++depth;
    if (t.IsOp(")") || t.IsOp("]") || t.IsOp("}")) depth = std::max(0, depth - 1);
    if (depth == 0 || i == begin || i + 2 >= end) continue;
    const PyToken& prev = model.At(i - 1);
    bool after_separator = prev.IsOp("(") || prev.IsOp(",") || prev.IsOp("{");
    if (!after_separator) continue;
    bool kwarg = t.kind == PyTokenKind::kName && model.At(i + 1).IsOp("=") && !prev.IsOp("{");
    bool dict_entry = t.IsConstantString() && model.At(i + 1).IsOp(":");
    if (!kwarg && !dict_entry) continue;
    size_t value_end = SkipStrings(model, i + 2, end);
    if (value_end == i + 2 || value_end >= end) continue;
    const PyToken& after = model.At(value_end);
    if (!after.IsOp(",") && !after.IsOp(")") && !after.IsOp("}")) continue;
    std::string value;
    if (!LiteralValue(model, i + 2, value_end, &value)) continue;
    std::string name = kwarg ? std::string(t.text) : parse::PyStringValue(t);
    ReportCredential(
        name, value, model.Loc(i, value_end - 1),
        kwarg ? "argument '{}' is given the literal" : "dict key '{}' maps to the literal", sink);
  }
}

// password == "hunter2" / "hunter2" == password
void CheckComparisons(const PyModel& model, size_t begin, size_t end, core::FindingSink& sink) {
  for (size_t i = begin + 1; i + 1 < end; ++i) {
    const PyToken& op = model.At(i);
    if (!op.IsOp("==") && !op.IsOp("!=")) continue;
    const PyToken& left = model.At(i - 1);
    const PyToken& right = model.At(i + 1);
    const PyToken* name = nullptr;
    const PyToken* literal = nullptr;
    if (left.kind == PyTokenKind::kName && right.IsConstantString()) name = &left, literal = &right;
    if (right.kind == PyTokenKind::kName && left.IsConstantString()) name = &right, literal = &left;
    if (name == nullptr || ClassifySecretName(name->text) != SecretNameStrength::kStrong) continue;
    ReportCredential(name->text, parse::PyStringValue(*literal), model.Loc(i - 1, i + 1),
                     "'{}' is compared with the literal", sink);
  }
}

}  // namespace

bool IsSecretName(std::string_view name) {
  return ClassifySecretName(name) != SecretNameStrength::kNone || IsSecretKeyName(name);
}

bool NameHasWord(std::string_view name, std::initializer_list<std::string_view> words) {
  for (const std::string& w : audit::IdentifierWords(name)) {
    if (In(w, words)) return true;
  }
  return false;
}

void CheckCredentialAssignment(const PyModel& model, const Assignment& assign,
                               core::FindingSink& sink) {
  if (assign.op != "=") return;
  std::string value;
  if (!LiteralValue(model, assign.value_begin, assign.value_end, &value)) return;
  for (auto [tb, te] : assign.targets) {
    TargetName target;
    if (!model.ParseTarget(tb, te, &target)) continue;
    ReportCredential(target.key, value, model.Loc(tb, assign.value_end - 1),
                     "'{}' is assigned the literal", sink);
  }
}

void CheckCredentialStatement(const PyModel& model, size_t begin, size_t end,
                              core::FindingSink& sink) {
  CheckKeywordsAndDicts(model, begin, end, sink);
  CheckComparisons(model, begin, end, sink);
}

}  // namespace bulwark::audit::py
