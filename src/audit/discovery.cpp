#include "audit/discovery.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>

#include "core/suppression.hpp"

namespace bulwark::audit {
namespace fs = std::filesystem;
namespace {

// Directories that never hold configuration worth auditing.
// .bulwark holds bulwark's own results (JSON reports), not the service's files.
constexpr std::array<std::string_view, 4> kDefaultSkipDirs = {".git", ".hg", ".svn", ".bulwark"};

// Extensions whose content is never text configuration.
constexpr std::array<std::string_view, 30> kBinaryExtensions = {
    ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".pdf", ".zip", ".gz", ".tgz",
    ".bz2", ".xz", ".zst", ".tar", ".jar", ".war", ".class", ".so", ".o", ".a",
    ".dll", ".exe", ".pyc", ".woff", ".woff2", ".ttf", ".otf", ".mp4", ".mp3", ".sqlite"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsYamlName(std::string_view lower) { return EndsWith(lower, ".yml") || EndsWith(lower, ".yaml"); }

// True when some line starts with `key:` at column 1 (a top-level YAML key).
bool HasTopLevelKey(std::string_view content, std::string_view key) {
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    if (StartsWith(line, key) && line.size() > key.size() && line[key.size()] == ':') return true;
    pos = end + 1;
  }
  return false;
}

// True when the text starts with FROM or ARG and its first instructions are
// Dockerfile instructions (for Dockerfiles without the usual name).
bool LooksLikeDockerfile(std::string_view content) {
  size_t pos = 0;
  int instructions = 0;
  bool first = true;
  while (pos < content.size() && instructions < 3) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t word_end = line.find_first_of(" \t");
    std::string word = Lower(line.substr(0, word_end));
    if (first && word != "from" && word != "arg") return false;
    first = false;
    static constexpr std::array<std::string_view, 10> kWords = {
        "from", "arg", "run", "copy", "add", "cmd", "entrypoint", "env", "workdir", "expose"};
    if (std::find(kWords.begin(), kWords.end(), word) == kWords.end()) {
      if (line.back() != '\\') return false;
    }
    ++instructions;
  }
  return instructions >= 2;
}

bool SkipByGlobs(const std::vector<std::string>& globs, std::string_view relative) {
  for (const std::string& g : globs) {
    if (core::GlobMatch(g, relative)) return true;
  }
  return false;
}

// Lexical on purpose: fs::relative would resolve symlinks and name the target.
std::string Relative(const fs::path& path, const fs::path& root) {
  fs::path rel = path.lexically_relative(root);
  if (rel.empty()) return path.filename().generic_string();
  return rel.generic_string();
}

// `bulwark fix --write` leaves FILE.bulwark.bak backups (and, if killed
// mid-write, .FILE.bulwark-XXXXXX temporaries): copies of what was fixed,
// not part of the service.
bool IsFixArtefact(const std::string& name) {
  if (EndsWith(name, ".bulwark.bak")) return true;
  size_t marker = name.rfind(".bulwark-");
  return !name.empty() && name[0] == '.' && marker != std::string::npos && name.size() - marker == 15;
}

bool InsideRoot(const fs::path& target, const fs::path& root) {
  auto t = target.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++t) {
    if (t == target.end() || *t != *r) return false;
  }
  return true;
}

}  // namespace

bool LooksBinary(std::string_view content) {
  std::string_view head = content.substr(0, 8192);
  return head.find('\0') != std::string_view::npos;
}

std::optional<FileKind> ClassifyByName(std::string_view file_name) {
  std::string lower = Lower(file_name);
  if (lower == "dockerfile" || lower == "containerfile" || EndsWith(lower, ".dockerfile") ||
      EndsWith(lower, ".containerfile") || StartsWith(lower, "dockerfile.") ||
      StartsWith(lower, "containerfile.") || StartsWith(lower, "dockerfile-")) {
    return FileKind::kDockerfile;
  }
  if (IsYamlName(lower) && (StartsWith(lower, "docker-compose") || StartsWith(lower, "compose"))) {
    return FileKind::kCompose;
  }
  if (lower == "daemon.json") return FileKind::kDaemonJson;
  if (EndsWith(lower, ".py") || EndsWith(lower, ".pyw")) return FileKind::kPython;
  return std::nullopt;
}

