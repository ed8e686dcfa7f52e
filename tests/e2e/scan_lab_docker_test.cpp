// `bulwark sbom` and `bulwark scan` on the lab's real images, built in the
// test from the Debian base images (scripts/build-base-images.sh: mmdebstrap
// + docker import) with pip-installed wheels of known old versions: the
// package set matches dpkg's own list inside the image and Trivy's SBOM of
// the same archive, the pip pins are reported and Debian's Flask is not,
// and the hardened image drops the pinned wheels.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lab_images.hpp"
#include "test_support.hpp"

namespace bulwark::testing {
namespace {

fs::path BuildTestDb(const std::vector<fs::path>& sources) {
  fs::path db = MakeTempDir("bulwark-scan-db") / "vuln.db";
  std::vector<std::string> argv{BulwarkBinary().string(), "db", "--db", db.string(), "import", "--quiet"};
  for (const fs::path& s : sources) argv.push_back(s.string());
  auto r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return db;
}

json ScanJson(const std::string& image, const fs::path& db) {
  auto r = RunCommand({BulwarkBinary().string(), "scan", image, "--db", db.string(), "--format", "json",
                       "--db-max-age", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.out.substr(0, 500);
  return doc;
}

std::set<std::string> FindingKeys(const json& report) {
  std::set<std::string> keys;
  for (const json& f : report["findings"]) keys.insert(f["package"]["name"].get<std::string>() + " " + f["id"].get<std::string>());
  return keys;
}

TEST(ScanLab, SbomListsEveryDpkgPackageWithItsVersion) {
  REQUIRE_LAB_IMAGES();
  json sbom = SbomOf("docker-archive:" + Images().vulnerable_tar.string());
  auto r = RunCommand({"docker", "run", "--rm", "--network", "none", kVulnerable, "dpkg-query", "-W",
                       "-f", "${db:Status-Abbrev}\\t${Package}\\t${Version}\\n"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> dpkg;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string status, name, version;
    std::getline(fields, status, '\t');
    std::getline(fields, name, '\t');
    std::getline(fields, version, '\t');
    if (status.rfind("ii", 0) == 0) dpkg[name] = version;
  }
  std::map<std::string, std::string> ours;
  for (const json& p : sbom["packages"]) {
    if (p["type"] == "deb") ours[p["name"]] = p["version"];
  }
  EXPECT_GT(dpkg.size(), 100u);
  EXPECT_EQ(ours, dpkg);
  EXPECT_EQ(sbom["os"]["id"], "debian");
  EXPECT_EQ(sbom["os"]["version"], "12");
}

TEST(ScanLab, PipInstalledPinsAreLanguagePackagesAndDebianOnesAreMarkedOsOwned) {
  REQUIRE_LAB_IMAGES();
  json sbom = SbomOf("docker-archive:" + Images().vulnerable_tar.string());
  const json* yaml = FindPackage(sbom, "pypi", "PyYAML");
  ASSERT_NE(yaml, nullptr) << "pip-installed PyYAML missing";
  EXPECT_EQ((*yaml)["version"], "5.3.1");
  EXPECT_EQ((*yaml)["purl"], "pkg:pypi/pyyaml@5.3.1");
  EXPECT_EQ((*yaml)["locations"][0], "/usr/local/lib/python3.11/dist-packages/PyYAML-5.3.1.dist-info/METADATA");
  EXPECT_FALSE(yaml->contains("os_owner"));
  for (const char* name : {"requests", "urllib3", "certifi", "idna", "chardet", "six"}) {
    EXPECT_NE(FindPackage(sbom, "pypi", name), nullptr) << name;
  }
  const json* flask = FindPackage(sbom, "pypi", "Flask");
  ASSERT_NE(flask, nullptr) << "Debian's Flask dist-info missing";
  EXPECT_EQ((*flask)["version"], "2.2.2");
  EXPECT_EQ(flask->value("os_owner", ""), "deb:python3-flask");
}

TEST(ScanLab, DaemonImageGivesTheSamePackagesAsItsArchive) {
  REQUIRE_LAB_IMAGES();
  json from_archive = SbomOf("docker-archive:" + Images().vulnerable_tar.string());
  json from_daemon = SbomOf(kVulnerable);
  auto keys = [](const json& sbom) {
    std::set<std::string> out;
    for (const json& p : sbom["packages"]) out.insert(p["purl"].get<std::string>() + " " + p["locations"].dump());
    return out;
  };
  EXPECT_EQ(keys(from_daemon), keys(from_archive));
  EXPECT_GT(keys(from_archive).size(), 100u);
}

TEST(ScanLab, ScanReportsThePipPinsButNotDebianOwnedFlask) {
  REQUIRE_LAB_IMAGES();
  fs::path db = BuildTestDb({SourceDir() / "tests/e2e/fixtures/osv"});
  json vulnerable = ScanJson("docker-archive:" + Images().vulnerable_tar.string(), db);
  std::set<std::string> keys = FindingKeys(vulnerable);
  EXPECT_TRUE(keys.count("PyYAML CVE-0000-0001")) << vulnerable.dump(1).substr(0, 2000);
  EXPECT_TRUE(keys.count("requests BULWARK-TEST-2024-0003"));
  for (const std::string& key : keys) EXPECT_EQ(key.find("Flask"), std::string::npos) << key;
  for (const json& f : vulnerable["findings"]) {
    if (f["package"]["name"] != "PyYAML") continue;
    EXPECT_EQ(f["severity"], "critical");
    EXPECT_EQ(f["fixed"], "5.4");
    EXPECT_EQ(f["installed"], "5.3.1");
    EXPECT_EQ(f["category"], "vulnerability");
    EXPECT_EQ(f["location"]["path"], "usr/local/lib/python3.11/dist-packages/PyYAML-5.3.1.dist-info/METADATA");
  }
  json hardened = ScanJson("docker-archive:" + Images().hardened_tar.string(), db);
  EXPECT_TRUE(hardened["findings"].empty()) << hardened["findings"].dump(1);
}

TEST(ScanLab, RealPypiAdvisoriesFindKnownCvesInThePins) {
  REQUIRE_LAB_IMAGES();
  BULWARK_REQUIRE_SHARED_DATA(data);
  fs::path db = BuildTestDb({*data_opt / "vulndb/pypa-advisory-database"});
  json report = ScanJson("docker-archive:" + Images().vulnerable_tar.string(), db);
  std::set<std::string> ids;
  for (const json& f : report["findings"]) {
    ids.insert(f["package"]["name"].get<std::string>() + " " + f["id"].get<std::string>());
    for (const json& alias : f["aliases"]) {
      ids.insert(f["package"]["name"].get<std::string>() + " " + alias.get<std::string>());
    }
  }
  // Public advisories (pypa/advisory-database): PyYAML full_load RCE fixed in
  // 5.4; requests Proxy-Authorization leak fixed in 2.31.0; urllib3 cookie
  // leak on redirect fixed in 1.26.17.
  EXPECT_TRUE(ids.count("PyYAML CVE-2020-14343")) << report["findings"].dump(1).substr(0, 3000);
  EXPECT_TRUE(ids.count("requests CVE-2023-32681"));
  EXPECT_TRUE(ids.count("urllib3 CVE-2023-43804"));
  for (const std::string& id : ids) EXPECT_EQ(id.rfind("Flask ", 0), std::string::npos) << id;
  json hardened = ScanJson("docker-archive:" + Images().hardened_tar.string(), db);
  EXPECT_TRUE(hardened["findings"].empty()) << hardened["findings"].dump(1).substr(0, 3000);
}

}  // namespace
}  // namespace bulwark::testing
