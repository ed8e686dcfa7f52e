// The SQLite store: round trip of every field, ReplaceSource semantics,
// read-only opening, and the refusals for files that are not a bulwark DB.
#include "vuln/vuln_db.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.hpp"
#include "vuln/vuln_db_codec.hpp"
#include "vulndb_test_util.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;
using ::bulwark::testing::ReadFile;
using ::bulwark::testing::WriteFile;
using testing::NewDb;

Advisory FullAdvisory() {
  Advisory a;
  a.id = "GHSA-xxxx-yyyy-zzzz";
  a.aliases = {"CVE-2099-0100", "PYSEC-2099-100"};
  a.summary = "Summary with \"quotes\" and ünïcode";
  a.details = "not stored";
  a.severity = "high";
  a.cvss_score = 7.5;
  a.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
  a.published = "2099-01-01T00:00:00Z";
  a.modified = "2099-01-02T00:00:00Z";
  a.urls = {"https://example.invalid/1", "https://example.invalid/2"};
  a.cwes = {"CWE-79"};
  a.source = "osv";
  AffectedPackage p;
  p.ecosystem = "PyPI";
  p.name = "pkg-one";
  p.ranges.push_back({"ECOSYSTEM",
                      {{RangeEvent::Kind::kIntroduced, "0"},
                       {RangeEvent::Kind::kFixed, "1.0"},
                       {RangeEvent::Kind::kIntroduced, "2.0"},
                       {RangeEvent::Kind::kLastAffected, "2.5"}}});
  p.ranges.push_back({"SEMVER", {{RangeEvent::Kind::kIntroduced, "3.0.0"}, {RangeEvent::Kind::kLimit, "4.0.0"}}});
  p.versions = {"0.9", "2.1"};
  p.severity = "critical";
  a.affected.push_back(p);
  AffectedPackage q;
  q.ecosystem = "Debian:12";
  q.name = "pkg-two";
  q.not_affected = true;
  a.affected.push_back(q);
  return a;
}

SourceStatus Source(const std::string& name) { return {name, "/tmp/origin", 0, ""}; }

TEST(VulnDb, RoundTripsEveryField) {
  auto db = NewDb("vulndb-roundtrip");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {FullAdvisory()}).ok());
  auto found = db->Query("PyPI", "pkg-one");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  const Candidate& c = found->front();
  Advisory want = FullAdvisory();
  EXPECT_EQ(c.advisory.id, want.id);
  EXPECT_EQ(c.advisory.aliases, want.aliases);
  EXPECT_EQ(c.advisory.summary, want.summary);
  EXPECT_EQ(c.advisory.severity, "high");
  EXPECT_DOUBLE_EQ(c.advisory.cvss_score, 7.5);
  EXPECT_EQ(c.advisory.cvss_vector, want.cvss_vector);
  EXPECT_EQ(c.advisory.published, want.published);
  EXPECT_EQ(c.advisory.modified, want.modified);
  EXPECT_EQ(c.advisory.urls, want.urls);
  EXPECT_EQ(c.advisory.cwes, want.cwes);
  EXPECT_EQ(c.advisory.source, "osv");
  EXPECT_TRUE(c.advisory.affected.empty());  // only the entry for this package, in `affected`
  EXPECT_EQ(c.affected.ecosystem, "PyPI");
  EXPECT_EQ(c.affected.name, "pkg-one");
  ASSERT_EQ(c.affected.ranges.size(), 2u);
  EXPECT_EQ(c.affected.ranges[0].type, "ECOSYSTEM");
  ASSERT_EQ(c.affected.ranges[0].events.size(), 4u);
  EXPECT_EQ(c.affected.ranges[0].events[3].kind, RangeEvent::Kind::kLastAffected);
  EXPECT_EQ(c.affected.ranges[0].events[3].version, "2.5");
  EXPECT_EQ(c.affected.ranges[1].type, "SEMVER");
  EXPECT_EQ(c.affected.ranges[1].events[1].kind, RangeEvent::Kind::kLimit);
  EXPECT_EQ(c.affected.versions, (std::vector<std::string>{"0.9", "2.1"}));
  EXPECT_EQ(c.affected.severity, "critical");
  EXPECT_FALSE(c.affected.not_affected);

  auto two = db->Query("Debian:12", "pkg-two");
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 1u);
  EXPECT_TRUE(two->front().affected.not_affected);
  EXPECT_TRUE(two->front().affected.ranges.empty());
  auto none = db->Query("PyPI", "pkg-two");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(VulnDb, ReplaceSourceDropsOnlyThatSourcesEarlierRows) {
  auto db = NewDb("vulndb-replace");
  ASSERT_TRUE(db);
  Advisory a = FullAdvisory();
  Advisory b = FullAdvisory();
  b.id = "GHSA-other";
  ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {a, b}).ok());
  Advisory c = FullAdvisory();
  c.id = "CVE-2099-0200";
  c.source = "debian-tracker";
  ASSERT_TRUE(db->ReplaceSource(Source("debian-tracker"), {c}).ok());
  EXPECT_EQ(db->Query("PyPI", "pkg-one")->size(), 3u);

  Advisory d = FullAdvisory();
  d.id = "GHSA-new";
  ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {d}).ok());
  auto found = db->Query("PyPI", "pkg-one");
  ASSERT_TRUE(found.ok());
  std::vector<std::string> ids;
  for (const Candidate& x : *found) ids.push_back(x.advisory.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2099-0200", "GHSA-new"}));

  auto status = db->Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->schema_version, 1);
  EXPECT_EQ(status->advisories, 2);
  EXPECT_EQ(status->affected_rows, 4);
  ASSERT_EQ(status->sources.size(), 2u);
  EXPECT_EQ(status->sources[0].source, "debian-tracker");
  EXPECT_EQ(status->sources[1].source, "osv:PyPI");
  EXPECT_EQ(status->sources[1].advisories, 1);
  EXPECT_EQ(status->sources[1].origin, "/tmp/origin");
  EXPECT_FALSE(status->built_at.empty());
  EXPECT_FALSE(status->updated_at.empty());
  EXPECT_LT(status->age_hours, 0.1);
}

