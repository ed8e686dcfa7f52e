#include "audit/dockerfile_checks.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "audit/dockerfile_checks_secret_names.hpp"
#include "audit/dockerfile_checks_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::audit {
namespace {

using namespace dftest;  // NOLINT(google-build-using-namespace): test helpers

// --- Registry -----------------------------------------------------------

TEST(DockerfileChecks, RegistryHasCompleteMetadata) {
  const core::CheckRegistry& registry = Registry();
  for (int n = 1; n <= 52; ++n) {
    char id[16];
    std::snprintf(id, sizeof id, "BW-DF-%03d", n);
    const core::CheckInfo* info = registry.Find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_FALSE(info->title.empty()) << id;
    EXPECT_FALSE(info->rationale.empty()) << id;
    EXPECT_FALSE(info->remediation.empty()) << id;
    EXPECT_EQ(info->category, core::Category::kDockerfile) << id;
    const core::References& refs = info->references;
    EXPECT_FALSE(refs.cis.empty() && refs.nist.empty() && refs.cwe.empty() && refs.attack.empty())
        << id;
  }
  core::CheckRegistry again;
  ASSERT_TRUE(RegisterDockerfileChecks(again).ok());
  EXPECT_FALSE(RegisterDockerfileChecks(again).ok());  // duplicates refused
}

TEST(DockerfileChecks, ReferencesAreValidIds) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::set<std::string> attack, nist;
  nlohmann::json techniques =
      nlohmann::json::parse(testing::ReadFile(data / "attack-containers.json"));
  for (const auto& t : techniques["techniques"]) attack.insert(t["id"].get<std::string>());
  nlohmann::json controls =
      nlohmann::json::parse(testing::ReadFile(data / "nist-800-53-container-controls.json"));
  for (const auto& c : controls["controls"]) nist.insert(c["id"].get<std::string>());
  ASSERT_GT(attack.size(), 20u);
  ASSERT_GT(nist.size(), 20u);
  for (const core::CheckInfo* info : Registry().All()) {
    for (const std::string& id : info->references.attack)
      EXPECT_TRUE(attack.count(id)) << info->id << " " << id;
    for (const std::string& id : info->references.nist)
      EXPECT_TRUE(nist.count(id)) << info->id << " " << id;
    for (const std::string& cwe : info->references.cwe)
      EXPECT_EQ(cwe.rfind("CWE-", 0), 0u) << info->id;
  }
}

// --- Final image: user, healthcheck ---------------------------------------

TEST(DockerfileChecks, RootUserExplicit) {
  Audited a = Audit("FROM alpine:3.21\nRUN adduser -D app\nUSER app\nUSER root\n");
  EXPECT_EQ(Places(a, "BW-DF-001"), (P{{4, 6}}));
  EXPECT_EQ(Of(a, "BW-DF-001")[0]->severity, core::Severity::kHigh);
  EXPECT_EQ(Lines(Audit("FROM alpine:3.21\nUSER 0:0\n"), "BW-DF-001"), (V{2}));
}

TEST(DockerfileChecks, RootUserMissingPointsAtFinalFrom) {
  Audited a = Audit(
      "FROM golang:1.24 AS build\nUSER 1000\nRUN go build\nFROM debian:12\nCOPY --from=build /a "
      "/a\n");
  EXPECT_EQ(Places(a, "BW-DF-001"), (P{{4, 1}}));
  EXPECT_EQ(Of(a, "BW-DF-001")[0]->severity, core::Severity::kMedium);
  Audited scratch = Audit("FROM golang:1.24 AS build\nFROM scratch\nCOPY --from=build /a /a\n");
  EXPECT_EQ(Lines(scratch, "BW-DF-001"), (V{2}));
  EXPECT_EQ(Of(scratch, "BW-DF-001")[0]->severity, core::Severity::kHigh);
}