std::optional<FileKind> ClassifyFile(std::string_view file_name, std::string_view content) {
  if (LooksBinary(content)) return std::nullopt;
  if (auto kind = ClassifyByName(file_name)) return kind;
  std::string lower = Lower(file_name);
  if (IsYamlName(lower)) {
    if (HasTopLevelKey(content, "apiVersion") && HasTopLevelKey(content, "kind")) {
      return FileKind::kKubernetes;
    }
    if (HasTopLevelKey(content, "services")) return FileKind::kCompose;
    return FileKind::kText;
  }
  if (StartsWith(content, "#!") && content.substr(0, content.find('\n')).find("python") != std::string_view::npos) {
    return FileKind::kPython;
  }
  if (lower.find('.') == std::string::npos && LooksLikeDockerfile(content)) return FileKind::kDockerfile;
  return FileKind::kText;
}

core::Result<std::vector<DiscoveredFile>> DiscoverFiles(const fs::path& root_in,
                                                        const DiscoveryOptions& options,
                                                        std::vector<core::Diagnostic>& diagnostics) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(root_in, ec);
  if (ec || !fs::exists(root, ec)) {
    return core::Error(core::ErrorCode::kNotFound, root_in.string() + ": no such file or directory");
  }
  std::vector<DiscoveredFile> files;
  if (!fs::is_directory(root, ec)) {
    files.push_back({root, root.filename().generic_string()});
    return files;
  }
  auto note = [&](const fs::path& p, std::string msg) {
    diagnostics.push_back({core::Location{Relative(p, root)}, std::move(msg)});
  };
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return core::Error(core::ErrorCode::kIoError, root.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      note(it->path(), "cannot read directory entry: " + ec.message());
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    std::string rel = Relative(entry.path(), root);
    std::string name = entry.path().filename().string();
    if (entry.is_symlink(ec)) {
      fs::path target = fs::weakly_canonical(entry.path(), ec);
      if (ec || !InsideRoot(target, root)) {
        note(entry.path(), "skipped symlink that points outside the audited directory");
        ec.clear();
        continue;
      }
      if (!fs::is_regular_file(target, ec)) continue;  // symlinked dirs: not followed (no loops)
    } else if (entry.is_directory(ec)) {
      bool default_skip = std::find(kDefaultSkipDirs.begin(), kDefaultSkipDirs.end(), name) != kDefaultSkipDirs.end();
      if (default_skip || SkipByGlobs(options.skip_dirs, rel)) it.disable_recursion_pending();
      continue;
    } else if (!entry.is_regular_file(ec)) {
      continue;  // sockets, fifos, devices
    }
    if (SkipByGlobs(options.skip_files, rel)) continue;
    std::string lower = Lower(name);
    bool binary_ext = std::any_of(kBinaryExtensions.begin(), kBinaryExtensions.end(),
                                  [&](std::string_view ext) { return EndsWith(lower, ext); });
    if (binary_ext || IsFixArtefact(name)) continue;
    uintmax_t size = fs::file_size(entry.path(), ec);
    if (ec) {
      note(entry.path(), "cannot stat file: " + ec.message());
      ec.clear();
      continue;
    }
    if (size > options.max_file_size) {
      note(entry.path(), "skipped: " + std::to_string(size) + " bytes is larger than the " +
                             std::to_string(options.max_file_size) + "-byte limit");
      continue;
    }
    files.push_back({entry.path(), rel});
  }
  std::sort(files.begin(), files.end(),
            [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.relative_path < b.relative_path; });
  return files;
}

}  // namespace bulwark::audit
