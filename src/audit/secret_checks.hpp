// Secrets scanner (BW-SE-*): finds credentials in any text file. Known token
// formats (AWS, GitHub, GitLab, Slack, Stripe, Google, npm, PyPI, Twilio,
// SendGrid, Heroku, Azure, OpenAI/Anthropic/Hugging Face, JWTs, private
// keys, URLs with passwords, Docker auths) are reported in every file; the
// generic "secret-looking key = high-entropy literal" guess only in
// FileKind::kText files, since Dockerfiles, compose files and Python have
// their own credential checks. Every reported value is masked. A protected
// secret store (an owner-only .env that .gitignore and .dockerignore exclude,
// see secret_store.hpp) is where secrets belong and is not reported.
//
// All patterns live in one Hyperscan database compiled once per run; a scan
// is one block-mode pass over the file, and each candidate is confirmed by
// a precise check on a bounded window, so scanning is linear in the input.
// Files with a NUL byte in their first 8 KiB are treated as binary and
// skipped. A SecretScanner is immutable after Create(); Scan() is const and
// thread-safe (each call uses its own Hyperscan scratch space).
#pragma once

#include <memory>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "core/status.hpp"

struct hs_database;
struct hs_scratch;

namespace bulwark::audit {

core::Status RegisterSecretChecks(core::CheckRegistry& registry);

class SecretScanner {
 public:
  static core::Result<std::unique_ptr<SecretScanner>> Create();
  ~SecretScanner();
  SecretScanner(const SecretScanner&) = delete;
  SecretScanner& operator=(const SecretScanner&) = delete;

  void Scan(const core::SourceFile& file, FileKind kind, core::FindingSink& sink) const;

 private:
  SecretScanner(hs_database* database, hs_scratch* scratch)
      : database_(database), scratch_(scratch) {}

  hs_database* database_;  // owned
  hs_scratch* scratch_;    // owned; a prototype cloned by each Scan()
};

// An analyzer that runs the scanner on files of `kind`. The first form
// compiles its own scanner; the second shares one: shared_ptr because one
// compiled database serves the analyzers of every file kind in a run.
std::unique_ptr<Analyzer> MakeSecretAnalyzer(FileKind kind);
std::unique_ptr<Analyzer> MakeSecretAnalyzer(FileKind kind,
                                             std::shared_ptr<const SecretScanner> scanner);

}  // namespace bulwark::audit
