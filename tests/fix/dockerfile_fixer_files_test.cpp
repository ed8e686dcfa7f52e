// The Dockerfile fixer on whole files: the lab's Dockerfile, goldens
// (tests/fix/golden/dockerfile/NAME.before -> NAME.after and NAME.notes),
// bytes it does not own (comments, continuations, CRLF, no final newline,
// indentation, letter case, the escape directive), the shared corpus of real
// Dockerfiles and the case directories of the generic fix test. Set
// BULWARK_UPDATE_GOLDEN=1 to rewrite the goldens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fix/dockerfile_fixer_test_util.hpp"
#include "parse/dockerfile.hpp"
#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using namespace dftest;  // NOLINT(google-build-using-namespace): test helpers
using audit::dftest::Audit;
using audit::dftest::Audited;

// ---- the lab ----

TEST(DockerfileFixer, LabDockerfileGetsUserHealthcheckAndExecForm) {
  fs::path dir = testing::MakeTempDir("dfix-lab");
  fs::path dockerfile = dir / "Dockerfile";
  std::string lab = testing::ReadFile(testing::SourceDir() / "lab/vulnerable-app/Dockerfile");
  testing::WriteFile(dockerfile, lab);
  Outcome o = Fix(lab, Options(), "", dockerfile);
  std::string golden_dir = (testing::SourceDir() / "tests/fix/golden/dockerfile").string();
  EXPECT_EQ(o.after, testing::ReadFile(fs::path(golden_dir) / "lab.after"));
  EXPECT_NE(o.after.find("\nUSER 10001:10001\n"), std::string::npos);
  EXPECT_NE(o.after.find("HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 "
                         "CMD [\"python3\", \"-c\", \"import urllib.request; "
                         "urllib.request.urlopen('http://127.0.0.1:5000/', timeout=4)\"]"),
            std::string::npos);
  for (const char* id : {"BW-DF-001", "BW-DF-002", "BW-DF-015"}) ExpectJudgedFixed(o, id);
  // The lab image is built locally: no registry digest, so a note.
  EXPECT_TRUE(HasNote(o.plan, "BW-DF-008", "unknown to the daemon"));
  // No .dockerignore yet: one is requested, and the compose file (with the
  // database password) stays out of the image.
  ASSERT_EQ(o.plan.sibling_lines.size(), 1u);
  const EnsureLines& ignore = o.plan.sibling_lines[0];
  EXPECT_EQ(ignore.relative_path, ".dockerignore");
  EXPECT_EQ(ignore.check_id, "BW-DF-025");
  for (const char* line : {".git", "**/.env", "**/*.pem", "docker-compose*.yml"}) {
    EXPECT_NE(std::find(ignore.lines.begin(), ignore.lines.end(), line), ignore.lines.end())
        << line;
  }
  std::string ignore_text;
  for (const std::string& line : ignore.lines) ignore_text += line + "\n";
  testing::WriteFile(dir / ".dockerignore", ignore_text);
  Audited after = Audit(o.after, dockerfile);
  EXPECT_EQ(Ids(after).count("BW-DF-025"), 0u);
  EXPECT_EQ(Ids(after), (std::set<std::string>{"BW-DF-008"}));
  ExpectIdempotent(o.after);
  fs::remove_all(dir);
}

// ---- goldens ----

TEST(DockerfileFixer, Goldens) {
  fs::path dir = testing::SourceDir() / "tests/fix/golden/dockerfile";
  bool update = std::getenv("BULWARK_UPDATE_GOLDEN") != nullptr;
  int count = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".before") continue;
    ++count;
    SCOPED_TRACE(entry.path().filename().string());
    std::string before = testing::ReadFile(entry.path());
    Outcome o = Fix(before);
    fs::path after_path = fs::path(entry.path()).replace_extension(".after");
    fs::path notes_path = fs::path(entry.path()).replace_extension(".notes");
    if (update) {
      testing::WriteFile(after_path, o.after);
      testing::WriteFile(notes_path, NotesText(o.plan));
    }
    EXPECT_EQ(o.after, testing::ReadFile(after_path));
    EXPECT_EQ(NotesText(o.plan), testing::ReadFile(notes_path));
    for (const std::string& id : Ids(o.audited_after)) {
      EXPECT_EQ(Ids(o.before).count(id), 1u) << "new finding " << id;
    }
    for (const std::string& id : o.plan.fixed_ids) {
      if (id != "BW-DF-025") {
        EXPECT_LT(Count(o.audited_after, id), Count(o.before, id)) << id;
      }
    }
    ExpectIdempotent(o.after);
  }
  EXPECT_GE(count, 5);
}

