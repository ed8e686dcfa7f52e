#include "audit/secret_checks.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/secret_text.hpp"

namespace bulwark::audit {
namespace {

using core::Severity;

// Test tokens are generated, never written out: they are structurally valid
// but random, and no secret-shaped literal sits in the source tree.
class FakeTokens {
 public:
  explicit FakeTokens(uint32_t seed) : state_(seed) {}
  std::string Chars(size_t n, std::string_view alphabet) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      state_ = state_ * 1103515245u + 12345u;
      out += alphabet[(state_ >> 16) % alphabet.size()];
    }
    return out;
  }
  std::string Alnum(size_t n) { return Chars(n, kAlnum); }

  static constexpr std::string_view kAlnum =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static constexpr std::string_view kUrlSafe =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  static constexpr std::string_view kBase64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

 private:
  uint32_t state_;
};

std::string Base64(std::string_view in, bool url) {
  std::string_view table = url ? FakeTokens::kUrlSafe : FakeTokens::kBase64;
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int k = 3; k >= 0; --k) out += table[(v >> (6 * k)) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    if (!url) out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    if (!url) out += "=";
  }
  return out;
}

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(RegisterSecretChecks(*r).ok());
    return r;
  }();
  return *registry;
}

const SecretScanner& Scanner() {
  static const SecretScanner* scanner = [] {
    auto created = SecretScanner::Create();
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? std::move(created).value().release() : nullptr;
  }();
  return *scanner;
}

struct Outcome {
  std::vector<core::Finding> findings;
  std::vector<core::Diagnostic> diagnostics;
  std::string Dump() const {
    std::string out;
    for (const core::Finding& f : findings) {
      out += f.id + "@" + std::to_string(f.location.line) + ":" +
             std::to_string(f.location.column) + " " + f.message + "\n";
    }
    return out;
  }
};

Outcome Scan(const std::string& content, FileKind kind = FileKind::kText) {
  core::FindingSink sink(Registry());
  Scanner().Scan(core::SourceFile{"config/app.env", {}, content}, kind, sink);
  return Outcome{sink.findings(), sink.diagnostics()};
}

// Expects exactly one finding, of `id`, at line/column, whose message
// masks `secret`.
void ExpectOne(const std::string& content, std::string_view id, int line, int column,
               const std::string& secret, FileKind kind = FileKind::kText) {
  Outcome o = Scan(content, kind);
  ASSERT_EQ(o.findings.size(), 1u) << id << "\n" << content << "\n" << o.Dump();
  const core::Finding& f = o.findings[0];
  EXPECT_EQ(f.id, id) << o.Dump();
  EXPECT_EQ(f.location.line, line) << o.Dump();
  EXPECT_EQ(f.location.column, column) << o.Dump();
  EXPECT_EQ(f.category, core::Category::kSecret);
  EXPECT_EQ(f.message.find(secret), std::string::npos) << "secret leaked in: " << f.message;
  if (secret.size() >= 8) {
    EXPECT_NE(f.message.find(secret.substr(0, 2) + "***"), std::string::npos) << f.message;
  }
}

TEST(SecretChecks, RegistersEveryCheckWithCompleteMetadata) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterSecretChecks(registry).ok());
  EXPECT_EQ(registry.size(), 21u);
  for (const core::CheckInfo* info : registry.All()) {
    EXPECT_EQ(info->id.substr(0, 6), "BW-SE-");
    EXPECT_EQ(info->category, core::Category::kSecret);
    EXPECT_FALSE(info->rationale.empty()) << info->id;
    EXPECT_FALSE(info->remediation.empty()) << info->id;
    EXPECT_EQ(info->references.cwe, std::vector<std::string>{"CWE-798"});
    EXPECT_FALSE(info->references.attack.empty()) << info->id;
  }
}

