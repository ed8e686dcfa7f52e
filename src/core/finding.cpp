#include "core/finding.hpp"

#include <cctype>
#include <string>

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

Category ParseCategory(std::string_view name) {
  for (Category c : {Category::kDockerfile, Category::kCompose, Category::kDaemon, Category::kKubernetes,
                     Category::kCode, Category::kSecret, Category::kHost, Category::kVulnerability}) {
    if (CategoryName(c) == name) return c;
  }
  return Category::kCode;
}

Verdict ParseVerdict(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (Verdict v : {Verdict::kPass, Verdict::kWarn, Verdict::kInfo, Verdict::kNote}) {
    if (lower == VerdictName(v)) return v;
  }
  return Verdict::kNone;
}

}  // namespace bulwark::core
