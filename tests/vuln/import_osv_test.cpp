// OSV import: one record's fields, directories and all.zip, and the real
// PyPI advisory database (../shared/data/vulndb/pypa-advisory-database).
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "test_support.hpp"
#include "vuln/db_import.hpp"
#include "vuln/importers.hpp"
#include "vulndb_test_util.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;
using ::bulwark::testing::ReadFile;
using ::bulwark::testing::WriteFile;
using testing::Fixtures;
using testing::NewDb;

Advisory Parse(const std::string& file) {
  auto parsed = ParseOsvRecord(ReadFile(Fixtures() / "osv" / file));
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Advisory{};
}

// A zip of the given files, written with libarchive.
void WriteZip(const fs::path& zip, const std::vector<fs::path>& files) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  ASSERT_EQ(archive_write_open_filename(a, zip.c_str()), ARCHIVE_OK);
  for (const fs::path& file : files) {
    std::string data = ReadFile(file);
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, file.filename().c_str());
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

std::vector<fs::path> FixtureFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(Fixtures() / "osv")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ImportOsv, RecordFields) {
  Advisory a = Parse("PYSEC-2099-1.json");
  EXPECT_EQ(a.id, "PYSEC-2099-1");
  EXPECT_EQ(a.aliases, (std::vector<std::string>{"CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"}));
  // No summary: the first line of the details stands in.
  EXPECT_EQ(a.summary, "Example_Pkg before 1.4.2 and 2.x before 2.1.1 lets a remote attacker do something bad.");
  EXPECT_EQ(a.published, "2099-01-01T00:00:00Z");
  EXPECT_EQ(a.modified, "2099-01-02T00:00:00Z");
  EXPECT_EQ(a.source, "osv");
  EXPECT_EQ(a.severity, "");
  EXPECT_EQ(a.urls, (std::vector<std::string>{"https://example.invalid/advisory/1"}));
  ASSERT_EQ(a.affected.size(), 1u);
  const AffectedPackage& p = a.affected[0];
  EXPECT_EQ(p.ecosystem, "PyPI");
  EXPECT_EQ(p.name, "example-pkg");  // PEP 503
  ASSERT_EQ(p.ranges.size(), 1u);    // the GIT range is dropped...
  EXPECT_EQ(p.ranges[0].type, "ECOSYSTEM");
  EXPECT_EQ(p.ranges[0].events.size(), 4u);
  EXPECT_EQ(p.versions.size(), 4u);  // ...its versions list kept
  EXPECT_EQ(OsvSourceFor(a), "osv:PyPI");
}

TEST(ImportOsv, CvssV3VectorIsScored) {
  Advisory a = Parse("GHSA-aaaa-bbbb-cccc.json");
  EXPECT_DOUBLE_EQ(a.cvss_score, 9.8);
  EXPECT_EQ(a.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(a.severity, "critical");
  EXPECT_EQ(a.cwes, (std::vector<std::string>{"CWE-94"}));
  EXPECT_EQ(a.summary, "Remote code execution in example-pkg");
  EXPECT_EQ(a.urls.size(), 2u);
}

TEST(ImportOsv, GhsaSeverityWordIsTheFallback) {
  EXPECT_EQ(Parse("GHSA-last-affected.json").severity, "medium");  // MODERATE
  EXPECT_EQ(Parse("GHSA-limit.json").severity, "low");
  EXPECT_EQ(Parse("GHSA-last-affected.json").affected.at(0).name, "example-pkg");  // "example.pkg"
}

TEST(ImportOsv, CvssV4IsKeptUnscored) {
  Advisory with_word = Parse("GHSA-semver-npm.json");
  EXPECT_EQ(with_word.severity, "high");  // database_specific.severity
  EXPECT_EQ(with_word.cvss_score, 0);
  EXPECT_TRUE(with_word.cvss_vector.starts_with("CVSS:4.0/"));
  EXPECT_EQ(with_word.affected.at(0).ranges.at(0).type, "SEMVER");
  Advisory bare = Parse("GHSA-v4-only.json");
  EXPECT_EQ(bare.severity, "");
  EXPECT_EQ(bare.cvss_score, 0);
}

TEST(ImportOsv, WithdrawnIsFlagged) { EXPECT_TRUE(Parse("PYSEC-2099-3.json").withdrawn); }

TEST(ImportOsv, BadRecordsAreErrors) {
  EXPECT_EQ(ParseOsvRecord("{").status().code(), core::ErrorCode::kParseError);
  EXPECT_FALSE(ParseOsvRecord("[]").ok());
  EXPECT_FALSE(ParseOsvRecord(R"({"summary": "no id"})").ok());
  // Wrong types are ignored, not thrown.
  auto odd = ParseOsvRecord(R"({"id": "X-1", "aliases": "CVE-1", "affected": [1, {"package": []},
      {"package": {"name": 3, "ecosystem": "PyPI"}}, {"package": {"name": "a", "ecosystem": "PyPI"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 0}, "x", {"fixed": "1"}]}]}],
      "severity": {"type": "CVSS_V3"}, "references": [{"url": 5}]})");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  ASSERT_EQ(odd->affected.size(), 1u);
  EXPECT_EQ(odd->affected[0].ranges.at(0).events.size(), 1u);
}

