#include "audit/secret_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.hpp"

namespace bulwark::audit {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::WriteFile;

class SecretStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("bulwark-store");
    WriteFile(dir_ / ".env", "DB_PASSWORD=password\n");
    ::chmod((dir_ / ".env").c_str(), 0600);
    WriteFile(dir_ / ".gitignore", "# local\nnode_modules/\n.env\n");
    WriteFile(dir_ / ".dockerignore", "/.env\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  bool Protected(const std::string& name = ".env") {
    return IsProtectedSecretStore(core::SourceFile{name, dir_ / name, ""});
  }
  fs::path dir_;
};

TEST_F(SecretStore, OwnerOnlyAndIgnoredByGitAndDockerIsProtected) { EXPECT_TRUE(Protected()); }

TEST_F(SecretStore, ReadableByOthersIsNot) {
  ::chmod((dir_ / ".env").c_str(), 0640);
  EXPECT_FALSE(Protected());
}

TEST_F(SecretStore, MissingFromEitherIgnoreFileIsNot) {
  WriteFile(dir_ / ".dockerignore", "*.md\n");
  EXPECT_FALSE(Protected());
  WriteFile(dir_ / ".dockerignore", "*.env\n");
  EXPECT_TRUE(Protected());
  WriteFile(dir_ / ".gitignore", ".env\n!.env\n");
  EXPECT_FALSE(Protected()) << "a later negation re-includes the file";
}

TEST_F(SecretStore, OnlyDotenvFiles) {
  WriteFile(dir_ / "config.ini", "password=x\n");
  ::chmod((dir_ / "config.ini").c_str(), 0600);
  WriteFile(dir_ / ".gitignore", "*\n");
  WriteFile(dir_ / ".dockerignore", "*\n");
  EXPECT_FALSE(Protected("config.ini"));
  EXPECT_FALSE(IsProtectedSecretStore(core::SourceFile{".env", {}, ""})) << "in-memory input has no mode";
}

TEST_F(SecretStore, SymlinkIsNot) {
  fs::rename(dir_ / ".env", dir_ / "real");
  fs::create_symlink(dir_ / "real", dir_ / ".env");
  EXPECT_FALSE(Protected());
}

}  // namespace
}  // namespace bulwark::audit
