// Benchmarks of the vulnerability DB: importing the PyPI advisory database
// (2,661 OSV files) into a fresh SQLite DB, and matching 10,000 synthetic
// Python packages against it, drawn (fixed seed) from the advisories' own
// package names and versions: a typical mix (names uniform) and a worst
// case (advisories uniform, affected versions only: dozens of hits each).
//
// Data: $BULWARK_BENCH_PYPA, else ../shared/data/vulndb/pypa-advisory-database
// beside the checkout (compiled in). Goals (issue 5): import < 1 s, match
// 10,000 packages < 100 ms.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "vuln/db_import.hpp"
#include "vuln/importers.hpp"
#include "vuln/matcher.hpp"
#include "vuln/vuln_db.hpp"

namespace bulwark::bench {
namespace {

namespace fs = std::filesystem;

fs::path PypaRoot() {
  if (const char* env = std::getenv("BULWARK_BENCH_PYPA"); env != nullptr && *env != '\0') return env;
#ifdef BULWARK_BENCH_PYPA
  return BULWARK_BENCH_PYPA;
#else
  return {};
#endif
}

// The scratch DBs live in one folder per run, removed when the program ends.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("bulwark-vuln-bench-" + std::to_string(getpid()));
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

fs::path ScratchDb(const char* name) {
  static ScratchDir dir;
  fs::create_directories(dir.path);
  return dir.path / name;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void BM_ImportPypa(benchmark::State& state) {
  fs::path root = PypaRoot();
  if (root.empty() || !fs::is_directory(root)) {
    state.SkipWithError("no PyPI advisory data: set BULWARK_BENCH_PYPA");
    return;
  }
  fs::path path = ScratchDb("import.db");
  int64_t advisories = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove(path);
    state.ResumeTiming();
    auto db = vuln::VulnDb::Open(path, true);
    auto summary = db.ok() ? vuln::ImportPath(**db, root) : core::Result<vuln::ImportSummary>(db.status());
    if (!summary.ok()) {
      state.SkipWithError(summary.status().ToString().c_str());
      return;
    }
    advisories = summary->sources.at(0).advisories;
  }
  state.counters["advisories"] = static_cast<double>(advisories);
  state.SetItemsProcessed(state.iterations() * advisories);
}
BENCHMARK(BM_ImportPypa)->Unit(benchmark::kMillisecond)->MinTime(2);

// Every package name of the advisories with every version they mention
// (explicit lists and range events).
std::map<std::string, std::vector<std::string>> VersionsByName(const fs::path& root) {
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& entry : fs::recursive_directory_iterator(root / "vulns")) {
    if (entry.path().extension() != ".json") continue;
    auto record = vuln::ParseOsvRecord(ReadAll(entry.path()));
    if (!record.ok() || record->withdrawn) continue;
    for (const vuln::AffectedPackage& p : record->affected) {
      auto& versions = seen[p.name];
      versions.insert(p.versions.begin(), p.versions.end());
      for (const vuln::VersionRange& r : p.ranges) {
        for (const vuln::RangeEvent& e : r.events) {
          if (e.version != "0") versions.insert(e.version);
        }
      }
    }
  }
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [name, versions] : seen) {
    if (!versions.empty()) out[name].assign(versions.begin(), versions.end());
  }
  return out;
}

sbom::Package Python(const std::string& name, const std::string& version) {
  sbom::Package package;
  package.type = sbom::PackageType::kPython;
  package.name = name;
  package.version = version;
  return package;
}

// Typical: a package name drawn uniformly from the advisories' 664 names,
// then one of the versions the data mentions for it.
sbom::Sbom TypicalSbom(const fs::path& root, size_t count) {
  auto by_name = VersionsByName(root);
  std::vector<const std::pair<const std::string, std::vector<std::string>>*> names;
  for (const auto& item : by_name) names.push_back(&item);
  std::mt19937 random(42);
  sbom::Sbom sbom;
  while (!names.empty() && sbom.packages.size() < count) {
    const auto& [name, versions] = *names[random() % names.size()];
    sbom.packages.push_back(Python(name, versions[random() % versions.size()]));
  }
  return sbom;
}

// Worst case: an advisory drawn uniformly (so tensorflow, with ~300, is a
// third of the packages) and a version from its affected list: each
// package then hits dozens of advisories.
sbom::Sbom WorstCaseSbom(const fs::path& root, size_t count) {
  std::vector<std::pair<std::string, std::vector<std::string>>> pool;
  for (const auto& entry : fs::recursive_directory_iterator(root / "vulns")) {
    if (entry.path().extension() != ".json") continue;
    auto record = vuln::ParseOsvRecord(ReadAll(entry.path()));
    if (!record.ok() || record->withdrawn) continue;
    for (const vuln::AffectedPackage& p : record->affected) {
      if (!p.versions.empty()) pool.emplace_back(p.name, p.versions);
    }
  }
  std::mt19937 random(42);
  sbom::Sbom sbom;
  while (!pool.empty() && sbom.packages.size() < count) {
    const auto& [name, versions] = pool[random() % pool.size()];
    sbom.packages.push_back(Python(name, versions[random() % versions.size()]));
  }
  return sbom;
}

void RunMatch(benchmark::State& state, sbom::Sbom (*make)(const fs::path&, size_t), const char* db_name) {
  fs::path root = PypaRoot();
  if (root.empty() || !fs::is_directory(root)) {
    state.SkipWithError("no PyPI advisory data: set BULWARK_BENCH_PYPA");
    return;
  }
  fs::path path = ScratchDb(db_name);
  fs::remove(path);
  {
    auto db = vuln::VulnDb::Open(path, true);
    if (!db.ok() || !vuln::ImportPath(**db, root).ok()) {
      state.SkipWithError("import failed");
      return;
    }
  }
  auto db = vuln::VulnDb::Open(path, false);  // as `bulwark scan` opens it
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return;
  }
  sbom::Sbom sbom = make(root, static_cast<size_t>(state.range(0)));
  size_t matches = 0;
  for (auto _ : state) {
    auto result = vuln::MatchSbom(sbom, **db);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    matches = result->size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["packages"] = static_cast<double>(sbom.packages.size());
  state.counters["matches"] = static_cast<double>(matches);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(sbom.packages.size()));
}

void BM_MatchSbom(benchmark::State& state) { RunMatch(state, TypicalSbom, "match.db"); }
BENCHMARK(BM_MatchSbom)->Arg(10000)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_MatchSbomWorstCase(benchmark::State& state) { RunMatch(state, WorstCaseSbom, "match-worst.db"); }
BENCHMARK(BM_MatchSbomWorstCase)->Arg(10000)->Unit(benchmark::kMillisecond)->MinTime(2);

}  // namespace
}  // namespace bulwark::bench

BENCHMARK_MAIN();
