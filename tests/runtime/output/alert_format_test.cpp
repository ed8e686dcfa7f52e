// Golden cases for the two alert line formats: Falco's JSON shape (key
// order, nulls, tags, nanosecond RFC 3339 time) and the text line, with the
// escaping that keeps untrusted process data from breaking either.
#include "runtime/output/alert_format.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace bulwark::runtime::output {
namespace {

constexpr uint64_t kTime = 1795428000123456789ULL;  // 2026-11-23T10:00:00.123456789Z

Alert ShellAlert() {
  Alert a;
  a.time_ns = kTime;
  a.rule = "Terminal shell in container";
  a.priority = Priority::kNotice;
  a.output = "A shell was spawned in a container (user=root shell=bash container=web)";
  a.output_fields = {{"user.name", "root"},
                     {"proc.name", "bash"},
                     {"container.name", "web"},
                     {"proc.pname", std::nullopt}};
  a.tags = {"T1059.004", "container", "bulwark"};
  a.hostname = "node-1";
  return a;
}

TEST(AlertTime, Rfc3339WithNanoseconds) {
  EXPECT_EQ(FormatAlertTime(kTime), "2026-11-23T10:00:00.123456789Z");
  EXPECT_EQ(FormatAlertTime(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(FormatAlertTime(1709251199000000001ULL), "2024-02-29T23:59:59.000000001Z");
  EXPECT_EQ(FormatAlertTime(UINT64_MAX), "2554-07-21T23:34:33.709551615Z");
}

TEST(AlertJson, FalcoShapeGolden) {
  EXPECT_EQ(FormatAlertJson(ShellAlert()),
            R"j({"hostname":"node-1","output":"A shell was spawned in a container )j"
            R"j((user=root shell=bash container=web)","output_fields":{"container.name":"web",)j"
            R"j("proc.name":"bash","proc.pname":null,"user.name":"root"},"priority":"Notice",)j"
            R"j("rule":"Terminal shell in container","source":"syscall",)j"
            R"j("tags":["T1059.004","container","bulwark"],)j"
            R"j("time":"2026-11-23T10:00:00.123456789Z"})j");
}

TEST(AlertJson, EmptyAlertIsStillComplete) {
  Alert a;
  EXPECT_EQ(FormatAlertJson(a),
            R"j({"hostname":"","output":"","output_fields":{},"priority":"Warning","rule":"",)j"
            R"j("source":"syscall","tags":[],"time":"1970-01-01T00:00:00.000000000Z"})j");
}

TEST(AlertJson, EscapesControlCharactersQuotesAndBackslashes) {
  Alert a = ShellAlert();
  const char raw[] = "cmd=\"x\\y\"\n\x1b[31mred\ttab\0nul";
  a.output = std::string(raw, sizeof raw - 1);  // with the NUL inside
  a.output_fields = {{"proc.cmdline", "sh -c 'echo \x07'"}};
  a.tags.clear();
  std::string json = FormatAlertJson(a);
  const std::string want = R"j("output":"cmd=\"x\\y\"\n\u001b[31mred\ttab\u0000nul")j";
  EXPECT_NE(json.find(want), std::string::npos) << json;
  EXPECT_NE(json.find(R"j("proc.cmdline":"sh -c 'echo \u0007'")j"), std::string::npos) << json;
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(json.find('\x1b'), std::string::npos);
}

TEST(AlertJson, InvalidUtf8BecomesReplacementCharacter) {
  Alert a = ShellAlert();
  a.output = "caf\xc3\xa9 \xff\xfe end";  // valid é, then two invalid bytes
  a.output_fields = {{"fd.name", "/tmp/\xc3(x"}};
  a.rule = "r\xe2\x82";  // truncated sequence
  std::string json = FormatAlertJson(a);
  EXPECT_NE(json.find("\"output\":\"caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end\""), std::string::npos)
      << json;
  EXPECT_NE(json.find("\"fd.name\":\"/tmp/\xef\xbf\xbd(x\""), std::string::npos) << json;
  // Whatever came in, the line parses as JSON.
  auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed["output_fields"]["fd.name"], "/tmp/\xef\xbf\xbd(x");
}

TEST(AlertJson, RoundTripsThroughAJsonParser) {
  Alert a = ShellAlert();
  auto parsed = nlohmann::json::parse(FormatAlertJson(a));
  EXPECT_EQ(parsed["rule"], a.rule);
  EXPECT_EQ(parsed["priority"], "Notice");
  EXPECT_EQ(parsed["source"], "syscall");
  EXPECT_TRUE(parsed["output_fields"]["proc.pname"].is_null());
  EXPECT_EQ(parsed["output_fields"]["user.name"], "root");
  EXPECT_EQ(parsed["tags"].size(), 3u);
  EXPECT_EQ(parsed.size(), 8u);
}

TEST(AlertJson, EveryPriorityIsSpelledAsFalcoDoes) {
  const char* names[] = {"Emergency", "Alert",         "Critical", "Error",
                         "Warning",   "Notice",        "Informational", "Debug"};
  for (int p = 0; p < 8; ++p) {
    Alert a;
    a.priority = static_cast<Priority>(p);
    auto parsed = nlohmann::json::parse(FormatAlertJson(a));
    EXPECT_EQ(parsed["priority"], names[p]);
  }
}

TEST(AlertText, FalcoTextLineGolden) {
  EXPECT_EQ(FormatAlertText(ShellAlert()),
            "2026-11-23T10:00:00.123456789Z: Notice A shell was spawned in a container "
            "(user=root shell=bash container=web)");
}

TEST(AlertText, TerminalControlSequencesAreShownNotInterpreted) {
  Alert a = ShellAlert();
  a.priority = Priority::kCritical;
  a.output = "evil \x1b]0;title\x07 \x1b[2J line\nbreak\r \x7f \xff";
  EXPECT_EQ(FormatAlertText(a),
            "2026-11-23T10:00:00.123456789Z: Critical evil \\x1B]0;title\\x07 \\x1B[2J "
            "line\\x0Abreak\\x0D \\x7F \xef\xbf\xbd");
}

TEST(AlertFormat, DispatchesOnFormat) {
  Alert a = ShellAlert();
  EXPECT_EQ(FormatAlert(a, AlertFormat::kJson), FormatAlertJson(a));
  EXPECT_EQ(FormatAlert(a, AlertFormat::kText), FormatAlertText(a));
}

}  // namespace
}  // namespace bulwark::runtime::output