TEST(ImportOsv, PypiNamesArePep503) {
  EXPECT_EQ(NormalizePypiName("Foo.Bar__baz-QUX"), "foo-bar-baz-qux");
  EXPECT_EQ(NormalizePypiName("jw.util"), "jw-util");
  EXPECT_EQ(NormalizePypiName("a-_.b"), "a-b");
}

TEST(ImportOsv, DirectoryImportCountsPerSource) {
  auto db = NewDb("osv-dir");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, Fixtures() / "osv");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->sources.size(), 2u);
  EXPECT_EQ(summary->sources[0].source, "osv:PyPI");
  EXPECT_EQ(summary->sources[0].advisories, 5);
  EXPECT_EQ(summary->sources[0].skipped, 1);  // withdrawn
  EXPECT_EQ(summary->sources[0].files, 6);
  EXPECT_EQ(summary->sources[0].origin, (Fixtures() / "osv").string());
  EXPECT_EQ(summary->sources[1].source, "osv:npm");
  EXPECT_EQ(summary->sources[1].advisories, 2);
  EXPECT_EQ(db->Query("PyPI", "example-pkg")->size(), 4u);
  EXPECT_EQ(db->Query("PyPI", "other-pkg")->size(), 1u);  // the withdrawn one is not stored
}

TEST(ImportOsv, AllZipImportsLikeTheDirectory) {
  fs::path zip = testing::TempDir("osv-zip") / "all.zip";
  WriteZip(zip, FixtureFiles());
  auto db = NewDb("osv-zip-db");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, zip);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->sources.size(), 2u);
  EXPECT_EQ(summary->sources[0].advisories, 5);
  EXPECT_EQ(summary->sources[0].skipped, 1);
  EXPECT_EQ(summary->sources[1].advisories, 2);
  EXPECT_EQ(db->Query("npm", "example-js")->size(), 2u);
}

TEST(ImportOsv, TruncatedZipIsAnErrorNamingTheFile) {
  fs::path dir = testing::TempDir("osv-zip-bad");
  WriteZip(dir / "all.zip", FixtureFiles());
  std::string bytes = ReadFile(dir / "all.zip");
  WriteFile(dir / "cut.zip", bytes.substr(0, bytes.size() / 2));
  auto db = NewDb("osv-zip-bad-db");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, dir / "cut.zip");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("cut.zip"), std::string::npos) << summary.status().message();
  EXPECT_EQ(db->Status()->advisories, 0);
}

TEST(ImportOsv, BadFileNamesTheFileAndWritesNothing) {
  fs::path dir = testing::TempDir("osv-bad");
  fs::copy(Fixtures() / "osv", dir / "tree");
  WriteFile(dir / "tree" / "broken.json", R"({"id": "X", "affected": [)");
  auto db = NewDb("osv-bad-db");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, dir / "tree");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("broken.json"), std::string::npos) << summary.status().message();
  EXPECT_EQ(db->Status()->advisories, 0);
  EXPECT_EQ(ImportPath(*db, dir / "absent").status().code(), core::ErrorCode::kNotFound);
}