// ---- bytes the fixer does not own ----

TEST(DockerfileFixer, KeepsCrlfCommentsContinuationsAndMissingFinalNewline) {
  std::string before =
      "# syntax=docker/dockerfile:1\r\n"
      "  # indented comment\r\n"
      "FROM python:3.12-slim\r\n"
      "\r\n"
      "RUN apt-get update \\\r\n"
      "    # why: tools\r\n"
      "    && apt-get install -y --no-install-recommends curl \\\r\n"
      "    && rm -rf /var/lib/apt/lists/*   \r\n"
      "EXPOSE 8000\r\n"
      "ADD app.py /app/\r\n"
      "CMD python3 /app/app.py";
  Outcome o = Fix(before);
  std::string expected =
      "# syntax=docker/dockerfile:1\r\n"
      "  # indented comment\r\n"
      "FROM python:3.12-slim@" +
      kDigest +
      "\r\n"
      "\r\n"
      "RUN apt-get update \\\r\n"
      "    # why: tools\r\n"
      "    && apt-get install -y --no-install-recommends curl \\\r\n"
      "    && rm -rf /var/lib/apt/lists/*   \r\n"
      "EXPOSE 8000\r\n"
      "COPY app.py /app/\r\n"
      "RUN groupadd --system --gid 10001 app \\\r\n"
      "    && useradd --system --uid 10001 --gid 10001 --no-create-home --no-log-init --shell "
      "/usr/sbin/nologin app\r\n"
      "USER 10001:10001\r\n"
      "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"curl\", "
      "\"-fsS\", \"-o\", \"/dev/null\", \"http://127.0.0.1:8000/\"]\r\n"
      "CMD [\"python3\", \"/app/app.py\"]";
  EXPECT_EQ(o.after, expected) << NotesText(o.plan);
  EXPECT_EQ(o.after.back(), ']');
  for (size_t i = 0; i < o.after.size(); ++i) {
    if (o.after[i] == '\n') {
      EXPECT_EQ(o.after[i - 1], '\r') << "lone LF at " << i;
    }
  }
  ExpectIdempotent(o.after);
}

TEST(DockerfileFixer, AppendsAtTheEndOfAFileWithoutFinalNewline) {
  Outcome o = Fix("FROM alpine:3.20\nCOPY app /app", Options(), "BW-DF-001");
  EXPECT_EQ(o.after,
            "FROM alpine:3.20\nCOPY app /app\nRUN addgroup -S -g 10001 app \\\n"
            "    && adduser -S -D -H -u 10001 -G app -s /sbin/nologin app\nUSER 10001:10001");
}

TEST(DockerfileFixer, FollowsIndentationLetterCaseAndEscapeDirective) {
  std::string before =
      "# escape=`\n"
      "from alpine:3.20\n"
      "  run apk add --no-cache curl\n"
      "  expose 8080\n"
      "  cmd [\"/srv/app\"]\n";
  Outcome o = Fix(before);
  EXPECT_EQ(o.after,
            "# escape=`\n"
            "from alpine:3.20@" +
                kDigest +
                "\n"
                "  run apk add --no-cache curl\n"
                "  expose 8080\n"
                "  run addgroup -S -g 10001 app `\n"
                "      && adduser -S -D -H -u 10001 -G app -s /sbin/nologin app\n"
                "  user 10001:10001\n"
                "  healthcheck --interval=30s --timeout=5s --start-period=10s --retries=3 CMD "
                "[\"curl\", \"-fsS\", \"-o\", \"/dev/null\", \"http://127.0.0.1:8080/\"]\n"
                "  cmd [\"/srv/app\"]\n");
  ExpectIdempotent(o.after);
}

// ---- the build context ----

