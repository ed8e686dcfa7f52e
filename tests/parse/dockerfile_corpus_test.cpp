// Conformance: every Dockerfile of the shared corpus (official images,
// awesome-compose) parses; templates may yield problems but never crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "parse/dockerfile.hpp"
#include "test_support.hpp"

namespace bulwark::parse {
namespace {

std::string Slice(std::string_view text, size_t begin, size_t end) {
  return std::string(text.substr(begin, end - begin));
}

std::vector<std::string> Values(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const Word& w : words) out.push_back(w.value);
  return out;
}

const Instruction* LastOf(const Dockerfile& df, std::string_view keyword) {
  const Instruction* last = nullptr;
  for (const Instruction& inst : df.instructions) {
    if (inst.keyword == keyword) last = &inst;
  }
  return last;
}

// Structural facts every well-formed Dockerfile must satisfy.
void ExpectConsistent(const std::string& text, const Dockerfile& df, const std::string& name) {
  size_t previous_end = 0;
  for (const Instruction& inst : df.instructions) {
    EXPECT_TRUE(inst.known) << name << ":" << inst.start_line;
    EXPECT_EQ(inst.raw, Slice(text, inst.begin_offset, inst.end_offset)) << name;
    EXPECT_GE(inst.begin_offset, previous_end) << name << ":" << inst.start_line;
    EXPECT_LE(inst.start_line, inst.end_line) << name;
    for (const Word& word : inst.args) {
      EXPECT_LE(inst.begin_offset, word.offset) << name << ":" << inst.start_line;
      EXPECT_LE(word.end_offset, inst.end_offset) << name << ":" << inst.start_line;
    }
    previous_end = inst.end_offset;
  }
}

TEST(DockerfileCorpus, ParsesEveryCorpusDockerfile) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::filesystem::path root = data / "corpus";
  int files = 0;
  int templates = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.find("Dockerfile") == std::string::npos) continue;
    std::string text = testing::ReadFile(entry.path());
    Dockerfile df = ParseDockerfile(text);  // templates may have problems, never crash
    ++files;
    if (name.size() > 9 && name.substr(name.size() - 9) == ".template") {
      ++templates;
      continue;
    }
    std::string where = entry.path().lexically_relative(root).string();
    EXPECT_TRUE(df.problems.empty())
        << where << ":" << df.problems.front().line << ": " << df.problems.front().message;
    EXPECT_FALSE(df.stages.empty()) << where;
    ExpectConsistent(text, df, where);
  }
  EXPECT_GE(files, 160);
  EXPECT_GE(templates, 10);
}

TEST(DockerfileCorpus, OfficialPythonImages) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  std::filesystem::path python = data / "corpus/official-dockerfiles/docker-library-python";
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(python)) {
    if (entry.path().filename() != "Dockerfile") continue;
    Dockerfile df = ParseDockerfile(testing::ReadFile(entry.path()));
    ASSERT_EQ(df.stages.size(), 1u) << entry.path();
    EXPECT_TRUE(df.problems.empty()) << entry.path();
    ASSERT_TRUE(df.stages[0].image.has_value()) << entry.path();
    std::string repo = df.stages[0].image->repository;
    bool windows = repo.find("windows/") == 0;
    EXPECT_TRUE(repo == "debian" || repo == "alpine" || repo == "buildpack-deps" || windows)
        << repo;
    const Instruction* cmd = LastOf(df, "CMD");
    ASSERT_NE(cmd, nullptr);
    EXPECT_TRUE(cmd->json_form);
    EXPECT_EQ(Values(cmd->args), (std::vector<std::string>{windows ? "python" : "python3"}));
    ++checked;
  }
  EXPECT_GE(checked, 30);
  Dockerfile slim = ParseDockerfile(testing::ReadFile(python / "3.12/slim-bookworm/Dockerfile"));
  EXPECT_EQ(slim.stages[0].base, "debian:bookworm-slim");
  EXPECT_EQ(slim.stages[0].line, 7);
}

TEST(DockerfileCorpus, AwesomeComposeHeredocsAndStages) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  Dockerfile df = ParseDockerfile(
      testing::ReadFile(data / "corpus/awesome-compose/react-express-mongodb/frontend/Dockerfile"));
  EXPECT_EQ(df.syntax, "docker/dockerfile:1.4");
  ASSERT_EQ(df.stages.size(), 2u);
  EXPECT_EQ(df.stages[0].name, "development");
  EXPECT_EQ(df.stages[1].parent_stage, 0);
  const Instruction* expose = LastOf(df, "EXPOSE");
  ASSERT_NE(expose, nullptr);
  EXPECT_EQ(expose->args[0].value, "3000");
  int heredocs = 0;
  for (const Instruction& inst : df.instructions)
    heredocs += static_cast<int>(inst.heredocs.size());
  EXPECT_EQ(heredocs, 2);
}

}  // namespace
}  // namespace bulwark::parse
