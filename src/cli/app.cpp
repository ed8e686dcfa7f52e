#include "cli/app.hpp"

#include <cstdio>

#include "core/version.hpp"

namespace bulwark::cli {

int Run(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::printf("bulwark %s\n", core::kVersion);
  return 0;
}

}  // namespace bulwark::cli
