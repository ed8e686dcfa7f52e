// Conformance: bulwark's SARIF validates against the official SARIF 2.1.0
// JSON schema (from ../shared/data) with a real validator (Ajv, installed by
// `make test` into tools/npm). Skips loudly when either is absent.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

bool ValidatorInstalled() {
  return std::filesystem::exists(SourceDir() / "tools/npm/node_modules/ajv-draft-04") &&
         RunCommand({"node", "--version"}).exit_code == 0;
}

void ExpectValid(const std::filesystem::path& schema, const std::filesystem::path& doc) {
  auto r = RunCommand({"node", (SourceDir() / "tools/validate-json-schema.cjs").string(), schema.string(),
                       doc.string()});
  EXPECT_EQ(r.exit_code, 0) << doc << " is not valid against " << schema << ":\n" << r.out << r.err;
}

}  // namespace

TEST(SarifSchema, AuditReportValidates) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  if (!ValidatorInstalled()) GTEST_SKIP() << "SKIPPED: Ajv not installed in tools/npm (run `make test-deps`)";
  auto dir = MakeTempDir("bulwark-sarif");
  WriteFile(dir / "svc/Dockerfile", "FROM python:latest\nADD https://example.com/x.tgz /x\nRUN curl -s x | sh\n");
  WriteFile(dir / "svc/app.py", "import os\nPASSWORD = \"supersecretpassword\"\nos.system('a' + input())\n");
  WriteFile(dir / "svc/docker-compose.yml", "services:\n  web:\n    image: nginx\n    privileged: true\n");
  WriteFile(dir / "svc/bad dir/broken.yaml", "services:\n  web: [\n");
  auto out = dir / "report.sarif";
  auto r = RunCommand({BulwarkBinary().string(), "audit", (dir / "svc").string(), "--format", "sarif", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectValid(data / "schemas/sarif-schema-2.1.0.json", out);
  std::filesystem::remove_all(dir);
}

TEST(SarifSchema, ValidatorRejectsInvalidSarif) {
  // Proves the validator is not a rubber stamp: startLine 0 is invalid SARIF.
  BULWARK_REQUIRE_SHARED_DATA(data);
  if (!ValidatorInstalled()) GTEST_SKIP() << "SKIPPED: Ajv not installed in tools/npm (run `make test-deps`)";
  auto dir = MakeTempDir("bulwark-sarif-bad");
  WriteFile(dir / "bad.sarif",
            R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},)"
            R"("locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]})");
  auto r = RunCommand({"node", (SourceDir() / "tools/validate-json-schema.cjs").string(),
                       (data / "schemas/sarif-schema-2.1.0.json").string(), (dir / "bad.sarif").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace bulwark::testing
