#include "parse/daemon_config.hpp"

#include <gtest/gtest.h>

#include <ostream>

namespace bulwark::parse {

void PrintTo(const YamlMark& mark, std::ostream* os) { *os << mark.line << ":" << mark.column; }

namespace {

DaemonConfig Parse(const std::string& text) {
  auto config = ParseDaemonConfig(text);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? std::move(config).value() : DaemonConfig{};
}

TEST(DaemonConfig, TypedKeysWithPositions) {
  auto c = Parse(R"({
  "icc": false,
  "userns-remap": "default",
  "live-restore": true,
  "userland-proxy": false,
  "no-new-privileges": true,
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m", "max-file": "3"},
  "log-level": "info",
  "insecure-registries": ["registry.local:5000"],
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/cert.pem",
  "tlskey": "/etc/docker/key.pem",
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
  "authorization-plugins": ["authz"],
  "experimental": false,
  "iptables": true,
  "cgroup-parent": "/docker",
  "storage-driver": "overlay2",
  "storage-opts": ["dm.basesize=20G"],
  "seccomp-profile": "/etc/docker/seccomp.json",
  "selinux-enabled": true,
  "features": {"buildkit": true}
})");
  EXPECT_EQ(c.start, (YamlMark{1, 1}));
  ASSERT_TRUE(c.icc.has_value());
  EXPECT_FALSE(c.icc->value);
  EXPECT_EQ(c.icc->key, (YamlMark{2, 3}));
  EXPECT_EQ(c.icc->mark, (YamlMark{2, 10}));
  EXPECT_EQ(c.userns_remap->value, "default");
  EXPECT_TRUE(c.live_restore->value);
  EXPECT_FALSE(c.userland_proxy->value);
  EXPECT_TRUE(c.no_new_privileges->value);
  EXPECT_EQ(c.log_driver->value, "json-file");
  ASSERT_NE(c.LogOpt("max-size"), nullptr);
  EXPECT_EQ(c.LogOpt("max-size")->value, "10m");
  EXPECT_EQ(c.LogOpt("max-file")->value_mark, (YamlMark{8, 47}));
  EXPECT_EQ(c.LogOpt("labels"), nullptr);
  EXPECT_EQ(c.log_level->value, "info");
  ASSERT_EQ(c.insecure_registries->value.size(), 1u);
  EXPECT_EQ(c.insecure_registries->value[0].mark, (YamlMark{10, 27}));
  ASSERT_EQ(c.hosts->value.size(), 2u);
  EXPECT_EQ(c.hosts->value[1].text, "tcp://0.0.0.0:2376");
  EXPECT_TRUE(c.tls->value);
  EXPECT_TRUE(c.tlsverify->value);
  EXPECT_EQ(c.tlscacert->value, "/etc/docker/ca.pem");
  EXPECT_EQ(c.tlskey->value, "/etc/docker/key.pem");
  EXPECT_EQ(c.default_ulimits->value[0].text, "nofile");
  EXPECT_EQ(c.authorization_plugins->value[0].text, "authz");
  EXPECT_FALSE(c.experimental->value);
  EXPECT_TRUE(c.iptables->value);
  EXPECT_EQ(c.cgroup_parent->value, "/docker");
  EXPECT_EQ(c.storage_driver->value, "overlay2");
  EXPECT_EQ(c.storage_opts->value[0].text, "dm.basesize=20G");
  EXPECT_EQ(c.seccomp_profile->value, "/etc/docker/seccomp.json");
  EXPECT_TRUE(c.selinux_enabled->value);
  // Every key is kept, known or not.
  EXPECT_EQ(c.settings.size(), 25u);
  ASSERT_NE(c.Find("features"), nullptr);
  EXPECT_EQ(c.Find("features")->key_mark, (YamlMark{26, 3}));
  EXPECT_TRUE(c.issues.empty());
}

TEST(DaemonConfig, EmptyFileAndEmptyObject) {
  auto empty = Parse("");
  EXPECT_TRUE(empty.root->IsMap());
  EXPECT_EQ(empty.start, (YamlMark{1, 1}));
  EXPECT_TRUE(empty.settings.empty());
  auto blank = Parse("  \n\n");
  EXPECT_TRUE(blank.settings.empty());
  auto braces = Parse("\n\n  {}\n");
  EXPECT_EQ(braces.start, (YamlMark{3, 3}));
}

TEST(DaemonConfig, DuplicateKeysLastWinsAndIsReported) {
  auto c = Parse("{\n  \"icc\": false,\n  \"icc\": true\n}\n");
  ASSERT_TRUE(c.icc.has_value());
  EXPECT_TRUE(c.icc->value);
  EXPECT_EQ(c.icc->key, (YamlMark{3, 3}));
  ASSERT_EQ(c.issues.size(), 1u);
  EXPECT_EQ(c.issues[0].mark, (YamlMark{3, 3}));
  EXPECT_NE(c.issues[0].message.find("line 2"), std::string::npos);
}

TEST(DaemonConfig, WrongTypesAreIssues) {
  auto c = Parse(
      R"({"icc": "false", "hosts": "tcp://0.0.0.0:2375", "log-opts": [1], "insecure-registries": [1, "ok"]})");
  EXPECT_FALSE(c.icc.has_value());
  EXPECT_FALSE(c.hosts.has_value());
  EXPECT_FALSE(c.log_opts.has_value());
  ASSERT_EQ(c.insecure_registries->value.size(), 1u);
  ASSERT_EQ(c.issues.size(), 4u);
  EXPECT_NE(c.issues[0].message.find("should be true or false"), std::string::npos);
  EXPECT_EQ(c.issues[0].mark, (YamlMark{1, 9}));
}

struct BadCase {
  const char* text;
  int line;
  int column;
  const char* fragment;
};

TEST(DaemonConfig, InvalidJsonHasLineAndColumn) {
  const BadCase cases[] = {
      {"{\n  \"icc\": false,\n}\n", 3, 1, "trailing comma"},
      {"{\n  \"icc\": false\n  \"iptables\": true\n}", 3, 3, "expected ','"},
      {"{\n  // comment\n  \"icc\": false\n}", 2, 3, "quoted key"},
      {"{\"icc\": False}", 1, 9, "expected a JSON value"},
      {"{'icc': false}", 1, 2, "quoted key"},
      {"{\"a\": [1, 2,]}", 1, 13, "trailing comma"},
      {"{\"a\": \"unterminated}", 1, 21, "unterminated string"},
      {"{\"a\": 01}", 1, 8, "expected ','"},
      {"{\"a\": \"\\x\"}", 1, 9, "invalid escape"},
      {"{\"a\": 1} {}", 1, 10, "after the JSON value"},
      {"[\"not\", \"an object\"]", 1, 1, "JSON object"},
      {"{\"a\": \"caf\xC3\"}", 1, 11, "UTF-8"},
      {"{\"a\": \"tab\there\"}", 1, 11, "control character"},
  };
  for (const BadCase& c : cases) {
    auto config = ParseDaemonConfig(c.text);
    ASSERT_FALSE(config.ok()) << c.text;
    EXPECT_EQ(ErrorMark(config.status()), (YamlMark{c.line, c.column}))
        << c.text << " -> " << config.status().message();
    EXPECT_NE(config.status().message().find(c.fragment), std::string::npos)
        << c.text << " -> " << config.status().message();
  }
}

TEST(DaemonConfig, JsonEdgeCases) {
  auto c = Parse(
      "\xEF\xBB\xBF{\"log-level\": \"\\u0064ebug\", \"x\": \"\\ud83d\\ude00\", \"n\": -1.5e3, "
      "\"z\": null}");
  EXPECT_EQ(c.log_level->value, "debug");
  EXPECT_EQ(c.Find("x")->value->text(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(c.Find("n")->value->text(), "-1.5e3");
  EXPECT_TRUE(c.Find("z")->value->IsNull());
}

TEST(DaemonConfig, BinaryHugeAndDeepInputAreRefused) {
  EXPECT_FALSE(ParseDaemonConfig(std::string("{\"a\": \0}", 9)).ok());
  YamlLimits small;
  small.max_bytes = 64;
  auto huge = ParseDaemonConfig("{\"a\": \"" + std::string(100, 'x') + "\"}", small);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), core::ErrorCode::kTooLarge);
  auto deep = ParseDaemonConfig("{\"a\": " + std::string(100000, '[') + "}");
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nesting"), std::string::npos);
  EXPECT_EQ(ErrorMark(deep.status()).line, 1);
}

TEST(LoadJson, ProducesTheYamlTreeShape) {
  auto stream = LoadJson("{\n  \"a\": [1, \"two\", true],\n  \"b\": {}\n}");
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  const auto& root = stream->documents.at(0).root;
  const YamlNode* a = root->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items().size(), 3u);
  EXPECT_TRUE(a->items()[0]->plain());
  EXPECT_EQ(a->items()[0]->AsInt(), 1);
  EXPECT_FALSE(a->items()[1]->plain());
  EXPECT_EQ(a->items()[1]->mark(), (YamlMark{2, 12}));
  EXPECT_EQ(a->items()[2]->AsBool(), true);
  EXPECT_TRUE(root->Find("b")->IsMap());
}

}  // namespace
}  // namespace bulwark::parse