TEST(VulnDb, AdvisoriesWithoutAffectedPackagesAreNotStored) {
  auto db = NewDb("vulndb-empty-affected");
  ASSERT_TRUE(db);
  Advisory a;
  a.id = "GHSA-nothing";
  ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {a}).ok());
  EXPECT_EQ(db->Status()->advisories, 0);
  EXPECT_EQ(db->Status()->sources.at(0).advisories, 0);
}

TEST(VulnDb, ReadOnlyOpenQueriesButRefusesWrites) {
  fs::path path;
  {
    auto db = NewDb("vulndb-readonly", &path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {FullAdvisory()}).ok());
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  auto db = VulnDb::Open(path, false);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->Query("PyPI", "pkg-one")->size(), 1u);
  core::Status write = (*db)->ReplaceSource(Source("osv:PyPI"), {});
  EXPECT_FALSE(write.ok());
  EXPECT_EQ((*db)->Query("PyPI", "pkg-one")->size(), 1u);
}

TEST(VulnDb, NoWalFilesBesideTheDb) {
  fs::path path;
  auto db = NewDb("vulndb-nowal", &path);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {FullAdvisory()}).ok());
  EXPECT_FALSE(fs::exists(path.string() + "-wal"));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "delete");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST(VulnDb, MissingFileReadOnlySaysHowToGetOne) {
  auto db = VulnDb::Open(testing::TempDir("vulndb-missing") / "absent.db", false);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), core::ErrorCode::kNotFound);
  EXPECT_NE(db.status().message().find("bulwark db update"), std::string::npos);
}

TEST(VulnDb, CreatesParentDirectoriesAndAcceptsAnEmptyFile) {
  fs::path dir = testing::TempDir("vulndb-create");
  auto nested = VulnDb::Open(dir / "a" / "b" / "vuln.db", true);
  ASSERT_TRUE(nested.ok()) << nested.status().ToString();
  WriteFile(dir / "empty.db", "");
  auto empty = VulnDb::Open(dir / "empty.db", true);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ((*empty)->Status()->schema_version, 1);
}

TEST(VulnDb, TextFileIsNotABulwarkDbAndIsLeftAlone) {
  fs::path path = testing::TempDir("vulndb-text") / "notes.txt";
  std::string text(4096, 'x');
  WriteFile(path, text);
  for (bool writable : {false, true}) {
    auto db = VulnDb::Open(path, writable);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.status().message().find("is not a bulwark vulnerability DB"), std::string::npos)
        << db.status().message();
    EXPECT_NE(db.status().message().find("run bulwark db import/update to rebuild"), std::string::npos);
  }
  EXPECT_EQ(ReadFile(path), text);
}

void RawExec(const fs::path& path, const char* sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
  sqlite3_close(raw);
}

TEST(VulnDb, SomebodyElsesSqliteDbIsRefused) {
  fs::path path = testing::TempDir("vulndb-foreign") / "other.db";
  RawExec(path, "CREATE TABLE users(name TEXT); INSERT INTO users VALUES('alice')");
  for (bool writable : {false, true}) {
    auto db = VulnDb::Open(path, writable);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.status().message().find("not a bulwark vulnerability DB"), std::string::npos);
  }
  RawExec(path, "SELECT name FROM users");  // still there
}

