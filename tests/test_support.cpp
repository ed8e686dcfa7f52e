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

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace bulwark::testing {
namespace {

std::string Slurp(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                         const std::vector<std::string>& extra_env) {
  CommandResult result;
  auto out_path = MakeTempDir("bulwark-cmd");
  std::string out_file = (out_path / "out").string();
  std::string err_file = (out_path / "err").string();
  pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) {
    int out_fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    dup2(null_fd, 0);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    for (const std::string& e : extra_env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  int fd = open(out_file.c_str(), O_RDONLY);
  result.out = Slurp(fd);
  close(fd);
  fd = open(err_file.c_str(), O_RDONLY);
  result.err = Slurp(fd);
  close(fd);
  std::filesystem::remove_all(out_path);
  return result;
}

}  // namespace bulwark::testing
