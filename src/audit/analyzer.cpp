#include "audit/analyzer.hpp"

namespace bulwark::audit {

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kDockerfile: return "dockerfile";
    case FileKind::kCompose: return "compose";
    case FileKind::kDaemonJson: return "daemon.json";
    case FileKind::kKubernetes: return "kubernetes";
    case FileKind::kPython: return "python";
    case FileKind::kText: return "text";
  }
  return "text";
}

}  // namespace bulwark::audit
