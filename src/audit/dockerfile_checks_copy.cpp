// Checks on COPY and ADD: remote URLs, ADD instead of COPY, secret-looking
// files, the whole build context without a .dockerignore, bad destinations.
#include <filesystem>
#include <system_error>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsCopyOrAdd(const parse::Instruction& inst) {
  return inst.keyword == "COPY" || inst.keyword == "ADD";
}

// The source words of COPY/ADD (all arguments but the destination).
std::span<const parse::Word> Sources(const parse::Instruction& inst) {
  if (inst.args.size() < 2) return {};
  return std::span<const parse::Word>(inst.args.data(), inst.args.size() - 1);
}

bool IsUrl(std::string_view source) {
  std::string lower = Lower(source.substr(0, 8));
  return StartsWith(lower, "http://") || StartsWith(lower, "https://") ||
         StartsWith(lower, "ftp://");
}

bool IsGitSource(std::string_view source) {
  return StartsWith(source, "git@") || StartsWith(source, "git://") ||
         (IsUrl(source) && source.find(".git") != std::string_view::npos &&
          (EndsWith(source, ".git") || source.find(".git#") != std::string_view::npos));
}

// A git source pinned to a full commit hash: `...git#<40 hex>`.
bool GitPinnedToCommit(std::string_view source) {
  size_t hash = source.rfind('#');
  if (hash == std::string_view::npos) return false;
  std::string_view ref = source.substr(hash + 1, source.find(':', hash) - hash - 1);
  return ref.size() == 40 && ref.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool IsLocalArchive(std::string_view source) {
  static constexpr std::string_view kSuffixes[] = {".tar",  ".tar.gz", ".tgz", ".tar.bz2", ".tbz",
                                                   ".tbz2", ".tar.xz", ".txz", ".tar.zst"};
  std::string lower = Lower(source);
  for (std::string_view suffix : kSuffixes) {
    if (EndsWith(lower, suffix)) return true;
  }
  return false;
}

void CheckAdd(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "ADD") continue;
    bool checksum = inst->FindFlag("checksum") != nullptr;
    for (const parse::Word& source : Sources(*inst)) {
      const std::string& path = source.value;
      if (IsGitSource(path)) {
        if (GitPinnedToCommit(path)) continue;
        ctx.Report("BW-DF-021", ctx.At(source),
                   "ADD " + Quote(path) +
                       " fetches a git repository at build time without "
                       "pinning a commit");
      } else if (IsUrl(path)) {
        if (checksum) continue;
        bool plain = StartsWith(Lower(path), "http://") || StartsWith(Lower(path), "ftp://");
        ctx.Report("BW-DF-021", ctx.At(source),
                   "ADD " + Quote(path) + " downloads a file at build time without --checksum" +
                       (plain ? " and over plain HTTP" : ""));
      } else if (IsLocalArchive(path)) {
        ctx.Report("BW-DF-023", ctx.At(source),
                   "ADD " + Quote(path) + " silently extracts the archive into the image");
      } else {
        ctx.Report("BW-DF-022", ctx.At(source),
                   "ADD " + Quote(path) + " copies a local file: use COPY");
      }
    }
  }
}

struct SecretFile {
  std::string_view what;
  Severity severity;
};

// What a source path looks like; severity kInfo means "not a secret".
SecretFile ClassifySecretPath(std::string_view path) {
  std::string lower = Lower(path);
  while (EndsWith(lower, "/")) lower.pop_back();
  std::string base = lower.substr(lower.rfind('/') == std::string::npos ? 0 : lower.rfind('/') + 1);
  auto has_dir = [&](std::string_view dir) {
    return base == dir || lower.find(std::string(dir) + "/") != std::string::npos;
  };
  if (has_dir(".ssh")) return {"an SSH directory", Severity::kHigh};
  if (has_dir(".aws") || has_dir(".gnupg") || has_dir(".kube"))
    return {"a credentials directory", Severity::kHigh};
  if (lower.find(".docker/config.json") != std::string::npos)
    return {"Docker registry credentials", Severity::kHigh};
  for (std::string_view key : {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}) {
    if (StartsWith(base, key) && !EndsWith(base, ".pub"))
      return {"a private SSH key", Severity::kHigh};
  }
  if (base == ".env" ||
      (StartsWith(base, ".env.") && !EndsWith(base, ".example") && !EndsWith(base, ".sample") &&
       !EndsWith(base, ".template") && !EndsWith(base, ".dist"))) {
    return {"an environment file with secrets", Severity::kHigh};
  }
  static constexpr std::string_view kFiles[] = {
      "credentials", "credentials.json", ".git-credentials", ".netrc",      "_netrc",
      ".npmrc",      ".pypirc",          ".pgpass",          ".htpasswd",   ".dockercfg",
      "kubeconfig",  "secrets.json",     "secrets.yaml",     "secrets.yml", "secrets.env"};
  for (std::string_view file : kFiles) {
    if (base == file) return {"a credentials file", Severity::kHigh};
  }
  for (std::string_view ext : {".p12", ".pfx", ".jks", ".keystore"}) {
    if (EndsWith(base, ext)) return {"a key store", Severity::kHigh};
  }
  if (EndsWith(base, ".key") && !EndsWith(base, ".gpg.key") && !EndsWith(base, ".pub.key") &&
      base.find("public") == std::string::npos) {
    return {"a private key", Severity::kHigh};
  }
  if (EndsWith(base, ".pem")) {
    if (base.find("key") != std::string::npos || base.find("priv") != std::string::npos) {
      return {"a private key", Severity::kHigh};
    }
    return {"a PEM file that may hold a private key", Severity::kLow};
  }
  return {"", Severity::kInfo};
}

