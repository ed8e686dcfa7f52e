// Compiles a resolved condition tree (no macro references left) into a
// Program: fields resolved through the registry (unknown fields are
// errors), operators checked against field types, right-hand values
// converted once, `evt.type` comparisons turned into event-type set tests.
// The first error stops the compile; warnings accumulate.
//
// Also compiles output formats (`%field`, `%field[arg]`, `%Nfield` width)
// and renders them for an event.
//
// Not thread-safe: builds into one Program.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/rules/condition_ast.hpp"
#include "runtime/rules/diagnostic.hpp"
#include "runtime/rules/program.hpp"

namespace bulwark::runtime::rules {

struct CompileProblem {
  DiagSeverity severity = DiagSeverity::kError;
  std::string code;  // "unknown-field", "invalid-operator", "invalid-value", ...
  std::string message;
  size_t pos = 0;
  int32_t origin_macro = -1;  // see Expr::origin_macro
};

class ConditionCompiler {
 public:
  ConditionCompiler(const FieldRegistry& registry, Program& program, std::set<std::string>& dns_names)
      : registry_(registry), program_(program), dns_names_(dns_names) {}

  std::optional<uint32_t> Compile(const Expr& e, std::vector<CompileProblem>& problems);

 private:
  std::optional<uint32_t> CompileNode(const Expr& e);
  std::optional<uint32_t> CompileCheck(const Expr& e);
  std::optional<uint32_t> CompileTypeCheck(const Expr& e, Op op);
  void Problem(DiagSeverity severity, const Expr& e, std::string code, std::string message, size_t pos);

  const FieldRegistry& registry_;
  Program& program_;
  std::set<std::string>& dns_names_;
  std::vector<CompileProblem>* problems_ = nullptr;
};

struct OutputSegment {
  std::string literal;  // text before the field (or the trailing text)
  int64_t slot = -1;    // -1: literal only
  size_t width = 0;     // %Nfield: pad/truncate to N
};

struct CompiledOutput {
  std::vector<OutputSegment> segments;
  std::vector<std::pair<std::string, uint32_t>> fields;  // display name -> slot, first use order
};

// `unknown_field` tells an unknown field from other format errors (for
// skip-if-unknown-filter).
bool CompileOutput(const std::string& format, const FieldRegistry& registry, Program& program, CompiledOutput& out,
                   std::string& error, size_t& error_pos, bool& unknown_field);

// Renders for the current event: missing values are "<NA>" in `text` and
// nullopt in `fields`.
void RenderOutput(const CompiledOutput& output, Program& program, std::string& text,
                  std::vector<std::pair<std::string, std::optional<std::string>>>& fields);

}  // namespace bulwark::runtime::rules