TEST(ImportOsv, UnknownJsonInADirectoryIsIgnoredButNotAsAnArgument) {
  fs::path dir = testing::TempDir("osv-unknown");
  fs::copy(Fixtures() / "osv", dir);
  WriteFile(dir / "package.json", R"({"name": "not-an-advisory", "version": "1.0.0"})");
  auto db = NewDb("osv-unknown-db");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, dir);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->ignored_files, 1);
  auto single = ImportPath(*db, dir / "package.json");
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.status().message().find("package.json"), std::string::npos);
}

TEST(ImportOsv, SniffsEachFormat) {
  EXPECT_EQ(SniffFormat(R"({"id": "GHSA-1"})"), DataFormat::kOsv);
  EXPECT_EQ(SniffFormat(R"({"summary": "x", "affected": []})"), DataFormat::kOsv);
  EXPECT_EQ(SniffFormat(R"({"distroversion": "v3.11", "packages": []})"), DataFormat::kAlpineSecdb);
  EXPECT_EQ(SniffFormat(R"({"openssl": {"CVE-2099-1": {"releases": {}}}})"), DataFormat::kDebianTracker);
  EXPECT_EQ(SniffFormat(R"({"pkg": {}, "openssl": {"TEMP-0000000-1": {}}})"), DataFormat::kDebianTracker);
  EXPECT_EQ(SniffFormat("PK\x03\x04rest"), DataFormat::kZip);
  EXPECT_EQ(SniffFormat("[]"), DataFormat::kUnknown);
  EXPECT_EQ(SniffFormat("not json"), DataFormat::kUnknown);
}

// The real PyPI advisory database: 2,661 records, 10 withdrawn, 202 with a
// CVSS vector, 2,659 ECOSYSTEM ranges (SOURCE.md).
TEST(ImportOsv, RealPypaDatabase) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  fs::path root = data / "vulndb" / "pypa-advisory-database";
  int records = 0, withdrawn = 0, scored = 0, ecosystem_ranges = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "vulns")) {
    if (entry.path().extension() != ".json") continue;
    auto parsed = ParseOsvRecord(ReadFile(entry.path()));
    ASSERT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.status().ToString();
    ++records;
    withdrawn += parsed->withdrawn ? 1 : 0;
    scored += parsed->cvss_score > 0 ? 1 : 0;
    for (const AffectedPackage& p : parsed->affected) {
      for (const VersionRange& r : p.ranges) ecosystem_ranges += r.type == "ECOSYSTEM" ? 1 : 0;
    }
  }
  EXPECT_EQ(records, 2661);
  EXPECT_EQ(withdrawn, 10);
  EXPECT_EQ(scored, 202);
  EXPECT_EQ(ecosystem_ranges, 2659);

  auto db = NewDb("osv-pypa");
  ASSERT_TRUE(db);
  auto start = std::chrono::steady_clock::now();
  auto summary = ImportPath(*db, root);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::printf("imported %d pypa advisories in %.0f ms (this build type)\n", records, ms);
  ASSERT_EQ(summary->sources.size(), 1u);
  EXPECT_EQ(summary->sources[0].source, "osv:PyPI");
  EXPECT_EQ(summary->sources[0].files, 2661);
  EXPECT_EQ(summary->sources[0].skipped, 10);
  EXPECT_EQ(summary->sources[0].advisories, 2651);
  EXPECT_EQ(summary->ignored_files, 0);
  EXPECT_EQ(db->Status()->advisories, 2651);

  auto jinja = db->Query("PyPI", "jinja2");
  ASSERT_TRUE(jinja.ok());
  auto it = std::find_if(jinja->begin(), jinja->end(), [](const Candidate& c) { return c.advisory.id == "PYSEC-2014-8"; });
  ASSERT_NE(it, jinja->end());
  EXPECT_EQ(it->advisory.aliases, (std::vector<std::string>{"CVE-2014-1402", "GHSA-8r7q-cvjq-x353"}));
  EXPECT_EQ(it->affected.ranges.at(0).events.at(1).version, "2.7.2");
  EXPECT_EQ(it->affected.versions.size(), 19u);
  EXPECT_EQ(db->Query("PyPI", "jw-util")->size(), db->Query("PyPI", "jw.util")->size() + 1);
}

}  // namespace
}  // namespace bulwark::vuln
