// The Loki push body against Loki's documented push API (POST
// /loki/api/v1/push, JSON): {"streams":[{"stream":{label:value},
// "values":[["<ns as string>","<line>"]]}]}, label names
// [a-zA-Z_][a-zA-Z0-9_]*, one stream per label set, time order per stream;
// labels bounded and sanitised; hostile alert content still gives valid JSON
// whose lines parse back to the alert; the endpoint's URL and headers.
#include "runtime/output/loki_push.hpp"

#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/loki_endpoint.hpp"

namespace bulwark::runtime::output {
namespace {

using nlohmann::json;

Alert MakeAlert(uint64_t t, std::string rule, std::optional<std::string> container) {
  Alert a;
  a.time_ns = t;
  a.rule = std::move(rule);
  a.priority = Priority::kWarning;
  a.output = "x";
  a.output_fields = {{"proc.name", "bash"}};
  if (container) a.output_fields.emplace_back("container.name", *container);
  a.hostname = "node-1";
  return a;
}

// Checks `body` against the push API's shape; returns it parsed.
json CheckPushShape(const std::string& body) {
  json doc = json::parse(body);  // strict: throws on invalid JSON or UTF-8
  EXPECT_TRUE(doc.is_object());
  EXPECT_EQ(doc.size(), 1u);
  EXPECT_TRUE(doc["streams"].is_array());
  const std::regex label_name("[a-zA-Z_][a-zA-Z0-9_]*");
  for (const json& stream : doc["streams"]) {
    EXPECT_EQ(stream.size(), 2u);
    EXPECT_TRUE(stream["stream"].is_object());
    for (const auto& [name, value] : stream["stream"].items()) {
      EXPECT_TRUE(std::regex_match(name, label_name)) << name;
      EXPECT_TRUE(value.is_string());
    }
    EXPECT_TRUE(stream["values"].is_array());
    EXPECT_FALSE(stream["values"].empty());
    uint64_t previous = 0;
    for (const json& value : stream["values"]) {
      EXPECT_TRUE(value.is_array());
      EXPECT_EQ(value.size(), 2u);
      EXPECT_TRUE(value[0].is_string());  // nanoseconds as a string, not a number
      EXPECT_TRUE(value[1].is_string());
      const std::string ts = value[0];
      EXPECT_TRUE(std::regex_match(ts, std::regex("[0-9]{1,20}"))) << ts;
      uint64_t t = std::stoull(ts);
      EXPECT_GE(t, previous);  // time order within a stream
      previous = t;
    }
  }
  return doc;
}

TEST(LokiPush, BodyFollowsThePushApiWithLabelsAndFalcoLines) {
  std::vector<LokiEntry> entries;
  std::vector<Alert> alerts = {MakeAlert(1795428000000000002ULL, "Shell", std::string("web")),
                               MakeAlert(1795428000000000001ULL, "Shell", std::string("web")),
                               MakeAlert(1795428000000000003ULL, "Read", std::nullopt)};
  LokiLabels extra = {{"env", "prod"}};
  for (const Alert& a : alerts) entries.push_back(MakeLokiEntry(a, extra));
  json doc = CheckPushShape(BuildLokiPushBody(entries));
  ASSERT_EQ(doc["streams"].size(), 2u);  // two label sets
  // Streams come in label order: rule "Read" (container host) first.
  json read = doc["streams"][0], shell = doc["streams"][1];
  EXPECT_EQ(read["stream"], json({{"container", "host"}, {"env", "prod"}, {"host", "node-1"},
                                  {"priority", "Warning"}, {"rule", "Read"},
                                  {"source", "bulwark"}}));
  EXPECT_EQ(shell["stream"]["container"], "web");
  ASSERT_EQ(shell["values"].size(), 2u);
  EXPECT_EQ(shell["values"][0][0], "1795428000000000001");  // sorted by time
  EXPECT_EQ(shell["values"][0][1], FormatAlertJson(alerts[1]));
  EXPECT_EQ(shell["values"][1][1], FormatAlertJson(alerts[0]));
  EXPECT_EQ(read["values"][0][1], FormatAlertJson(alerts[2]));
  EXPECT_EQ(CountLokiEntries(BuildLokiPushBody(entries)), 3u);
  EXPECT_EQ(CountLokiEntries("not json"), 0u);
}

TEST(LokiPush, EqualTimesKeepArrivalOrder) {
  std::vector<LokiEntry> entries;
  for (int i = 0; i < 5; ++i) {
    Alert a = MakeAlert(7, "Same", std::string("c"));
    a.output = std::to_string(i);
    entries.push_back(MakeLokiEntry(a, {}));
  }
  json doc = CheckPushShape(BuildLokiPushBody(entries));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(json::parse(doc["streams"][0]["values"][i][1].get<std::string>())["output"],
              std::to_string(i));
  }
}

TEST(LokiPush, HostileContentGivesValidJsonAndBoundedLabels) {
  Alert a = MakeAlert(1, "Rule \"quoted\"\nnext line", std::string("we\nb\xff\xfe") +
                                                            std::string(300, 'x'));
  a.output_fields[0].second = "<img src=x onerror=alert(1)>\"'\\\n\r\x1b[31m\xc3\x28";
  a.output = "out \xff \"q\" \n";
  a.hostname = std::string("h\x01") + "\xe2\x82";
  std::string body = BuildLokiPushBody({MakeLokiEntry(a, {})});
  json doc = CheckPushShape(body);
  EXPECT_EQ(body.find('\n'), std::string::npos);
  const json& stream = doc["streams"][0]["stream"];
  for (const auto& [name, value] : stream.items()) {
    const std::string text = value;
    EXPECT_LE(text.size(), kMaxLokiLabelValue) << name;
    for (unsigned char c : text) EXPECT_GE(c, 0x20) << name;
  }
  EXPECT_EQ(stream["rule"], "Rule \"quoted\" next line");
  EXPECT_EQ(stream["container"].get<std::string>().substr(0, 6), "we b\xEF\xBF");
  // The line is the alert's own JSON, intact: the markup is data, not HTML.
  json line = json::parse(doc["streams"][0]["values"][0][1].get<std::string>());
  EXPECT_EQ(line["output_fields"]["proc.name"].get<std::string>().substr(0, 28),
            "<img src=x onerror=alert(1)>");
}

TEST(LokiPush, ContainerLabelOnlyFromContainerName) {
  EXPECT_EQ(AlertLokiLabels(MakeAlert(1, "r", std::string("web")), {})[0],
            std::make_pair(std::string("container"), std::string("web")));
  EXPECT_EQ(AlertLokiLabels(MakeAlert(1, "r", std::string("")), {})[0].second, "host");
  EXPECT_EQ(AlertLokiLabels(MakeAlert(1, "r", std::nullopt), {})[0].second, "host");
  Alert unreadable = MakeAlert(1, "r", std::nullopt);
  unreadable.output_fields.emplace_back("container.name", std::nullopt);
  unreadable.output_fields.emplace_back("container.id", "abc");
  EXPECT_EQ(AlertLokiLabels(unreadable, {})[0].second, "host");
  Alert no_host = MakeAlert(1, "r", std::nullopt);
  no_host.hostname.clear();
  EXPECT_EQ(AlertLokiLabels(no_host, {})[1].second, "unknown");
}

TEST(LokiPush, LabelValuesAreCutAtACharacterBoundary) {
  std::string value = std::string(kMaxLokiLabelValue - 1, 'a') + "\xc3\xa9";  // é straddles
  EXPECT_EQ(SanitizeLokiLabelValue(value), std::string(kMaxLokiLabelValue - 1, 'a'));
  EXPECT_EQ(SanitizeLokiLabelValue("tab\there"), "tab here");
}

TEST(LokiPush, ExtraLabelsAreValidatedAndNeverOverrideOwnLabels) {
  auto ok = ParseLokiLabel("env=prod=eu");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first, "env");
  EXPECT_EQ(ok->second, "prod=eu");
  EXPECT_TRUE(ParseLokiLabel("_cluster=a").ok());
  for (const char* bad : {"1env=x", "__name__=x", "e-nv=x", "=x", "noequals", "rule=x",
                          "source=x", "container=x"}) {
    EXPECT_FALSE(ParseLokiLabel(bad).ok()) << bad;
  }
  EXPECT_TRUE(IsValidLokiLabelName("a_1"));
  EXPECT_FALSE(IsValidLokiLabelName("a.b"));
  LokiLabels labels = AlertLokiLabels(MakeAlert(1, "r", std::nullopt),
                                      {{"source", "evil"}, {"bad name", "x"}, {"zone", "z"}});
  EXPECT_EQ(labels.size(), 6u);
  EXPECT_EQ(labels.back(), std::make_pair(std::string("zone"), std::string("z")));
  for (const auto& [name, value] : labels) {
    if (name == "source") {
      EXPECT_EQ(value, "bulwark");
    }
  }
}

