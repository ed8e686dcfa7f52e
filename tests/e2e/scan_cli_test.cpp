// `bulwark sbom`, `bulwark scan` and `bulwark db` end to end on a small
// root filesystem made by the test (dir: source) and the synthetic OSV
// advisories in tests/e2e/fixtures/osv: every flag of the scan contract
// (formats, --severity, --exit-code/--fail-on, --ignore-unfixed, --vex,
// .bulwarkignore, --sbom) and the DB's errors. No Docker needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void WriteMetadata(const fs::path& dir, const std::string& name, const std::string& version) {
  WriteFile(dir / "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
}

// Debian 12 with two dpkg packages (one installs Flask's egg-info) and
// three pip-installed Python packages.
fs::path MakeRootfs() {
  fs::path root = MakeTempDir("bulwark-scan-rootfs");
  WriteFile(root / "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
  WriteFile(root / "etc/debian_version", "12.15\n");
  WriteFile(root / "var/lib/dpkg/status",
            "Package: python3-flask\nStatus: install ok installed\nArchitecture: all\nVersion: 2.2.2-3\n"
            "Source: flask\n\n"
            "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n\n");
  WriteFile(root / "var/lib/dpkg/info/python3-flask.md5sums",
            "0123456789abcdef0123456789abcdef  usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO\n");
  WriteFile(root / "usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO",
            "Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.2\n");
  fs::path site = root / "usr/local/lib/python3.11/dist-packages";
  WriteMetadata(site / "PyYAML-5.3.1.dist-info", "PyYAML", "5.3.1");
  WriteMetadata(site / "requests-2.25.1.dist-info", "requests", "2.25.1");
  WriteMetadata(site / "idna-2.10.dist-info", "idna", "2.10");
  return root;
}

struct Env {
  fs::path root = MakeRootfs();
  fs::path db = MakeTempDir("bulwark-scan-db") / "vuln.db";
  std::string image = "dir:" + root.string();
  Env() {
    auto r = RunCommand({BulwarkBinary().string(), "db", "--db", db.string(), "import",
                         (SourceDir() / "tests/e2e/fixtures/osv").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("osv:PyPI"), std::string::npos) << r.out;
  }
  CommandResult Scan(std::vector<std::string> extra) const {
    std::vector<std::string> argv{BulwarkBinary().string(), "scan", "--db", db.string()};
    if (std::find(extra.begin(), extra.end(), "--db-max-age") == extra.end()) {
      argv.insert(argv.end(), {"--db-max-age", "0"});
    }
    if (std::find(extra.begin(), extra.end(), "--sbom") == extra.end()) argv.push_back(image);
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv, root);
  }
  json ScanJson(std::vector<std::string> extra = {}) const {
    extra.insert(extra.end(), {"--format", "json"});
    auto r = Scan(extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
};

std::set<std::string> Ids(const json& report) {
  std::set<std::string> ids;
  for (const json& f : report["findings"]) ids.insert(f["package"]["name"].get<std::string>() + " " + f["id"].get<std::string>());
  return ids;
}

TEST(ScanCli, SbomOfARootfsListsOsAndPipPackagesWithOwnership) {
  Env env;
  auto r = RunCommand({BulwarkBinary().string(), "sbom", env.image, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json sbom = json::parse(r.out);
  EXPECT_EQ(sbom["os"]["id"], "debian");
  std::map<std::string, json> by_name;
  for (const json& p : sbom["packages"]) by_name[p["name"]] = p;
  EXPECT_EQ(by_name["bash"]["purl"], "pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&distro=debian-12.15");
  EXPECT_EQ(by_name["Flask"].value("os_owner", ""), "deb:python3-flask");
  EXPECT_EQ(by_name["PyYAML"]["purl"], "pkg:pypi/pyyaml@5.3.1");
  EXPECT_FALSE(by_name["PyYAML"].contains("os_owner"));
}

TEST(ScanCli, FindsThePipPackagesNotTheOsOwnedOneWithSeverityAndFix) {
  Env env;
  json report = env.ScanJson();
  EXPECT_EQ(Ids(report), (std::set<std::string>{"PyYAML CVE-0000-0001", "requests BULWARK-TEST-2024-0003",
                                                 "idna BULWARK-TEST-2024-0004"}));
  for (const json& f : report["findings"]) {
    if (f["package"]["name"] == "PyYAML") {
      EXPECT_EQ(f["severity"], "critical");  // CVSS 3.1 vector, 9.8
      EXPECT_EQ(f["fixed"], "5.4");
      EXPECT_EQ(f["aliases"], json::array({"BULWARK-TEST-2020-0001"}));
    }
    if (f["package"]["name"] == "requests") {
      EXPECT_EQ(f["severity"], "medium");  // unrated, and it says so
      EXPECT_NE(f["message"].get<std::string>().find("not rated"), std::string::npos);
    }
  }
  EXPECT_EQ(report["summary"]["packages"], 6);  // 2 deb, Flask (OS-owned), 3 pip
}

TEST(ScanCli, SeverityIgnoreUnfixedAndTheExitCodeGate) {
  Env env;
  EXPECT_EQ(Ids(env.ScanJson({"--severity", "critical"})), (std::set<std::string>{"PyYAML CVE-0000-0001"}));
  std::set<std::string> fixed_only = Ids(env.ScanJson({"--ignore-unfixed"}));
  EXPECT_FALSE(fixed_only.count("idna BULWARK-TEST-2024-0004"));
  EXPECT_EQ(fixed_only.size(), 2u);
  EXPECT_EQ(env.Scan({"--exit-code", "4", "--fail-on", "high", "-q"}).exit_code, 4);
  EXPECT_EQ(env.Scan({"--exit-code", "4", "--fail-on", "high", "-q", "--severity", "low"}).exit_code, 0);
}

TEST(ScanCli, OpenVexAndIgnoreFileSuppress) {
  Env env;
  fs::path vex = env.root / "app.openvex.json";
  WriteFile(vex, R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.invalid/vex/1",
    "author": "bulwark tests", "timestamp": "2026-11-23T00:00:00Z", "version": 1,
    "statements": [{"vulnerability": {"name": "CVE-0000-0001"},
                    "products": [{"@id": "pkg:pypi/pyyaml@5.3.1"}],
                    "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]})");
  json report = env.ScanJson({"--vex", vex.string()});
  EXPECT_FALSE(Ids(report).count("PyYAML CVE-0000-0001"));
  EXPECT_EQ(report["summary"]["vex_suppressed"], 1);
  // An ignore file may name any of a vulnerability's IDs.
  WriteFile(env.root / ".bulwarkignore", "BULWARK-TEST-2020-0001  # accepted: no YAML from users\n");
  json ignored = env.ScanJson();
  EXPECT_FALSE(Ids(ignored).count("PyYAML CVE-0000-0001"));
  EXPECT_EQ(ignored["summary"]["suppressed"], 1);
}

TEST(ScanCli, SarifAndCycloneDxWithVulnerabilities) {
  Env env;
  auto sarif = env.Scan({"--format", "sarif"});
  ASSERT_EQ(sarif.exit_code, 0) << sarif.err;
  json doc = json::parse(sarif.out);
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_EQ(doc["runs"][0]["results"].size(), 3u);
  auto cdx = env.Scan({"--format", "cyclonedx"});
  ASSERT_EQ(cdx.exit_code, 0) << cdx.err;
  json bom = json::parse(cdx.out);
  EXPECT_EQ(bom["specVersion"], "1.5");
  std::set<std::string> ids;
  for (const json& v : bom["vulnerabilities"]) ids.insert(v["id"]);
  EXPECT_EQ(ids, (std::set<std::string>{"CVE-0000-0001", "BULWARK-TEST-2024-0003", "BULWARK-TEST-2024-0004"}));
  EXPECT_GE(bom["components"].size(), 5u);
}

TEST(ScanCli, AnSbomFileIsMatchedLikeTheImage) {
  Env env;
  for (const char* format : {"cyclonedx", "spdx"}) {
    fs::path file = env.root / (std::string("sbom.") + format + ".json");
    auto r = RunCommand({BulwarkBinary().string(), "sbom", env.image, "--format", format, "-o", file.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Ids(env.ScanJson({"--sbom", file.string()})), Ids(env.ScanJson())) << format;
  }
}

TEST(ScanCli, DbStatusAndClearErrors) {
  Env env;
  auto status = RunCommand({BulwarkBinary().string(), "db", "--db", env.db.string(), "status", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  json doc = json::parse(status.out);
  EXPECT_EQ(doc["advisories"], 4);
  EXPECT_EQ(doc["sources"][0]["source"], "osv:PyPI");
  // The DB is a second old: a tiny --db-max-age (hours) makes it stale.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto stale = env.Scan({"--db-max-age", "0.000001", "-f", "json"});
  EXPECT_EQ(stale.exit_code, 0);
  EXPECT_NE(stale.err.find("warning: the vulnerability DB was last updated"), std::string::npos) << stale.err;
  EXPECT_EQ(env.Scan({"-f", "json"}).err.find("warning"), std::string::npos);
  auto missing = RunCommand({BulwarkBinary().string(), "scan", env.image, "--db", "/nonexistent/vuln.db"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("bulwark db update"), std::string::npos) << missing.err;
  auto bad_image = RunCommand({BulwarkBinary().string(), "sbom", "docker-archive:/nonexistent/x.tar"});
  EXPECT_EQ(bad_image.exit_code, 3);
  EXPECT_NE(bad_image.err.find("/nonexistent/x.tar"), std::string::npos) << bad_image.err;
  auto offline = RunCommand({BulwarkBinary().string(), "db", "--db", env.db.string(), "update", "--mirror",
                             "https://127.0.0.1:9/", "--ecosystems", "PyPI", "--no-debian", "-q"});
  EXPECT_EQ(offline.exit_code, 3);
  EXPECT_NE(offline.err.find("bulwark db import"), std::string::npos) << offline.err;
}

}  // namespace
}  // namespace bulwark::testing
