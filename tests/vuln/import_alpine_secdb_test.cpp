// Alpine secdb import: hand-made documents and the real v3.3-v3.11 data.
#include <gtest/gtest.h>

#include <map>

#include "test_support.hpp"
#include "vuln/db_import.hpp"
#include "vuln/importers.hpp"
#include "vulndb_test_util.hpp"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;
using ::bulwark::testing::ReadFile;
using testing::Fixtures;
using testing::NewDb;

std::map<std::string, Advisory> ById(const ParsedSource& parsed) {
  std::map<std::string, Advisory> out;
  for (const Advisory& a : parsed.advisories) out[a.id] = a;
  return out;
}

std::string FixedOf(const AffectedPackage& p) {
  if (p.ranges.size() != 1 || p.ranges[0].events.size() != 2) return "?";
  return p.ranges[0].events[1].version;
}

TEST(ImportAlpineSecdb, OneAdvisoryPerCve) {
  auto parsed = ParseAlpineSecdb(ReadFile(Fixtures() / "alpine" / "v3.11-main.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->source, "alpine-secdb:v3.11/main");
  auto by_id = ById(*parsed);
  ASSERT_TRUE(by_id.count("CVE-2020-1967"));
  const Advisory& openssl = by_id["CVE-2020-1967"];
  EXPECT_EQ(openssl.source, "alpine-secdb");
  ASSERT_EQ(openssl.affected.size(), 1u);
  EXPECT_EQ(openssl.affected[0].ecosystem, "Alpine:v3.11");
  EXPECT_EQ(openssl.affected[0].name, "openssl");
  EXPECT_EQ(openssl.affected[0].ranges[0].type, "ECOSYSTEM");
  EXPECT_EQ(openssl.affected[0].ranges[0].events[0].kind, RangeEvent::Kind::kIntroduced);
  EXPECT_EQ(openssl.affected[0].ranges[0].events[0].version, "0");
  EXPECT_EQ(FixedOf(openssl.affected[0]), "1.1.1g-r0");
}

TEST(ImportAlpineSecdb, EntriesWithExtraTextYieldTheirCves) {
  auto parsed = ParseAlpineSecdb(ReadFile(Fixtures() / "alpine" / "v3.11-main.json"));
  ASSERT_TRUE(parsed.ok());
  auto by_id = ById(*parsed);
  // "CVE-2020-11739 XSA-314": the CVE only; "XSA-318" alone: its own ID.
  EXPECT_TRUE(by_id.count("CVE-2020-11739"));
  EXPECT_FALSE(by_id.count("XSA-314"));
  EXPECT_TRUE(by_id.count("XSA-318"));
  EXPECT_TRUE(by_id.count("CVE-2019-17340"));  // two spaces before XSA-284
  EXPECT_TRUE(by_id.count("CVE-2019-17341"));  // "(hypervisor)" note
  EXPECT_TRUE(by_id.count("CVE-2017-17434"));  // "CVE-2017-17434-1"
  EXPECT_EQ(by_id["CVE-2020-11739"].aliases.size(), 0u);
}

TEST(ImportAlpineSecdb, SameCveInTwoPackagesIsOneAdvisory) {
  auto parsed = ParseAlpineSecdb(ReadFile(Fixtures() / "alpine" / "v3.11-main.json"));
  ASSERT_TRUE(parsed.ok());
  auto by_id = ById(*parsed);
  const Advisory& shared = by_id["CVE-2099-1000"];
  ASSERT_EQ(shared.affected.size(), 2u);
  std::set<std::string> names = {shared.affected[0].name, shared.affected[1].name};
  EXPECT_EQ(names, (std::set<std::string>{"libbar", "libfoo"}));
}

TEST(ImportAlpineSecdb, CveFixedTwiceKeepsTheLowerFix) {
  auto parsed = ParseAlpineSecdb(ReadFile(Fixtures() / "alpine" / "v3.11-main.json"));
  ASSERT_TRUE(parsed.ok());
  auto by_id = ById(*parsed);
  ASSERT_EQ(by_id["CVE-2099-2000"].affected.size(), 1u);
  EXPECT_EQ(FixedOf(by_id["CVE-2099-2000"].affected[0]), "1.31.1-r9");
}

TEST(ImportAlpineSecdb, FixedVersionZeroMeansNotAffected) {
  auto parsed = ParseAlpineSecdb(ReadFile(Fixtures() / "alpine" / "v3.11-main.json"));
  ASSERT_TRUE(parsed.ok());
  auto by_id = ById(*parsed);
  ASSERT_EQ(by_id["CVE-2016-0682"].affected.size(), 1u);
  EXPECT_TRUE(by_id["CVE-2016-0682"].affected[0].not_affected);
  EXPECT_TRUE(by_id["CVE-2016-0682"].affected[0].ranges.empty());
  EXPECT_EQ(by_id["CVE-2016-0682"].affected[0].name, "db");
}

TEST(ImportAlpineSecdb, MalformedDocuments) {
  EXPECT_FALSE(ParseAlpineSecdb("{").ok());
  EXPECT_FALSE(ParseAlpineSecdb(R"({"packages": []})").ok());
  EXPECT_FALSE(ParseAlpineSecdb(R"({"distroversion": "v3.11"})").ok());
  EXPECT_FALSE(ParseAlpineSecdb(R"({"distroversion": "v3.11\u001b[2J", "packages": []})").ok());
  auto odd = ParseAlpineSecdb(R"({"distroversion": "3.9", "packages": [1, {"pkg": 2}, {"pkg": {"name": "x",
      "secfixes": {"": ["CVE-2099-1"], "1-r0": "CVE-2099-2", "2-r0": [null, "  ", "CVE-2099-3"]}}}]})");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->source, "alpine-secdb:v3.9/main");  // "v" added, repo defaulted
  ASSERT_EQ(odd->advisories.size(), 1u);
  EXPECT_EQ(odd->advisories[0].id, "CVE-2099-3");
  EXPECT_EQ(odd->advisories[0].affected[0].ecosystem, "Alpine:v3.9");
}