TEST(DockerfileChecks, RootUserNegatives) {
  // Builder stage is root, final stage is not: no finding (Trivy's false positive).
  EXPECT_TRUE(Lines(Audit("FROM golang:1.24 AS build\nUSER root\nRUN make\n"
                          "FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /a /a\n"),
                    "BW-DF-001")
                  .empty());
  EXPECT_TRUE(Lines(Audit("FROM alpine:3.21\nUSER root\nRUN apk add x\nUSER 10001\n"), "BW-DF-001")
                  .empty());
  // USER inherited from the stage this one is built FROM.
  EXPECT_TRUE(
      Lines(Audit("FROM alpine:3.21 AS base\nUSER 10001\nFROM base\nRUN true\n"), "BW-DF-001")
          .empty());
  // Unresolvable variable: no guess.
  EXPECT_TRUE(Lines(Audit("FROM alpine:3.21\nARG UID\nUSER $UID\n"), "BW-DF-001").empty());
  // Resolvable variable is followed.
  EXPECT_EQ(Lines(Audit("FROM alpine:3.21\nARG RUNAS=root\nUSER ${RUNAS}\n"), "BW-DF-001"), (V{3}));
}

TEST(DockerfileChecks, NumericUser) {
  EXPECT_EQ(Places(Audit("FROM alpine:3.21\nUSER app:app\n"), "BW-DF-011"), (P{{2, 6}}));
  EXPECT_TRUE(Lines(Audit("FROM alpine:3.21\nUSER 10001:10001\n"), "BW-DF-011").empty());
}

TEST(DockerfileChecks, Healthcheck) {
  Audited a =
      Audit("FROM node:22 AS build\nHEALTHCHECK CMD true\nFROM node:22-slim\nCMD [\"node\"]\n");
  EXPECT_EQ(Places(a, "BW-DF-002"), (P{{3, 1}}));
  EXPECT_TRUE(
      Lines(Audit("FROM node:22\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/\n"),
            "BW-DF-002")
          .empty());
  EXPECT_TRUE(
      Lines(Audit("FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base\n"), "BW-DF-002").empty());
  EXPECT_EQ(Lines(Audit("FROM node:22\nHEALTHCHECK NONE\n"), "BW-DF-002"), (V{2}));
}

TEST(DockerfileChecks, OverriddenInstructions) {
  Audited a = Audit(
      "FROM a:1\nCMD [\"a\"]\nHEALTHCHECK CMD a\nENTRYPOINT [\"a\"]\nCMD [\"b\"]\n"
      "HEALTHCHECK CMD b\nENTRYPOINT [\"b\"]\nFROM b:1\nCMD [\"c\"]\n");
  EXPECT_EQ(Lines(a, "BW-DF-004"), (V{2}));
  EXPECT_EQ(Lines(a, "BW-DF-003"), (V{3}));
  EXPECT_EQ(Lines(a, "BW-DF-005"), (V{4}));
  Audited one = Audit("FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\nENTRYPOINT [\"x\"]\n");
  EXPECT_TRUE(Lines(one, "BW-DF-004").empty());
  EXPECT_TRUE(Lines(one, "BW-DF-005").empty());
  EXPECT_TRUE(Lines(one, "BW-DF-003").empty());
}

// --- Base images ----------------------------------------------------------

TEST(DockerfileChecks, BaseImageTags) {
  Audited a = Audit(
      "FROM ubuntu AS one\nFROM python:latest AS two\nFROM python:3.13-slim AS three\n"
      "FROM python:3.13-slim@sha256:0123 AS four\nFROM one\nFROM scratch\n");
  EXPECT_EQ(Places(a, "BW-DF-006"), (P{{1, 6}}));
  EXPECT_EQ(Places(a, "BW-DF-007"), (P{{2, 6}}));
  EXPECT_EQ(Places(a, "BW-DF-008"), (P{{3, 6}}));
  EXPECT_NE(Of(a, "BW-DF-006")[0]->message.find("'ubuntu'"), std::string::npos);
}

TEST(DockerfileChecks, BaseImageFromArgs) {
  Audited a =
      Audit("ARG BASE=node:latest\nARG TAG\nFROM $BASE\nFROM node:$TAG\nFROM ${IMG:-redis}\n");
  EXPECT_EQ(Lines(a, "BW-DF-007"), (V{3}));
  EXPECT_NE(Of(a, "BW-DF-007")[0]->message.find("from $BASE"), std::string::npos);
  EXPECT_EQ(Lines(a, "BW-DF-006"), (V{5}));  // default used, resolvable
  // `FROM node:$TAG` with no default is unknown: nothing reported for line 4.
  for (const core::Finding& f : a.findings) EXPECT_NE(f.location.line, 4) << f.id;
}

