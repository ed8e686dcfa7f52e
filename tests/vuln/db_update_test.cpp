// `bulwark db update` against a local HTTPS mirror (a python3 server with a
// self-signed certificate made here by openssl): download, resume after a
// cut connection, 200 answers to a Range request, damaged files, 404s and
// an unreachable host.
#include "vuln/db_update.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "test_support.hpp"
#include "vulndb_test_util.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;
using ::bulwark::testing::ReadFile;
using ::bulwark::testing::RunCommand;
using ::bulwark::testing::WriteFile;
using testing::Fixtures;

void WriteZip(const fs::path& zip, const fs::path& dir) {
  fs::create_directories(zip.parent_path());
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_filename(a, zip.c_str());
  for (const auto& file : fs::directory_iterator(dir)) {
    std::string data = ReadFile(file.path());
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, file.path().filename().c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, entry);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// The mirror tree, the certificate and the server process.
class HttpsMirror : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("db-update");
    root_ = dir_ / "mirror";
    cert_ = dir_ / "cert.pem";
    auto made = RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                            (dir_ / "key.pem").string(), "-out", cert_.string(), "-days", "1", "-subj",
                            "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
    if (made.exit_code != 0) GTEST_SKIP() << "SKIPPED: openssl could not make a certificate: " << made.err;
    WriteZip(root_ / "osv" / "PyPI" / "all.zip", Fixtures() / "osv");
    fs::create_directories(root_ / "alpine" / "v3.11");
    fs::copy_file(Fixtures() / "alpine" / "v3.11-main.json", root_ / "alpine" / "v3.11" / "main.json");
    fs::create_directories(root_ / "debian");
    fs::copy_file(Fixtures() / "debian" / "tracker.json", root_ / "debian" / "json");
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Starts the server with extra flags; false when python3 is missing.
  bool Start(const std::vector<std::string>& flags = {}) {
    fs::path script = Fixtures() / "https_range_server.py";
    std::vector<std::string> argv = {"python3",         script.string(),         "--root", root_.string(),
                                     "--cert",          cert_.string(),          "--key",  (dir_ / "key.pem").string(),
                                     "--port-file",     (dir_ / "port").string(), "--log", (dir_ / "log").string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> args;
      for (std::string& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execvp("python3", args.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && !fs::exists(dir_ / "port"); ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!fs::exists(dir_ / "port")) return false;
    mirror_ = "https://127.0.0.1:" + ReadFile(dir_ / "port");
    return true;
  }

  UpdateOptions Options() {
    UpdateOptions options;
    options.mirror = mirror_;
    options.ecosystems = {"PyPI"};
    options.alpine_branches = {"v3.11"};
    options.alpine_repos = {"main"};
    options.debian = true;
    options.ca_file = cert_;
    return options;
  }

  std::unique_ptr<VulnDb> Db() {
    auto db = VulnDb::Open(dir_ / "db" / "vuln.db", true);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  std::string Log() { return fs::exists(dir_ / "log") ? ReadFile(dir_ / "log") : ""; }

  fs::path dir_, root_, cert_;
  std::string mirror_;
  pid_t pid_ = -1;
};

#define START_OR_SKIP(...) \
  if (!Start(__VA_ARGS__)) GTEST_SKIP() << "SKIPPED: python3 could not start the HTTPS test server"

TEST_F(HttpsMirror, DownloadsChecksImportsAndResumesACutTransfer) {
  START_OR_SKIP({"--drop-once", "/osv/PyPI/all.zip"});
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  std::vector<UpdateProgress> progress;
  options.progress = [&](const UpdateProgress& p) { progress.push_back(p); };
  auto result = UpdateDb(*db, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString() << "\n" << Log();
  EXPECT_TRUE(result->failures.empty());
  EXPECT_EQ(result->resumed, 1);
  std::map<std::string, int64_t> counts;
  for (const ImportCount& c : result->imported.sources) counts[c.source] = c.advisories;
  EXPECT_EQ(counts["osv:PyPI"], 5);
  EXPECT_EQ(counts["osv:npm"], 2);
  EXPECT_GT(counts["alpine-secdb:v3.11/main"], 5);
  EXPECT_EQ(counts["debian-tracker"], 3);

  // The first request was cut off; the second asked for the rest.
  std::string log = Log();
  EXPECT_NE(log.find("GET /osv/PyPI/all.zip - 200"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /osv/PyPI/all.zip bytes="), std::string::npos) << log;
  EXPECT_NE(log.find(" 206\n"), std::string::npos) << log;

  fs::path downloads = dir_ / "db" / "downloads";
  EXPECT_TRUE(fs::exists(downloads / "osv-PyPI-all.zip"));
  EXPECT_TRUE(fs::exists(downloads / "alpine-v3.11-main.json"));
  EXPECT_TRUE(fs::exists(downloads / "debian-tracker.json"));
  EXPECT_FALSE(fs::exists(downloads / "osv-PyPI-all.zip.part"));
  EXPECT_EQ(ReadFile(downloads / "osv-PyPI-all.zip"), ReadFile(root_ / "osv" / "PyPI" / "all.zip"));

  ASSERT_FALSE(progress.empty());
  const UpdateProgress& last_zip = *std::find_if(progress.rbegin(), progress.rend(),
                                                 [](const UpdateProgress& p) { return p.name == "osv:PyPI"; });
  EXPECT_EQ(last_zip.bytes, static_cast<int64_t>(fs::file_size(root_ / "osv" / "PyPI" / "all.zip")));
  EXPECT_EQ(last_zip.total, last_zip.bytes);

  auto status = db->Status();
  ASSERT_TRUE(status.ok());
  bool url_origin = false;
  for (const SourceStatus& s : status->sources) url_origin |= s.origin == mirror_ + "/osv/PyPI/all.zip";
  EXPECT_TRUE(url_origin);
  EXPECT_EQ(db->Query("PyPI", "example-pkg")->size(), 4u);
}

TEST_F(HttpsMirror, ServerIgnoringRangeStartsOver) {
  START_OR_SKIP({"--ignore-range", "/debian/json"});
  fs::path downloads = dir_ / "db" / "downloads";
  fs::create_directories(downloads);
  WriteFile(downloads / "debian-tracker.json.part", "garbage that is not a prefix");
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  options.ecosystems.clear();
  options.alpine_branches.clear();
  auto result = UpdateDb(*db, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->resumed, 0);
  EXPECT_EQ(ReadFile(downloads / "debian-tracker.json"), ReadFile(root_ / "debian" / "json"));
  EXPECT_NE(Log().find("GET /debian/json bytes=28- 200"), std::string::npos) << Log();
}

TEST_F(HttpsMirror, DamagedZipIsRejectedAndRemoved) {
  START_OR_SKIP();
  std::string zip = ReadFile(root_ / "osv" / "PyPI" / "all.zip");
  fs::create_directories(root_ / "osv" / "Cut");
  WriteFile(root_ / "osv" / "Cut" / "all.zip", zip.substr(0, zip.size() - 40));  // no central directory end
  std::string flipped = zip;
  for (size_t i = 200; i < 260; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);  // inside the first entry
  fs::create_directories(root_ / "osv" / "Flipped");
  WriteFile(root_ / "osv" / "Flipped" / "all.zip", flipped);
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  options.ecosystems = {"Cut", "Flipped"};
  auto result = UpdateDb(*db, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();  // the other sources arrived
  ASSERT_EQ(result->failures.size(), 2u);
  EXPECT_NE(result->failures[0].find("rejected the download of " + mirror_ + "/osv/Cut/all.zip"), std::string::npos)
      << result->failures[0];
  EXPECT_NE(result->failures[0].find("no end of central directory"), std::string::npos) << result->failures[0];
  EXPECT_NE(result->failures[1].find("/osv/Flipped/all.zip"), std::string::npos) << result->failures[1];
  for (const char* name : {"osv-Cut-all.zip", "osv-Flipped-all.zip"}) {
    EXPECT_FALSE(fs::exists(dir_ / "db" / "downloads" / (std::string(name) + ".part")));
    EXPECT_FALSE(fs::exists(dir_ / "db" / "downloads" / name));
  }
}

TEST_F(HttpsMirror, MissingFileIsAFailureOthersStillImport) {
  START_OR_SKIP();
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  options.alpine_branches = {"v3.11", "v9.99"};
  auto result = UpdateDb(*db, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->failures.size(), 1u);
  EXPECT_NE(result->failures[0].find("/alpine/v9.99/main.json: HTTP 404"), std::string::npos) << result->failures[0];
}

TEST_F(HttpsMirror, InvalidJsonIsRejected) {
  START_OR_SKIP();
  WriteFile(root_ / "debian" / "json", "{\"openssl\": {");
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  options.ecosystems.clear();
  options.alpine_branches.clear();
  auto result = UpdateDb(*db, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not well-formed JSON"), std::string::npos) << result.status().message();
}

TEST_F(HttpsMirror, UntrustedCertificateIsATlsError) {
  START_OR_SKIP();
  auto db = Db();
  ASSERT_TRUE(db);
  UpdateOptions options = Options();
  options.ca_file.clear();
  auto result = UpdateDb(*db, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("TLS with 127.0.0.1"), std::string::npos) << result.status().message();
}

TEST(DbUpdate, UnreachableHostSaysHowToImportInstead) {
  fs::path dir = testing::TempDir("db-update-offline");
  auto db = VulnDb::Open(dir / "vuln.db", true);
  ASSERT_TRUE(db.ok());
  UpdateOptions options;
  options.mirror = "https://127.0.0.1:1";  // nothing listens on port 1
  options.ecosystems = {"PyPI", "npm"};
  options.alpine_branches = {"v3.19"};
  auto result = UpdateDb(**db, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(result.status().message().find("could not reach 127.0.0.1:1"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("import files you fetched elsewhere with bulwark db import"),
            std::string::npos);
}

TEST(DbUpdate, PlainHttpIsRefused) {
  fs::path dir = testing::TempDir("db-update-http");
  auto db = VulnDb::Open(dir / "vuln.db", true);
  ASSERT_TRUE(db.ok());
  UpdateOptions options;
  options.mirror = "http://127.0.0.1:1";
  options.ecosystems = {"PyPI"};
  options.alpine_branches.clear();
  options.debian = false;
  auto result = UpdateDb(**db, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("only https://"), std::string::npos) << result.status().message();
}

}  // namespace
}  // namespace bulwark::vuln
