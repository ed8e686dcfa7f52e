// Quarantine inside a container's root and the names contain derives from
// untrusted input: "..", absolute symlinks, symlinked directories and FIFOs
// never reach or hang on the host's files; file-name and image-name
// sanitising; secret-looking variable names.
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "respond/contain.hpp"
#include "respond/contain_quarantine.hpp"
#include "respond/contain_remediation.hpp"
#include "respond/hashes.hpp"
#include "test_support.hpp"

namespace bulwark::respond {
namespace {

namespace fs = std::filesystem;

class Quarantine : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = testing::MakeTempDir("contain_quarantine");
    root_ = work_ / "root";
    testing::WriteFile(root_ / "etc/passwd", "container-passwd\n");
    testing::WriteFile(root_ / "tmp/.evil", "evil\n");
    fs::create_symlink("/etc/shadow", root_ / "tmp/shadow");        // final symlink
    fs::create_directory_symlink("/etc", root_ / "tmp/etcdir");     // absolute, in a directory
    fs::create_directory_symlink("../../../../../..", root_ / "tmp/up");  // climbs past the root
    auto dir = EvidenceDir::Create((work_ / "evidence").string());
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    evidence_.emplace(std::move(dir).value());
    ASSERT_TRUE(evidence_->MakeDir("quarantine").ok());
  }
  void TearDown() override { fs::remove_all(work_); }

  core::Result<QuarantineResult> Take(const std::string& path) {
    return QuarantineFile(root_.string(), path, *evidence_);
  }
  std::string Stored(const QuarantineResult& result) const {
    fs::path path = work_ / "evidence" / result.file.path;
    fs::permissions(path, fs::perms::owner_read);
    return testing::ReadFile(path);
  }

  fs::path work_, root_;
  std::optional<EvidenceDir> evidence_;
};

