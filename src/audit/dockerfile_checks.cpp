#include "audit/dockerfile_checks.hpp"

#include <exception>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit {
namespace {

using dockerfile::DockerfileCheck;

std::vector<DockerfileCheck> AllChecks() {
  std::vector<DockerfileCheck> all;
  for (auto group :
       {dockerfile::ImageChecks, dockerfile::StageChecks, dockerfile::InstructionChecks,
        dockerfile::CopyChecks, dockerfile::SecretChecks, dockerfile::RunChecks,
        dockerfile::PermissionChecks, dockerfile::HardeningChecks, dockerfile::PackageChecks,
        dockerfile::PinningChecks, dockerfile::LifecycleChecks}) {
    for (DockerfileCheck& check : group()) all.push_back(std::move(check));
  }
  return all;
}

// Built once; read-only afterwards (function-local static: thread-safe init).
const std::vector<DockerfileCheck>& Checks() {
  static const std::vector<DockerfileCheck> checks = AllChecks();
  return checks;
}

class DockerfileAnalyzer : public Analyzer {
 public:
  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    try {
      parse::Dockerfile dockerfile = parse::ParseDockerfile(file.content);
      CheckDockerfile(file, dockerfile, sink);
    } catch (const std::exception& e) {
      // Only allocation failures can get here; keep the rest of the audit going.
      sink.Diagnose(core::Location{file.path, 0, 0, 0, 0},
                    std::string("Dockerfile analysis stopped: ") + e.what());
    }
  }
};

}  // namespace

core::Status RegisterDockerfileChecks(core::CheckRegistry& registry) {
  for (const DockerfileCheck& check : Checks()) RETURN_IF_ERROR(registry.Add(check.info));
  return core::Status::Ok();
}

std::unique_ptr<Analyzer> MakeDockerfileAnalyzer() {
  return std::make_unique<DockerfileAnalyzer>();
}

void CheckDockerfile(const core::SourceFile& file, const parse::Dockerfile& dockerfile,
                     core::FindingSink& sink) {
  for (const parse::DockerfileProblem& problem : dockerfile.problems) {
    sink.Diagnose(core::Location{file.path, problem.line, problem.column, 0, 0},
                  "Dockerfile: " + problem.message);
  }
  if (dockerfile.stages.empty()) {
    if (!dockerfile.instructions.empty() || !file.content.empty()) {
      sink.Diagnose(core::Location{file.path, 0, 0, 0, 0}, "Dockerfile: no FROM instruction");
    }
    if (dockerfile.instructions.empty()) return;
  }
  dockerfile::Context ctx(file, dockerfile, sink);
  for (const DockerfileCheck& check : Checks()) {
    if (check.run != nullptr) check.run(ctx);
  }
}

}  // namespace bulwark::audit