TEST(DockerfileChecks, ExternalImagesInCopyAndMount) {
  Audited a = Audit(
      "FROM alpine:3.21 AS build\nFROM alpine:3.21\nCOPY --from=build /a /a\n"
      "COPY --from=docker/buildx-bin /buildx /usr/bin/\n"
      "RUN --mount=type=bind,from=busybox:latest,target=/b true\n");
  EXPECT_EQ(Places(a, "BW-DF-006"), (P{{4, 6}}));
  EXPECT_EQ(Places(a, "BW-DF-007"), (P{{5, 5}}));
}

TEST(DockerfileChecks, EndOfLifeBaseImages) {
  Audited a = Audit(
      "FROM python:3.8-slim AS build\nFROM debian:buster-slim\nFROM node:14-alpine3.14\n"
      "FROM python:3.13-slim\nFROM node:22-bookworm\nFROM alpine:3.21\n");
  EXPECT_EQ(Places(a, "BW-DF-020"), (P{{1, 6}, {2, 6}, {3, 6}}));
  EXPECT_EQ(Of(a, "BW-DF-020")[0]->severity, core::Severity::kLow);  // not in the final image
  Audited final = Audit("FROM golang:1.18 AS build\nFROM debian:buster-slim\n");
  EXPECT_EQ(Places(final, "BW-DF-020"), (P{{1, 6}, {2, 6}}));
  EXPECT_EQ(Of(final, "BW-DF-020")[1]->severity, core::Severity::kMedium);
  EXPECT_NE(Of(final, "BW-DF-020")[1]->message.find("Debian 10"), std::string::npos);
  EXPECT_TRUE(
      Lines(Audit("FROM python:3\nFROM golang:1.24\nFROM ubuntu:24.04\n"), "BW-DF-020").empty());
}

// --- Instructions -----------------------------------------------------------

TEST(DockerfileChecks, ExposedPorts) {
  Audited a = Audit("FROM a:1\nEXPOSE 80 22/tcp 2375\nEXPOSE 70000 80/xyz 8000-8010\n");
  EXPECT_EQ(Places(a, "BW-DF-009"), (P{{2, 11}, {2, 18}}));
  EXPECT_EQ(Of(a, "BW-DF-009")[1]->severity, core::Severity::kHigh);
  EXPECT_EQ(Places(a, "BW-DF-010"), (P{{3, 8}, {3, 14}}));
  Audited ok = Audit("FROM a:1 AS build\nEXPOSE 22\nFROM a:1\nEXPOSE 8080 ${PORT}\n");
  EXPECT_TRUE(Lines(ok, "BW-DF-009").empty());  // builder stage does not ship
  EXPECT_TRUE(Lines(ok, "BW-DF-010").empty());
}

TEST(DockerfileChecks, Workdir) {
  Audited a = Audit("FROM a:1\nWORKDIR app\nWORKDIR /proc/self\nWORKDIR /app\nWORKDIR $HOME/x\n");
  EXPECT_EQ(Places(a, "BW-DF-012"), (P{{2, 9}}));
  EXPECT_EQ(Places(a, "BW-DF-013"), (P{{3, 9}}));
  EXPECT_TRUE(Lines(Audit("FROM a:1\nWORKDIR C:\\\\app\nWORKDIR /srv\n"), "BW-DF-012").empty());
}

TEST(DockerfileChecks, Maintainer) {
  EXPECT_EQ(Places(Audit("FROM a:1\nMAINTAINER me <me@x.org>\n"), "BW-DF-014"), (P{{2, 1}}));
  EXPECT_TRUE(Lines(Audit("FROM a:1\nLABEL maintainer=me\n"), "BW-DF-014").empty());
}

TEST(DockerfileChecks, ExecForm) {
  Audited a = Audit("FROM a:1\nCMD ['npm', 'start']\n");
  EXPECT_EQ(Lines(a, "BW-DF-015"), (V{2}));
  EXPECT_EQ(Of(a, "BW-DF-015")[0]->severity, core::Severity::kLow);
  Audited shell = Audit("FROM a:1\nCMD node server.js\n");
  EXPECT_EQ(Lines(shell, "BW-DF-015"), (V{2}));
  EXPECT_EQ(Of(shell, "BW-DF-015")[0]->severity, core::Severity::kInfo);
  EXPECT_TRUE(
      Lines(Audit("FROM a:1 AS b\nCMD x\nFROM a:1\nCMD [\"node\", \"server.js\"]\n"), "BW-DF-015")
          .empty());
}