TEST(CheckContainerPath, RefusesRelativeDotAndEmptyComponents) {
  EXPECT_TRUE(CheckContainerPath("/tmp/.evil").ok());
  EXPECT_TRUE(CheckContainerPath("/tmp/...").ok());
  for (const char* bad : {"../../etc/passwd", "tmp/x", "/tmp/../../etc/passwd", "/tmp/./x", "//etc/passwd",
                          "/tmp/", "", "/"}) {
    EXPECT_EQ(CheckContainerPath(bad).code(), core::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(CheckContainerPath(std::string("/tmp/a\0b", 8)).ok());
}

TEST_F(Quarantine, MovesTheFileWithItsHashAndModeZero) {
  auto result = Take("/tmp/.evil");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->removed);
  std::string sha = HashBytes({reinterpret_cast<const uint8_t*>("evil\n"), 5}).sha256;
  EXPECT_EQ(result->file.path, "quarantine/" + sha);
  EXPECT_EQ(result->file.bytes, 5u);
  struct stat st {};
  ASSERT_EQ(stat((work_ / "evidence" / result->file.path).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0u);
  EXPECT_FALSE(fs::exists(root_ / "tmp/.evil"));
  EXPECT_EQ(result->sidecar.path, "quarantine/" + sha + ".json");
  EXPECT_EQ(Stored(*result), "evil\n");
}

TEST_F(Quarantine, DotDotNeverReachesTheHost) {
  std::string host_passwd = testing::ReadFile("/etc/passwd");
  auto result = Take("../../etc/passwd");
  EXPECT_EQ(result.status().code(), core::ErrorCode::kInvalidArgument);
  result = Take("/tmp/../../../etc/passwd");
  EXPECT_EQ(result.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(testing::ReadFile("/etc/passwd"), host_passwd);
  EXPECT_TRUE(fs::is_empty(work_ / "evidence/quarantine"));
}

TEST_F(Quarantine, FinalSymlinkToTheHostsShadowIsRefusedUnread) {
  auto result = Take("/tmp/shadow");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("is a symlink"), std::string::npos) << result.status().message();
  EXPECT_TRUE(fs::is_symlink(root_ / "tmp/shadow"));
  EXPECT_TRUE(fs::is_empty(work_ / "evidence/quarantine"));
}

TEST_F(Quarantine, SymlinkedDirectoriesResolveInsideTheContainer) {
  auto result = Take("/tmp/etcdir/passwd");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(Stored(*result), "container-passwd\n");  // never the host's /etc/passwd
  EXPECT_FALSE(fs::exists(root_ / "etc/passwd"));
  testing::WriteFile(root_ / "etc/passwd", "again\n");
  result = Take("/tmp/up/etc/passwd");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(Stored(*result), "again\n");
}

TEST_F(Quarantine, FifoAndDirectoryAreRefusedWithoutBlocking) {
  ASSERT_EQ(mkfifo((root_ / "tmp/pipe").c_str(), 0600), 0);
  auto result = Take("/tmp/pipe");
  EXPECT_NE(result.status().message().find("not a regular file"), std::string::npos);
  EXPECT_EQ(Take("/tmp").status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Take("/tmp/missing").status().code(), core::ErrorCode::kNotFound);
  EXPECT_TRUE(fs::exists(root_ / "tmp/pipe"));
}

TEST_F(Quarantine, ProbeReadsOnly) {
  auto size = ProbeContainerFile(root_.string(), "/tmp/.evil");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 5u);
  EXPECT_TRUE(fs::exists(root_ / "tmp/.evil"));
  EXPECT_FALSE(ProbeContainerFile(root_.string(), "/tmp/shadow").ok());
}

TEST(EvidenceDir, RefusesAnExistingPathAndSymlinks) {
  fs::path work = testing::MakeTempDir("contain_evidence");
  fs::create_directory_symlink("/tmp", work / "link");
  EXPECT_EQ(EvidenceDir::Create((work / "link").string()).status().code(), core::ErrorCode::kInvalidArgument);
  auto dir = EvidenceDir::Create((work / "a/b/new").string());
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(fs::status(work / "a/b/new").permissions(), fs::perms::owner_all);
  EXPECT_FALSE(EvidenceDir::Create((work / "a/b/new").string()).ok());
  // Files are created fresh: an existing name is never overwritten.
  ASSERT_TRUE(dir->WriteFile("x", "1").ok());
  EXPECT_FALSE(dir->WriteFile("x", "2").ok());
  EXPECT_EQ(testing::ReadFile(work / "a/b/new/x"), "1");
  fs::remove_all(work);
}

TEST(ContainNames, SanitisedForFilesAndImages) {
  EXPECT_EQ(SanitizeFileName("web-1"), "web-1");
  EXPECT_EQ(SanitizeFileName("../etc"), "_._etc");
  EXPECT_EQ(SanitizeFileName(".."), "_.");
  EXPECT_EQ(SanitizeFileName(""), "container");
  EXPECT_EQ(SanitizeFileName("a/b\nc\x1b"), "a_b_c_");
  EXPECT_EQ(SanitizeFileName(std::string(200, 'x')).size(), 64u);
  EXPECT_EQ(EvidenceImageRepository("Lab_Web.1"), "bulwark-evidence/lab-web-1");
  EXPECT_EQ(EvidenceImageRepository("--"), "bulwark-evidence/container");
  EXPECT_EQ(EvidenceImageRepository("/../x"), "bulwark-evidence/x");
}

TEST(ContainNames, SecretLookingVariables) {
  for (const char* name : {"PASSWORD", "DB_PASSWORD", "POSTGRES_PASSWORD", "API_KEY", "AWS_SECRET_ACCESS_KEY",
                           "GITHUB_TOKEN", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "db_pass"}) {
    EXPECT_TRUE(LooksLikeSecretName(name)) << name;
  }
  for (const char* name : {"PATH", "HOME", "LANG", "PWD", "KEYBOARD", "PYTHON_VERSION", "URL", "HOSTNAME"}) {
    EXPECT_FALSE(LooksLikeSecretName(name)) << name;
  }
}

TEST(HardenedCandidates, NamesTheLabsCounterpart) {
  auto candidates = HardenedCandidates("bulwark-lab/vulnerable-app:1.0");
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates.front(), "bulwark-lab/hardened-app:1.0");
  EXPECT_EQ(HardenedCandidates("sha256:abc").size(), 0u);
  EXPECT_EQ(HardenedCandidates("nginx").front(), "nginx-hardened:latest");
}

}  // namespace
}  // namespace bulwark::respond
