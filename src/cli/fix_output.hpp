// How `bulwark fix` shows its plan: a unified diff on stdout (git-style
// headers, so `git apply` takes it), a JSON document for scripts, and a
// summary on stderr (what is fixed, notes, files left alone, and after
// --write the audit's before -> after numbers).
#pragma once

#include <string>
#include <vector>

#include "fix/fix_runner.hpp"

namespace bulwark::cli {

struct FixOutput {
  std::string target;
  bool write = false;
  const fix::FixPlanResult* plan = nullptr;
  const fix::FixPlanResult* after = nullptr;  // re-audit after --write, when it ran
  const std::vector<fix::FixProblem>* write_problems = nullptr;
  std::string restart_advice;  // --daemon: whether dockerd must restart
};

struct FixOutputStyle {
  bool colour = false;
  bool terminal = false;  // escape control characters of file content
};

std::string RenderFixDiff(const FixOutput& out, const FixOutputStyle& style);
std::string RenderFixJson(const FixOutput& out);
std::string RenderFixSummary(const FixOutput& out, bool terminal);

}  // namespace bulwark::cli
