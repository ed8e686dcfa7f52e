#include "core/finding.hpp"

namespace bulwark::core {

std::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kDockerfile: return "dockerfile";
    case Category::kCompose: return "compose";
    case Category::kDaemon: return "daemon";
    case Category::kKubernetes: return "kubernetes";
    case Category::kCode: return "code";
    case Category::kSecret: return "secret";
    case Category::kHost: return "host";
    case Category::kVulnerability: return "vulnerability";
  }
  return "code";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNone: return "";
    case Verdict::kPass: return "pass";
    case Verdict::kWarn: return "warn";
    case Verdict::kInfo: return "info";
    case Verdict::kNote: return "note";
  }
  return "";
}

}  // namespace bulwark::core
