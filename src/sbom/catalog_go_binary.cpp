// go-binary cataloger: Go modules from the build info of Go executables.
//
// Packages, shaped as Trivy's gobinary parser makes them
// (pkg/dependency/parser/golang/binary/parse.go; ../shared/notes/sca.md §1):
// - "stdlib" at the toolchain version with a "v" prefix ("go1.21.4" ->
//   "v1.21.4", anything after a space dropped), because Go's vulnerability
//   data covers the standard library as a module of that name;
// - every "dep" line, with a "=>" replacement applied (the module actually
//   linked in); deps without a path, or without a version (a replacement
//   by a local directory), are skipped;
// - the main module ("mod" line) when it has a version. Builds outside
//   `go install` record "(devel)"; then, as Trivy does, a semver found in
//   `-ldflags -X ...version=` settings is used (also in place of a
//   v0.0.0 pseudo-version). Trivy keeps a main module with no version left;
//   we drop it: a package without a version can be neither matched nor
//   given a useful purl. GOPATH-mode builds (Debian's docker.io, runc,
//   containerd) have no "mod" line at all and yield only stdlib.
// Every package records metadata "go.toolchain" (the embedded version).
#include <memory>

#include "sbom/cataloger.hpp"
#include "sbom/go_buildinfo.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr std::string_view kCatalogerName = "go-binary";

// go-shellwords' splitting, which Trivy applies to the -ldflags value.
std::vector<std::string> ShellSplit(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  bool in_token = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == '\\' && quote != '\'' && i + 1 < text.size()) {
      current += text[++i];
      in_token = true;
    } else if (quote != 0) {
      current += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_token = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_token) out.push_back(std::move(current));
      current.clear();
      in_token = false;
    } else {
      current += c;
      in_token = true;
    }
  }
  if (in_token) out.push_back(std::move(current));
  return out;
}

bool IsNumber(std::string_view text, bool allow_leading_zero) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return allow_leading_zero || text.size() == 1 || text[0] != '0';
}

bool IsIdentifierList(std::string_view text, bool numeric_rules) {
  if (text.empty()) return false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) return false;
    bool all_digits = true;
    for (char c : part) {
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum && c != '-') return false;
      if (c < '0' || c > '9') all_digits = false;
    }
    if (numeric_rules && all_digits && !IsNumber(part, false)) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

// golang.org/x/mod/semver.IsValid: "v1", "v1.2", "v1.2.3[-pre][+build]".
bool IsGoSemver(std::string_view version) {
  if (version.empty() || version[0] != 'v') return false;
  version.remove_prefix(1);
  size_t end = version.find_first_of("-+");
  std::string_view core = version.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? "" : version.substr(end);
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = core.find('.', start);
    if (!IsNumber(core.substr(start, dot == std::string_view::npos ? dot : dot - start), false)) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts > 3 || (parts < 3 && !tail.empty())) return false;
  size_t plus = tail.find('+');
  std::string_view pre = tail.substr(0, plus);
  if (!pre.empty() && !IsIdentifierList(pre.substr(1), true)) return false;
  return plus == std::string_view::npos || IsIdentifierList(tail.substr(plus + 1), false);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// The element before the first '.' of the last path element: "app.ver" of
// ".../internal/version/app.ver" -> "app".
std::string VersionPrefix(std::string_view key) {
  size_t slash = key.rfind('/');
  if (slash != std::string_view::npos && slash > 0) key.remove_prefix(slash + 1);
  return Lower(key.substr(0, key.find('.')));
}