TEST(SecretChecks, KnownTokenFormats) {
  FakeTokens t(42);
  std::string aws_id = "AKIA" + t.Chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  ExpectOne("# deploy\naws_access_key_id = " + aws_id + "\n", "BW-SE-001", 2, 21, aws_id);
  std::string aws_secret = t.Chars(40, FakeTokens::kBase64);
  ExpectOne("[default]\naws_secret_access_key = " + aws_secret + "\n", "BW-SE-002", 2, 25,
            aws_secret);
  std::string ghp = "ghp_" + t.Alnum(36);
  ExpectOne("token: " + ghp + "\n", "BW-SE-003", 1, 8, ghp);
  std::string fine = "github_pat_" + t.Alnum(22) + "_" + t.Alnum(59);
  ExpectOne("x " + fine, "BW-SE-003", 1, 3, fine);
  std::string glpat = "glpat-" + t.Chars(20, FakeTokens::kUrlSafe);
  ExpectOne("CI_TOKEN='" + glpat + "'\n", "BW-SE-004", 1, 11, glpat);
  std::string slack =
      "xoxb-" + t.Chars(12, "0123456789") + "-" + t.Chars(12, "0123456789") + "-" + t.Alnum(24);
  ExpectOne("\n\nbot " + slack + "\n", "BW-SE-005", 3, 5, slack);
  std::string stripe = "sk_live_" + t.Alnum(24);
  ExpectOne("stripe=" + stripe, "BW-SE-007", 1, 8, stripe);
  std::string google = "AIza" + t.Chars(35, FakeTokens::kUrlSafe);
  ExpectOne("maps: \"" + google + "\"", "BW-SE-008", 1, 8, google);
  std::string oauth = "GOCSPX-" + t.Chars(28, FakeTokens::kUrlSafe);
  ExpectOne("{\"web\": {\"client_secret\": \"" + oauth + "\"}}", "BW-SE-009", 1, 28, oauth);
  std::string npm = "npm_" + t.Alnum(36);
  ExpectOne("//registry.npmjs.org/:_authToken=" + npm + "\n", "BW-SE-012", 1, 34, npm);
  std::string pypi = "pypi-AgEIcHlwaS5vcmc" + t.Chars(90, FakeTokens::kUrlSafe);
  ExpectOne("[pypi]\npassword = " + pypi + "\n", "BW-SE-013", 2, 12, pypi);
  std::string twilio = "SK" + t.Chars(30, "0123456789abcdef") + "a1";
  ExpectOne("TWILIO " + twilio, "BW-SE-014", 1, 8, twilio);
  std::string sendgrid =
      "SG." + t.Chars(22, FakeTokens::kUrlSafe) + "." + t.Chars(43, FakeTokens::kUrlSafe);
  ExpectOne("mail " + sendgrid + " end", "BW-SE-015", 1, 6, sendgrid);
  std::string openai = "sk-proj-" + t.Chars(60, FakeTokens::kUrlSafe);
  ExpectOne("OPENAI " + openai, "BW-SE-021", 1, 8, openai);
}

