// Analyzer: checks one kind of file. The audit driver hands every file of the
// kind to Analyze(), then calls Finish() once for checks that need the whole
// set (e.g. "no NetworkPolicy in this namespace"). An analyzer reports through
// the sink and never throws; malformed input becomes a diagnostic.
// Not thread-safe; the driver uses one analyzer per kind per run.
#pragma once

#include <memory>

#include "core/finding_sink.hpp"
#include "core/source_file.hpp"

namespace bulwark::audit {

enum class FileKind {
  kDockerfile,
  kCompose,
  kDaemonJson,
  kKubernetes,
  kPython,
  kText,  // any other text file: only the secrets pass runs on it
};

const char* FileKindName(FileKind kind);

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual void Analyze(const core::SourceFile& file, core::FindingSink& sink) = 0;
  virtual void Finish(core::FindingSink& /*sink*/) {}
};

}  // namespace bulwark::audit
