#include "parse/dockerfile.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::parse {
namespace {

// The text of the file between an instruction's offsets.
std::string Slice(std::string_view text, size_t begin, size_t end) {
  return std::string(text.substr(begin, end - begin));
}

std::vector<std::string> Values(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const Word& w : words) out.push_back(w.value);
  return out;
}

bool HasProblem(const Dockerfile& df, std::string_view needle, int line) {
  for (const DockerfileProblem& p : df.problems) {
    if (p.line == line && p.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(DockerfileParse, KeywordsAreCaseInsensitiveAndPositioned) {
  std::string text = "from alpine:3.19\n  run echo hi\nCmd [\"sh\"]\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_TRUE(df.problems.empty());
  EXPECT_EQ(df.instructions[0].keyword, "FROM");
  const Instruction& run = df.instructions[1];
  EXPECT_EQ(run.keyword, "RUN");
  EXPECT_EQ(run.start_line, 2);
  EXPECT_EQ(run.column, 3);
  EXPECT_EQ(run.raw, "run echo hi");
  EXPECT_EQ(Slice(text, run.begin_offset, run.end_offset), run.raw);
  EXPECT_EQ(run.args_text, "echo hi");
  EXPECT_EQ(run.args_line, 2);
  EXPECT_EQ(run.args_column, 7);
  EXPECT_EQ(df.instructions[2].keyword, "CMD");
}

TEST(DockerfileParse, ContinuationsSkipCommentAndBlankLines) {
  std::string text =
      "FROM debian:12\n"
      "RUN apt-get update \\\n"
      "# a comment inside the continuation\n"
      "\n"
      "    && apt-get install -y curl\n"
      "USER 1000\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  const Instruction& run = df.instructions[1];
  EXPECT_EQ(run.start_line, 2);
  EXPECT_EQ(run.end_line, 5);
  EXPECT_EQ(run.args_text, "apt-get update     && apt-get install -y curl");
  EXPECT_EQ(run.raw, Slice(text, run.begin_offset, run.end_offset));
  // "curl" is on line 5: its file position survives the joining.
  const Word& curl = run.args.back();
  EXPECT_EQ(curl.value, "curl");
  EXPECT_EQ(curl.line, 5);
  EXPECT_EQ(curl.column, 27);
  EXPECT_EQ(Slice(text, curl.offset, curl.end_offset), "curl");
  size_t amp = run.args_text.find("&&");
  EXPECT_EQ(text.substr(run.FileOffset(amp), 2), "&&");
  EXPECT_EQ(df.instructions[2].start_line, 6);
  ASSERT_EQ(df.comments.size(), 1u);
  EXPECT_EQ(df.comments[0].line, 3);
  EXPECT_EQ(df.comments[0].text, "a comment inside the continuation");
}

TEST(DockerfileParse, DoubleEscapeDoesNotContinue) {
  Dockerfile df = ParseDockerfile("FROM a:1\nRUN echo \\\\\nRUN echo b\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[2].start_line, 3);
}

TEST(DockerfileParse, LoneEscapeLines) {
  // Found by fuzzing: a line holding only the escape character.
  std::string text = "FROM a:1\n\\\n   RUN x\n\\";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].keyword, "RUN");
  EXPECT_EQ(df.instructions[1].start_line, 3);
  EXPECT_EQ(df.instructions[1].raw, "RUN x");
}

TEST(DockerfileParse, EscapeDirectiveBacktick) {
  std::string text =
      "# escape=`\n"
      "# syntax=docker/dockerfile:1\n"
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "RUN dir C:\\Windows `\n"
      "    && echo done\n"
      "WORKDIR C:\\app\n";
  Dockerfile df = ParseDockerfile(text);
  EXPECT_EQ(df.escape, '`');
  EXPECT_EQ(df.syntax, "docker/dockerfile:1");
  ASSERT_EQ(df.directives.size(), 2u);
  EXPECT_EQ(df.directives[0].name, "escape");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].args_text, "dir C:\\Windows     && echo done");
  EXPECT_EQ(df.instructions[1].end_line, 5);
  ASSERT_EQ(df.instructions[2].args.size(), 1u);
  EXPECT_EQ(df.instructions[2].args[0].value, "C:\\app");  // '\' is literal with backtick
  EXPECT_TRUE(df.problems.empty());
}