// --- Stages ---------------------------------------------------------------

TEST(DockerfileChecks, CopyFromOwnStage) {
  Audited a =
      Audit("FROM a:1 AS build\nCOPY --from=build /x /y\nFROM a:1\nCOPY --from=build /x /y\n");
  EXPECT_EQ(Places(a, "BW-DF-016"), (P{{2, 6}}));
}

TEST(DockerfileChecks, DuplicateStageNames) {
  Audited a = Audit("FROM a:1 AS build\nFROM b:1 as BUILD\nFROM c:1 AS other\n");
  EXPECT_EQ(Places(a, "BW-DF-017"), (P{{2, 13}}));
  EXPECT_TRUE(Lines(Audit("FROM a:1 AS x\nFROM b:1 AS y\n"), "BW-DF-017").empty());
}

TEST(DockerfileChecks, CopyWholeFilesystem) {
  Audited a = Audit(
      "FROM a:1 AS build\nFROM b:1\nCOPY --from=build / /\nCOPY --from=build /app/bin/ /app/\n");
  EXPECT_EQ(Places(a, "BW-DF-018"), (P{{3, 19}}));
  EXPECT_TRUE(
      Lines(Audit("FROM b:1\nCOPY / /x\n"), "BW-DF-018").empty());  // build context, not a stage
}

TEST(DockerfileChecks, OnbuildTriggers) {
  Audited a = Audit("FROM a:1\nONBUILD FROM b:1\nONBUILD RUN make\n");
  EXPECT_EQ(Places(a, "BW-DF-019"), (P{{2, 9}}));
}

// --- COPY / ADD -------------------------------------------------------------

TEST(DockerfileChecks, AddRemote) {
  Audited a = Audit(
      "FROM a:1\nADD https://example.com/tool.tgz /opt/\nADD --checksum=sha256:ab https://x.org/f "
      "/f\n"
      "ADD http://example.com/f /f\nADD https://github.com/org/repo.git#v1.0 /src\n"
      "ADD git@github.com:org/repo.git#0123456789abcdef0123456789abcdef01234567 /src\n");
  EXPECT_EQ(Places(a, "BW-DF-021"), (P{{2, 5}, {4, 5}, {5, 5}}));
  EXPECT_NE(Of(a, "BW-DF-021")[1]->message.find("plain HTTP"), std::string::npos);
}

TEST(DockerfileChecks, AddLocal) {
  Audited a = Audit("FROM a:1\nADD app.py /app/\nADD rootfs.tar.gz /\nCOPY app.py /app/\n");
  EXPECT_EQ(Places(a, "BW-DF-022"), (P{{2, 5}}));
  EXPECT_EQ(Places(a, "BW-DF-023"), (P{{3, 5}}));
  EXPECT_TRUE(Lines(Audit("FROM a:1\nCOPY x.tar.gz /\n"), "BW-DF-022").empty());
}

TEST(DockerfileChecks, SecretFiles) {
  Audited a = Audit(
      "FROM a:1\nCOPY id_rsa /root/.ssh/\nCOPY .env /app/\nCOPY --from=b "
      "/etc/ssl/private/server.key /k\n"
      "ADD certs/ca.pem /etc/ssl/\nCOPY .env.example app.py /app/\nCOPY id_rsa.pub "
      "nodesource.gpg.key /x/\n");
  EXPECT_EQ(Places(a, "BW-DF-024"), (P{{2, 6}, {3, 6}, {4, 15}, {5, 5}}));
  EXPECT_EQ(Of(a, "BW-DF-024")[3]->severity, core::Severity::kLow);
}