TEST(ImportAlpineSecdb, ImportKeepsOneSourcePerBranchAndRepo) {
  auto db = NewDb("secdb-import");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, Fixtures() / "alpine");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->sources.size(), 2u);
  EXPECT_EQ(summary->sources[0].source, "alpine-secdb:v3.11/main");
  EXPECT_EQ(summary->sources[1].source, "alpine-secdb:v3.12/community");
  EXPECT_EQ(summary->sources[1].advisories, 1);
  EXPECT_EQ(db->Query("Alpine:v3.11", "libfoo")->size(), 1u);
  EXPECT_EQ(db->Query("Alpine:v3.12", "libfoo")->size(), 1u);
}

TEST(ImportAlpineSecdb, RealSecdbV33ToV311) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  fs::path root = data / "vulndb" / "alpine-secdb";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  EXPECT_EQ(files.size(), 18u);
  auto db = NewDb("secdb-real");
  ASSERT_TRUE(db);
  auto summary = ImportPaths(*db, files);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->sources.size(), 18u);
  int64_t total = 0;
  for (const ImportCount& count : summary->sources) total += count.advisories;
  EXPECT_GT(total, 3000);
  EXPECT_EQ(summary->sources.front().source, "alpine-secdb:v3.10/community");
  // v3.8/main "db": secfixes "0" lists CVEs it is not affected by.
  auto db_pkg = db->Query("Alpine:v3.8", "db");
  ASSERT_TRUE(db_pkg.ok());
  ASSERT_FALSE(db_pkg->empty());
  for (const Candidate& c : *db_pkg) EXPECT_TRUE(c.affected.not_affected) << c.advisory.id;
  // v3.11/main busybox: CVE-2019-5747 fixed in 1.29.3-r10 and again in 1.30.1-r2.
  auto busybox = db->Query("Alpine:v3.11", "busybox");
  ASSERT_TRUE(busybox.ok());
  auto it = std::find_if(busybox->begin(), busybox->end(),
                         [](const Candidate& c) { return c.advisory.id == "CVE-2019-5747"; });
  ASSERT_NE(it, busybox->end());
  EXPECT_EQ(FixedOf(it->affected), "1.29.3-r10");
}

}  // namespace
}  // namespace bulwark::vuln
