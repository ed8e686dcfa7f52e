#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "sbom/rpm_header.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::MemoryView;

std::string FixtureDb() {
  return testing::ReadFile(testing::SourceDir() / "tests/sbom/fixtures/rpm/rpmdb.sqlite");
}

OsRelease Rhel() {
  OsRelease os;
  os.id = "rhel";
  os.version_id = "9.2";
  return os;
}

CatalogOutput RunRpm(const image::FileView& view, OsRelease os = Rhel()) {
  CatalogContext context;
  context.os = std::move(os);
  CatalogOutput out;
  MakeRpmCataloger()->Catalog(view, context, out);
  return out;
}

TEST(RpmCataloger, RealSqliteDatabase) {
  CatalogOutput out = RunRpm(MemoryView({{"var/lib/rpm/rpmdb.sqlite", FixtureDb()}}));
  EXPECT_TRUE(out.notes.empty()) << out.notes.front();
  ASSERT_EQ(out.packages.size(), 2u);  // gpg-pubkey is skipped
  const Package& hello = out.packages[0];
  EXPECT_EQ(hello.name, "hello-bulwark");
  EXPECT_EQ(hello.version, "1:2.10-3.fc39");
  EXPECT_EQ(hello.type, PackageType::kRpm);
  EXPECT_EQ(hello.arch, "x86_64");
  EXPECT_EQ(hello.licenses, std::vector<std::string>{"GPL-3.0-or-later"});
  EXPECT_EQ(hello.source_name, "hello-bulwark");
  EXPECT_EQ(hello.source_version, "");
  EXPECT_EQ(hello.metadata.at("rpm.vendor"), "Bulwark Test");
  EXPECT_EQ(hello.locations, std::vector<std::string>{"/var/lib/rpm/rpmdb.sqlite"});
  EXPECT_EQ(hello.cataloger, "rpm-db");
  // As Trivy prints it for the same database (fixtures/rpm/README.md).
  EXPECT_EQ(hello.purl,
            "pkg:rpm/redhat/hello-bulwark@2.10-3.fc39?arch=x86_64&epoch=1&distro=redhat-9.2");

  const Package& lib = out.packages[1];
  EXPECT_EQ(lib.name, "python3-tinylib");
  EXPECT_EQ(lib.version, "0.4.1-1.el9");
  EXPECT_EQ(lib.licenses, std::vector<std::string>{"MIT AND BSD-3-Clause"});
  EXPECT_EQ(lib.purl, "pkg:rpm/redhat/python3-tinylib@0.4.1-1.el9?arch=noarch&distro=redhat-9.2");
}

TEST(RpmCataloger, FileListsBecomeOwnedFiles) {
  CatalogOutput out = RunRpm(MemoryView({{"usr/lib/sysimage/rpm/rpmdb.sqlite", FixtureDb()}}));
  EXPECT_EQ(out.owned_files.at("usr/bin/hello-bulwark"), "rpm:hello-bulwark");
  EXPECT_EQ(out.owned_files.at("usr/share/doc/hello-bulwark/README"), "rpm:hello-bulwark");
  EXPECT_EQ(out.owned_files.at("usr/lib/python3.9/site-packages/tinylib-0.4.1.dist-info/METADATA"),
            "rpm:python3-tinylib");
  ASSERT_EQ(out.packages.size(), 2u);
  EXPECT_EQ(out.packages[0].locations,
            std::vector<std::string>{"/usr/lib/sysimage/rpm/rpmdb.sqlite"});
}

TEST(RpmCataloger, BerkeleyAndNdbDatabasesGetANote) {
  CatalogOutput out = RunRpm(MemoryView({{"var/lib/rpm/Packages", std::string(4096, '\0')},
                                         {"usr/lib/sysimage/rpm/Packages.db", "x"}}));
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(
      out.notes[0],
      "var/lib/rpm/Packages: rpm BDB database not supported yet; its packages are not listed");
  EXPECT_EQ(out.notes[1],
            "usr/lib/sysimage/rpm/Packages.db: rpm NDB database not supported yet; its packages "
            "are not listed");
}