// The key=value of every -X flag ("-X k=v" or "-X=k=v"), Trivy's quotes trimmed.
std::vector<std::pair<std::string, std::string>> XAssignments(
    const std::vector<std::string>& flags) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < flags.size(); ++i) {
    std::string assignment;
    if (flags[i] == "-X" && i + 1 < flags.size()) {
      assignment = flags[++i];
    } else if (flags[i].starts_with("-X=")) {
      assignment = flags[i].substr(3);
    }
    size_t eq = assignment.find('=');
    if (eq == std::string::npos) continue;
    std::string key = assignment.substr(0, eq);
    std::string value = assignment.substr(eq + 1);
    key.erase(0, key.find_first_not_of('\''));
    value.erase(value.find_last_not_of('\'') + 1);
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

// 0: "<module>/cmd/...", 1: a "main", "common", "version" or "cmd" prefix, 2: the rest.
int VersionKeyRank(const std::string& key, const std::string& module) {
  if (key.starts_with(module + "/cmd/")) return 0;
  std::string prefix = VersionPrefix(key);
  bool usual = prefix == "main" || prefix == "common" || prefix == "version" || prefix == "cmd";
  return usual ? 1 : 2;
}

// Trivy's ParseLDFlags: -X key=value with a key ending in ".version" or
// ".ver" and a semver value, ranked by VersionKeyRank; two candidates of the
// best rank give none.
std::string LdflagsVersion(const GoBuildInfo& info, const std::string& module) {
  std::vector<std::string> flags;
  for (const auto& [key, value] : info.settings) {
    if (key == "-ldflags") flags = ShellSplit(value);
  }
  std::vector<std::string> ranked[3];
  for (const auto& [key, value] : XAssignments(flags)) {
    std::string lower = Lower(key);
    bool version_key = lower.ends_with(".version") || lower.ends_with(".ver");
    if (!version_key || !(IsGoSemver(value) || IsGoSemver("v" + value))) continue;
    ranked[VersionKeyRank(key, module)].push_back(value);
  }
  for (const auto& candidates : ranked) {
    if (candidates.size() == 1) return candidates[0];
    if (candidates.size() > 1) return "";
  }
  return "";
}

// "go1.22.3 X:boringcrypto" -> "v1.22.3"; "" for development toolchains.
std::string StdlibVersion(std::string_view go_version) {
  if (go_version.substr(0, 3) != "go1") return "";
  std::string_view version = go_version.substr(2);
  return "v" + std::string(version.substr(0, version.find(' ')));
}

class GoBinaryCataloger : public Cataloger {
 public:
  std::string_view Name() const override { return kCatalogerName; }
  std::vector<std::string> Paths() const override {
    return {"**/* (regular files with an execute bit, 1 KiB to 512 MiB, carrying Go build info)"};
  }
  bool Wants(const image::FileEntry& entry) const override { return IsExecutableCandidate(entry); }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (!Wants(entry) || !files.HasContent(entry)) continue;
      core::Result<std::string> content = files.Read(entry, kMaxExecutableBytes);
      if (!content.ok()) {
        out.notes.push_back("/" + entry.path + ": " + content.status().message());
        continue;
      }
      core::Result<GoBuildInfo> info = ReadGoBuildInfo(*content);
      if (!info.ok()) {
        if (info.status().code() != core::ErrorCode::kNotFound) {
          out.notes.push_back("/" + entry.path + ": " + info.status().message());
        }
        continue;
      }
      if (info->malformed_lines > 0) {
        out.notes.push_back("/" + entry.path + ": Go build info: skipped " +
                            std::to_string(info->malformed_lines) + " malformed module lines");
      }
      AddPackages(entry, *info, context, out);
    }
  }

 private:
  static void Add(const image::FileEntry& entry, const GoBuildInfo& info, std::string name,
                  std::string version, const CatalogContext& context, CatalogOutput& out) {
    Package package;
    package.name = std::move(name);
    package.version = std::move(version);
    package.type = PackageType::kGo;
    package.locations.push_back("/" + entry.path);
    package.layer = entry.layer;
    package.cataloger = std::string(kCatalogerName);
    package.metadata["go.toolchain"] = info.go_version;
    package.purl = MakePurl(package, context.os);
    out.packages.push_back(std::move(package));
  }

  static void AddPackages(const image::FileEntry& entry, const GoBuildInfo& info,
                          const CatalogContext& context, CatalogOutput& out) {
    std::string stdlib = StdlibVersion(info.go_version);
    if (!stdlib.empty()) Add(entry, info, "stdlib", stdlib, context, out);
    for (const GoModule& dep : info.deps) {
      bool replaced = !dep.replace_path.empty();
      const std::string& path = replaced ? dep.replace_path : dep.path;
      const std::string& version = replaced ? dep.replace_version : dep.version;
      // A local-directory replacement has no version: nothing to match.
      if (path.empty() || version.empty() || version == "(devel)") continue;
      Add(entry, info, path, version, context, out);
    }
    if (info.main.path.empty()) return;
    std::string version = info.main.version == "(devel)" ? "" : info.main.version;
    std::string stamped = LdflagsVersion(info, info.main.path);
    if (version.empty() || (version.starts_with("v0.0.0") && !stamped.empty())) version = stamped;
    if (!version.empty()) Add(entry, info, info.main.path, version, context, out);
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeGoBinaryCataloger() { return std::make_unique<GoBinaryCataloger>(); }

}  // namespace bulwark::sbom
