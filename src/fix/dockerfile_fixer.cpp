// The Dockerfile fixer: parse, refuse what does not parse, let each fix
// module propose changes for the request's findings, keep those the
// validator accepts. Modules live in dockerfile_fixer_*.cpp.
#include <algorithm>

#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix {
namespace dockerfile {

Session::Session(std::string_view text, const parse::Dockerfile& df,
                 const audit::dockerfile::Context& ctx, const FixOptions& options,
                 const std::vector<core::Finding>& findings)
    : text_(text),
      df_(df),
      ctx_(ctx),
      options_(options),
      findings_(findings),
      eol_(DetectLineEnding(text)) {}

bool Session::Has(std::string_view id) const {
  return std::any_of(findings_.begin(), findings_.end(),
                     [&](const core::Finding& f) { return f.id == id; });
}

bool Session::HasAt(std::string_view id, size_t offset) const {
  // Not a structured binding: clang before 16 cannot capture one in a lambda.
  const auto position = df_.Position(offset);
  return std::any_of(findings_.begin(), findings_.end(), [&](const core::Finding& f) {
    return f.id == id && f.location.line == position.first && f.location.column == position.second;
  });
}

bool Session::HasOnLines(std::string_view id, int first, int last) const {
  return std::any_of(findings_.begin(), findings_.end(), [&](const core::Finding& f) {
    return f.id == id && f.location.line >= first && f.location.line <= last;
  });
}

void Session::Note(std::string_view id, int line, std::string message) {
  for (const FixNote& note : notes_) {
    if (note.check_id == id && note.line == line && note.message == message) return;
  }
  notes_.push_back(FixNote{std::string(id), line, std::move(message)});
}

}  // namespace dockerfile

namespace {

using dockerfile::Session;

// Text whose structure the parser could not establish is never edited:
// without a FROM there are no stages, an unterminated heredoc swallows the
// rest of the file, and a broken directive changes how every line reads.
core::Status CheckParsable(std::string_view text, const parse::Dockerfile& df) {
  if (text.size() > parse::kMaxDockerfileBytes) {
    return core::Status(core::ErrorCode::kTooLarge, "Dockerfile is too large to fix");
  }
  if (df.stages.empty()) {
    return core::Status(core::ErrorCode::kParseError,
                        "Dockerfile does not parse: no FROM instruction");
  }
  int last_directive = 0;
  for (const parse::Directive& d : df.directives) last_directive = std::max(last_directive, d.line);
  for (const parse::DockerfileProblem& problem : df.problems) {
    if (problem.line <= last_directive) {
      return core::Status(core::ErrorCode::kParseError, "Dockerfile does not parse: line " +
                                                            std::to_string(problem.line) + ": " +
                                                            problem.message);
    }
  }
  for (const parse::Instruction& inst : df.instructions) {
    const parse::Instruction& target = inst.trigger.empty() ? inst : inst.trigger.front();
    for (const parse::Heredoc& doc : target.heredocs) {
      if (!doc.terminated) {
        return core::Status(core::ErrorCode::kParseError,
                            "Dockerfile does not parse: the heredoc opened on line " +
                                std::to_string(inst.start_line) + " is never closed");
      }
    }
  }
  return core::Status::Ok();
}

class DockerfileFixer : public Fixer {
 public:
  std::set<std::string> FixableChecks() const override {
    return {"BW-DF-001", "BW-DF-002", "BW-DF-003", "BW-DF-004", "BW-DF-005", "BW-DF-006",
            "BW-DF-007", "BW-DF-008", "BW-DF-009", "BW-DF-011", "BW-DF-012", "BW-DF-014",
            "BW-DF-015", "BW-DF-022", "BW-DF-025", "BW-DF-026", "BW-DF-032", "BW-DF-039",
            "BW-DF-043", "BW-DF-045", "BW-DF-046", "BW-DF-047", "BW-DF-049", "BW-DF-050",
            "BW-DF-051", "BW-DF-052"};
  }

  core::Result<FixPlan> Plan(const FixRequest& request) const override {
    static const FixOptions kDefaults;
    const FixOptions& options = request.options != nullptr ? *request.options : kDefaults;
    parse::Dockerfile df = parse::ParseDockerfile(request.text);
    RETURN_IF_ERROR(CheckParsable(request.text, df));

    std::vector<core::Finding> findings;
    std::set<std::string> fixable = FixableChecks();
    for (const core::Finding& f : request.findings) {
      if (fixable.count(f.id) != 0) findings.push_back(f);
    }
    FixPlan plan;
    if (findings.empty()) return plan;

    // The audit's view of the file: RUN scripts, stage facts. Nothing is
    // reported into this sink.
    core::CheckRegistry registry;
    core::FindingSink sink(registry);
    core::SourceFile file{request.path.filename().string(), request.path,
                          std::string(request.text)};
    audit::dockerfile::Context ctx(file, df, sink);
    Session session(request.text, df, ctx, options, findings);

    for (auto module :
         {dockerfile::FixOverridden, dockerfile::FixAdminPorts, dockerfile::FixMaintainer,
          dockerfile::FixAddLocal, dockerfile::FixCopyDestination, dockerfile::FixRelativeWorkdir,
          dockerfile::FixExecForm, dockerfile::FixNamedUser, dockerfile::FixImagePins,
          dockerfile::FixSudo, dockerfile::FixLoneUpdate, dockerfile::FixPipefail,
          dockerfile::FixPackages, dockerfile::FixDockerignore, dockerfile::FixRootUser,
          dockerfile::FixHealthcheck}) {
      module(session);
    }
    plan.edits = dockerfile::AcceptChanges(session, plan.fixed_ids);
    for (EnsureLines& lines : session.siblings()) {
      plan.fixed_ids.insert(lines.check_id);
      plan.sibling_lines.push_back(std::move(lines));
    }
    plan.notes = std::move(session.notes());
    std::stable_sort(plan.notes.begin(), plan.notes.end(),
                     [](const FixNote& a, const FixNote& b) { return a.line < b.line; });
    return plan;
  }
};

}  // namespace

std::unique_ptr<Fixer> MakeDockerfileFixer() { return std::make_unique<DockerfileFixer>(); }

}  // namespace bulwark::fix
