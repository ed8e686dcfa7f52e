// Bad input never crashes bulwark and never stops the rest of the audit:
// malformed YAML / JSON / Dockerfile, binary and huge files, symlink loops
// and escapes, unreadable files and invalid UTF-8 each give a diagnostic
// with path (and line where there is one) while good files are still checked.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

nlohmann::json Audit(const fs::path& dir, std::vector<std::string> prefix = {}) {
  std::vector<std::string> argv = prefix;
  for (const char* a : {"audit", "--format", "json"}) {
    if (std::string(a) == "audit") argv.push_back(BulwarkBinary().string());
    argv.push_back(a);
  }
  argv.push_back(dir.string());
  auto r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

bool HasDiagnostic(const nlohmann::json& doc, const std::string& path, int line = -1) {
  for (const auto& d : doc["diagnostics"]) {
    if (d["path"] == path && (line < 0 || d["line"] == line)) return true;
  }
  return false;
}

bool HasFindingIn(const nlohmann::json& doc, const std::string& path) {
  for (const auto& f : doc["findings"]) {
    if (f["location"]["path"] == path) return true;
  }
  return false;
}

}  // namespace

TEST(BadInput, MalformedFilesBecomeDiagnosticsAndTheRestIsAudited) {
  auto dir = MakeTempDir("bulwark-bad");
  WriteFile(dir / "good/Dockerfile", "FROM debian:latest\nRUN apt-get update\n");
  WriteFile(dir / "compose.yaml", "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"\n");
  WriteFile(dir / "daemon.json", "{\n  \"icc\": true,\n  \"live-restore\": \n}\n");
  WriteFile(dir / "k8s/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: [\n");
  WriteFile(dir / "Dockerfile.bad", "FROM debian:12\nRUN <<EOF\necho never closed\n");
  WriteFile(dir / "bin.py", std::string("\x7f" "ELF\x00\x00\x01\x02", 8) + std::string(1000, '\0'));
  WriteFile(dir / "utf8.py", "x = '\xff\xfe'\nimport os\nos.system('ls ' + x)\n");
  WriteFile(dir / "huge.txt", std::string(9u << 20, 'a'));
  fs::create_directories(dir / "loop");
  fs::create_directory_symlink(dir, dir / "loop/back");
  fs::create_symlink("/etc/shadow", dir / "escape.txt");
  auto doc = Audit(dir);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_TRUE(HasFindingIn(doc, "good/Dockerfile"));
  EXPECT_TRUE(HasDiagnostic(doc, "compose.yaml")) << doc["diagnostics"].dump(1);
  EXPECT_TRUE(HasDiagnostic(doc, "daemon.json")) << doc["diagnostics"].dump(1);
  EXPECT_TRUE(HasDiagnostic(doc, "k8s/pod.yaml")) << doc["diagnostics"].dump(1);
  EXPECT_TRUE(HasDiagnostic(doc, "Dockerfile.bad")) << doc["diagnostics"].dump(1);
  EXPECT_TRUE(HasDiagnostic(doc, "huge.txt"));
  EXPECT_TRUE(HasDiagnostic(doc, "escape.txt"));
  EXPECT_TRUE(HasFindingIn(doc, "utf8.py"));  // invalid UTF-8 does not stop the code checks
  for (const auto& d : doc["diagnostics"]) {
    if (d["path"] == "compose.yaml" || d["path"] == "daemon.json") {
      EXPECT_GT(d["line"].get<int>(), 0) << d.dump();
    }
  }
  fs::remove_all(dir);
}

TEST(BadInput, UnreadableFileIsADiagnosticForANonRootUser) {
  if (RunCommand({"setpriv", "--version"}).exit_code != 0 || geteuid() != 0) {
    GTEST_SKIP() << "SKIPPED: needs root and setpriv to run bulwark as an unprivileged user";
  }
  auto dir = MakeTempDir("bulwark-unreadable");
  WriteFile(dir / "Dockerfile", "FROM debian:latest\n");
  WriteFile(dir / "secret.env", "PASSWORD=x\n");
  chmod((dir / "secret.env").c_str(), 0);
  chmod(dir.c_str(), 0755);
  chmod(dir.parent_path().c_str(), 01777);  // the temp dir itself
  fs::permissions(BulwarkBinary().parent_path(), fs::perms::others_exec, fs::perm_options::add);
  auto doc = Audit(dir, {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_TRUE(HasDiagnostic(doc, "secret.env")) << doc.dump(1);
  EXPECT_TRUE(HasFindingIn(doc, "Dockerfile"));
  fs::remove_all(dir);
}

}  // namespace bulwark::testing
