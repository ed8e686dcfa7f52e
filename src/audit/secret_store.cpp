#include "audit/secret_store.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/suppression.hpp"

namespace bulwark::audit {

namespace {

bool IsDotenvName(const std::string& name) {
  return name == ".env" || (name.size() > 4 && name.compare(name.size() - 4, 4, ".env") == 0);
}

// True when a line of the ignore file matches the name (simple gitignore
// forms: "name", "/name", "*.env"; negations and comments are not matches).
bool IgnoreFileLists(const std::filesystem::path& ignore_file, const std::string& name) {
  std::ifstream in(ignore_file);
  if (!in) return false;
  bool listed = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    bool negated = line[0] == '!';
    std::string pattern = negated ? line.substr(1) : line;
    if (!pattern.empty() && pattern[0] == '/') pattern.erase(0, 1);
    if (core::GlobMatch(pattern, name)) listed = !negated;  // the last matching line decides
  }
  return listed;
}

}  // namespace

bool IsProtectedSecretStore(const core::SourceFile& file) {
  if (file.absolute_path.empty()) return false;
  std::string name = file.absolute_path.filename().string();
  if (!IsDotenvName(name)) return false;
  struct stat info {};
  if (::lstat(file.absolute_path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  if ((info.st_mode & 077) != 0) return false;
  std::filesystem::path dir = file.absolute_path.parent_path();
  return IgnoreFileLists(dir / ".gitignore", name) && IgnoreFileLists(dir / ".dockerignore", name);
}

}  // namespace bulwark::audit
