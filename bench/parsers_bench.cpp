// Micro-benchmarks of bulwark's parsers and analyzers, and of the whole audit
// over a small generated service tree (bench/gen_service_tree.py, built by
// bench/CMakeLists.txt). Each parser benchmark parses every file of its kind
// in the tree once per iteration, so "items_per_second" is files per second
// and "bytes_per_second" is input throughput; time per file is 1 / items.
//
// The tree comes from BULWARK_BENCH_TREE in the environment, else from the
// path compiled in. Files are read once, before any timing.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "audit/discovery.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "parse/compose.hpp"
#include "parse/dockerfile.hpp"
#include "parse/kubernetes.hpp"
#include "parse/python_tokenizer.hpp"
#include "parse/yaml_tree.hpp"

namespace bulwark::bench {
namespace {

namespace fs = std::filesystem;
using audit::FileKind;

fs::path TreeRoot() {
  if (const char* env = std::getenv("BULWARK_BENCH_TREE"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef BULWARK_BENCH_TREE
  return BULWARK_BENCH_TREE;
#else
  return {};
#endif
}

// Every file of the tree, in memory, grouped by the kind discovery gives it.
struct Corpus {
  fs::path root;
  std::map<FileKind, std::vector<core::SourceFile>> by_kind;
  std::string error;  // why the corpus is empty

  const std::vector<core::SourceFile>& Files(FileKind kind) const {
    static const std::vector<core::SourceFile> kNone;
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? kNone : it->second;
  }
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Corpus LoadCorpus() {
  Corpus corpus;
  corpus.root = TreeRoot();
  std::error_code ec;
  if (corpus.root.empty() || !fs::is_directory(corpus.root, ec)) {
    corpus.error = "no service tree: set BULWARK_BENCH_TREE or build the bench_service_tree target";
    return corpus;
  }
  std::vector<core::Diagnostic> diagnostics;
  auto files = audit::DiscoverFiles(corpus.root, {}, diagnostics);
  if (!files.ok()) {
    corpus.error = files.status().message();
    return corpus;
  }
  for (const audit::DiscoveredFile& file : *files) {
    std::string content = ReadAll(file.absolute_path);
    auto kind = audit::ClassifyFile(file.absolute_path.filename().string(), content);
    if (!kind) continue;
    corpus.by_kind[*kind].push_back(
        core::SourceFile{file.relative_path, file.absolute_path, std::move(content)});
  }
  return corpus;
}

const Corpus& TheCorpus() {
  static const Corpus corpus = LoadCorpus();
  return corpus;
}

// The files of one kind, or nullptr after telling the benchmark why not.
const std::vector<core::SourceFile>* FilesOrSkip(benchmark::State& state, FileKind kind) {
  const Corpus& corpus = TheCorpus();
  const auto& files = corpus.Files(kind);
  if (files.empty()) {
    std::string why = corpus.error.empty()
                          ? std::string("no ") + audit::FileKindName(kind) + " files in the tree"
                          : corpus.error;
    state.SkipWithError(why.c_str());
    return nullptr;
  }
  return &files;
}

void SetThroughput(benchmark::State& state, const std::vector<core::SourceFile>& files) {
  int64_t bytes = 0;
  for (const auto& file : files) bytes += static_cast<int64_t>(file.content.size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["files"] = static_cast<double>(files.size());
}

// Runs `parse` on every file of `kind` once per iteration.
template <typename Parse>
void ParseEach(benchmark::State& state, FileKind kind, Parse parse) {
  const auto* files = FilesOrSkip(state, kind);
  if (files == nullptr) return;
  for (auto _ : state) {
    for (const auto& file : *files) parse(file);
  }
  SetThroughput(state, *files);
}

void BM_ParseDockerfile(benchmark::State& state) {
  ParseEach(state, FileKind::kDockerfile, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::ParseDockerfile(file.content));
  });
}
BENCHMARK(BM_ParseDockerfile);

void BM_LoadYamlCompose(benchmark::State& state) {
  ParseEach(state, FileKind::kCompose, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::LoadYaml(file.content));
  });
}
BENCHMARK(BM_LoadYamlCompose);

void BM_ParseCompose(benchmark::State& state) {
  ParseEach(state, FileKind::kCompose, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::ParseCompose(file.content));
  });
}
BENCHMARK(BM_ParseCompose);

