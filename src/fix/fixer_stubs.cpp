// TEMPORARY while the fixers are being written: weak definitions that fix
// nothing, so the runner links. Each real fixer's strong definition wins.
#include "fix/fixer.hpp"

namespace bulwark::fix {
namespace {
class NoFixer : public Fixer {
 public:
  std::set<std::string> FixableChecks() const override { return {}; }
  core::Result<FixPlan> Plan(const FixRequest&) const override { return FixPlan{}; }
};
}  // namespace
__attribute__((weak)) std::unique_ptr<Fixer> MakeComposeFixer() { return std::make_unique<NoFixer>(); }
__attribute__((weak)) std::unique_ptr<Fixer> MakeKubernetesFixer() { return std::make_unique<NoFixer>(); }
}  // namespace bulwark::fix
