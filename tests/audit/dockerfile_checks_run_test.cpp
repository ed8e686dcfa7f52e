// Dockerfile checks on RUN bodies: remote scripts, sudo, modes, pipefail,
// verification switches, SSH servers and package-manager hygiene.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/dockerfile_checks_test_util.hpp"

namespace bulwark::audit {
namespace {

using namespace dftest;  // NOLINT(google-build-using-namespace): test helpers

// --- RUN --------------------------------------------------------------------

TEST(DockerfileChecks, RemoteScriptPipedToShell) {
  Audited a = Audit(
      "FROM a:1\nRUN curl -fsSL https://get.example.sh | sudo bash -s -- -y\n"
      "RUN wget -qO- https://x/i.sh | tee log | sh\n"
      "RUN sh -c \"$(curl -fsSL https://raw.example.com/install.sh)\"\n"
      "RUN bash <(wget -qO- https://x/y)\n"
      "RUN curl -s https://api/x | python3 -c 'import json,sys; print(1)'\n"
      "RUN curl -fsSL https://x/k.tgz | tar -xz\n"
      "RUN curl -fsSL https://x/i.sh | sh -s -- --node \"$(hostname)\"\n");
  EXPECT_EQ(Places(a, "BW-DF-031"), (P{{2, 5}, {3, 5}, {4, 5}, {5, 5}, {8, 5}}));
}

TEST(DockerfileChecks, RemoteScriptInHeredocAndExecForm) {
  Audited a = Audit(
      "FROM a:1\nRUN <<EOF\nset -e\ncurl https://x | sh\nEOF\n"
      "RUN python3 <<EOF\nimport os  # curl x | sh is only text here\nEOF\n"
      "RUN [\"/bin/sh\", \"-c\", \"curl https://y | sh\"]\n");
  EXPECT_EQ(Places(a, "BW-DF-031"), (P{{4, 1}, {9, 24}}));
}

TEST(DockerfileChecks, Sudo) {
  Audited a =
      Audit("FROM a:1\nRUN apt-get update && sudo -E apt-get install -y x\nRUN echo sudo\n");
  EXPECT_EQ(Places(a, "BW-DF-032"), (P{{2, 23}}));
}

TEST(DockerfileChecks, WorldWritable) {
  Audited a = Audit(
      "FROM a:1\nRUN chmod 777 /app\nRUN chmod -R o+w /data && chmod a+rwx /x\n"
      "RUN chmod 1777 /tmp/shared && chmod 755 /app && chmod +w /y && chmod 0644 /f\n"
      "RUN mkdir -m 0777 /cache && find /srv -type d -exec chmod 777 {} +\n");
  EXPECT_EQ(Places(a, "BW-DF-033"), (P{{2, 11}, {3, 14}, {3, 33}, {5, 14}, {5, 59}}));
}

TEST(DockerfileChecks, SetuidSetgid) {
  Audited a = Audit(
      "FROM a:1\nRUN chmod u+s /usr/bin/tool\nRUN chmod 4755 /bin/x && chmod g+s /usr/bin/y\n"
      "RUN mkdir -p /shared && chmod g+s /shared && chmod a-s /bin/z\n"
      "RUN install -d -m 2775 /var/run/app\n");
  EXPECT_EQ(Places(a, "BW-DF-034"), (P{{2, 11}, {3, 11}, {3, 32}}));
}

TEST(DockerfileChecks, RunCd) {
  Audited a = Audit("FROM a:1\nRUN cd /app\nRUN cd /src && make\nRUN make -C /x && cd /y\n");
  EXPECT_EQ(Places(a, "BW-DF-038"), (P{{2, 5}, {3, 5}}));
  EXPECT_EQ(Of(a, "BW-DF-038")[0]->severity, core::Severity::kLow);
  EXPECT_EQ(Of(a, "BW-DF-038")[1]->severity, core::Severity::kInfo);
}

TEST(DockerfileChecks, Pipefail) {
  Audited a = Audit(
      "FROM a:1\nRUN curl -fsSL https://x/k.tgz | tar -xz\n"
      "RUN set -euxo pipefail; curl -fsSL https://x | tar -xz\n"
      "RUN echo \"$SHA *f\" | sha256sum -c -\n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
      "RUN wget -O- https://y | gunzip > /y\n");
  EXPECT_EQ(Places(a, "BW-DF-039"), (P{{2, 5}}));
}

TEST(DockerfileChecks, NonPosixShellIsNotShellParsed) {
  Audited a = Audit(
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "RUN powershell -Command iwr https://x | iex; sudo x\n"
      "FROM alpine:3.21\nSHELL [\"pwsh\", \"-c\"]\nRUN curl https://x | sh\n");
  EXPECT_TRUE(Lines(a, "BW-DF-031").empty());
  EXPECT_TRUE(Lines(a, "BW-DF-032").empty());
  EXPECT_TRUE(Lines(a, "BW-DF-039").empty());
}

// --- Hardening ----------------------------------------------------------------

TEST(DockerfileChecks, TlsVerificationDisabled) {
  Audited a = Audit(
      "FROM a:1\nRUN curl -fsSLk https://x -o /x && wget --no-check-certificate https://y\n"
      "RUN git config --global http.sslVerify false && pip install --trusted-host pypi.org x\n"
      "ENV NODE_TLS_REJECT_UNAUTHORIZED=0 PYTHONHTTPSVERIFY=1\n"
      "RUN GIT_SSL_NO_VERIFY=1 git clone https://x && curl -fsSL https://ok\n");
  EXPECT_EQ(Places(a, "BW-DF-035"), (P{{4, 5}, {2, 10}, {2, 41}, {3, 25}, {3, 61}, {5, 5}}));
}

TEST(DockerfileChecks, AptConfigTlsOffAndLookups) {
  Audited a = Audit(
      "FROM debian:12\nRUN echo 'Acquire::https::Verify-Peer \"false\";' > "
      "/etc/apt/apt.conf.d/99x\n"
      "RUN command -v curl | sh -c 'cat >/dev/null'\n");
  EXPECT_EQ(Places(a, "BW-DF-035"), (P{{2, 10}}));
  EXPECT_TRUE(Lines(a, "BW-DF-031").empty());
}

TEST(DockerfileChecks, SignatureVerificationDisabled) {
  Audited a = Audit(
      "FROM a:1\nRUN apt-get install -y --allow-unauthenticated x\nRUN apk add --allow-untrusted "
      "/p.apk\n"
      "RUN yum install -y --nogpgcheck x && echo 'gpgcheck=0' >> /etc/yum.repos.d/x.repo\n"
      "RUN echo 'deb [trusted=yes] http://mirror/ ./' > /etc/apt/sources.list.d/m.list\n"
      "RUN echo 'deb [ trusted=yes ] file:/tmp/repo ./' > /etc/apt/sources.list.d/local.list\n"
      "ENV GOSUMDB=off\nRUN echo 'repo_gpgcheck=0' >> /x.repo\n");
  EXPECT_EQ(Places(a, "BW-DF-036"), (P{{7, 5}, {2, 24}, {3, 13}, {4, 20}, {4, 43}, {5, 10}}));
}

TEST(DockerfileChecks, PlainHttpDownloads) {
  Audited a = Audit(
      "FROM a:1\nRUN curl -fsSLo /x http://example.com/x\n"
      "RUN curl -O http://example.com/f.tgz && echo \"$SHA f.tgz\" | sha256sum -c -\n"
      "RUN curl http://localhost:8080/health && pip install -i http://pypi.local/simple x\n");
  EXPECT_EQ(Places(a, "BW-DF-037"), (P{{2, 20}, {4, 57}}));
}

TEST(DockerfileChecks, InsecureRunFlags) {
  Audited a = Audit(
      "FROM a:1\nRUN --security=insecure make\nRUN --network=host make\nRUN --network=none make\n");
  EXPECT_EQ(Places(a, "BW-DF-040"), (P{{2, 5}}));
  EXPECT_EQ(Places(a, "BW-DF-041"), (P{{3, 5}}));
}

TEST(DockerfileChecks, SshServer) {
  Audited a = Audit(
      "FROM debian:12 AS build\nRUN apt-get install -y openssh-server\n"
      "FROM debian:12\nRUN apt-get install -y --no-install-recommends openssh-server "
      "openssh-client\n"
      "RUN service ssh start\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n");
  EXPECT_EQ(Places(a, "BW-DF-042"), (P{{4, 48}, {5, 13}, {6, 6}}));
}

// --- Package managers -----------------------------------------------------------

TEST(DockerfileChecks, AptInsteadOfAptGet) {
  Audited a = Audit("FROM debian:12\nRUN apt update && apt install -y x\nRUN apt-get update\n");
  EXPECT_EQ(Places(a, "BW-DF-043"), (P{{2, 5}, {2, 19}}));
}

TEST(DockerfileChecks, DistUpgrade) {
  Audited a = Audit(
      "FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y\nRUN apt-get upgrade -y\n");
  EXPECT_EQ(Places(a, "BW-DF-044"), (P{{2, 31}}));
}

TEST(DockerfileChecks, UpdateAlone) {
  Audited a = Audit(
      "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y x\n"
      "RUN apk update\nRUN <<EOF\napt-get update\napt-get install -y y\nEOF\n");
  EXPECT_EQ(Places(a, "BW-DF-045"), (P{{2, 5}, {4, 5}}));
}

TEST(DockerfileChecks, InstallWithoutYes) {
  Audited a = Audit(
      "FROM debian:12\nRUN apt-get install curl\nRUN apt-get install -qq curl && apt-get -y "
      "install git\n"
      "RUN yes | apt-get install x && yum install y && dnf -y install z && zypper install w\n"
      "RUN zypper -n install v && apt-get install -qy u\n");
  EXPECT_EQ(Places(a, "BW-DF-046"), (P{{2, 5}, {4, 32}, {4, 69}}));
}

TEST(DockerfileChecks, NoInstallRecommends) {
  Audited a = Audit(
      "FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12\n"
      "RUN apt-get install -y curl\nRUN apt-get install -y --no-install-recommends git\n"
      "RUN apt-get -o APT::Install-Recommends=false install -y z\n");
  EXPECT_EQ(Places(a, "BW-DF-047"), (P{{4, 5}}));
  EXPECT_TRUE(Lines(Audit("FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > "
                          "/etc/apt/apt.conf.d/x\n"
                          "RUN apt-get install -y curl\n"),
                    "BW-DF-047")
                  .empty());
}

TEST(DockerfileChecks, UnpinnedPackages) {
  Audited a = Audit(
      "FROM debian:12\nRUN apt-get install -y curl=8.5.0-2 git\nRUN apk add --no-cache --virtual "
      ".deps musl-dev\n"
      "RUN pip install flask==3.0.0 requests -r requirements.txt\nRUN npm install -g pnpm@9 "
      "typescript\n"
      "RUN go install golang.org/x/tools/gopls@latest && gem install rails -v 7.1\n"
      "RUN pip install . ./local.whl && npm ci && apt-get install -y ./pkg.deb\n");
  EXPECT_EQ(Places(a, "BW-DF-048"), (P{{2, 37}, {3, 40}, {4, 30}, {5, 27}, {6, 16}}));
}

TEST(DockerfileChecks, AptListsLeft) {
  Audited a = Audit(
      "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf "
      "/var/lib/apt/lists/*\n"
      "RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y "
      "--no-install-recommends z\n");
  EXPECT_EQ(Places(a, "BW-DF-049"), (P{{2, 23}}));
  EXPECT_TRUE(Lines(Audit("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n"
                          "FROM debian:12\n"),
                    "BW-DF-049")
                  .empty());
}

TEST(DockerfileChecks, ApkCache) {
  Audited a = Audit(
      "FROM alpine:3.21\nRUN apk add curl\nRUN apk add --no-cache git\nRUN apk add x && rm -rf "
      "/var/cache/apk/*\n");
  EXPECT_EQ(Places(a, "BW-DF-050"), (P{{2, 5}}));
}

TEST(DockerfileChecks, RpmCache) {
  Audited a = Audit(
      "FROM fedora:41\nRUN dnf install -y x\nRUN yum install -y y && yum clean all\n"
      "RUN microdnf install z && microdnf clean all\nRUN zypper -n in w\n");
  EXPECT_EQ(Places(a, "BW-DF-051"), (P{{2, 5}, {5, 5}}));
}

TEST(DockerfileChecks, PipCache) {
  Audited a = Audit(
      "FROM python:3.13-slim\nRUN pip install flask==3.0.0\nRUN pip install --no-cache-dir x==1\n"
      "RUN python -m pip install y==2\nRUN --mount=type=cache,target=/root/.cache/pip pip install "
      "z==1\n");
  EXPECT_EQ(Places(a, "BW-DF-052"), (P{{2, 5}, {4, 5}}));
  EXPECT_TRUE(
      Lines(Audit("FROM python:3.13-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0\n"),
            "BW-DF-052")
          .empty());
}

}  // namespace
}  // namespace bulwark::audit