TEST(DockerfileParse, DirectivesOnlyAtTheTop) {
  Dockerfile df = ParseDockerfile("# hello\n# escape=`\nFROM a:1\nRUN echo \\\n  b\n");
  EXPECT_EQ(df.escape, '\\');
  EXPECT_TRUE(df.directives.empty());
  EXPECT_EQ(df.instructions.size(), 2u);
  Dockerfile bad = ParseDockerfile("# escape=x\nFROM a:1\n");
  EXPECT_TRUE(HasProblem(bad, "invalid escape", 1));
}

TEST(DockerfileParse, HeredocRun) {
  std::string text =
      "FROM alpine:3.19\n"
      "RUN <<EOF\n"
      "apk add curl\n"
      "echo done\n"
      "EOF\n"
      "USER app\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  const Instruction& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  const Heredoc& doc = run.heredocs[0];
  EXPECT_EQ(doc.delimiter, "EOF");
  EXPECT_TRUE(doc.expand);
  EXPECT_EQ(doc.content, "apk add curl\necho done\n");
  EXPECT_EQ(doc.first_line, 3);
  EXPECT_EQ(doc.end_line, 5);
  EXPECT_EQ(Slice(text, doc.content_offset, doc.content_offset + doc.content.size()), doc.content);
  EXPECT_EQ(run.end_line, 5);
  EXPECT_EQ(run.raw, "RUN <<EOF\napk add curl\necho done\nEOF");
  EXPECT_EQ(df.instructions[2].start_line, 6);
  EXPECT_TRUE(df.problems.empty());
}

TEST(DockerfileParse, HeredocStripTabsQuotedAndMultiple) {
  std::string text =
      "FROM alpine:3.19\n"
      "COPY <<-\"A\" <<'B' /etc/\n"
      "\tfirst $HOME\n"
      "\tA\n"
      "second\n"
      "B\n"
      "RUN cat <<X > /x && echo ok\n"
      "line\n"
      "X\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  const Instruction& copy = df.instructions[1];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_EQ(copy.heredocs[0].delimiter, "A");
  EXPECT_TRUE(copy.heredocs[0].strip_tabs);
  EXPECT_FALSE(copy.heredocs[0].expand);
  EXPECT_EQ(copy.heredocs[0].content, "\tfirst $HOME\n");
  EXPECT_EQ(copy.heredocs[0].Body(), "first $HOME\n");
  EXPECT_EQ(copy.heredocs[1].delimiter, "B");
  EXPECT_EQ(copy.heredocs[1].content, "second\n");
  EXPECT_EQ(Values(copy.args), (std::vector<std::string>{"<<-A", "<<B", "/etc/"}));
  EXPECT_EQ(df.instructions[2].heredocs.size(), 1u);
  EXPECT_EQ(df.instructions[2].end_line, 9);
}

TEST(DockerfileParse, NotHeredocs) {
  // A space after << is not a heredoc for BuildKit; nor is JSON form or <<<.
  Dockerfile df = ParseDockerfile(
      "FROM a:1\nRUN cat << EOF\nRUN [\"cat\", \"<<EOF\"]\nRUN cat <<<word\nRUN echo '<<EOF'\n");
  ASSERT_EQ(df.instructions.size(), 5u);
  for (const Instruction& inst : df.instructions) EXPECT_TRUE(inst.heredocs.empty());
}

TEST(DockerfileParse, UnterminatedHeredocIsAProblem) {
  std::string text = "FROM a:1\nRUN <<EOF\necho never closed\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 2u);
  const Instruction& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_FALSE(run.heredocs[0].terminated);
  EXPECT_EQ(run.heredocs[0].content, "echo never closed\n");
  EXPECT_EQ(run.end_line, 3);
  EXPECT_TRUE(HasProblem(df, "unterminated heredoc", 2));
}

TEST(DockerfileParse, JsonAndShellForms) {
  std::string text =
      "FROM a:1\n"
      "CMD [\"python\", \"-m\", \"http.server\", \"\\u00e9\"]\n"
      "ENTRYPOINT ['npm', 'start']\n"
      "RUN [ -f /etc/os-release ] && echo yes\n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
      "CMD [1, 2]\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 6u);
  const Instruction& cmd = df.instructions[1];
  EXPECT_TRUE(cmd.json_form);
  EXPECT_EQ(Values(cmd.args),
            (std::vector<std::string>{"python", "-m", "http.server", "\xC3\xA9"}));
  EXPECT_EQ(cmd.args[1].column, 16);
  EXPECT_FALSE(df.instructions[2].json_form);
  EXPECT_TRUE(HasProblem(df, "not valid JSON", 3));
  EXPECT_FALSE(df.instructions[3].json_form);
  EXPECT_FALSE(HasProblem(df, "JSON", 4));
  EXPECT_TRUE(df.instructions[4].json_form);
  EXPECT_TRUE(HasProblem(df, "only strings", 6));
}

