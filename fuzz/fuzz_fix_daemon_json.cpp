// libFuzzer target: the daemon_json fixer on whatever the audit finds in
// arbitrary bytes (see fix_fuzz_common.hpp for what must hold).
#include "fix_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* fixer = bulwark::fix::MakeDaemonJsonFixer().release();
  return bulwark::fuzz::FuzzFixer(data, size, bulwark::audit::FileKind::kDaemonJson, "daemon.json", *fixer);
}
