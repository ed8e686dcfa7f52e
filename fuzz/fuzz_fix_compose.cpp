// libFuzzer target: the compose fixer on whatever the audit finds in
// arbitrary bytes (see fix_fuzz_common.hpp for what must hold).
#include "fix_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* fixer = bulwark::fix::MakeComposeFixer().release();
  return bulwark::fuzz::FuzzFixer(data, size, bulwark::audit::FileKind::kCompose, "docker-compose.yml", *fixer);
}
