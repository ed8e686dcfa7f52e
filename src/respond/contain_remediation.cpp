#include "respond/contain_remediation.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bulwark::respond {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxResultFiles = 1000;
constexpr uintmax_t kMaxResultBytes = uintmax_t{64} << 20;
constexpr size_t kMaxListed = 50;

std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// The report inside a saved result, or the document itself; null unless it
// is an audit report with findings.
const json* AuditReport(const json& doc) {
  if (!doc.is_object()) return nullptr;
  if (doc.contains("bulwark_result")) {
    auto run = doc.find("run");
    if (run == doc.end() || !run->is_object() || run->value("command", "") != "audit") return nullptr;
    auto report = doc.find("report");
    return report != doc.end() && report->is_object() && report->contains("findings") ? &*report : nullptr;
  }
  auto findings = doc.find("findings");
  return findings != doc.end() && findings->is_array() ? &doc : nullptr;
}

std::string FindingLine(const json& finding) {
  std::ostringstream out;
  out << finding.value("id", "?");
  if (auto loc = finding.find("location"); loc != finding.end() && loc->is_object()) {
    out << " " << loc->value("path", "");
    if (auto line = loc->find("line"); line != loc->end() && line->is_number_integer()) out << ":" << line->get<long>();
  }
  out << ": " << finding.value("title", "");
  return out.str();
}

std::string ImageRepository(const std::string& image) {
  std::string repo = image;
  if (size_t at = repo.find('@'); at != std::string::npos) repo.resize(at);
  size_t slash = repo.rfind('/');
  size_t colon = repo.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) repo.resize(colon);
  return repo;
}

std::string ImageTag(const std::string& image) {
  if (image.find('@') != std::string::npos) return "latest";
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) return image.substr(colon + 1);
  return "latest";
}

Remediation Rebuild(const docker::ContainerInfo& container, docker::EngineClient* client) {
  Remediation advice{"rebuild", "", {}};
  if (client != nullptr) {
    for (const std::string& candidate : HardenedCandidates(container.image)) {
      if (client->InspectImage(candidate).ok()) advice.items.push_back(candidate);
    }
  }
  if (!advice.items.empty()) {
    advice.text = "Do not resume this container: remove it once the evidence is kept, and redeploy from the "
                  "hardened image " + advice.items.front() + " (scan it first with `bulwark scan`).";
  } else {
    advice.text = "Do not resume this container: remove it once the evidence is kept, and redeploy from an "
                  "image rebuilt with the fixes (`bulwark fix --write`), scanned (`bulwark scan`) and pinned "
                  "by digest.";
  }
  return advice;
}

Remediation Rotate(const docker::ContainerInfo& container) {
  Remediation advice{"rotate-credentials", "", {}};
  std::set<std::string> seen;
  for (const std::string& name : container.env_names) {
    if (LooksLikeSecretName(name) && seen.insert(name).second) advice.items.push_back(name);
  }
  advice.text = advice.items.empty()
                    ? "No environment variable looks like a secret; still rotate every credential the "
                      "container could read (mounted files, the image's own files)."
                    : "The container could read these secrets from its environment: treat them as exposed "
                      "and rotate them (values are not shown).";
  return advice;
}

}  // namespace

bool LooksLikeSecretName(std::string_view name) {
  static const std::set<std::string> kSecretWords = {
      "PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "KEY", "APIKEY",
      "CREDENTIAL", "CREDENTIALS", "CREDS", "AUTH", "PRIVATE", "DSN", "COOKIE", "SALT"};
  std::vector<std::string> words = Words(name);
  for (const std::string& word : words) {
    if (kSecretWords.count(word) != 0) return true;
  }
  // Connection strings carry their password: DATABASE_URL, REDIS_URL.
  if (!words.empty() && (words.back() == "URL" || words.back() == "URI") && words.size() > 1) {
    static const std::set<std::string> kStores = {"DATABASE", "DB", "REDIS", "MONGO", "MONGODB", "POSTGRES",
                                                  "MYSQL", "AMQP", "RABBITMQ", "BROKER", "SQLALCHEMY"};
    return std::any_of(words.begin(), words.end() - 1, [](const std::string& w) { return kStores.count(w) != 0; });
  }
  return false;
}

std::vector<std::string> FixableEntryFindings(const std::string& results_dir) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (results_dir.empty() || !fs::is_directory(results_dir, ec)) return lines;
  json newest;
  fs::file_time_type newest_time{};
  size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(results_dir, ec)) {
    if (++seen > kMaxResultFiles) break;
    if (entry.path().extension() != ".json" || !entry.is_regular_file(ec)) continue;
    if (entry.file_size(ec) > kMaxResultBytes) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
    const json* report = AuditReport(doc);
    auto time = entry.last_write_time(ec);
    if (report == nullptr || (!newest.is_null() && time <= newest_time)) continue;
    newest = *report;
    newest_time = time;
  }
  if (newest.is_null()) return lines;
  static const std::set<std::string> kEntryCategories = {"code", "dockerfile", "compose"};
  for (const auto& finding : newest["findings"]) {
    if (!finding.is_object() || !finding.value("fixable", false)) continue;
    if (kEntryCategories.count(finding.value("category", "")) == 0) continue;
    if (lines.size() >= kMaxListed) break;
    lines.push_back(FindingLine(finding));
  }
  return lines;
}

std::vector<std::string> HardenedCandidates(const std::string& image) {
  std::vector<std::string> out;
  if (image.empty() || image.rfind("sha256:", 0) == 0) return out;
  std::string repo = ImageRepository(image);
  std::string tag = ImageTag(image);
  if (size_t at = repo.find("vulnerable"); at != std::string::npos) {
    std::string hardened = repo;
    hardened.replace(at, 10, "hardened");
    out.push_back(hardened + ":" + tag);
    if (tag != "latest") out.push_back(hardened + ":latest");
  }
  out.push_back(repo + "-hardened:" + tag);
  out.push_back(repo + ":hardened");
  return out;
}

std::vector<Remediation> BuildRemediation(const docker::ContainerInfo& container,
                                          docker::EngineClient* client, const std::string& results_dir) {
  std::vector<Remediation> advice = {Rebuild(container, client), Rotate(container)};
  Remediation fixes{"fix-findings", "", FixableEntryFindings(results_dir)};
  fixes.text = fixes.items.empty()
                   ? "Find and close the way in: `bulwark audit DIR` on the service's sources, then "
                     "`bulwark fix DIR --write` (name the results with --results DIR to list them here)."
                   : "These fixable findings of the last audit are the likely way in: fix them "
                     "(`bulwark fix DIR --write`) before redeploying.";
  advice.push_back(std::move(fixes));
  return advice;
}

}  // namespace bulwark::respond