TEST(RpmCataloger, GarbageAndTruncatedDatabasesGetANote) {
  std::string db = FixtureDb();
  for (std::string bytes :
       {std::string("not sqlite at all"), db.substr(0, 4096), db.substr(0, db.size() / 2)}) {
    CatalogOutput out = RunRpm(MemoryView({{"var/lib/rpm/rpmdb.sqlite", bytes}}));
    EXPECT_FALSE(out.notes.empty());
    if (!out.notes.empty()) {
      EXPECT_EQ(out.notes[0].rfind("var/lib/rpm/rpmdb.sqlite: ", 0), 0u) << out.notes[0];
    }
  }
}

// Builds an SQLite database file with the given SQL and returns its bytes.
std::string MakeDb(const std::string& sql) {
  auto dir = testing::MakeTempDir("bulwark-rpm");
  std::string path = (dir / "db.sqlite").string();
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  std::string bytes = testing::ReadFile(path);
  std::filesystem::remove_all(dir);
  return bytes;
}

TEST(RpmCataloger, PackagesMustBeATable) {
  // A view could run any query, including one that never ends.
  std::string bytes = MakeDb(
      "CREATE VIEW Packages AS WITH RECURSIVE n(hnum, blob) AS (SELECT 1, x'00' UNION ALL "
      "SELECT hnum + 1, blob FROM n) SELECT hnum, blob FROM n;");
  CatalogOutput out = RunRpm(MemoryView({{"var/lib/rpm/rpmdb.sqlite", bytes}}));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0], "var/lib/rpm/rpmdb.sqlite: Packages is not a table");
}

TEST(RpmCataloger, BadHeaderBlobsAreNotedPerPackage) {
  std::string bytes = MakeDb(
      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB);"
      "INSERT INTO Packages VALUES (7, x'0000000100000010');"
      "INSERT INTO Packages VALUES (8, NULL);");
  CatalogOutput out = RunRpm(MemoryView({{"var/lib/rpm/rpmdb.sqlite", bytes}}));
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.notes.size(), 2u);
  EXPECT_EQ(out.notes[0],
            "var/lib/rpm/rpmdb.sqlite: package hnum 7: rpm header truncated: 8 bytes, needs 40");
  EXPECT_EQ(out.notes[1],
            "var/lib/rpm/rpmdb.sqlite: package hnum 8: rpm header shorter than 8 bytes");
}

TEST(RpmCataloger, Wants) {
  auto cataloger = MakeRpmCataloger();
  image::FileEntry entry;
  for (const char* path : {"var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite",
                           "usr/share/rpm/rpmdb.sqlite"}) {
    entry.path = path;
    EXPECT_TRUE(cataloger->Wants(entry)) << path;
  }
  for (const char* path :
       {"var/lib/rpm/rpmdb.sqlite-wal", "var/lib/rpm/Packages", "x/var/lib/rpm/rpmdb.sqlite"}) {
    entry.path = path;
    EXPECT_FALSE(cataloger->Wants(entry)) << path;
  }
}

// Header blobs built by hand: (tag, type, data, count) entries.
struct Tag {
  uint32_t tag;
  uint32_t type;
  std::string data;
  uint32_t count;
  int64_t offset_override = -1;
};

void PutBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

std::string Header(const std::vector<Tag>& tags) {
  std::string index;
  std::string data;
  for (const Tag& t : tags) {
    if (t.type == 4) data.resize((data.size() + 3) / 4 * 4, '\0');
    PutBe32(index, t.tag);
    PutBe32(index, t.type);
    PutBe32(index, t.offset_override >= 0 ? static_cast<uint32_t>(t.offset_override) : data.size());
    PutBe32(index, t.count);
    data += t.data;
  }
  std::string blob;
  PutBe32(blob, static_cast<uint32_t>(tags.size()));
  PutBe32(blob, static_cast<uint32_t>(data.size()));
  return blob + index + data;
}

