#include "core/render_checks.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "core/escape.hpp"

namespace bulwark::core {
namespace {

std::string Join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string CategoryTitle(Category c) {
  switch (c) {
    case Category::kDockerfile: return "Dockerfile";
    case Category::kCompose: return "Docker Compose";
    case Category::kDaemon: return "Docker daemon (daemon.json)";
    case Category::kKubernetes: return "Kubernetes manifests";
    case Category::kCode: return "Application code";
    case Category::kSecret: return "Secrets";
    case Category::kHost: return "Docker host (CIS Docker Benchmark)";
    case Category::kVulnerability: return "Vulnerabilities";
  }
  return "Other";
}

std::map<Category, std::vector<const CheckInfo*>> ByCategory(const CheckRegistry& registry) {
  std::map<Category, std::vector<const CheckInfo*>> groups;
  for (const CheckInfo* c : registry.All()) groups[c->category].push_back(c);
  return groups;
}

}  // namespace

std::string RenderChecksTable(const CheckRegistry& registry) {
  std::string out;
  for (const auto& [category, checks] : ByCategory(registry)) {
    out += CategoryTitle(category) + "\n";
    for (const CheckInfo* c : checks) {
      std::string sev(SeverityLabel(c->severity));
      sev.resize(9, ' ');
      std::string id = c->id;
      if (id.size() < 11) id.resize(11, ' ');
      out += "  " + id + " " + sev + c->title;
      if (!c->references.cis.empty()) out += "  [CIS " + Join(c->references.cis) + "]";
      out += "\n";
    }
    out += "\n";
  }
  out += std::to_string(registry.size()) + " checks\n";
  return out;
}

std::string RenderChecksMarkdown(const CheckRegistry& registry) {
  std::string out =
      "# bulwark checks\n\n"
      "Generated from the check registry by `bulwark checks --format markdown`; do not edit by hand.\n\n" +
      std::to_string(registry.size()) + " checks.\n";
  for (const auto& [category, checks] : ByCategory(registry)) {
    out += "\n## " + CategoryTitle(category) + "\n\n";
    out += "| ID | severity | title | CIS | ATT&CK | NIST 800-53 | CWE | fixable | equivalent in other tools |\n";
    out += "|---|---|---|---|---|---|---|---|---|\n";
    for (const CheckInfo* c : checks) {
      const References& r = c->references;
      out += "| [" + c->id + "](#" + c->id + ") | " + std::string(SeverityName(c->severity)) + " | " +
             EscapeMarkdown(c->title) + " | " + Join(r.cis) + " | " + Join(r.attack) + " | " +
             Join(r.nist) + " | " + Join(r.cwe) + " | " + (c->fixable ? "yes" : "") + " | " +
             EscapeMarkdown(Join(c->peers)) + " |\n";
    }
    for (const CheckInfo* c : checks) {
      out += "\n### " + c->id + "\n\n**" + EscapeMarkdown(c->title) + "** (" +
             std::string(SeverityName(c->severity)) + ")\n\n";
      if (!c->rationale.empty()) out += EscapeMarkdown(c->rationale) + "\n\n";
      out += "Remediation: " + EscapeMarkdown(c->remediation) + "\n";
      for (const std::string& url : c->references.urls) out += "\n- <" + url + ">";
      if (!c->references.urls.empty()) out += "\n";
    }
  }
  return out;
}

std::string RenderChecksJson(const CheckRegistry& registry) {
  nlohmann::json checks = nlohmann::json::array();
  for (const CheckInfo* c : registry.All()) {
    const References& r = c->references;
    checks.push_back({{"id", c->id},
                      {"title", c->title},
                      {"severity", SeverityName(c->severity)},
                      {"category", CategoryName(c->category)},
                      {"rationale", c->rationale},
                      {"remediation", c->remediation},
                      {"references", {{"cis", r.cis}, {"attack", r.attack}, {"nist", r.nist},
                                      {"cwe", r.cwe}, {"urls", r.urls}}},
                      {"fixable", c->fixable},
                      {"peers", c->peers}});
  }
  return nlohmann::json{{"checks", checks}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::core