TEST(DockerfileChecks, WholeContextWithoutDockerignore) {
  std::filesystem::path dir = testing::MakeTempDir("bulwark-df");
  std::string text = "FROM a:1\nCOPY . /app\nCOPY --from=b:1 . /x\n";
  Audited a = Audit(text, dir / "Dockerfile");
  EXPECT_EQ(Places(a, "BW-DF-025"), (P{{2, 6}}));
  EXPECT_TRUE(Lines(Audit(text), "BW-DF-025").empty());  // unknown location: no guess
  testing::WriteFile(dir / "Dockerfile.dockerignore", ".git\n");
  EXPECT_TRUE(Lines(Audit(text, dir / "Dockerfile"), "BW-DF-025").empty());
  std::filesystem::remove(dir / "Dockerfile.dockerignore");
  testing::WriteFile(dir / ".dockerignore", ".git\n");
  EXPECT_TRUE(Lines(Audit(text, dir / "Dockerfile"), "BW-DF-025").empty());
  std::filesystem::remove_all(dir);
}

TEST(DockerfileChecks, CopyDestinationMustBeDirectory) {
  Audited a = Audit("FROM a:1\nCOPY a b /app\nCOPY a b /app/\nCOPY a /app\n");
  EXPECT_EQ(Places(a, "BW-DF-026"), (P{{2, 10}}));
}

// --- Secrets ----------------------------------------------------------------

TEST(DockerfileChecks, EnvSecrets) {
  Audited a = Audit(
      "FROM a:1\nENV DB_PASSWORD=hunter2hunter2\nENV API_KEY $API_KEY\n"
      "ENV PASSWORD_FILE=/run/secrets/db TOKENIZERS_PARALLELISM=false GPG_KEY=ABCDEF0123\n"
      "ENV ALLOW_EMPTY_PASSWORD=yes githubToken=ghp_abcdefgh\n");
  EXPECT_EQ(Places(a, "BW-DF-027"), (P{{2, 5}, {3, 5}, {5, 30}}));
  EXPECT_EQ(Of(a, "BW-DF-027")[0]->severity, core::Severity::kHigh);
  EXPECT_EQ(Of(a, "BW-DF-027")[1]->severity, core::Severity::kMedium);
  EXPECT_EQ(Of(a, "BW-DF-027")[0]->message.find("hunter2hunter2"), std::string::npos);  // masked
}