TEST(LokiEndpoint, PushUrl) {
  EXPECT_EQ(LokiPushUrl("http://loki:3100"), "http://loki:3100/loki/api/v1/push");
  EXPECT_EQ(LokiPushUrl("http://loki:3100//"), "http://loki:3100/loki/api/v1/push");
  EXPECT_EQ(LokiPushUrl("https://x/prefix"), "https://x/prefix/loki/api/v1/push");
  EXPECT_EQ(LokiPushUrl("http://l/loki/api/v1/push"), "http://l/loki/api/v1/push");
}

TEST(LokiEndpoint, HeadersForTenantAndAuth) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  LokiEndpoint e{.url = "http://loki:3100", .tenant = "team-a", .bearer_token = "t0k"};
  auto http = MakeLokiHttpOptions(e);
  ASSERT_TRUE(http.ok()) << http.status().ToString();
  EXPECT_EQ(http->url, "http://loki:3100/loki/api/v1/push");
  EXPECT_EQ(http->headers,
            (std::vector<std::string>{"X-Scope-OrgID: team-a", "Authorization: Bearer t0k"}));
  LokiEndpoint basic{.url = "http://l", .basic_user = "Aladdin", .basic_password = "open sesame"};
  EXPECT_EQ(MakeLokiHttpOptions(basic)->headers,
            std::vector<std::string>{"Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="});
}

TEST(LokiEndpoint, RefusesBadInputWithoutEchoingSecrets) {
  LokiEndpoint e{.url = "http://loki", .bearer_token = "SECRET\r\nX-Evil: 1"};
  auto bad = MakeLokiHttpOptions(e);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("SECRET"), std::string::npos);
  e = LokiEndpoint{.url = "http://user:SECRET@loki"};
  bad = MakeLokiHttpOptions(e);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("SECRET"), std::string::npos);
  EXPECT_FALSE(MakeLokiHttpOptions({.url = "ftp://loki"}).ok());
  EXPECT_FALSE(MakeLokiHttpOptions({.url = "http://l", .tenant = "a\nb"}).ok());
  EXPECT_FALSE(MakeLokiHttpOptions({.url = "http://l", .bearer_token = "t", .basic_user = "u"}).ok());
  EXPECT_TRUE(MakeLokiHttpOptions({.url = "http://l/a@b"}).ok());  // '@' in the path is no userinfo
}

}  // namespace
}  // namespace bulwark::runtime::output
