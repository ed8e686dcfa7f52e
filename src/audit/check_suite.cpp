#include "audit/check_suite.hpp"

#include "audit/compose_checks.hpp"
#include "audit/daemon_checks.hpp"
#include "audit/dockerfile_checks.hpp"
#include "audit/kubernetes_checks.hpp"
#include "audit/python_checks.hpp"
#include "audit/secret_checks.hpp"

namespace bulwark::audit {

core::Status RegisterAllChecks(core::CheckRegistry& registry) {
  RETURN_IF_ERROR(RegisterDockerfileChecks(registry));
  RETURN_IF_ERROR(RegisterComposeChecks(registry));
  RETURN_IF_ERROR(RegisterDaemonChecks(registry));
  RETURN_IF_ERROR(RegisterKubernetesChecks(registry));
  RETURN_IF_ERROR(RegisterPythonChecks(registry));
  RETURN_IF_ERROR(RegisterSecretChecks(registry));
  return core::Status::Ok();
}

namespace {

CheckSuite MakeSuite(std::shared_ptr<const SecretScanner> scanner) {
  CheckSuite suite;
  suite.by_kind[FileKind::kDockerfile] = MakeDockerfileAnalyzer();
  suite.by_kind[FileKind::kCompose] = MakeComposeAnalyzer();
  suite.by_kind[FileKind::kDaemonJson] = MakeDaemonAnalyzer();
  suite.by_kind[FileKind::kKubernetes] = MakeKubernetesAnalyzer();
  suite.by_kind[FileKind::kPython] = MakePythonAnalyzer();
  suite.whole_set_kinds = {FileKind::kKubernetes};
  suite.secrets = [scanner](const core::SourceFile& file, FileKind kind, core::FindingSink& sink) {
    scanner->Scan(file, kind, sink);  // Scan() is const and thread-safe
  };
  return suite;
}

}  // namespace

core::Result<CheckSuiteFactory> MakeDefaultCheckSuiteFactory() {
  // Compiled once (about 150 ms) and shared read-only by every worker's suite.
  ASSIGN_OR_RETURN(std::unique_ptr<SecretScanner> scanner, SecretScanner::Create());
  std::shared_ptr<const SecretScanner> shared(std::move(scanner));
  return CheckSuiteFactory([shared]() -> core::Result<CheckSuite> { return MakeSuite(shared); });
}

core::Result<CheckSuite> MakeDefaultCheckSuite() {
  ASSIGN_OR_RETURN(CheckSuiteFactory factory, MakeDefaultCheckSuiteFactory());
  return factory();
}

}  // namespace bulwark::audit