TEST(DockerfileParse, Flags) {
  std::string text =
      "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
      "COPY --from=build --chown=app:app --chmod=0755 --link /out/app /usr/bin/app\n"
      "RUN --mount=type=cache,target=/root/.cache --network=none go build\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 3u);
  const Instruction& copy = df.instructions[1];
  ASSERT_EQ(copy.flags.size(), 4u);
  EXPECT_EQ(copy.FindFlag("from")->value, "build");
  EXPECT_EQ(copy.FindFlag("chown")->value, "app:app");
  EXPECT_EQ(copy.FindFlag("chmod")->value, "0755");
  EXPECT_FALSE(copy.FindFlag("link")->has_value);
  EXPECT_EQ(copy.FindFlag("chown")->column, 19);
  const Flag* chown = copy.FindFlag("chown");
  EXPECT_EQ(Slice(text, chown->offset, chown->end_offset), "--chown=app:app");
  EXPECT_EQ(Values(copy.args), (std::vector<std::string>{"/out/app", "/usr/bin/app"}));
  const Instruction& run = df.instructions[2];
  EXPECT_EQ(run.FindFlag("mount")->value, "type=cache,target=/root/.cache");
  EXPECT_EQ(run.args_text, "go build");
  EXPECT_EQ(df.stages[0].platform, "$BUILDPLATFORM");
}

TEST(DockerfileParse, EnvLabelArgPairs) {
  std::string text =
      "ARG A B=2\n"
      "FROM a:1\n"
      "ENV X=1 Y=\"two words\" Z=\n"
      "ENV LEGACY value with  spaces\n"
      "LABEL org.opencontainers.image.title=\"My app\"\n";
  Dockerfile df = ParseDockerfile(text);
  const Instruction& env = df.instructions[2];
  ASSERT_EQ(env.pairs.size(), 3u);
  EXPECT_EQ(env.pairs[1].key, "Y");
  EXPECT_EQ(env.pairs[1].value, "two words");
  EXPECT_EQ(env.pairs[1].column, 9);
  EXPECT_EQ(Slice(text, env.pairs[1].offset, env.pairs[1].end_offset), "Y=\"two words\"");
  EXPECT_EQ(Slice(text, env.pairs[1].value_offset, env.pairs[1].end_offset), "\"two words\"");
  EXPECT_TRUE(env.pairs[2].has_value);
  EXPECT_EQ(env.pairs[2].value, "");
  const Instruction& legacy = df.instructions[3];
  ASSERT_EQ(legacy.pairs.size(), 1u);
  EXPECT_EQ(legacy.pairs[0].key, "LEGACY");
  EXPECT_EQ(legacy.pairs[0].value, "value with  spaces");
  EXPECT_EQ(Slice(text, legacy.pairs[0].offset, legacy.pairs[0].end_offset),
            "LEGACY value with  spaces");
  EXPECT_EQ(df.instructions[4].pairs[0].value, "My app");
  const Instruction& arg = df.instructions[0];
  ASSERT_EQ(arg.pairs.size(), 2u);
  EXPECT_FALSE(arg.pairs[0].has_value);
  EXPECT_EQ(arg.pairs[1].value, "2");
}

TEST(DockerfileParse, MultiStage) {
  std::string text =
      "FROM golang:1.22 AS Build\n"
      "RUN go build -o /app\n"
      "FROM build AS test\n"
      "RUN go test\n"
      "FROM scratch\n"
      "COPY --from=build /app /app\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.stages.size(), 3u);
  EXPECT_EQ(df.stages[0].name, "Build");
  ASSERT_TRUE(df.stages[0].image.has_value());
  EXPECT_EQ(df.stages[0].image->repository, "golang");
  EXPECT_EQ(df.stages[0].image->tag, "1.22");
  EXPECT_EQ(df.stages[1].parent_stage, 0);  // stage names are case-insensitive
  EXPECT_FALSE(df.stages[1].image.has_value());
  EXPECT_TRUE(df.stages[2].scratch);
  EXPECT_EQ(df.stages[2].line, 5);
  EXPECT_EQ(df.stages[1].from_index, 2u);
  EXPECT_EQ(df.stages[1].end_index, 4u);
  EXPECT_EQ(df.instructions[5].stage_index, 2);
  EXPECT_EQ(df.FinalStage(), &df.stages[2]);
  EXPECT_EQ(df.FindStage("BUILD"), 0);
  EXPECT_EQ(df.FindStage("1"), 1);
  EXPECT_EQ(df.FindStage("7"), -1);
  EXPECT_EQ(df.FindStage("nginx"), -1);
}