TEST(DockerfileChecks, SecretNames) {
  using dockerfile::IsSecretName;
  for (const char* name : {"DB_PASSWORD", "dbPassword", "GITHUB_TOKEN", "api-key", "APIKey",
                           "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "MYSQL_ROOT_PASS",
                           "client_secret", "PRIVATE_KEY", "NPM_AUTH_TOKEN", "passphrase"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
  }
  for (const char* name :
       {"PASSWORD_FILE", "TOKEN_URL", "TOKENIZERS_PARALLELISM", "GPG_KEY", "PUBLIC_KEY", "PWD",
        "PASS", "SECRET_KEY_PATH", "password-stdin", "KEY", "PATH", "PASSWORD_MIN_LENGTH", ""}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(DockerfileChecks, MessagesArePrintableAndBounded) {
  std::string long_name(5000, 'a');
  Audited a = Audit("FROM a:1\nENV TOKEN_" + long_name + "=\x1b[31mvalue-" + long_name + "\n");
  ASSERT_EQ(Of(a, "BW-DF-027").size(), 1u);
  const std::string& message = Of(a, "BW-DF-027")[0]->message;
  EXPECT_LE(message.size(), 410u);
  for (char c : message) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
}

TEST(DockerfileChecks, ArgSecrets) {
  Audited a = Audit("ARG NPM_TOKEN\nFROM a:1\nARG DB_PASS=s3cr3t-value\nARG VERSION=1.0\n");
  EXPECT_EQ(Places(a, "BW-DF-028"), (P{{1, 5}, {3, 5}}));
  EXPECT_EQ(Of(a, "BW-DF-028")[0]->severity, core::Severity::kMedium);
  EXPECT_EQ(Of(a, "BW-DF-028")[1]->severity, core::Severity::kHigh);
}

TEST(DockerfileChecks, UrlCredentials) {
  Audited a = Audit(
      "FROM a:1\nRUN git clone https://user:ghp_secretvalue1@github.com/org/repo.git\n"
      "ENV PIP_INDEX_URL=https://ci:${TOKEN}@pypi.example.com/simple\n"
      "RUN curl https://example.com/ && git clone git@github.com:org/repo.git\n");
  EXPECT_EQ(Places(a, "BW-DF-029"), (P{{3, 5}, {2, 15}}));
  EXPECT_EQ(Of(a, "BW-DF-029")[0]->severity, core::Severity::kMedium);
  EXPECT_EQ(Of(a, "BW-DF-029")[1]->severity, core::Severity::kHigh);
}

TEST(DockerfileChecks, RunSecrets) {
  Audited a = Audit(
      "FROM a:1\nRUN docker login --password=Sup3rS3cret -u me\n"
      "RUN curl -u admin:adminpass123 https://x && mysql -pRootPass1 db\n"
      "RUN echo 'root:toor1234' | chpasswd\n"
      "RUN curl -H \"Authorization: Bearer abcdef123456\" https://api\n"
      "RUN docker login --password-stdin < /run/secrets/p && curl -u me:$PASS https://x\n");
  EXPECT_EQ(Places(a, "BW-DF-030"), (P{{2, 18}, {3, 10}, {3, 51}, {4, 10}, {5, 10}}));
}

// --- Robustness -----------------------------------------------------------

TEST(DockerfileChecks, ParseProblemsBecomeDiagnostics) {
  Audited a = Audit("FROM alpine:3.21\nRUN <<EOF\necho never closed\n");
  ASSERT_FALSE(a.diagnostics.empty());
  EXPECT_EQ(a.diagnostics[0].location.line, 2);
  EXPECT_NE(a.diagnostics[0].message.find("unterminated heredoc"), std::string::npos);
  Audited nofrom = Audit("RUN echo hi\n");
  EXPECT_FALSE(nofrom.diagnostics.empty());
}

TEST(DockerfileChecks, HostileInputNeverCrashes) {
  std::string junk;
  for (int i = 0; i < (1 << 20); ++i) junk += static_cast<char>((i * 97 + 13) % 256);
  EXPECT_NO_THROW(Audit(junk));
  std::string lines;
  const std::string pieces[] = {"FROM $(\n",
                                "RUN curl x | sh <<E\n",
                                "COPY --from=a / /\n",
                                "USER root\n",
                                "RUN chmod 777 \\\n",
                                "ENV PASSWORD=x\n",
                                "RUN case a in b|c) x;; esac\n",
                                "EXPOSE 99999999999\n"};
  for (size_t i = 0; lines.size() < (5u << 20); ++i) lines += pieces[(i * 5) % 8];
  Audited a = Audit(lines);
  EXPECT_FALSE(a.diagnostics.empty());
  EXPECT_NO_THROW(Audit(std::string("FROM a:1\nRUN \xff\xfe\xc3\x28 | sh\nUSER \xc0\n")));
  EXPECT_NO_THROW(Audit(""));
}

TEST(DockerfileChecks, CorpusAuditsWithoutDiagnostics) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data / "corpus")) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.find("Dockerfile") == std::string::npos) continue;
    Audited a = Audit(testing::ReadFile(entry.path()), entry.path());
    ++files;
    if (name.find(".template") != std::string::npos) continue;
    EXPECT_TRUE(a.diagnostics.empty()) << entry.path() << ": " << a.diagnostics.front().message;
    for (const core::Finding& f : a.findings) {
      EXPECT_GT(f.location.line, 0) << entry.path() << " " << f.id;
      EXPECT_GT(f.location.column, 0) << entry.path() << " " << f.id;
    }
  }
  EXPECT_GE(files, 160);
}

TEST(DockerfileChecks, OfficialPythonImageFindings) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::filesystem::path file =
      data / "corpus/official-dockerfiles/docker-library-python/3.12/slim-bookworm/Dockerfile";
  Audited a = Audit(testing::ReadFile(file), file);
  EXPECT_EQ(Lines(a, "BW-DF-001"), (V{7}));  // no USER: points at FROM
  EXPECT_EQ(Lines(a, "BW-DF-002"), (V{7}));
  EXPECT_TRUE(Lines(a, "BW-DF-031").empty());
  EXPECT_TRUE(Lines(a, "BW-DF-037").empty());  // downloads are gpg-verified
  EXPECT_TRUE(Lines(a, "BW-DF-049").empty());  // lists are removed
  EXPECT_TRUE(Lines(a, "BW-DF-047").empty());
}

}  // namespace
}  // namespace bulwark::audit