TEST(SecretChecks, ContextAndStructureFormats) {
  FakeTokens t(7);
  std::string hook_path = "T" + t.Chars(8, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") + "/B" +
                          t.Chars(8, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") + "/" + t.Alnum(24);
  ExpectOne("url: https://hooks.slack.com/services/" + hook_path + "\n", "BW-SE-006", 1, 39,
            hook_path);
  std::string heroku_uuid = t.Chars(8, "0123456789abcdef") + "-" + t.Chars(4, "0123456789abcdef") +
                            "-4" + t.Chars(3, "0123456789abcdef") + "-a" +
                            t.Chars(3, "0123456789abcdef") + "-" + t.Chars(12, "0123456789abcdef");
  ExpectOne("HEROKU_API_KEY=" + heroku_uuid + "\n", "BW-SE-016", 1, 16, heroku_uuid);
  std::string azure = t.Chars(86, FakeTokens::kBase64) + "==";
  ExpectOne("conn=\"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + azure +
                ";EndpointSuffix=core.windows.net\"",
            "BW-SE-017", 1, 66, azure);
  std::string db_pass = "Zq8" + t.Alnum(13);
  ExpectOne("DATABASE_URL=postgres://app:" + db_pass + "@db.internal:5432/app\n", "BW-SE-018", 1,
            29, db_pass);
  std::string auth = Base64("deployer:" + t.Alnum(20), false);
  ExpectOne("{\n  \"auths\": {\n    \"registry.example.com\": {\n      \"auth\": \"" + auth +
                "\"\n    }\n  }\n}\n",
            "BW-SE-019", 4, 16, auth);
}

TEST(SecretChecks, PrivateKeyReportsTheBeginLine) {
  FakeTokens t(3);
  std::string body;
  for (int i = 0; i < 5; ++i) body += t.Chars(64, FakeTokens::kBase64) + "\n";
  std::string pem = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n";
  Outcome o = Scan("# key\n" + pem);
  ASSERT_EQ(o.findings.size(), 1u) << o.Dump();
  EXPECT_EQ(o.findings[0].id, "BW-SE-010");
  EXPECT_EQ(o.findings[0].location.line, 2);
  EXPECT_EQ(o.findings[0].location.column, 1);
  EXPECT_EQ(o.findings[0].message.find(body.substr(0, 10)), std::string::npos);
  // Inside a JSON string with escaped newlines (service-account files).
  std::string json = "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" +
                     t.Chars(64, FakeTokens::kBase64) + "\\n-----END PRIVATE KEY-----\\n\"}";
  Outcome j = Scan(json);
  ASSERT_EQ(j.findings.size(), 1u) << j.Dump();
  EXPECT_EQ(j.findings[0].location.column, 18);
  // Code that only names the marker is not a key.
  Outcome code = Scan("if line.startswith('-----BEGIN RSA PRIVATE KEY-----'):\n    parse(line)\n",
                      FileKind::kPython);
  EXPECT_TRUE(code.findings.empty()) << code.Dump();
}

TEST(SecretChecks, JsonWebToken) {
  FakeTokens t(11);
  std::string header = Base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", true);
  std::string payload = Base64("{\"sub\":\"1234567890\",\"role\":\"admin\"}", true);
  std::string jwt = header + "." + payload + "." + t.Chars(43, FakeTokens::kUrlSafe);
  ExpectOne("Authorization: Bearer " + jwt + "\n", "BW-SE-011", 1, 23, jwt);
  std::string not_jwt = Base64("{\"name\":\"x\",\"kind\":\"y\"}", true) + "." + payload + "." +
                        t.Chars(43, FakeTokens::kUrlSafe);
  EXPECT_TRUE(Scan("data " + not_jwt).findings.empty());
}

TEST(SecretChecks, GenericAssignmentsInConfigText) {
  FakeTokens t(5);
  std::string token = t.Alnum(32);
  ExpectOne("DEBUG=false\nAPI_TOKEN=" + token + "\n", "BW-SE-020", 2, 11, token);
  ExpectOne("db:\n  password: \"supersecretpassword\"\n", "BW-SE-020", 2, 14,
            "supersecretpassword");
  ExpectOne("export DB_PASSWORD='Tr0ub4dor&3'\n", "BW-SE-020", 1, 21, "Tr0ub4dor&3");
  ExpectOne("spring.datasource.password=correcthorsebattery\n", "BW-SE-020", 1, 28,
            "correcthorsebattery");
  Outcome weak = Scan("admin_password = changeme\n");
  ASSERT_EQ(weak.findings.size(), 1u) << weak.Dump();
  EXPECT_EQ(weak.findings[0].severity, Severity::kLow);
}

TEST(SecretChecks, GenericNegatives) {
  Outcome o = Scan(
      "password: ${DB_PASSWORD}\n"
      "password=\n"
      "token: abc\n"
      "secret_name: prod/db\n"
      "password_file: /run/secrets/db\n"
      "token_url: https://auth.example.com/token\n"
      "max_tokens: 1000\n"
      "auth: required\n"
      "PASSWORD=<your-password-here>\n"
      "api_key = xxxxxxxxxxxxxxxxxxxx\n"
      "const password = getPassword();\n"
      "  let token = req.headers.authorization\n"
      "password: !vault |\n"
      "The password policy requires rotation every 90 days.\n"
      "secret: {{ .Values.secret }}\n"
      "password = DB_PASSWORD\n"
      "access_key: AWS_ACCESS_KEY_FROM_VAULT\n"
      "compass = northnorthwest\n");
  EXPECT_TRUE(o.findings.empty()) << o.Dump();
}

TEST(SecretChecks, GenericGuessOnlyInTextFiles) {
  std::string content = "DB_PASSWORD=supersecretpassword\n";
  for (FileKind kind :
       {FileKind::kPython, FileKind::kDockerfile, FileKind::kCompose, FileKind::kKubernetes}) {
    EXPECT_TRUE(Scan(content, kind).findings.empty()) << FileKindName(kind);
  }
  FakeTokens t(9);
  std::string ghp = "ghp_" + t.Alnum(36);
  ExpectOne("ENV GITHUB_TOKEN=" + ghp + "\n", "BW-SE-003", 1, 18, ghp, FileKind::kDockerfile);
}

TEST(SecretChecks, KnownFormatWinsOverTheGenericGuess) {
  FakeTokens t(13);
  std::string ghp = "ghp_" + t.Alnum(36);
  Outcome o = Scan("GITHUB_TOKEN=" + ghp + "\n");
  ASSERT_EQ(o.findings.size(), 1u) << o.Dump();
  EXPECT_EQ(o.findings[0].id, "BW-SE-003");
}

TEST(SecretChecks, PlaceholdersAndLongerWordsAreNotTokens) {
  FakeTokens t(17);
  Outcome o = Scan("ghp_" + std::string(36, 'x') + "\n" +  // placeholder
                       "AKIAXXXXXXXXXXXXXXXX\n" +          // placeholder
                       "xghp_" + t.Alnum(36) + "\n" +      // inside a word
                       "ghp_" + t.Alnum(36) + "extra\n" +  // longer than a token
                       "AKIA" + t.Chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + "Q\n" + "npm_" +
                       t.Alnum(20) + "\n" +                          // too short
                       "postgres://app@db:5432/app\n" +              // no password
                       "postgres://app:${DB_PASSWORD}@db/app\n" +    // a reference
                       "https://user:{password}@host/\n" +           // a template
                       "\"auth\": \"bm90LWJhc2U2NC1jcmVkcw==\"\n" +  // no user:password
                       "sk_test_" + t.Alnum(24) + "\n",              // a test key
                   FileKind::kDockerfile);  // no generic guesses: only the formats are tested
  EXPECT_TRUE(o.findings.empty()) << o.Dump();
}

TEST(SecretChecks, ExampleValuesAreReportedLower) {
  Outcome aws = Scan("key = AKIAIOSFODNN7EXAMPLE\n");
  ASSERT_EQ(aws.findings.size(), 1u) << aws.Dump();
  EXPECT_EQ(aws.findings[0].severity, Severity::kLow);
  Outcome url = Scan("REDIS_URL=redis://user:password@localhost:6379/0\n");
  ASSERT_EQ(url.findings.size(), 1u) << url.Dump();
  EXPECT_EQ(url.findings[0].id, "BW-SE-018");
  EXPECT_EQ(url.findings[0].severity, Severity::kLow);
}

TEST(SecretChecks, BinaryFilesAreSkipped) {
  FakeTokens t(19);
  std::string content = std::string(
                            "\x7f"
                            "ELF\0\0",
                            6) +
                        "ghp_" + t.Alnum(36);
  EXPECT_TRUE(Scan(content).findings.empty());
  EXPECT_TRUE(Scan("").findings.empty());
}

TEST(SecretChecks, VeryLongLinesAreScannedAndMasked) {
  FakeTokens t(23);
  std::string npm = "npm_" + t.Alnum(36);
  std::string line = std::string(1 << 20, 'a') + " " + npm + " " + std::string(1 << 16, 'b');
  Outcome o = Scan(line);
  ASSERT_EQ(o.findings.size(), 1u) << o.Dump();
  EXPECT_EQ(o.findings[0].location.column, (1 << 20) + 2);
  EXPECT_LT(o.findings[0].message.size(), 200u);
}

TEST(SecretChecks, FiftyMegabyteTextIsScannedToTheEnd) {
  FakeTokens t(29);
  std::string ghp = "ghp_" + t.Alnum(36);
  std::string filler_line =
      "lorem ipsum dolor sit amet, password policy and token rotation: see https://docs/\n";
  std::string content;
  content.reserve(50u << 20);
  int lines = 0;
  std::vector<int> expected_lines;
  while (content.size() < (50u << 20)) {
    bool last = content.size() + 2 * filler_line.size() >= (50u << 20);
    if (lines == 0 || lines == 300000 || last) {
      content += "x=" + ghp + "\n";
      expected_lines.push_back(++lines);
      if (last) break;
    }
    content += filler_line;
    ++lines;
  }
  Outcome o = Scan(content);
  ASSERT_EQ(o.findings.size(), expected_lines.size()) << o.Dump();
  for (size_t i = 0; i < expected_lines.size(); ++i) {
    EXPECT_EQ(o.findings[i].location.line, expected_lines[i]);
  }
  EXPECT_TRUE(o.diagnostics.empty());
}

TEST(SecretChecks, FloodOfCandidatesIsBounded) {
  std::string keywords;
  for (int i = 0; i < 500000; ++i) keywords += i % 2 ? "password" : "token://";
  Outcome o = Scan(keywords);
  EXPECT_TRUE(o.findings.empty()) << o.Dump();
  std::string many;
  FakeTokens t(31);
  for (int i = 0; i < 1500; ++i) many += "npm_" + t.Alnum(36) + "\n";
  Outcome capped = Scan(many);
  EXPECT_EQ(capped.findings.size(), 1000u);
  ASSERT_EQ(capped.diagnostics.size(), 1u);
  EXPECT_NE(capped.diagnostics[0].message.find("more than 1000"), std::string::npos);
}

TEST(SecretText, MaskingNeverShowsMoreThanTwoCharacters) {
  EXPECT_EQ(MaskSecret("supersecretpassword"), "su***");
  EXPECT_EQ(MaskSecret("hunter2"), "***");  // too short to show anything
  EXPECT_EQ(MaskSecret(""), "***");
  EXPECT_EQ(MaskSecret("\x01\xff"
                       "abcdefgh"),
            "??***");
}

TEST(SecretText, EntropyAndPlaceholders) {
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcd"), 2.0);
  EXPECT_EQ(ClassifyPlaceholder("${DB_PASSWORD}"), PlaceholderKind::kReference);
  EXPECT_EQ(ClassifyPlaceholder("{{ .Values.pw }}"), PlaceholderKind::kReference);
  EXPECT_EQ(ClassifyPlaceholder("<token>"), PlaceholderKind::kReference);
  EXPECT_EQ(ClassifyPlaceholder("xxxxxxxx"), PlaceholderKind::kReference);
  EXPECT_EQ(ClassifyPlaceholder("your-api-key-here"), PlaceholderKind::kReference);
  EXPECT_EQ(ClassifyPlaceholder("changeme"), PlaceholderKind::kWeakDefault);
  EXPECT_EQ(ClassifyPlaceholder("Password"), PlaceholderKind::kWeakDefault);
  EXPECT_EQ(ClassifyPlaceholder("Zq8vR2mK"), PlaceholderKind::kNone);
  EXPECT_EQ(ClassifySecretName("DB_PASSWORD"), SecretNameStrength::kStrong);
  EXPECT_EQ(ClassifySecretName("dbPassword"), SecretNameStrength::kStrong);
  EXPECT_EQ(ClassifySecretName("APIKey"), SecretNameStrength::kStrong);
  EXPECT_EQ(ClassifySecretName("github_token"), SecretNameStrength::kWeak);
  EXPECT_EQ(ClassifySecretName("PASSWORD_FILE"), SecretNameStrength::kNone);
  EXPECT_EQ(ClassifySecretName("compass"), SecretNameStrength::kNone);
  EXPECT_EQ(ClassifySecretName("tokenizer"), SecretNameStrength::kNone);
}

TEST(SecretChecks, AnalyzerWrapsTheScanner) {
  FakeTokens t(37);
  core::FindingSink sink(Registry());
  auto analyzer = MakeSecretAnalyzer(FileKind::kText);
  analyzer->Analyze(core::SourceFile{".env", {}, "NPM=npm_" + t.Alnum(36) + "\n"}, sink);
  ASSERT_EQ(sink.findings().size(), 1u);
  EXPECT_EQ(sink.findings()[0].location.path, ".env");
}

}  // namespace
}  // namespace bulwark::audit