TEST(DockerfileParse, GlobalArgExpansionInFrom) {
  Dockerfile df = ParseDockerfile(
      "ARG REGISTRY=ghcr.io/acme\n"
      "ARG TAG\n"
      "ARG VARIANT=slim\n"
      "FROM ${REGISTRY}/api:${TAG:-1.4}-$VARIANT AS api\n"
      "FROM $REGISTRY/worker:$TAG\n"
      "FROM ${UNDECLARED}\n");
  ASSERT_EQ(df.stages.size(), 3u);
  EXPECT_EQ(df.stages[0].base_raw, "${REGISTRY}/api:${TAG:-1.4}-$VARIANT");
  EXPECT_EQ(df.stages[0].base, "ghcr.io/acme/api:1.4-slim");
  EXPECT_TRUE(df.stages[0].base_resolved);
  ASSERT_TRUE(df.stages[0].image.has_value());
  EXPECT_EQ(df.stages[0].image->registry, "ghcr.io");
  EXPECT_EQ(df.stages[0].image->repository, "acme/api");
  EXPECT_EQ(df.stages[0].image->tag, "1.4-slim");
  EXPECT_FALSE(df.stages[1].base_resolved);  // ARG TAG has no default
  EXPECT_FALSE(df.stages[1].image.has_value());
  EXPECT_FALSE(df.stages[2].base_resolved);
  EXPECT_TRUE(df.global_args.count("TAG") == 1 && !df.global_args.at("TAG").has_value());
}

TEST(DockerfileParse, ImageReferences) {
  auto ref = ParseImageRef("localhost:5000/team/app:1.2@sha256:abc");
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->registry, "localhost:5000");
  EXPECT_EQ(ref->repository, "team/app");
  EXPECT_EQ(ref->tag, "1.2");
  EXPECT_EQ(ref->digest, "sha256:abc");
  EXPECT_EQ(ref->ToString(), "localhost:5000/team/app:1.2@sha256:abc");
  auto hub = ParseImageRef("library/python");
  ASSERT_TRUE(hub.has_value());
  EXPECT_EQ(hub->registry, "");
  EXPECT_EQ(hub->tag, "");
  EXPECT_FALSE(ParseImageRef("").has_value());
  EXPECT_FALSE(ParseImageRef("a b").has_value());
  EXPECT_FALSE(ParseImageRef("python:").has_value());
}

TEST(DockerfileParse, ExpandVariables) {
  VariableLookup lookup = [](std::string_view name) -> std::optional<std::string> {
    if (name == "SET") return std::string("v");
    if (name == "EMPTY") return std::string();
    return std::nullopt;
  };
  EXPECT_EQ(ExpandVariables("${SET}-$SET", lookup).text, "v-v");
  EXPECT_EQ(ExpandVariables("${EMPTY:-d}|${EMPTY-d}", lookup).text, "d|");
  EXPECT_EQ(ExpandVariables("${SET:+alt}${NONE:+alt}", lookup).text, "alt");
  EXPECT_EQ(ExpandVariables("\\$SET", lookup).text, "$SET");
  EXPECT_FALSE(ExpandVariables("$NONE", lookup).resolved);
  EXPECT_FALSE(ExpandVariables("${SET#v}", lookup).resolved);
  EXPECT_TRUE(ExpandVariables("${NONE:-${SET}}", lookup).resolved);
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "${A:-";
  EXPECT_FALSE(ExpandVariables(deep, lookup).resolved);  // bounded, no crash
}

