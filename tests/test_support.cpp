#include "test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace bulwark::testing {

std::filesystem::path SourceDir() { return BULWARK_SOURCE_DIR; }

std::optional<std::filesystem::path> SharedData() {
  if (const char* env = std::getenv("BULWARK_SHARED_DATA"); env != nullptr && *env != '\0') {
    if (std::filesystem::is_directory(env)) return std::filesystem::path(env);
  }
  auto candidate = SourceDir().parent_path() / "shared" / "data";
  if (std::filesystem::is_directory(candidate)) return candidate;
  return std::nullopt;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + "-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

}  // namespace bulwark::testing