void BM_LoadYamlKubernetes(benchmark::State& state) {
  ParseEach(state, FileKind::kKubernetes, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::LoadYaml(file.content));
  });
}
BENCHMARK(BM_LoadYamlKubernetes);

void BM_ParseKubernetes(benchmark::State& state) {
  ParseEach(state, FileKind::kKubernetes, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::k8s::ParseKubernetes(file));
  });
}
BENCHMARK(BM_ParseKubernetes);

void BM_TokenizePython(benchmark::State& state) {
  ParseEach(state, FileKind::kPython, [](const core::SourceFile& file) {
    benchmark::DoNotOptimize(parse::TokenizePython(file.content));
  });
}
BENCHMARK(BM_TokenizePython);

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry r;
    if (auto st = audit::RegisterAllChecks(r); !st.ok()) {
      std::fprintf(stderr, "parsers_bench: RegisterAllChecks: %s\n", st.message().c_str());
      std::abort();
    }
    return r;
  }();
  return registry;
}

// Parse + checks for one kind: the kind's analyzer from the default suite
// over every file, then Finish(). A fresh suite per iteration (not timed),
// because analyzers keep state for Finish().
void BM_Analyze(benchmark::State& state, FileKind kind) {
  const auto* files = FilesOrSkip(state, kind);
  if (files == nullptr) return;
  if (auto probe = audit::MakeDefaultCheckSuite(); !probe.ok() || probe->by_kind.count(kind) == 0) {
    state.SkipWithError("the default check suite has no analyzer for this kind");
    return;
  }
  size_t findings = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto suite = audit::MakeDefaultCheckSuite();
    audit::Analyzer& analyzer = *suite->by_kind.at(kind);
    core::FindingSink sink(Registry());
    state.ResumeTiming();
    for (const auto& file : *files) analyzer.Analyze(file, sink);
    analyzer.Finish(sink);
    findings = sink.findings().size();
  }
  SetThroughput(state, *files);
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK_CAPTURE(BM_Analyze, dockerfile, FileKind::kDockerfile);
BENCHMARK_CAPTURE(BM_Analyze, compose, FileKind::kCompose);
BENCHMARK_CAPTURE(BM_Analyze, kubernetes, FileKind::kKubernetes);
BENCHMARK_CAPTURE(BM_Analyze, python, FileKind::kPython);

// The secrets pass over every text file of the tree, whatever its kind.
void BM_SecretsPass(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  auto suite = audit::MakeDefaultCheckSuite();
  if (!corpus.error.empty() || !suite.ok() || !suite->secrets) {
    state.SkipWithError(corpus.error.empty() ? "the default check suite has no secrets pass"
                                             : corpus.error.c_str());
    return;
  }
  std::vector<core::SourceFile> all;
  std::vector<FileKind> kinds;
  for (const auto& [kind, files] : corpus.by_kind) {
    for (const auto& file : files) {
      all.push_back(file);
      kinds.push_back(kind);
    }
  }
  for (auto _ : state) {
    core::FindingSink sink(Registry());
    for (size_t i = 0; i < all.size(); ++i) suite->secrets(all[i], kinds[i], sink);
    benchmark::DoNotOptimize(sink.findings().data());
  }
  SetThroughput(state, all);
}
BENCHMARK(BM_SecretsPass);

// `bulwark audit TREE` without rendering: discovery, reading, every analyzer,
// suppressions and sorting. Reads the files from the page cache each time.
void BM_AuditTree(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  if (!corpus.error.empty()) {
    state.SkipWithError(corpus.error.c_str());
    return;
  }
  int files = 0;
  size_t findings = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto suite = audit::MakeDefaultCheckSuite();
    audit::AuditOptions options;
    options.root = corpus.root;
    state.ResumeTiming();
    if (!suite.ok()) {
      state.SkipWithError(suite.status().message().c_str());
      return;
    }
    auto outcome = audit::RunAudit(options, Registry(), *suite);
    if (!outcome.ok()) {
      state.SkipWithError(outcome.status().message().c_str());
      return;
    }
    files = outcome->report.files_examined;
    findings = outcome->report.findings.size();
  }
  state.SetItemsProcessed(state.iterations() * files);
  state.counters["files"] = files;
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_AuditTree)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::bench

BENCHMARK_MAIN();
