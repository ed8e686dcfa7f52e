// The lab's images for the scan tests, built once per test program from
// the Debian base images (scripts/build-base-images.sh) and saved as
// docker-archive tarballs; plus small helpers reading `bulwark sbom` JSON.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {

using nlohmann::json;
namespace fs = std::filesystem;

inline constexpr const char* kVulnerable = "bulwark-test/scan-vulnerable:1";
inline constexpr const char* kHardened = "bulwark-test/scan-hardened:1";

struct LabImages {
  bool ready = false;
  std::string why_not;
  fs::path dir;
  fs::path vulnerable_tar;
  fs::path hardened_tar;
};

inline LabImages& Images() {
  static LabImages images = [] {
    LabImages out;
    if (RunCommand({"docker", "info"}).exit_code != 0) {
      out.why_not = "dockerd is not reachable (make test starts it: scripts/ensure-dockerd.sh)";
      return out;
    }
    for (const char* base : {"bulwark-lab/python-flask:bookworm", "bulwark-lab/python-wheels:bullseye"}) {
      if (RunCommand({"docker", "image", "inspect", base}).exit_code != 0) {
        out.why_not = std::string(base) + " is missing (scripts/build-base-images.sh builds it)";
        return out;
      }
    }
    out.dir = MakeTempDir("bulwark-scan-lab");
    for (auto [tag, context, tar] : {std::tuple{kVulnerable, "lab/vulnerable-app", &out.vulnerable_tar},
                                     std::tuple{kHardened, "lab/hardened-app", &out.hardened_tar}}) {
      auto build = RunCommand({"docker", "build", "-q", "-t", tag, (SourceDir() / context).string()});
      if (build.exit_code != 0) {
        out.why_not = std::string("docker build ") + context + " failed: " + build.err;
        return out;
      }
      *tar = out.dir / (std::string(context).substr(4) + ".tar");
      auto save = RunCommand({"docker", "save", "-o", tar->string(), tag});
      if (save.exit_code != 0) {
        out.why_not = "docker save failed: " + save.err;
        return out;
      }
    }
    out.ready = true;
    return out;
  }();
  return images;
}

#define REQUIRE_LAB_IMAGES()                                                  \
  if (!Images().ready) {                                                      \
    GTEST_SKIP() << "SKIPPED: lab images unavailable: " << Images().why_not; \
  }

inline json SbomOf(const std::string& image) {
  auto r = RunCommand({BulwarkBinary().string(), "sbom", image, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.out.substr(0, 500);
  return doc;
}

inline const json* FindPackage(const json& sbom, const std::string& type, const std::string& name) {
  for (const json& p : sbom["packages"]) {
    if (p.value("type", "") == type && p.value("name", "") == name) return &p;
  }
  return nullptr;
}

}  // namespace bulwark::testing
