// BW-DF-025: a .dockerignore next to the Dockerfile that keeps VCS data,
// secrets and local caches out of `COPY . .`. A pattern is left out when the
// Dockerfile names a path it would exclude (COPY .env.example, a RUN that
// needs .git), so the build keeps working.
#include <fnmatch.h>

#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

// True when the .dockerignore `pattern` excludes `path` or a directory it is
// in; "**/" matches in any directory.
bool Matches(std::string_view pattern, std::string_view path) {
  while (path.substr(0, 2) == "./") path.remove_prefix(2);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::string p(path);
  bool anywhere = pattern.substr(0, 3) == "**/";
  std::string tail(anywhere ? pattern.substr(3) : pattern);
  for (size_t cut = p.find('/');; cut = p.find('/', cut + 1)) {
    std::string prefix = p.substr(0, cut);  // the path, or a directory it is in
    for (size_t start = 0;;) {
      if (fnmatch(tail.c_str(), prefix.c_str() + start, FNM_PATHNAME) == 0) return true;
      size_t slash = prefix.find('/', start);
      if (!anywhere || slash == std::string::npos) break;
      start = slash + 1;
    }
    if (cut == std::string::npos) break;
  }
  return false;
}

bool RunsProgram(const Session& s, std::initializer_list<std::string_view> programs) {
  for (const RunScript& run : s.ctx().runs()) {
    for (const parse::ShellCommand& command : run.shell.commands) {
      std::string_view program = CommandView(command).program();
      if (std::find(programs.begin(), programs.end(), program) != programs.end()) return true;
    }
  }
  return false;
}

// Local sources that COPY / ADD name explicitly (the whole context aside).
std::vector<std::string> NamedSources(const Session& s) {
  std::vector<std::string> out;
  for (const parse::Instruction* inst : s.ctx().instructions()) {
    if ((inst->keyword != "COPY" && inst->keyword != "ADD") || inst->FindFlag("from") != nullptr ||
        inst->args.size() < 2) {
      continue;
    }
    for (size_t i = 0; i + 1 < inst->args.size(); ++i) {
      const std::string& source = inst->args[i].value;
      if (source.find("://") != std::string::npos || source.substr(0, 2) == "<<") continue;
      out.push_back(source);
    }
  }
  return out;
}

}  // namespace

void FixDockerignore(Session& s) {
  if (!s.Has("BW-DF-025")) return;
  std::vector<std::string> patterns = {".git",
                                       "**/.env",
                                       "**/.env.*",
                                       "**/*.pem",
                                       "**/*.key",
                                       "**/id_rsa*",
                                       "**/id_ed25519*",
                                       "**/.ssh",
                                       "**/.aws",
                                       "**/.npmrc",
                                       "**/.pypirc",
                                       "**/__pycache__",
                                       "**/*.pyc",
                                       "docker-compose*.yml",
                                       "docker-compose*.yaml",
                                       "compose*.yml",
                                       "compose*.yaml"};
  if (RunsProgram(s, {"npm", "yarn", "pnpm"})) patterns.push_back("**/node_modules");
  std::vector<std::string> sources = NamedSources(s);
  bool needs_git = RunsProgram(s, {"git"});
  std::vector<std::string> lines = {"# Kept out of the build context (added by bulwark fix)"};
  for (const std::string& pattern : patterns) {
    if (pattern == ".git" && needs_git) continue;
    auto named = std::find_if(sources.begin(), sources.end(),
                              [&](const std::string& source) { return Matches(pattern, source); });
    if (named != sources.end()) {
      s.Note("BW-DF-025", 0,
             ".dockerignore leaves out '" + pattern + "' because the Dockerfile copies '" + *named +
                 "'");
      continue;
    }
    lines.push_back(pattern);
  }
  s.Ensure(EnsureLines{".dockerignore", std::move(lines), 0644, "BW-DF-025"});
}

}  // namespace bulwark::fix::dockerfile