TEST(VulnDb, OtherSchemaVersionIsRefusedReadOnlyAndRebuiltWritable) {
  fs::path path;
  {
    auto db = NewDb("vulndb-schema", &path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {FullAdvisory()}).ok());
  }
  RawExec(path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  auto ro = VulnDb::Open(path, false);
  ASSERT_FALSE(ro.ok());
  EXPECT_NE(ro.status().message().find("schema version 99"), std::string::npos) << ro.status().message();
  EXPECT_NE(ro.status().message().find("run bulwark db import/update to rebuild"), std::string::npos);
  auto rw = VulnDb::Open(path, true);
  ASSERT_TRUE(rw.ok()) << rw.status().ToString();
  EXPECT_EQ((*rw)->Status()->advisories, 0);
  EXPECT_EQ((*rw)->Status()->schema_version, 1);
}

TEST(VulnDb, DamagedRowIsAnErrorNotACrash) {
  fs::path path;
  {
    auto db = NewDb("vulndb-damaged", &path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->ReplaceSource(Source("osv:PyPI"), {FullAdvisory()}).ok());
  }
  RawExec(path, "UPDATE affected SET data = '{\"r\":[[\"E\",[\"zz\"]]]'");
  auto db = VulnDb::Open(path, false);
  ASSERT_TRUE(db.ok());
  auto found = (*db)->Query("PyPI", "pkg-one");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("rebuild"), std::string::npos);
}

TEST(VulnDb, FormatDbStatusNamesSourcesAndAge) {
  auto db = NewDb("vulndb-format");
  ASSERT_TRUE(db);
  EXPECT_NE(FormatDbStatus(*db->Status()).find("Empty"), std::string::npos);
  ASSERT_TRUE(db->ReplaceSource(Source("alpine-secdb:v3.11/main\x1b[31m"), {FullAdvisory()}).ok());
  std::string text = FormatDbStatus(*db->Status());
  EXPECT_NE(text.find("Advisories: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("alpine-secdb:v3.11/main"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // escaped for the terminal
  EXPECT_NE(text.find("minutes ago"), std::string::npos);
  EXPECT_EQ(FormatAge(0.5), "30 minutes");
  EXPECT_EQ(FormatAge(1), "1 hour");
  EXPECT_EQ(FormatAge(30), "30 hours");
  EXPECT_EQ(FormatAge(24 * 9), "9 days");
}

TEST(VulnDbCodec, RoundTripsHostileText) {
  Advisory a = FullAdvisory();
  a.summary = std::string("quote \" backslash \\ tab \t nl \n ctl \x01 emoji \xF0\x9F\x98\x80 bad \xFF");
  a.aliases = {"", "x"};
  Advisory back;
  ASSERT_TRUE(DecodeAdvisoryData(EncodeAdvisoryData(a), back));
  // Invalid UTF-8 is replaced on the way in; everything else survives.
  EXPECT_EQ(back.summary.substr(0, back.summary.size() - 3), a.summary.substr(0, a.summary.size() - 1));
  EXPECT_EQ(back.aliases, a.aliases);
  EXPECT_EQ(back.urls, a.urls);
  AffectedPackage p = a.affected[0];
  p.versions.push_back(std::string("1.0\0\"", 5));
  AffectedPackage q;
  ASSERT_TRUE(DecodeAffectedData(EncodeAffectedData(p), q));
  EXPECT_EQ(q.versions, p.versions);
  EXPECT_EQ(q.ranges.size(), p.ranges.size());
  EXPECT_EQ(q.severity, p.severity);
}

TEST(VulnDbCodec, MalformedStoredRecordsAreRejected) {
  const char* kBad[] = {"", "[]", "{", "{\"a\":[1]}", "{\"a\":[\"x\"]", "{\"s\":\"\\u12\"}",
                        "{\"s\":\"\\ud800\"}", "{\"s\":\"a\"} trailing", "{\"a\":[\"x\",]}", "{,}",
                        "{\"s\":\"raw\nnewline\"}"};
  for (const char* text : kBad) {
    Advisory a;
    EXPECT_FALSE(DecodeAdvisoryData(text, a)) << text;
  }
  const char* kBadAffected[] = {"{\"r\":[[\"E\",[\"z\",\"1\"]]]}", "{\"r\":[[\"E\",[\"i\"]]]}",
                                "{\"r\":[[\"E\",[\"i\",\"1\",\"2\"]]]}", "{\"r\":[[]]}", "{\"n\":x}"};
  for (const char* text : kBadAffected) {
    AffectedPackage p;
    EXPECT_FALSE(DecodeAffectedData(text, p)) << text;
  }
  // Unknown keys of any shape are skipped; nesting is bounded.
  AffectedPackage p;
  EXPECT_TRUE(DecodeAffectedData(R"({"future":{"x":[1,-2.5e3,true,null,"s"]},"v":["1"]})", p));
  EXPECT_EQ(p.versions, (std::vector<std::string>{"1"}));
  std::string deep = "{\"x\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_FALSE(DecodeAffectedData(deep, p));
}

}  // namespace
}  // namespace bulwark::vuln
