// `bulwark contain` as a user runs it, without a daemon: usage errors exit 2
// before any call, an unreachable daemon exits 3 naming the socket and what
// to do, and the help lists the command.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bulwark::respond {
namespace {

using testing::RunCommand;

testing::CommandResult Contain(std::vector<std::string> args) {
  args.insert(args.begin(), {testing::BulwarkBinary().string(), "contain"});
  return RunCommand(args, {}, {"DOCKER_HOST=unix:///nonexistent/contain-cli.sock"});
}

TEST(ContainCli, UsageErrorsExitTwo) {
  EXPECT_EQ(Contain({"web", "--stop", "--pause"}).exit_code, 2);
  EXPECT_EQ(Contain({"web", "--format", "sarif"}).exit_code, 2);
  EXPECT_EQ(Contain({}).exit_code, 2);
  auto relative = Contain({"web", "--quarantine", "../../etc/passwd"});
  EXPECT_EQ(relative.exit_code, 2);
  EXPECT_NE(relative.err.find("not an absolute path inside the container"), std::string::npos) << relative.err;
  auto name = Contain({"../containers/json?x"});
  EXPECT_EQ(name.exit_code, 2);
  EXPECT_NE(name.err.find("is not a container name or ID"), std::string::npos) << name.err;
  EXPECT_EQ(Contain({"web", "--pid", "0"}).exit_code, 2);
}

TEST(ContainCli, UnreachableDaemonExitsThreeAndSaysWhatToDo) {
  auto result = Contain({"web", "--dry-run"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("unix:///nonexistent/contain-cli.sock"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("dockerd running"), std::string::npos) << result.err;
}

TEST(ContainCli, HelpListsTheCommand) {
  auto help = RunCommand({testing::BulwarkBinary().string(), "--help"});
  EXPECT_NE(help.out.find("contain"), std::string::npos);
  auto own = RunCommand({testing::BulwarkBinary().string(), "help", "contain"});
  EXPECT_EQ(own.exit_code, 0);
  EXPECT_NE(own.out.find("--quarantine"), std::string::npos);
  EXPECT_NE(own.out.find("--dry-run"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::respond
