// Base images whose distribution or runtime no longer gets security fixes.
// The table is deliberately short: well-known upstream end-of-life dates that
// are already past, so it cannot flag a supported release.
#include <algorithm>
#include <charconv>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

struct Codename {
  std::string_view word;  // as it appears in tags: "buster", "alpine3.14" handled apart
  std::string_view product;
  std::string_view eol;
};

constexpr Codename kCodenames[] = {
    {"jessie", "Debian 8", "2020-06-30"},     {"stretch", "Debian 9", "2022-06-30"},
    {"buster", "Debian 10", "2024-06-30"},    {"trusty", "Ubuntu 14.04", "2019-04-30"},
    {"xenial", "Ubuntu 16.04", "2021-04-30"}, {"bionic", "Ubuntu 18.04", "2023-05-31"},
    {"focal", "Ubuntu 20.04", "2025-05-31"},  {"kinetic", "Ubuntu 22.10", "2023-07-20"},
    {"lunar", "Ubuntu 23.04", "2024-01-25"},  {"mantic", "Ubuntu 23.10", "2024-07-11"},
};

// Versions at or below major.minor (minor -1: compare majors only) are EOL.
struct VersionRule {
  std::string_view repository;
  int major;
  int minor;
  std::string_view product;
  std::string_view eol;  // of the newest EOL version the rule covers
};

constexpr VersionRule kRules[] = {
    {"python", 3, 9, "Python", "2025-10-31"},
    {"node", 18, -1, "Node.js", "2025-04-30"},
    {"php", 8, 1, "PHP", "2025-12-31"},
    {"golang", 1, 22, "Go", "2025-02-11"},
    {"ruby", 3, 1, "Ruby", "2025-03-31"},
    {"postgres", 13, -1, "PostgreSQL", "2025-11-13"},
    {"mysql", 5, 7, "MySQL", "2023-10-31"},
    {"mongo", 6, 0, "MongoDB", "2025-07-31"},
    {"alpine", 3, 19, "Alpine Linux", "2025-11-01"},
    {"debian", 10, -1, "Debian", "2024-06-30"},
    {"ubuntu", 20, 4, "Ubuntu", "2025-05-31"},
    {"centos", 99, -1, "CentOS Linux", "2024-06-30"},
    {"dotnet/aspnet", 7, -1, ".NET", "2024-11-12"},
    {"dotnet/runtime", 7, -1, ".NET", "2024-11-12"},
    {"dotnet/sdk", 7, -1, ".NET", "2024-11-12"},
};

struct Version {
  int major = -1;
  int minor = -1;
};

// Leading "M" or "M.m" of a tag ("3.9.18-slim" -> 3.9); {-1,-1} when none.
Version LeadingVersion(std::string_view tag) {
  Version v;
  const char* end = tag.data() + tag.size();
  auto [p, ec] = std::from_chars(tag.data(), end, v.major);
  if (ec != std::errc() || p == tag.data()) return Version{};
  if (p < end && *p == '.') std::from_chars(p + 1, end, v.minor);
  return v;
}

struct Eol {
  std::string product;
  std::string_view eol;
};

std::optional<Eol> FromCodename(std::string_view tag) {
  for (const Codename& name : kCodenames) {
    size_t pos = tag.find(name.word);
    if (pos == std::string_view::npos) continue;
    bool start = pos == 0 || tag[pos - 1] == '-' || tag[pos - 1] == '_';
    size_t end = pos + name.word.size();
    bool stop = end == tag.size() || tag[end] == '-' || tag[end] == '_';
    if (start && stop) return Eol{std::string(name.product), name.eol};
  }
  // "...-alpine3.14" suffixes of official images.
  size_t alpine = tag.find("alpine3.");
  if (alpine != std::string_view::npos) {
    Version v = LeadingVersion(tag.substr(alpine + 6));
    if (v.major == 3 && v.minor >= 0 && v.minor <= 19) {
      return Eol{"Alpine Linux 3." + std::to_string(v.minor), "2025-11-01"};
    }
  }
  return std::nullopt;
}

std::string_view LibraryName(const parse::ImageRef& image) {
  std::string_view repo = image.repository;
  if (repo.substr(0, 8) == "library/") repo.remove_prefix(8);
  return repo;
}

std::optional<Eol> FromVersion(const parse::ImageRef& image) {
  std::string_view repo = LibraryName(image);
  bool hub = image.registry.empty() || image.registry == "docker.io";
  for (const VersionRule& rule : kRules) {
    bool mcr = image.registry == "mcr.microsoft.com" && repo == rule.repository;
    if (!mcr && !(hub && repo == rule.repository)) continue;
    if (rule.repository == "centos") return Eol{std::string(rule.product), rule.eol};
    Version v = LeadingVersion(image.tag);
    if (v.major < 0 || (rule.minor >= 0 && v.minor < 0 && v.major == rule.major))
      return std::nullopt;
    bool odd_node = rule.repository == "node" && v.major % 2 == 1 && v.major <= 23;
    bool old = v.major < rule.major ||
               (v.major == rule.major && (rule.minor < 0 || v.minor <= rule.minor));
    if (!old && !odd_node) return std::nullopt;
    std::string shown =
        std::to_string(v.major) + (v.minor >= 0 ? "." + std::to_string(v.minor) : "");
    std::string_view date = rule.eol;
    if (!old) date = v.major == 19 ? "2023-06-01" : v.major == 21 ? "2024-06-01" : "2025-06-01";
    return Eol{std::string(rule.product) + " " + shown, date};
  }
  return std::nullopt;
}

void CheckEndOfLife(const Context& ctx) {
  for (const parse::Stage& stage : ctx.df().stages) {
    if (!stage.image || !stage.base_resolved) continue;
    std::optional<Eol> eol = FromVersion(*stage.image);
    if (!eol) eol = FromCodename(stage.image->tag);
    if (!eol) continue;
    const parse::Instruction& from = ctx.df().instructions[stage.from_index];
    Severity severity = ctx.InFinalImage(stage.index) ? Severity::kMedium : Severity::kLow;
    ctx.Report("BW-DF-020", severity, ctx.At(from.args[0]),
               "base image " + Quote(stage.image->ToString()) + " is " + eol->product +
                   ", which reached end of life on or before " + std::string(eol->eol) +
                   " and gets no security fixes");
  }
}

}  // namespace

std::vector<DockerfileCheck> LifecycleChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-020",
        .title = "End-of-life base image",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "Once a distribution or runtime reaches end of life, new vulnerabilities in "
                     "it are never fixed; every rebuild keeps shipping them.",
        .remediation = "Move to a supported release of the base image (e.g. Debian 12 "
                       "'bookworm', Alpine 3.21+, a maintained Python/Node/Go version).",
        .references = {.cis = {"4.4"}, .nist = {"SI-2", "RA-5"}, .cwe = {"CWE-1104"}}},
       &CheckEndOfLife},
  };
}

}  // namespace bulwark::audit::dockerfile