TEST(DockerfileFixer, AddOfAnArchiveUnderAnyNameStaysAdd) {
  fs::path dir = testing::MakeTempDir("dfix-add");
  fs::path dockerfile = dir / "Dockerfile";
  std::string text = "FROM alpine:3.20\nADD bundle.dat /opt/\n";
  testing::WriteFile(dockerfile, text);
  testing::WriteFile(dir / "bundle.dat", std::string("\x1f\x8b\x08\x00 gzip data", 15));
  Outcome archive = Fix(text, Options(), "BW-DF-022", dockerfile);
  EXPECT_EQ(archive.after, text);
  EXPECT_TRUE(HasNote(archive.plan, "BW-DF-022", "extracts"));
  testing::WriteFile(dir / "bundle.dat", "plain data\n");
  Outcome plain = Fix(text, Options(), "BW-DF-022", dockerfile);
  EXPECT_EQ(plain.after, "FROM alpine:3.20\nCOPY bundle.dat /opt/\n");
  fs::remove_all(dir);
}

// ---- real Dockerfiles ----

// Every Dockerfile of the shared corpus (official images, awesome-compose):
// the plan applies, the result parses as well as before, no finding ID
// appears that was not there, no fixed ID is found as often as before, and
// a second run changes nothing.
TEST(DockerfileFixer, CorpusFixesAreSafeAndIdempotent) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  int files = 0;
  int changed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data / "corpus")) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.find("Dockerfile") == std::string::npos) continue;
    SCOPED_TRACE(entry.path().lexically_relative(data).string());
    std::string text = testing::ReadFile(entry.path());
    Audited before = Audit(text);
    FixOptions options = Options();
    core::Result<FixPlan> plan =
        MakeDockerfileFixer()->Plan({"/w/Dockerfile", text, before.findings, &options});
    ++files;
    if (!plan.ok()) continue;  // templates that do not parse
    core::Result<std::string> after = ApplyEdits(text, plan->edits);
    ASSERT_TRUE(after.ok()) << after.status().message();
    if (*after != text) ++changed;
    Audited audited = Audit(*after);
    EXPECT_LE(audited.diagnostics.size(), before.diagnostics.size());
    for (const std::string& id : Ids(audited)) EXPECT_EQ(Ids(before).count(id), 1u) << id;
    for (const std::string& id : plan->fixed_ids) {
      if (id != "BW-DF-025") {
        EXPECT_LT(Count(audited, id), Count(before, id)) << id;
      }
    }
    ExpectIdempotent(*after);
  }
  EXPECT_GE(files, 160);
  EXPECT_GE(changed, 100);
}

// ---- hostile input ----

