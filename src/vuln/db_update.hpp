// `bulwark db update`: downloads the public vulnerability data over HTTPS
// and imports it. Sources: OSV's per-ecosystem all.zip, Alpine's secdb
// (one JSON per branch and repository) and the Debian security tracker
// JSON. Files land in a "downloads" folder beside the DB as NAME.part,
// are resumed with a Range request after a broken transfer, are checked
// (every zip entry read, JSON well-formed, not empty) and imported, and
// only then renamed to NAME. Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "vuln/db_import.hpp"
#include "vuln/vuln_db.hpp"

namespace bulwark::vuln {

struct UpdateProgress {
  std::string name;    // "osv:PyPI", "alpine-secdb:v3.19/main", "debian-tracker"
  std::string url;
  int64_t bytes = 0;   // received so far, a resumed part included
  int64_t total = -1;  // -1 while unknown
};

struct UpdateOptions {
  // One base URL serving the same files under these paths instead of the
  // upstream hosts (an offline mirror):
  //   <mirror>/osv/<Ecosystem>/all.zip
  //   <mirror>/alpine/<branch>/<repo>.json
  //   <mirror>/debian/json
  std::string mirror;
  std::vector<std::string> ecosystems = {"PyPI", "npm", "Go", "Maven", "RubyGems", "crates.io", "Packagist", "NuGet"};
  std::vector<std::string> alpine_branches = {"v3.19", "v3.20", "v3.21", "v3.22"};
  std::vector<std::string> alpine_repos = {"main", "community"};
  bool debian = true;
  std::filesystem::path ca_file;      // extra CA bundle (a private mirror); empty = system store
  std::filesystem::path download_dir; // empty = "downloads" beside the DB
  int attempts = 3;                   // per file; later attempts resume the .part
  std::function<void(const UpdateProgress&)> progress;
};

struct UpdateResult {
  ImportSummary imported;
  int64_t resumed = 0;                // downloads continued from a .part
  std::vector<std::string> failures;  // files that failed while others succeeded
};

// Downloads and imports every configured source. Fails when nothing could
// be updated (offline: "could not reach HOST: ...; import files you fetched
// elsewhere with bulwark db import"); partial failures are listed in the
// result and the sources that did arrive are imported.
core::Result<UpdateResult> UpdateDb(VulnDb& db, const UpdateOptions& options);

}  // namespace bulwark::vuln
