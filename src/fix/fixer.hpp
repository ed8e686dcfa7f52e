// Fixer: turns the fixable findings of one file into edits. One fixer per
// file kind (Dockerfile, compose, daemon.json, Kubernetes); the fix runner
// audits, hands each fixer the findings of one file, applies the edits and
// writes the result. A fixer never writes files itself: changes to sibling
// files (an .env for secrets, .gitignore / .dockerignore lines) are returned
// as EnsureLines requests so the runner can merge, show and apply them.
//
// Contract every fixer keeps (tests enforce it):
//  * minimal edits: everything not edited stays byte for byte;
//  * idempotent: fixing the fixed text produces no edit;
//  * the finding is gone when the file is audited again, and no new finding
//    appears;
//  * unparsable text is never edited (an error Status instead).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/status.hpp"
#include "fix/edit.hpp"

namespace bulwark::fix {

// Choices the user makes on the command line.
struct FixOptions {
  std::set<int> public_ports;   // --public PORT: host ports left on all interfaces
  int uid = 10001;              // UID/GID of the non-root user fixes create
  int gid = 10001;
  std::string user_name = "app";
  // Resolves an image reference ("python:3.12-slim") to its repo digest
  // ("sha256:...") through the local daemon; nullopt when unknown. Empty
  // function: digest pinning is skipped with a note.
  std::function<std::optional<std::string>(const std::string& image)> resolve_digest;
};

// Make sure these lines are in a sibling file (relative to the fixed file's
// directory), appending those that are missing; the file is created with
// `mode` when absent. Lines compare as whole lines.
struct EnsureLines {
  std::string relative_path;  // e.g. ".env", ".gitignore"
  std::vector<std::string> lines;
  unsigned mode = 0644;       // for a new file only
  std::string check_id;
};

// Something the user should know: a fix that was not possible, or a step
// to take (e.g. "the daemon must restart").
struct FixNote {
  std::string check_id;
  int line = 0;
  std::string message;
};

struct FixPlan {
  std::vector<TextEdit> edits;               // on the file itself
  std::vector<EnsureLines> sibling_lines;    // on files next to it
  std::vector<FixNote> notes;
  std::set<std::string> fixed_ids;           // check IDs some edit addresses
};

struct FixRequest {
  std::filesystem::path path;               // the file (absolute)
  std::string_view text;                    // its content
  std::vector<core::Finding> findings;      // its fixable findings to address
  const FixOptions* options = nullptr;      // never null when called by the runner
};

class Fixer {
 public:
  virtual ~Fixer() = default;
  // The check IDs this fixer can fix.
  virtual std::set<std::string> FixableChecks() const = 0;
  // Edits for the request's findings; findings of other checks are ignored.
  // An error when the text does not parse.
  virtual core::Result<FixPlan> Plan(const FixRequest& request) const = 0;
};

std::unique_ptr<Fixer> MakeDockerfileFixer();
std::unique_ptr<Fixer> MakeComposeFixer();
std::unique_ptr<Fixer> MakeDaemonJsonFixer();
std::unique_ptr<Fixer> MakeKubernetesFixer();

}  // namespace bulwark::fix
