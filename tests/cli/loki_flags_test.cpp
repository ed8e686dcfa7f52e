// `bulwark watch`'s Loki flags: parsed into sink options with the push URL,
// static labels, tenant and auth headers from files or the environment;
// bad labels, unreadable files and secrets with newlines are errors that do
// not quote the secret; without --loki there is no sink.
#include "cli/loki_flags.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace bulwark::cli {
namespace {

namespace fs = std::filesystem;

LokiFlags Parse(std::vector<std::string> args) {
  CLI::App app;
  LokiFlags flags;
  AddLokiFlags(app, flags);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  return flags;
}

class LokiFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("bulwark-loki-flags");
    unsetenv("BULWARK_LOKI_TOKEN");
    unsetenv("BULWARK_LOKI_TENANT");
    unsetenv("BULWARK_LOKI_BASIC_AUTH");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(LokiFlagsTest, FlagsBecomeSinkOptions) {
  testing::WriteFile(dir_ / "token", "t0k3n\n");
  LokiFlags flags = Parse({"--loki", "http://loki:3100/", "--loki-label", "env=prod",
                           "--loki-label", "cluster=eu-1", "--loki-tenant", "team-a",
                           "--loki-token-file", (dir_ / "token").string(), "--loki-spool",
                           (dir_ / "spool").string()});
  auto options = LokiOptionsFromFlags(flags);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->http.url, "http://loki:3100/loki/api/v1/push");
  EXPECT_EQ(options->http.headers, (std::vector<std::string>{"X-Scope-OrgID: team-a",
                                                             "Authorization: Bearer t0k3n"}));
  EXPECT_EQ(options->extra_labels.size(), 2u);
  EXPECT_EQ(options->extra_labels[0].first, "env");
  ASSERT_TRUE(options->spool.has_value());
  EXPECT_EQ(options->spool->dir, dir_ / "spool");
}

TEST_F(LokiFlagsTest, SecretsFromTheEnvironment) {
  setenv("BULWARK_LOKI_BASIC_AUTH", "user:pa:ss", 1);
  setenv("BULWARK_LOKI_TENANT", "t", 1);
  auto options = LokiOptionsFromFlags(Parse({"--loki", "https://loki"}));
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  // base64("user:pa:ss")
  EXPECT_EQ(options->http.headers,
            (std::vector<std::string>{"X-Scope-OrgID: t", "Authorization: Basic dXNlcjpwYTpzcw=="}));
  unsetenv("BULWARK_LOKI_BASIC_AUTH");
  unsetenv("BULWARK_LOKI_TENANT");
}

TEST_F(LokiFlagsTest, ErrorsNeverQuoteSecrets) {
  testing::WriteFile(dir_ / "token", "SECRET\nX-Injected: 1\n");
  auto bad = LokiOptionsFromFlags(
      Parse({"--loki", "http://l", "--loki-token-file", (dir_ / "token").string()}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("SECRET"), std::string::npos);
  testing::WriteFile(dir_ / "basic", "SECRET-without-colon");
  bad = LokiOptionsFromFlags(
      Parse({"--loki", "http://l", "--loki-basic-auth-file", (dir_ / "basic").string()}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("SECRET"), std::string::npos);
  EXPECT_FALSE(LokiOptionsFromFlags(
                   Parse({"--loki", "http://l", "--loki-token-file", (dir_ / "none").string()}))
                   .ok());
  EXPECT_FALSE(LokiOptionsFromFlags(Parse({"--loki", "http://l", "--loki-label", "rule=x"})).ok());
  EXPECT_FALSE(LokiOptionsFromFlags(Parse({"--loki", "http://l", "--loki-label", "a-b=x"})).ok());
  EXPECT_FALSE(LokiOptionsFromFlags(Parse({"--loki", "file:///etc/passwd"})).ok());
}

TEST_F(LokiFlagsTest, NoLokiNoSink) {
  runtime::output::AlertMetrics metrics;
  auto sink = MakeLokiSink(Parse({}), metrics);
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ(*sink, nullptr);
  sink = MakeLokiSink(Parse({"--loki", "http://127.0.0.1:1"}), metrics);
  ASSERT_TRUE(sink.ok());
  ASSERT_NE(*sink, nullptr);
  EXPECT_EQ((*sink)->Name(), "loki");
}

}  // namespace
}  // namespace bulwark::cli
