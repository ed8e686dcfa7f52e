// Debian security tracker import: a hand-made document and vunnel's
// excerpt of the real tracker JSON.
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

const AffectedPackage* Entry(const Advisory& a, const std::string& ecosystem, const std::string& name) {
  for (const AffectedPackage& p : a.affected) {
    if (p.ecosystem == ecosystem && p.name == name) return &p;
  }
  return nullptr;
}

std::string Fixed(const AffectedPackage& p) {
  for (const VersionRange& r : p.ranges) {
    for (const RangeEvent& e : r.events) {
      if (e.kind == RangeEvent::Kind::kFixed) return e.version;
    }
  }
  return "";
}

ParsedSource ParseFixture() {
  auto parsed = ParseDebianTracker(ReadFile(Fixtures() / "debian" / "tracker.json"));
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : ParsedSource{};
}

TEST(ImportDebianTracker, ReleasesMapToDebianEcosystems) {
  EXPECT_EQ(DebianEcosystemForCodename("jessie"), "Debian:8");
  EXPECT_EQ(DebianEcosystemForCodename("stretch"), "Debian:9");
  EXPECT_EQ(DebianEcosystemForCodename("buster"), "Debian:10");
  EXPECT_EQ(DebianEcosystemForCodename("bullseye"), "Debian:11");
  EXPECT_EQ(DebianEcosystemForCodename("bookworm"), "Debian:12");
  EXPECT_EQ(DebianEcosystemForCodename("trixie"), "Debian:13");
  EXPECT_EQ(DebianEcosystemForCodename("forky"), "Debian:14");
  EXPECT_EQ(DebianEcosystemForCodename("sid"), "Debian:sid");
  EXPECT_EQ(DebianEcosystemForCodename("experimental"), "");
}

TEST(ImportDebianTracker, StatusesAndUrgencies) {
  ParsedSource parsed = ParseFixture();
  EXPECT_EQ(parsed.source, "debian-tracker");
  EXPECT_EQ(parsed.skipped, 1);  // buster: undetermined
  auto by_id = ById(parsed);
  const Advisory& cve = by_id["CVE-2099-3000"];
  EXPECT_EQ(cve.source, "debian-tracker");
  EXPECT_EQ(cve.summary, "A flaw in OpenSSL lets a remote peer crash a server.");
  EXPECT_NE(std::find(cve.urls.begin(), cve.urls.end(), "https://bugs.debian.org/1000001"), cve.urls.end());
  EXPECT_NE(std::find(cve.urls.begin(), cve.urls.end(), "https://security-tracker.debian.org/tracker/CVE-2099-3000"),
            cve.urls.end());
  // resolved with a fixed version; urgency "high**" -> high.
  const AffectedPackage* bookworm = Entry(cve, "Debian:12", "openssl");
  ASSERT_NE(bookworm, nullptr);
  EXPECT_EQ(Fixed(*bookworm), "3.0.11-1~deb12u1");
  EXPECT_EQ(bookworm->severity, "high");
  // open: affected, no fix.
  const AffectedPackage* bullseye = Entry(cve, "Debian:11", "openssl");
  ASSERT_NE(bullseye, nullptr);
  EXPECT_EQ(Fixed(*bullseye), "");
  ASSERT_EQ(bullseye->ranges.size(), 1u);
  EXPECT_EQ(bullseye->ranges[0].events.size(), 1u);
  EXPECT_EQ(bullseye->severity, "medium");
  EXPECT_EQ(Entry(cve, "Debian:10", "openssl"), nullptr);  // undetermined: skipped
  EXPECT_EQ(Entry(cve, "Debian:sid", "openssl")->severity, "low");  // "low*"
  // One CVE across two source packages: one advisory.
  const AffectedPackage* libxml2 = Entry(cve, "Debian:12", "libxml2");
  ASSERT_NE(libxml2, nullptr);
  EXPECT_EQ(cve.affected.size(), 4u);
}

TEST(ImportDebianTracker, FixedVersionZeroIsNotAffected) {
  auto by_id = ById(ParseFixture());
  const Advisory& cve = by_id["CVE-2099-3001"];
  const AffectedPackage* bullseye = Entry(cve, "Debian:11", "openssl");
  ASSERT_NE(bullseye, nullptr);
  EXPECT_TRUE(bullseye->not_affected);
  EXPECT_EQ(bullseye->severity, "low");  // unimportant
  EXPECT_EQ(Entry(cve, "Debian:12", "openssl")->severity, "");  // not yet assigned
  EXPECT_FALSE(by_id.count("CVE-2099-3002"));  // "releases": []
  EXPECT_TRUE(Entry(by_id["TEMP-0000000-ABCDEF"], "Debian:13", "trixiepkg"));
}

TEST(ImportDebianTracker, MalformedDocuments) {
  EXPECT_FALSE(ParseDebianTracker("{").ok());
  EXPECT_FALSE(ParseDebianTracker("[]").ok());
  EXPECT_FALSE(ParseDebianTracker("42").ok());
  auto odd = ParseDebianTracker(R"({"a": 1, "b": [], "c": {"CVE-1": 2, "CVE-2": {"releases": {"bookworm": 3,
      "sid": {"status": "resolved"}, "trixie": {"status": "open", "urgency": 7}}}}})");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  ASSERT_EQ(odd->advisories.size(), 1u);
  EXPECT_EQ(odd->advisories[0].affected.size(), 1u);  // trixie open
  EXPECT_EQ(odd->skipped, 2);
}

TEST(ImportDebianTracker, ImportPathDetectsTheFormat) {
  auto db = NewDb("tracker-import");
  ASSERT_TRUE(db);
  auto summary = ImportPath(*db, Fixtures() / "debian" / "tracker.json");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->sources.size(), 1u);
  EXPECT_EQ(summary->sources[0].source, "debian-tracker");
  EXPECT_EQ(summary->sources[0].advisories, 3);
  EXPECT_EQ(summary->sources[0].skipped, 1);
  EXPECT_EQ(db->Query("Debian:12", "openssl")->size(), 2u);
}

TEST(ImportDebianTracker, RealTrackerExcerpt) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  auto parsed = ParseDebianTracker(ReadFile(data / "vulndb" / "vunnel-fixtures" / "debian" / "debian.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto by_id = ById(*parsed);
  EXPECT_EQ(by_id.size(), 6u);  // chromium-browser CVE-2022-0358 has no releases
  const Advisory& prototype = by_id["CVE-2007-2383"];
  for (const char* eco : {"Debian:8", "Debian:9", "Debian:10", "Debian:sid"}) {
    const AffectedPackage* p = Entry(prototype, eco, "prototypejs");
    ASSERT_NE(p, nullptr) << eco;
    EXPECT_TRUE(p->not_affected);
  }
  const Advisory& chromium = by_id["CVE-2022-0456"];
  EXPECT_EQ(Fixed(*Entry(chromium, "Debian:12", "chromium")), "98.0.4758.80-1");
  EXPECT_EQ(Fixed(*Entry(chromium, "Debian:11", "chromium")), "98.0.4758.80-1~deb11u1");
  EXPECT_EQ(Entry(chromium, "Debian:10", "chromium")->ranges.at(0).events.size(), 1u);  // open
  EXPECT_EQ(Entry(chromium, "Debian:10", "chromium")->severity, "");                    // end-of-life
  EXPECT_EQ(Entry(by_id["CVE-2008-7220"], "Debian:9", "prototypejs")->severity, "high");  // high**
  EXPECT_EQ(parsed->skipped, 0);
}

}  // namespace
}  // namespace bulwark::vuln