TEST(DockerfileParse, OnbuildHealthcheckAndSingleStrings) {
  Dockerfile df = ParseDockerfile(
      "FROM node:20\n"
      "ONBUILD COPY . /app\n"
      "ONBUILD RUN <<EOF\nnpm ci\nEOF\n"
      "HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n"
      "HEALTHCHECK NONE\n"
      "USER \"app user\"\n"
      "WORKDIR /srv/app\n");
  ASSERT_EQ(df.instructions.size(), 7u);
  const Instruction& onbuild = df.instructions[1];
  ASSERT_EQ(onbuild.trigger.size(), 1u);
  EXPECT_EQ(onbuild.trigger[0].keyword, "COPY");
  EXPECT_EQ(onbuild.trigger[0].column, 9);
  EXPECT_EQ(Values(onbuild.trigger[0].args), (std::vector<std::string>{".", "/app"}));
  const Instruction& onbuild_run = df.instructions[2];
  ASSERT_EQ(onbuild_run.trigger.size(), 1u);
  ASSERT_EQ(onbuild_run.trigger[0].heredocs.size(), 1u);
  EXPECT_EQ(onbuild_run.trigger[0].heredocs[0].content, "npm ci\n");
  EXPECT_EQ(onbuild_run.end_line, 5);
  const Instruction& health = df.instructions[3];
  EXPECT_EQ(health.FindFlag("interval")->value, "30s");
  EXPECT_EQ(health.args[0].value, "CMD");
  EXPECT_EQ(df.instructions[4].args[0].value, "NONE");
  EXPECT_EQ(df.instructions[5].args[0].value, "app user");
  EXPECT_EQ(df.instructions[6].args[0].value, "/srv/app");
}

TEST(DockerfileParse, CrlfBomAndUnknownInstruction) {
  std::string text =
      "\xEF\xBB\xBF"
      "FROM a:1\r\nRUN echo a \\\r\n  b\r\nFROO bar\r\nUSER 1\r\n";
  Dockerfile df = ParseDockerfile(text);
  ASSERT_EQ(df.instructions.size(), 4u);
  EXPECT_EQ(df.instructions[0].begin_offset, 3u);
  EXPECT_EQ(df.instructions[1].args_text, "echo a   b");
  EXPECT_EQ(df.instructions[1].raw, "RUN echo a \\\r\n  b");
  EXPECT_FALSE(df.instructions[2].known);
  EXPECT_TRUE(HasProblem(df, "unknown instruction 'FROO'", 4));
  EXPECT_EQ(df.instructions[3].keyword, "USER");
  EXPECT_EQ(df.instructions[3].start_line, 5);
}

TEST(DockerfileParse, InstructionBeforeFromAndMissingArguments) {
  Dockerfile df = ParseDockerfile("RUN echo\nFROM\nFROM a:1 as\nCOPY onlyone\n");
  EXPECT_TRUE(HasProblem(df, "RUN before the first FROM", 1));
  EXPECT_TRUE(HasProblem(df, "FROM requires arguments", 2));
  EXPECT_TRUE(HasProblem(df, "FROM expects", 3));
  EXPECT_TRUE(HasProblem(df, "source and a destination", 4));
}

TEST(DockerfileParse, BinaryAndInvalidUtf8NeverCrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 131 + 7) % 256);
  Dockerfile df = ParseDockerfile(junk);
  EXPECT_FALSE(df.problems.empty());
  Dockerfile utf8 =
      ParseDockerfile("FROM a:1\nRUN echo \xff\xfe\xc3\x28\nLABEL k=\"\xed\xa0\x80\"\n");
  EXPECT_EQ(utf8.instructions.size(), 3u);
  EXPECT_TRUE(utf8.problems.empty());
  std::string nul("FROM a:1\nRUN echo \0 x\n", 22);
  EXPECT_EQ(ParseDockerfile(nul).instructions.size(), 2u);
}

TEST(DockerfileParse, FiveMegabytesOfJunkIsBounded) {
  std::string junk;
  junk.reserve(5u << 20);
  const std::string pieces[] = {"RUN <<EOF\n", "\\\n", "[\"x\n", "FROM $(\n", "zz qq\n", "${{{\n"};
  for (size_t i = 0; junk.size() < (5u << 20); ++i) junk += pieces[(i * 7) % 6];
  Dockerfile df = ParseDockerfile(junk);
  EXPECT_FALSE(df.problems.empty());
  EXPECT_LE(df.problems.size(), 201u);
  std::string one_line(5u << 20, 'x');
  EXPECT_EQ(ParseDockerfile(one_line).instructions.size(), 1u);
}

TEST(DockerfileParse, TooLargeIsRefused) {
  std::string huge(kMaxDockerfileBytes + 1, '\n');
  Dockerfile df = ParseDockerfile(huge);
  EXPECT_TRUE(df.instructions.empty());
  ASSERT_EQ(df.problems.size(), 1u);
}

}  // namespace
}  // namespace bulwark::parse
