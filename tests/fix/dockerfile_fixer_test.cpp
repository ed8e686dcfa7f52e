// The Dockerfile fixer, one fix at a time: exact before/after text of every
// fix (each judged by the audit: the finding is gone, no new check ID, a
// second run changes nothing), how fixes of one RUN combine, options, digest
// pinning, what is left alone with a note, and refusal of text that does
// not parse.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "audit/dockerfile_checks.hpp"
#include "core/check_registry.hpp"
#include "fix/dockerfile_fixer_test_util.hpp"

namespace bulwark::fix {
namespace {

using namespace dftest;  // NOLINT(google-build-using-namespace): test helpers
using audit::dftest::Audit;
using audit::dftest::Audited;

// ---- the fixable set ----

TEST(DockerfileFixer, FixableChecksAreTheRegistrysFixableDockerfileChecks) {
  core::CheckRegistry registry;
  ASSERT_TRUE(audit::RegisterDockerfileChecks(registry).ok());
  std::set<std::string> flagged;
  for (const core::CheckInfo* info : registry.All()) {
    if (info->fixable) flagged.insert(info->id);
  }
  EXPECT_EQ(MakeDockerfileFixer()->FixableChecks(), flagged);
}

// ---- one check at a time: exact text ----

struct Case {
  std::string id;
  std::string before;
  std::string after;
};

class OneCheck : public ::testing::TestWithParam<Case> {};

TEST_P(OneCheck, FixesExactlyAndIsJudgedFixed) {
  const Case& c = GetParam();
  Outcome o = Fix(c.before, Options(), c.id);
  EXPECT_EQ(o.after, c.after) << NotesText(o.plan);
  ExpectJudgedFixed(o, c.id);
  // Fixing the rest too, then again, changes nothing more.
  ExpectIdempotent(Fix(o.after).after);
}

const Case kCases[] = {
    {"BW-DF-001",
     "FROM python:3.12-slim\nCOPY app.py /app/\nEXPOSE 8000\nCMD [\"python3\", \"/app/app.py\"]\n",
     "FROM python:3.12-slim\nCOPY app.py /app/\nEXPOSE 8000\n"
     "RUN groupadd --system --gid 10001 app \\\n"
     "    && useradd --system --uid 10001 --gid 10001 --no-create-home --no-log-init --shell "
     "/usr/sbin/nologin app\nUSER 10001:10001\nCMD [\"python3\", \"/app/app.py\"]\n"},
    {"BW-DF-001",  // Alpine: busybox addgroup / adduser
     "FROM node:20-alpine\nCOPY server.js /app/\nCMD [\"node\", \"/app/server.js\"]\n",
     "FROM node:20-alpine\nCOPY server.js /app/\nRUN addgroup -S -g 10001 app \\\n"
     "    && adduser -S -D -H -u 10001 -G app -s /sbin/nologin app\nUSER 10001:10001\n"
     "CMD [\"node\", \"/app/server.js\"]\n"},
    {"BW-DF-001",  // RHEL family
     "FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN dnf install -y nginx && dnf clean all\n",
     "FROM registry.access.redhat.com/ubi9/ubi:9.4\nRUN dnf install -y nginx && dnf clean all\n"
     "RUN groupadd --system --gid 10001 app \\\n"
     "    && useradd --system --uid 10001 --gid 10001 --no-create-home --no-log-init --shell "
     "/sbin/nologin app\nUSER 10001:10001\n"},
    {"BW-DF-001",  // distroless: no shell, numeric USER only
     "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
     "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER 10001:10001\n"
     "ENTRYPOINT [\"/app\"]\n"},
    {"BW-DF-001",  // scratch
     "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
     "FROM scratch\nCOPY app /app\nUSER 10001:10001\nENTRYPOINT [\"/app\"]\n"},
    {"BW-DF-001",  // an existing USER root stays; the new USER comes after the last RUN
     "FROM debian:bookworm-slim\nUSER root\nRUN mkdir /data\nCMD [\"/bin/sh\"]\n",
     "FROM debian:bookworm-slim\nUSER root\nRUN mkdir /data\n"
     "RUN groupadd --system --gid 10001 app \\\n"
     "    && useradd --system --uid 10001 --gid 10001 --no-create-home --no-log-init --shell "
     "/usr/sbin/nologin app\nUSER 10001:10001\nCMD [\"/bin/sh\"]\n"},
    {"BW-DF-001",  // a RUN already creates a user with a numeric UID: reuse it
     "FROM alpine:3.20\nRUN addgroup -g 1000 web && adduser -D -u 1000 -G web web\n",
     "FROM alpine:3.20\nRUN addgroup -g 1000 web && adduser -D -u 1000 -G web web\n"
     "USER 1000:1000\n"},
    {"BW-DF-002",  // curl installed
     "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
     "curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 8080\nUSER 10001\nCMD [\"/srv/app\"]\n",
     "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
     "curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 8080\nUSER 10001\n"
     "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"curl\", "
     "\"-fsS\", \"-o\", \"/dev/null\", \"http://127.0.0.1:8080/\"]\nCMD [\"/srv/app\"]\n"},
    {"BW-DF-002",  // Alpine's busybox wget
     "FROM alpine:3.20\nEXPOSE 80/tcp\nUSER 10001\nCMD [\"/srv/app\"]\n",
     "FROM alpine:3.20\nEXPOSE 80/tcp\nUSER 10001\n"
     "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"wget\", "
     "\"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:80/\"]\nCMD [\"/srv/app\"]\n"},
    {"BW-DF-002",  // Node, and the admin port skipped
     "FROM node:20-slim\nEXPOSE 22 3000\nUSER node\nCMD [\"node\", \"server.js\"]\n",
     "FROM node:20-slim\nEXPOSE 22 3000\nUSER node\n"
     "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"node\", "
     "\"-e\", \"require('http').get('http://127.0.0.1:3000/', (r) => process.exit(r.statusCode "
     "< 400 ? 0 : 1)).on('error', () => process.exit(1))\"]\nCMD [\"node\", \"server.js\"]\n"},
    {"BW-DF-002",  // HEALTHCHECK NONE replaced, not doubled
     "FROM python:3.12-slim\nEXPOSE 5000\nHEALTHCHECK NONE\nUSER 10001\n"
     "CMD [\"python3\", \"app.py\"]\n",
     "FROM python:3.12-slim\nEXPOSE 5000\nHEALTHCHECK --interval=30s --timeout=5s "
     "--start-period=10s --retries=3 CMD [\"python3\", \"-c\", \"import urllib.request; "
     "urllib.request.urlopen('http://127.0.0.1:5000/', timeout=4)\"]\nUSER 10001\n"
     "CMD [\"python3\", \"app.py\"]\n"},
    {"BW-DF-003",
     "FROM alpine:3.20\nHEALTHCHECK CMD [\"true\"]\nHEALTHCHECK --interval=1m CMD [\"true\"]\n",
     "FROM alpine:3.20\nHEALTHCHECK --interval=1m CMD [\"true\"]\n"},
    {"BW-DF-004", "FROM alpine:3.20 AS build\nCMD [\"a\"]\n# the real one\nCMD [\"b\"]\n",
     "FROM alpine:3.20 AS build\n# the real one\nCMD [\"b\"]\n"},
    {"BW-DF-005", "FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nENTRYPOINT [\"/app\"]",
     "FROM alpine:3.20\nENTRYPOINT [\"/app\"]"},
    {"BW-DF-006", "FROM python\nCMD [\"python3\"]\n",
     "FROM python@" + kDigest + "\nCMD [\"python3\"]\n"},
    {"BW-DF-007", "FROM python:latest AS base\nCMD [\"python3\"]\n",
     "FROM python:latest@" + kDigest + " AS base\nCMD [\"python3\"]\n"},
    {"BW-DF-008", "FROM --platform=linux/amd64 python:3.12-slim\n",
     "FROM --platform=linux/amd64 python:3.12-slim@" + kDigest + "\n"},
    {"BW-DF-008",  // COPY --from an image, not a stage
     "FROM scratch\nCOPY --from=alpine:3.20 /etc/passwd /etc/passwd\n",
     "FROM scratch\nCOPY --from=alpine:3.20@" + kDigest + " /etc/passwd /etc/passwd\n"},
    {"BW-DF-009", "FROM alpine:3.20\nEXPOSE 22 8080 5900/tcp\n", "FROM alpine:3.20\nEXPOSE 8080\n"},
    {"BW-DF-009", "FROM alpine:3.20\nEXPOSE 22\nCMD [\"sshd\"]\n",
     "FROM alpine:3.20\nCMD [\"sshd\"]\n"},
    {"BW-DF-011",
     "FROM debian:bookworm-slim\nRUN groupadd -g 2000 web && useradd -u 2000 -g web web\n"
     "USER web:web\n",
     "FROM debian:bookworm-slim\nRUN groupadd -g 2000 web && useradd -u 2000 -g web web\n"
     "USER 2000:2000\n"},
    {"BW-DF-012", "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR ./app/../web\n",
     "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR /srv/web\n"},
    {"BW-DF-014", "FROM alpine:3.20\nMAINTAINER Jane \"JD\" Doe <jane@example.com>\n",
     "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe "
     "<jane@example.com>\"\n"},
    {"BW-DF-015", "FROM python:3.12-slim\nCMD exec gunicorn -b \"0.0.0.0:8000\" app:app\n",
     "FROM python:3.12-slim\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n"},
    {"BW-DF-015",  // single quotes: what the author meant
     "FROM python:3.12-slim\nENTRYPOINT ['python3', 'app.py']\n",
     "FROM python:3.12-slim\nENTRYPOINT [\"python3\", \"app.py\"]\n"},
    {"BW-DF-022", "FROM alpine:3.20\nADD --chown=1:1 conf/ /etc/app/\nadd run.sh /\n",
     "FROM alpine:3.20\nCOPY --chown=1:1 conf/ /etc/app/\ncopy run.sh /\n"},
    {"BW-DF-026", "FROM alpine:3.20\nCOPY a b /dst\nCOPY [\"c\", \"d\", \"/e\"]\n",
     "FROM alpine:3.20\nCOPY a b /dst/\nCOPY [\"c\", \"d\", \"/e/\"]\n"},
    {"BW-DF-032",
     "FROM debian:bookworm-slim\nRUN sudo -E apt-get update && \\\n    sudo chown -R 1:1 /srv\n",
     "FROM debian:bookworm-slim\nRUN apt-get update && \\\n    chown -R 1:1 /srv\n"},
    {"BW-DF-039",  // dash has no pipefail: bash for the stage
     "FROM debian:bookworm-slim\n# fetch\nRUN wget -qO- https://x.example/t.tgz | tar xz\n",
     "FROM debian:bookworm-slim\n# fetch\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
     "RUN wget -qO- https://x.example/t.tgz | tar xz\n"},
    {"BW-DF-039",  // busybox ash has it
     "FROM alpine:3.20\nRUN wget -qO- https://x.example/t.tgz | tar xz\n",
     "FROM alpine:3.20\nRUN set -o pipefail && wget -qO- https://x.example/t.tgz | tar xz\n"},
    {"BW-DF-043", "FROM ubuntu:24.04\nRUN apt show curl && apt install -y curl\n",
     "FROM ubuntu:24.04\nRUN apt-cache show curl && apt-get install -y curl\n"},
    {"BW-DF-045",
     "FROM debian:bookworm-slim AS build\nRUN apt-get update -q\nCOPY . /src\n"
     "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y make\n",
     "FROM debian:bookworm-slim AS build\nCOPY . /src\n"
     "RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y make\n"},
    {"BW-DF-045",  // a comment after the update stays behind
     "FROM debian:bookworm-slim AS build\nRUN apt-get update  # refresh\n"
     "RUN apt-get install -y make\n",
     "FROM debian:bookworm-slim AS build\nRUN apt-get update && apt-get install -y make\n"},
    {"BW-DF-046", "FROM rockylinux:9 AS build\nRUN yum install gcc && zypper in make\n",
     "FROM rockylinux:9 AS build\nRUN yum install -y gcc && zypper in -y make\n"},
    {"BW-DF-047", "FROM debian:bookworm-slim\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
     "FROM debian:bookworm-slim\nRUN [\"apt-get\", \"install\", \"--no-install-recommends\", "
     "\"-y\", "
     "\"curl\"]\n"},
    {"BW-DF-049",
     "FROM debian:bookworm-slim\nRUN apt-get update \\\n && apt-get install -y curl  # tools\n",
     "FROM debian:bookworm-slim\nRUN apt-get update \\\n && apt-get install -y curl && rm -rf "
     "/var/lib/apt/lists/*  # tools\n"},
    {"BW-DF-050", "FROM alpine:3.20\nRUN apk add curl && apk add --virtual .b gcc\n",
     "FROM alpine:3.20\nRUN apk add --no-cache curl && apk add --no-cache --virtual .b gcc\n"},
    {"BW-DF-051", "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y jq\n",
     "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y jq && microdnf "
     "clean all\n"},
    {"BW-DF-052",
     "FROM python:3.12-slim\nRUN pip install flask && python3 -m pip install -r req.txt\n",
     "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask && python3 -m pip install "
     "--no-cache-dir -r req.txt\n"},
};

INSTANTIATE_TEST_SUITE_P(DockerfileFixer, OneCheck, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.id + "_" + std::to_string(info.index);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// ---- several fixes on one instruction ----

TEST(DockerfileFixer, CombinesTheFixesOfOneRunWithoutOverlap) {
  std::string before = "FROM debian:bookworm-slim AS base\nRUN sudo apt install curl\n";
  Outcome o = Fix(before);
  EXPECT_EQ(o.after,
            "FROM debian:bookworm-slim@" + kDigest +
                " AS base\nRUN apt-get install -y --no-install-recommends curl && rm -rf "
                "/var/lib/apt/lists/*\n"
                "RUN groupadd --system --gid 10001 app \\\n"
                "    && useradd --system --uid 10001 --gid 10001 --no-create-home --no-log-init "
                "--shell /usr/sbin/nologin app\nUSER 10001:10001\n");
  for (const char* id : {"BW-DF-001", "BW-DF-008", "BW-DF-032", "BW-DF-043", "BW-DF-046",
                         "BW-DF-047", "BW-DF-049"}) {
    ExpectJudgedFixed(o, id);
  }
  ExpectIdempotent(o.after);
}

// ---- options ----

TEST(DockerfileFixer, UsesTheUidGidAndNameFromOptions) {
  FixOptions options = Options();
  options.uid = 20000;
  options.gid = 30000;
  options.user_name = "svc";
  Outcome o = Fix("FROM alpine:3.20\n", options, "BW-DF-001");
  EXPECT_EQ(o.after,
            "FROM alpine:3.20\nRUN addgroup -S -g 30000 svc \\\n"
            "    && adduser -S -D -H -u 20000 -G svc -s /sbin/nologin svc\nUSER 20000:30000\n");
}

TEST(DockerfileFixer, UnknownDistributionGetsANumericUserAndANote) {
  Outcome o = Fix("FROM myorg/base:1.0\nCMD [\"/app\"]\n", Options(), "BW-DF-001");
  EXPECT_EQ(o.after, "FROM myorg/base:1.0\nUSER 10001:10001\nCMD [\"/app\"]\n");
  EXPECT_TRUE(HasNote(o.plan, "BW-DF-001", "distribution is unknown"));
  // A package manager in a RUN tells the distribution.
  Outcome apk = Fix("FROM myorg/base:1.0\nRUN apk add --no-cache tini\n", Options(), "BW-DF-001");
  EXPECT_NE(apk.after.find("adduser -S -D -H -u 10001"), std::string::npos);
  Outcome minimal =
      Fix("FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\n", Options(), "BW-DF-001");
  EXPECT_EQ(minimal.after,
            "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nUSER 10001:10001\n");
  EXPECT_TRUE(HasNote(minimal.plan, "BW-DF-001", "no useradd"));
}

// ---- digests ----

TEST(DockerfileFixer, PinsOnlyWhatTheDaemonKnows) {
  std::string before =
      "FROM golang:1.23 AS build\nFROM unknown/img:2 AS other\nFROM build\n"
      "COPY --from=build /a /a\nFROM scratch\nCOPY --from=other /b /b\n";
  Outcome o = Fix(before);
  EXPECT_EQ(o.after, "FROM golang:1.23@" + kDigest +
                         " AS build\nFROM unknown/img:2 AS other\nFROM build\n"
                         "COPY --from=build /a /a\nFROM scratch\nCOPY --from=other /b /b\n"
                         "USER 10001:10001\n");
  EXPECT_TRUE(HasNote(o.plan, "BW-DF-008", "'unknown/img:2' is unknown to the daemon"));

  FixOptions no_daemon;  // no resolver at all
  Outcome none = Fix("FROM python:3.12\n", no_daemon, "BW-DF-008");
  EXPECT_EQ(none.after, "FROM python:3.12\n");
  EXPECT_TRUE(HasNote(none.plan, "BW-DF-008", "no Docker daemon"));

  FixOptions bad = Options();
  bad.resolve_digest = [](const std::string&) -> std::optional<std::string> { return "latest"; };
  Outcome invalid = Fix("FROM python:3.12\n", bad, "BW-DF-008");
  EXPECT_TRUE(invalid.plan.edits.empty());

  Outcome variable = Fix("ARG BASE=python:3.12\nFROM ${BASE}\n", Options(), "BW-DF-008");
  EXPECT_TRUE(variable.plan.edits.empty());
  EXPECT_TRUE(HasNote(variable.plan, "BW-DF-008", "variable"));
}

// ---- what is left alone, with a note ----

TEST(DockerfileFixer, NotesWhatItCannotFixSafely) {
  struct Left {
    std::string id;
    std::string text;
    std::string note;
  };
  const Left kLeft[] = {
      {"BW-DF-002", "FROM python:3.12-slim\nUSER 1\n", "EXPOSEs no TCP port"},
      {"BW-DF-002", "FROM debian:bookworm-slim\nEXPOSE 80\nUSER 1\n", "no curl, wget, Python"},
      {"BW-DF-011", "FROM alpine:3.20\nUSER app\n", "numeric UID"},
      {"BW-DF-012", "FROM alpine:3.20\nWORKDIR app\n", "not known here"},
      {"BW-DF-015", "FROM alpine:3.20\nCMD echo $HOME && run\n", "shell features"},
      {"BW-DF-015", "FROM alpine:3.20\nENTRYPOINT run\nCMD [\"--x\"]\n", "receive the CMD"},
      {"BW-DF-022", "FROM alpine:3.20\nADD a.txt b.tar.gz /x/\n", "fetches or extracts"},
      {"BW-DF-032", "FROM debian:bookworm-slim\nUSER app\nRUN sudo make install\n",
       "may not run as root"},
      {"BW-DF-032", "FROM debian:bookworm-slim\nRUN sudo -u app make\n", "changes the user"},
      {"BW-DF-039", "FROM debian:bookworm-slim\nRUN cat x | head -1\n", "head or grep -q"},
      {"BW-DF-039", "FROM myorg/base:1\nRUN a | b\n", "may not support pipefail"},
      {"BW-DF-045", "FROM debian:bookworm-slim\nRUN apt-get update\n", "no later RUN"},
      {"BW-DF-049",
       "FROM debian:bookworm-slim\nRUN if true; then apt-get install -y --no-install-recommends "
       "x; fi\n",
       "does not end with a plain command"},
  };
  for (const Left& left : kLeft) {
    SCOPED_TRACE(left.text);
    Outcome o = Fix(left.text, Options(), left.id);
    EXPECT_EQ(Ids(o.before).count(left.id), 1u);
    EXPECT_EQ(o.after, left.text);
    EXPECT_TRUE(HasNote(o.plan, left.id, left.note)) << NotesText(o.plan);
    EXPECT_EQ(o.plan.fixed_ids.count(left.id), 0u);
  }
}

TEST(DockerfileFixer, FixesOnlyTheFindingsItIsGiven) {
  std::string text =
      "FROM debian:bookworm-slim\nRUN sudo mkdir /a\nRUN sudo mkdir /b  # bulwark:ignore\n";
  Audited audited = Audit(text);
  std::vector<core::Finding> first;
  for (const core::Finding& f : audited.findings) {
    if (f.id == "BW-DF-032" && f.location.line == 2) first.push_back(f);
  }
  ASSERT_EQ(first.size(), 1u);
  FixOptions options = Options();
  core::Result<FixPlan> plan =
      MakeDockerfileFixer()->Plan({"/w/Dockerfile", text, first, &options});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(*ApplyEdits(text, plan->edits),
            "FROM debian:bookworm-slim\nRUN mkdir /a\nRUN sudo mkdir /b  # bulwark:ignore\n");
  // Findings of a text that no longer has them (stale) change nothing.
  std::string fixed = *ApplyEdits(text, plan->edits);
  core::Result<FixPlan> stale =
      MakeDockerfileFixer()->Plan({"/w/Dockerfile", fixed, first, &options});
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->edits.empty());
  // Other checks' findings and no findings at all: nothing to do.
  core::Result<FixPlan> empty = MakeDockerfileFixer()->Plan({"/w/Dockerfile", text, {}, &options});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->edits.empty() && empty->notes.empty());
}

// ---- input that does not parse ----

TEST(DockerfileFixer, RefusesTextThatDoesNotParse) {
  FixOptions options = Options();
  core::Finding finding;
  finding.id = "BW-DF-001";
  for (std::string text : {std::string("this is not a Dockerfile\n"), std::string(""),
                           std::string("RUN echo no FROM\n"),
                           std::string("FROM alpine\nRUN <<EOF\necho never closed\n"),
                           std::string("# escape=x\nFROM alpine\n")}) {
    SCOPED_TRACE(text);
    core::Result<FixPlan> plan =
        MakeDockerfileFixer()->Plan({"/w/Dockerfile", text, {finding}, &options});
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), core::ErrorCode::kParseError);
  }
}

TEST(DockerfileFixer, SkipsFixesOnLinesThatDoNotParse) {
  // The final stage holds an unknown instruction: no USER or HEALTHCHECK is
  // inserted into it; the fix of another stage still happens.
  std::string text =
      "FROM alpine:3.20 AS build\nADD a /a\n"
      "FROM alpine:3.20\nEXPOSE 80\nFROBNICATE now\nCMD [\"/a\"]\n";
  Outcome o = Fix(text);
  EXPECT_EQ(o.after.find("USER"), std::string::npos);
  EXPECT_EQ(o.after.find("HEALTHCHECK"), std::string::npos);
  EXPECT_NE(o.after.find("COPY a /a"), std::string::npos);
  EXPECT_TRUE(HasNote(o.plan, "BW-DF-001", "line 5 does not parse"));
  EXPECT_TRUE(HasNote(o.plan, "BW-DF-002", "line 5 does not parse"));
  EXPECT_NE(o.after.find("FROBNICATE now\n"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::fix