std::string Be(uint32_t v) {
  std::string out;
  PutBe32(out, v);
  return out;
}

std::string Str(const std::string& s) { return s + std::string(1, '\0'); }

TEST(RpmHeader, ParsesTagsAndFiles) {
  auto header = ParseRpmHeader(Header({{1000, 6, Str("bash"), 1},
                                       {1001, 6, Str("5.1.8"), 1},
                                       {1002, 6, Str("6.el9"), 1},
                                       {1003, 4, Be(2), 1},
                                       {1014, 6, Str("GPLv3+"), 1},
                                       {1022, 6, Str("x86_64"), 1},
                                       {1044, 6, Str("bash-5.1.8-6.el9.src.rpm"), 1},
                                       {1116, 4, Be(0) + Be(1) + Be(1), 3},
                                       {1117, 8, Str("bash") + Str("a") + Str("b"), 3},
                                       {1118, 8, Str("/usr/bin/") + Str("/etc/x/"), 2}}));
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->name, "bash");
  EXPECT_EQ(header->version, "5.1.8");
  EXPECT_EQ(header->release, "6.el9");
  EXPECT_TRUE(header->has_epoch);
  EXPECT_EQ(header->epoch, 2u);
  EXPECT_EQ(header->source_rpm, "bash-5.1.8-6.el9.src.rpm");
  EXPECT_EQ(header->files, (std::vector<std::string>{"usr/bin/bash", "etc/x/a", "etc/x/b"}));
}

TEST(RpmHeader, RejectsOutOfBoundsData) {
  auto error = [](const std::string& blob) {
    auto header = ParseRpmHeader(blob);
    return header.ok() ? std::string("ok") : header.status().message();
  };
  EXPECT_EQ(error(""), "rpm header shorter than 8 bytes");
  EXPECT_EQ(error(Be(0) + Be(0)), "rpm header with 0 entries");
  EXPECT_EQ(error(Be(0x10000) + Be(0)), "rpm header with 65536 entries");
  EXPECT_EQ(error(Be(1) + Be(0x20000000)), "rpm header data too large");
  EXPECT_EQ(error(Header({{1000, 6, "bash", 1}})), "rpm header tag 1000: unterminated string");
  EXPECT_EQ(error(Header({{1000, 6, Str("bash"), 1, 99}})),
            "rpm header tag 1000: string data outside the header");
  EXPECT_EQ(error(Header({{1000, 6, Str("a"), 1}, {1117, 8, Str("a") + Str("b"), 1000}})),
            "rpm header tag 1117: string data outside the header");
  EXPECT_EQ(error(Header({{1003, 4, Be(1), 2}})),
            "rpm header tag 1003: INT32 data outside the header");
  EXPECT_EQ(error(Header({{1003, 4, Be(1), 0xffffffff}})),
            "rpm header tag 1003: INT32 data outside the header");
  EXPECT_EQ(error(Header({{1003, 6, Str("x"), 1}})), "rpm header tag 1003: not an INT32");
  EXPECT_EQ(error(Header({{1116, 4, Be(5), 1}, {1117, 8, Str("a"), 1}, {1118, 8, Str("/"), 1}})),
            "rpm header tag 1116: index past DIRNAMES");
  EXPECT_EQ(error(Header(
                {{1116, 4, Be(0), 1}, {1117, 8, Str("a") + Str("b"), 2}, {1118, 8, Str("/"), 1}})),
            "rpm header tag 1116: count differs from BASENAMES");
  // Old headers list whole paths; the .rpm lead magic is skipped.
  auto old = ParseRpmHeader(
      std::string("\x8e\xad\xe8\x01\0\0\0\0", 8) +
      Header({{1000, 6, Str("x"), 1}, {1027, 8, Str("/bin/x") + Str("/etc/../etc/y"), 2}}));
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ(old->files, (std::vector<std::string>{"bin/x", "etc/y"}));
  EXPECT_FALSE(old->has_epoch);
}

}  // namespace
}  // namespace bulwark::sbom
