// The Loki flags of `bulwark watch` and the sink they make:
//   --loki URL               Loki's base URL (…/loki/api/v1/push is added)
//   --loki-label NAME=VALUE  a static label on every stream (repeatable)
//   --loki-tenant ID         X-Scope-OrgID (or BULWARK_LOKI_TENANT)
//   --loki-token-file FILE   bearer token (or BULWARK_LOKI_TOKEN)
//   --loki-basic-auth-file FILE  "user:password" (or BULWARK_LOKI_BASIC_AUTH)
//   --loki-spool DIR         where undelivered batches wait (survives restarts)
// Secrets are read from files or the environment, never from argv (which
// other users can read in /proc), and never printed.
//
// Not thread-safe; called once while the command starts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.hpp"
#include "runtime/output/loki_sink.hpp"
#include "runtime/output/metrics.hpp"

namespace bulwark::cli {

struct LokiFlags {
  std::string url;
  std::vector<std::string> labels;
  std::string tenant;
  std::string token_file;
  std::string basic_auth_file;
  std::string spool_dir;
};

void AddLokiFlags(CLI::App& command, LokiFlags& flags);

// The sink options the flags (and environment) describe; an error names the
// flag or file at fault but never a secret.
core::Result<runtime::output::LokiOptions> LokiOptionsFromFlags(const LokiFlags& flags);

// The Loki sink, or nullptr when --loki was not given. Its one-line notices
// go to stderr.
core::Result<std::unique_ptr<runtime::output::LokiSink>> MakeLokiSink(
    const LokiFlags& flags, runtime::output::AlertMetrics& metrics);

}  // namespace bulwark::cli