void CheckSecretFiles(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (!IsCopyOrAdd(*inst)) continue;
    for (const parse::Word& source : Sources(*inst)) {
      if (IsUrl(source.value) || StartsWith(source.value, "<<")) continue;
      SecretFile secret = ClassifySecretPath(source.value);
      if (secret.severity == Severity::kInfo) continue;
      ctx.Report("BW-DF-024", secret.severity, ctx.At(source),
                 inst->keyword + " " + Quote(source.value) + " puts " + std::string(secret.what) +
                     " into an image layer, where it stays even if deleted later");
    }
  }
}

bool IsWholeContext(std::string_view source) {
  return source == "." || source == "./" || source == "*" || source == "./*" || source == "./.";
}

bool HasDockerignore(const core::SourceFile& file) {
  std::error_code error;
  std::filesystem::path dir = file.absolute_path.parent_path();
  std::filesystem::path own = file.absolute_path;
  own += ".dockerignore";  // BuildKit also reads <Dockerfile>.dockerignore
  return std::filesystem::exists(dir / ".dockerignore", error) ||
         std::filesystem::exists(own, error);
}

void CheckWholeContext(const Context& ctx) {
  if (ctx.file().absolute_path.empty()) return;
  bool checked = false;
  bool has_ignore = false;
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (!IsCopyOrAdd(*inst) || inst->FindFlag("from") != nullptr) continue;
    for (const parse::Word& source : Sources(*inst)) {
      if (!IsWholeContext(source.value)) continue;
      if (!checked) {
        has_ignore = HasDockerignore(ctx.file());
        checked = true;
      }
      if (has_ignore) return;
      ctx.Report("BW-DF-025", ctx.At(source),
                 inst->keyword + " " + source.value +
                     " copies the whole build context and there is no .dockerignore next to "
                     "the Dockerfile (.git, .env and keys would be copied too)");
    }
  }
}

void CheckCopyDestination(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (!IsCopyOrAdd(*inst) || inst->args.size() < 3) continue;
    const parse::Word& dest = inst->args.back();
    if (EndsWith(dest.value, "/") || EndsWith(dest.value, "\\") || parse::HasVariable(dest.value)) {
      continue;
    }
    ctx.Report("BW-DF-026", ctx.At(dest),
               inst->keyword + " with " + std::to_string(inst->args.size() - 1) +
                   " sources needs a directory destination ending in '/', not " +
                   Quote(dest.value));
  }
}

}  // namespace

std::vector<DockerfileCheck> CopyChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-021",
        .title = "ADD downloads remote content",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "ADD <url> fetches whatever the server returns at build time, unverified; "
                     "a compromised or spoofed server puts its code straight into the image.",
        .remediation = "Use `ADD --checksum=sha256:<hash> <url> <dest>`, or download with curl "
                       "and verify a checksum or signature in the same RUN; pin git sources to a "
                       "commit hash.",
        .references = {.cis = {"4.9"},
                       .attack = {"T1204.003"},
                       .nist = {"SI-7", "SR-4", "SR-11"},
                       .cwe = {"CWE-494"}},
        .peers = {"hadolint DL3020", "trivy DS005", "checkov CKV_DOCKER_4"}},
       &CheckAdd},
      {{.id = "BW-DF-022",
        .title = "ADD used to copy local files",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "ADD also fetches URLs and extracts archives; for plain files that magic "
                     "only hides what the instruction does. COPY is explicit.",
        .remediation = "Replace ADD with COPY.",
        .references = {.cis = {"4.9"}, .nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL3020", "trivy DS005", "checkov CKV_DOCKER_4"}},
       nullptr},
      {{.id = "BW-DF-023",
        .title = "ADD extracts a local archive",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "Auto-extraction unpacks whatever the archive holds (including absolute "
                     "paths and links) without it being visible in the Dockerfile.",
        .remediation = "Review the archive's contents, or COPY it and extract it explicitly in a "
                       "RUN after verifying its checksum.",
        .references = {.cis = {"4.9"}, .nist = {"SI-7"}}},
       nullptr},
      {{.id = "BW-DF-024",
        .title = "Secret file copied into the image",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "Every layer of an image can be extracted by anyone who can pull it; keys "
                     "and credential files copied in stay in their layer even if deleted later.",
        .remediation = "Keep secrets out of the build context (.dockerignore) and use "
                       "`RUN --mount=type=secret` at build time or runtime secrets instead.",
        .references = {.cis = {"4.10"},
                       .attack = {"T1552.001"},
                       .nist = {"IA-5(7)", "SC-28"},
                       .cwe = {"CWE-538", "CWE-312"}},
        .peers = {"trivy DS031"}},
       &CheckSecretFiles},
      {{.id = "BW-DF-025",
        .title = "Whole build context copied without a .dockerignore",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "`COPY . .` without a .dockerignore copies .git history, .env files, keys "
                     "and local caches into the image.",
        .remediation = "Add a .dockerignore (at least .git, .env*, *.pem, *.key, node_modules) or "
                       "copy only the paths the image needs.",
        .references = {.cis = {"4.10"},
                       .attack = {"T1552.001"},
                       .nist = {"CM-7", "SC-28"},
                       .cwe = {"CWE-538"}},
        .fixable = true},
       &CheckWholeContext},
      {{.id = "BW-DF-026",
        .title = "COPY of several sources to a non-directory",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "With more than one source the destination must be a directory ending in "
                     "'/'; otherwise the build fails.",
        .remediation = "End the destination with '/'.",
        .references = {.cwe = {"CWE-710"}},
        .fixable = true,
        .peers = {"hadolint DL3021", "trivy DS011"}},
       &CheckCopyDestination},
  };
}

}  // namespace bulwark::audit::dockerfile