// Mutants of the goldens and case files (fragments inserted, lines dropped
// or doubled, bytes changed, text cut short): the fixer never crashes, its
// edits always apply, the result never parses worse, and a second run has
// nothing left to change. Deterministic (fixed seed).
TEST(DockerfileFixer, MutatedFilesNeverBreakTheFixer) {
  std::vector<std::string> inputs;
  for (const char* dir : {"tests/fix/golden/dockerfile", "tests/fix/cases"}) {
    for (const auto& entry : fs::recursive_directory_iterator(testing::SourceDir() / dir)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() &&
          (name == "Dockerfile" || entry.path().extension() == ".before")) {
        inputs.push_back(testing::ReadFile(entry.path()));
      }
    }
  }
  ASSERT_FALSE(inputs.empty());
  const std::vector<std::string> fragments = {
      "RUN sudo apt install curl | tee /log\n",
      "EXPOSE 22 ${PORT} 80-90/udp 2375\n",
      "USER ${APP_USER}\n",
      "USER root\n",
      "CMD ['python', \"app.py\"]\n",
      "CMD run $X\n",
      "FROM scratch AS x\n",
      "FROM builder\n",
      "HEALTHCHECK NONE\n",
      "HEALTHCHECK CMD true\n",
      "ADD --checksum=sha256:00 http://a/b /c\n",
      "ADD a.tgz b /c\n",
      "COPY a b c\n",
      "WORKDIR rel\n",
      "RUN <<EOF\napt-get install x\nEOF\n",
      "\\\n",
      "# c\n",
      "\r\n",
      "MAINTAINER \"x\n",
      "ONBUILD RUN sudo x\n",
      "RUN [\"sudo\", \"apt\", \"install\", \"x\"]\n",
      "SHELL [\"cmd\", \"/S\", \"/C\"]\n",
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n",
      "ARG BASE=alpine\nFROM $BASE\n",
      "RUN apk add x; \\\n",
      "RUN apt-get update\n",
      "RUN pip install x && yum install y\n",
      "RUN useradd -u 5 -g web web\n",
      "USER web:web\n",
      "COPY --from=unknown:1 / /\n",
      "RUN --mount=type=cache,from=a:b,target=/x true\n",
      "EXPOSE 8080\n",
      "RUN curl -s x | sh\n",
      "RUN if a; then apt-get install b; fi\n"};
  // BULWARK_FIX_MUTANTS / BULWARK_FIX_SEED run more or other mutants.
  const char* mutants_env = std::getenv("BULWARK_FIX_MUTANTS");
  const char* seed_env = std::getenv("BULWARK_FIX_SEED");
  const int mutants = mutants_env != nullptr ? std::atoi(mutants_env) : 1500;
  std::mt19937 rng(seed_env != nullptr ? static_cast<unsigned>(std::atol(seed_env)) : 20241123u);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  FixOptions options = Options();
  int planned = 0;
  for (int i = 0; i < mutants; ++i) {
    std::string text = inputs[pick(inputs.size())];
    for (size_t m = 0, count = 1 + pick(4); m < count; ++m) {
      size_t at = text.empty() ? 0 : pick(text.size() + 1);
      size_t line = text.rfind('\n', at == 0 ? 0 : at - 1);
      line = line == std::string::npos ? 0 : line + 1;
      size_t next = std::min(text.find('\n', at), text.size());
      switch (pick(5)) {
        case 0:
          text.insert(line, fragments[pick(fragments.size())]);
          break;
        case 1:
          text.erase(line, std::min(next + 1, text.size()) - line);
          break;
        case 2:
          text.insert(line, text.substr(line, std::min(next + 1, text.size()) - line));
          break;
        case 3:
          if (at < text.size()) text[at] = "\\\"'`[]$# \n"[pick(10)];
          break;
        default:
          text.resize(at);
          break;
      }
    }
    SCOPED_TRACE(text);
    for (int round = 0; round < 2; ++round) {
      Audited audited = Audit(text);
      core::Result<FixPlan> plan =
          MakeDockerfileFixer()->Plan({"/w/Dockerfile", text, audited.findings, &options});
      if (!plan.ok()) break;
      ++planned;
      if (round == 1) {
        EXPECT_TRUE(plan->edits.empty()) << "not idempotent";
      }
      core::Result<std::string> after = ApplyEdits(text, plan->edits);
      ASSERT_TRUE(after.ok()) << after.status().message();
      EXPECT_LE(parse::ParseDockerfile(*after).problems.size(),
                parse::ParseDockerfile(text).problems.size());
      text = std::move(after).value();
    }
  }
  EXPECT_GT(planned, mutants * 2 / 3);
}

// ---- the case directories the generic fix test runs ----

TEST(DockerfileFixer, CaseDirectoriesAreFixedAndStayFixed) {
  std::set<std::string> fixable = MakeDockerfileFixer()->FixableChecks();
  std::set<std::string> seen;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(testing::SourceDir() / "tests/fix/cases")) {
    std::string id = entry.path().filename().string();
    if (id.rfind("BW-DF-", 0) != 0) continue;
    SCOPED_TRACE(id);
    seen.insert(id);
    EXPECT_EQ(fixable.count(id), 1u) << "a case for a check the fixer does not fix";
    fs::path dir = testing::MakeTempDir("dfix-case");
    fs::path dockerfile = dir / "Dockerfile";
    std::string text = testing::ReadFile(entry.path() / "Dockerfile");
    testing::WriteFile(dockerfile, text);
    Outcome o = Fix(text, Options(), "", dockerfile);
    for (const EnsureLines& lines : o.plan.sibling_lines) {
      std::string body;
      for (const std::string& line : lines.lines) body += line + "\n";
      testing::WriteFile(dir / lines.relative_path, body);
    }
    Audited after = Audit(o.after, dockerfile);
    EXPECT_EQ(Ids(o.before).count(id), 1u) << "the case does not trigger " << id;
    EXPECT_EQ(Ids(after).count(id), 0u) << id << " still found:\n" << o.after;
    for (const std::string& other : Ids(after)) {
      EXPECT_EQ(Ids(o.before).count(other), 1u) << "new finding " << other;
    }
    ExpectIdempotent(o.after);
    fs::remove_all(dir);
  }
  EXPECT_EQ(seen, fixable) << "every fixable check needs a case directory";
}

}  // namespace
}  // namespace bulwark::fix
