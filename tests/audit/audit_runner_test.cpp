// The audit runner: parallel runs give exactly the sequential result, and
// whole-set analyzers (Kubernetes) see every file once.
#include "audit/audit_runner.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/render.hpp"
#include "test_support.hpp"

namespace bulwark::audit {
namespace {

std::filesystem::path MakeTree() {
  auto dir = testing::MakeTempDir("bulwark-runner");
  for (int i = 0; i < 12; ++i) {
    auto svc = dir / ("svc" + std::to_string(i));
    testing::WriteFile(svc / "Dockerfile", "FROM python:3.12\nRUN curl -s https://x | sh\n");
    testing::WriteFile(svc / "docker-compose.yml",
                       "services:\n  app:\n    image: app:latest\n    privileged: true\n");
    testing::WriteFile(svc / "app.py", "import os\nos.system('ping ' + input())\n");
    testing::WriteFile(svc / "k8s/deploy.yaml",
                       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app" + std::to_string(i) +
                           "\n  namespace: ns" + std::to_string(i % 3) +
                           "\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n"
                           "        image: app:1\n");
  }
  // A NetworkPolicy for one namespace only: a whole-set check must see it.
  testing::WriteFile(dir / "policies/np.yaml",
                     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n"
                     "  namespace: ns0\nspec:\n  podSelector: {}\n");
  return dir;
}

}  // namespace

TEST(AuditRunner, ParallelEqualsSequential) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterAllChecks(registry).ok());
  auto dir = MakeTree();
  AuditOptions options;
  options.root = dir;
  auto suite = MakeDefaultCheckSuite();
  ASSERT_TRUE(suite.ok());
  auto sequential = RunAudit(options, registry, *suite);
  ASSERT_TRUE(sequential.ok());
  auto factory = MakeDefaultCheckSuiteFactory();
  ASSERT_TRUE(factory.ok());
  for (unsigned jobs : {2u, 4u, 7u}) {
    auto parallel = RunAuditParallel(options, registry, *factory, jobs);
    ASSERT_TRUE(parallel.ok());
    std::string a = core::RenderJson(sequential->report);
    std::string b = core::RenderJson(parallel->report);
    EXPECT_TRUE(a == b) << "jobs=" << jobs << ": parallel output differs from sequential";
    if (a != b && std::getenv("BULWARK_DUMP")) {
      testing::WriteFile("/tmp/seq.json", a);
      testing::WriteFile("/tmp/par.json", b);
    }
  }
  EXPECT_EQ(sequential->report.files_examined, 49);
  // NetworkPolicy coverage is decided across files: ns0 workloads are covered,
  // ns1 and ns2 are not (the exact check is the Kubernetes analyzer's business;
  // here only that coverage differs by namespace, i.e. the policy file was seen).
  int ns0 = 0, others = 0;
  for (const auto& f : sequential->report.findings) {
    if (f.message.find("NetworkPolicy") == std::string::npos) continue;
    (f.message.find("ns0") != std::string::npos ? ns0 : others)++;
  }
  EXPECT_EQ(ns0, 0);
  EXPECT_GT(others, 0);
  std::filesystem::remove_all(dir);
}

TEST(AuditRunner, MissingRootIsAnError) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterAllChecks(registry).ok());
  AuditOptions options;
  options.root = "/nonexistent/bulwark";
  auto factory = MakeDefaultCheckSuiteFactory();
  ASSERT_TRUE(factory.ok());
  auto outcome = RunAuditParallel(options, registry, *factory, 2);
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), core::ErrorCode::kNotFound);
}

}  // namespace bulwark::audit
